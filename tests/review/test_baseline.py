"""Baselines: new, existing and gone findings against an earlier report.json."""

from __future__ import annotations

from dataclasses import replace

import orjson
import pytest

from auditor.review.baseline import apply_baseline, failing, load_baseline
from auditor.errors import DataError
from auditor.render import render
from tests.ci.scenario import events, loaded_policy
from tests.factories import post, run


def write_report(path, result):
    path.write_bytes(render(result, "json"))
    return path


def test_one_old_finding_gone_and_one_new_one(tmp_path):
    loaded = loaded_policy(tmp_path)
    before = run(loaded, *events(), as_of="2026-10-31 12:00")
    baseline = load_baseline(write_report(tmp_path / "before.json", before))
    # This time jdoe answered dave in time (gone) and frank was left waiting (new).
    now_events = [e for e in events() if e.id != "401"]
    now_events.append(post("jdoe", "2026-10-07 10:00", "@dave 10 USD", id="402", reply_to=now_events[4]))
    frank = post("frank", "2026-10-12 09:00", "@acme_support hi?", id="500", mentions=("acme_support",))
    now = apply_baseline(run(loaded, *now_events, frank, as_of="2026-10-31 12:00"), baseline)

    marks = {f.counterpart: f.baseline for f in now.findings}
    assert marks == {"bob": "existing", "carol": "existing", "erin": "existing", "frank": "new"}
    assert now.summary["baseline"] == {"file": str(tmp_path / "before.json"), "new": 1, "existing": 2, "gone": 1}
    dave = next(f for f in before.findings if f.counterpart == "dave")
    assert now.notes == (
        f"baseline {tmp_path / 'before.json'} (October 2026): 1 new, 2 existing, 1 gone",
        f"baseline: gone answer-sales for jdoe/@dave (fingerprint {dave.fingerprint})",
    )
    # --fail-on counts only new findings; erin's is pending and never counts.
    assert [f.counterpart for f in failing(now, "high")] == ["frank"]
    assert [f.counterpart for f in failing(now, "info")] == ["frank"]


def test_without_a_baseline_every_counted_finding_fails(tmp_path):
    result = run(loaded_policy(tmp_path), *events(), as_of="2026-10-31 12:00")
    assert [f.counterpart for f in failing(result, "high")] == ["bob", "carol"]
    assert [f.counterpart for f in failing(result, "low")] == ["bob", "carol", "dave"]
    assert failing(result, "critical") == []


def test_a_finding_pending_or_waived_in_the_baseline_is_new_when_it_counts_now(tmp_path):
    result = run(loaded_policy(tmp_path), *events(), as_of="2026-10-31 12:00")
    marked = tuple(replace(f, status="pending", counted=False) if f.counterpart == "bob" else
                   replace(f, waived={"reason": "r", "approved_by": "a", "expires": "2026-10-01"})
                   if f.counterpart == "carol" else f for f in result.findings)
    baseline = load_baseline(write_report(tmp_path / "before.json", replace(result, findings=marked)))
    now = apply_baseline(result, baseline)
    assert {f.counterpart: f.baseline for f in now.findings}["bob"] == "new"
    assert {f.counterpart: f.baseline for f in now.findings}["carol"] == "new"
    assert now.summary["baseline"]["gone"] == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "{path}: cannot read baseline: No such file or directory"),
        (b"{not json", "{path}: baseline is not JSON (line 1, column 2); expected a report.json from auditor audit"),
        (b"[1, 2]", "{path}: baseline has no findings list; expected a report.json from auditor audit"),
        (b'{"findings": [{"rule": "x"}]}',
         "{path}: baseline findings[0] has no fingerprint; expected a report.json from auditor audit"),
    ],
)
def test_an_unreadable_baseline_is_one_line(tmp_path, content, message):
    path = tmp_path / "baseline.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DataError) as info:
        load_baseline(path)
    assert info.value.lines() == [message.format(path=path)]


def test_a_folder_is_not_a_baseline(tmp_path):
    with pytest.raises(DataError) as info:
        load_baseline(tmp_path)
    assert str(info.value) == f"{tmp_path}: cannot read baseline: is a folder, expected a report.json"


def test_the_marks_reach_report_json(tmp_path):
    result = run(loaded_policy(tmp_path), *events(), as_of="2026-10-31 12:00")
    baseline = load_baseline(write_report(tmp_path / "before.json", result))
    report = orjson.loads(render(apply_baseline(result, baseline), "json"))
    assert {f["baseline"] for f in report["findings"]} == {"existing"}  # erin, pending then and now, too
    assert report["summary"]["baseline"]["existing"] == 3


def test_a_finding_whose_severity_was_raised_since_the_baseline_is_new(tmp_path):
    result = run(loaded_policy(tmp_path), *events(), as_of="2026-10-31 12:00")
    lowered = tuple(replace(f, severity="info") if f.counterpart == "bob" else f for f in result.findings)
    baseline = load_baseline(write_report(tmp_path / "before.json", replace(result, findings=lowered)))
    now = apply_baseline(result, baseline)
    marks = {f.counterpart: f.baseline for f in now.findings}
    assert marks["bob"] == "new" and marks["carol"] == "existing"
    assert [f.counterpart for f in failing(now, "high")] == ["bob"]
