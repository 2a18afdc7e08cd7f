from tests.ci.scenario import events, loaded_policy
from tests.factories import post, run


def test_data_sha256_pins_the_events_whatever_their_order_or_duplicates(tmp_path):
    loaded = loaded_policy(tmp_path)
    first = run(loaded, *events(), as_of="2026-10-31 12:00").data.sha256
    shuffled = run(loaded, *reversed(events()), *events()[:2], as_of="2026-10-31 12:00").data.sha256
    assert first == shuffled and len(first) == 64
    changed = [post("bob", "2026-10-05 14:00", "@acme_support different", id="100", mentions=("acme_support",)),
               *events()[1:]]
    assert run(loaded, *changed, as_of="2026-10-31 12:00").data.sha256 != first


def test_data_sha256_does_not_depend_on_how_many_events_are_written_at_once(tmp_path, monkeypatch):
    from auditor import audit as audit_module

    loaded = loaded_policy(tmp_path)
    whole = run(loaded, *events(), as_of="2026-10-31 12:00").data.sha256
    monkeypatch.setattr(audit_module, "_HASHED_AT_ONCE", 2)  # the scenario's events in several batches
    assert len(events()) > 2
    assert run(loaded, *events(), as_of="2026-10-31 12:00").data.sha256 == whole
