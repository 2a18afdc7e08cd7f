"""`--redact customers`: keyed pseudonyms that cannot be recomputed from a guessed handle, do not collide,
stay the same month after month for the same store, and nothing else in the report names the customer."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.render.redact import pseudonym
from tests.ci.scenario import RULES, write_events
from tests.factories import policy

runner = CliRunner()
PSEUDONYM_RE = re.compile(r"customer-[0-9a-f]{16}")


def test_a_pseudonym_is_a_keyed_64_bit_hash_not_a_hash_of_the_handle():
    name = pseudonym("bob", b"k" * 32)
    assert PSEUDONYM_RE.fullmatch(name)
    # The old scheme, anyone's to recompute: the first 24 bits of SHA-256 of the handle.
    assert hashlib.sha256(b"bob").hexdigest()[:6] not in name
    assert name[len("customer-"):] not in hashlib.sha256(b"bob").hexdigest()
    assert pseudonym("BOB", b"k" * 32) == name != pseudonym("bob", b"j" * 32)


def test_pseudonyms_do_not_collide_in_practice():
    # 24 bits gave 12 shared pseudonyms on a generated month; 200,000 customers share none at 64 bits.
    key = os.urandom(32)
    names = {pseudonym(f"customer_{n}", key) for n in range(200_000)}
    assert len(names) == 200_000


@pytest.fixture
def setup(tmp_path, monkeypatch):
    monkeypatch.delenv("AUDITOR_PSEUDONYM_KEY", raising=False)
    policy(tmp_path, RULES)
    data = write_events(tmp_path / "events.jsonl")
    store = tmp_path / "store.db"
    assert runner.invoke(app, ["import", str(data), "--store", str(store)]).exit_code == 0
    return tmp_path / "policy.yaml", data, store


def audit(policy_path, data, out, *args):
    result = runner.invoke(app, ["audit", "--policy", str(policy_path), "--data", str(data), "--period", "2026-10",
                                 "--as-of", "2026-10-31T12:00:00Z", "--redact", "customers", "--out", str(out),
                                 *map(str, args)])
    assert "Traceback" not in result.output
    return result


def test_the_key_is_created_beside_the_store_on_first_use_and_kept(setup, tmp_path):
    policy_path, _, store = setup
    first = audit(policy_path, store, tmp_path / "first.json")
    assert first.exit_code == 0, first.output
    key_file = tmp_path / "store.db.pseudonym-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text()
    assert re.fullmatch(r"[0-9a-f]{64}\n", key)
    again = audit(policy_path, store, tmp_path / "again.json")
    assert again.exit_code == 0 and key_file.read_text() == key
    assert key.strip() not in first.output + again.output
    one, two = (json.loads((tmp_path / name).read_text()) for name in ("first.json", "again.json"))
    assert [f["counterpart"] for f in one["findings"]] == [f["counterpart"] for f in two["findings"]]
    assert {f["counterpart"] for f in one["findings"]} == {pseudonym(h, key.strip().encode())
                                                           for h in ("bob", "carol", "dave", "erin")}


def test_the_same_key_gives_the_same_pseudonym_in_another_month(setup, tmp_path):
    policy_path, data, store = setup
    later = tmp_path / "november.jsonl"
    later.write_text(json.dumps({"type": "post", "id": "900", "author": "bob", "text": "@acme_support again?",
                                 "created_at": "2026-11-03T10:00:00Z", "mentions": ["acme_support"]}) + "\n")
    assert runner.invoke(app, ["import", str(later), "--store", str(store)]).exit_code == 0
    october = audit(policy_path, store, tmp_path / "october.json")
    november = runner.invoke(app, ["audit", "--policy", str(policy_path), "--data", str(store), "--period", "2026-11",
                                   "--redact", "customers", "--out", str(tmp_path / "november.json")])
    assert october.exit_code == november.exit_code == 0, november.output
    bob_october = {f["counterpart"] for f in json.loads((tmp_path / "october.json").read_text())["findings"]}
    bob_november = {f["counterpart"] for f in json.loads((tmp_path / "november.json").read_text())["findings"]}
    assert bob_november and bob_november <= bob_october


def test_a_key_given_by_the_user_a_file_or_the_environment(setup, tmp_path, monkeypatch):
    policy_path, data, _ = setup
    # Canonical JSONL has no store to keep a key beside: without one given, one clear line.
    refused = audit(policy_path, data, tmp_path / "r.json")
    assert refused.exit_code == 2
    assert refused.stderr.strip().startswith("error: --redact customers needs a secret key for its pseudonyms")
    key_file = tmp_path / "keys" / "acme.key"
    key_file.parent.mkdir()
    made = audit(policy_path, data, tmp_path / "file.json", "--pseudonym-key", key_file)
    assert made.exit_code == 0, made.output
    assert key_file.exists()
    monkeypatch.setenv("AUDITOR_PSEUDONYM_KEY", key_file.read_text().strip())
    from_env = audit(policy_path, data, tmp_path / "env.json")
    assert from_env.exit_code == 0, from_env.output
    assert (tmp_path / "file.json").read_bytes() == (tmp_path / "env.json").read_bytes()
    monkeypatch.setenv("AUDITOR_PSEUDONYM_KEY", "short")
    short = audit(policy_path, data, tmp_path / "short.json")
    assert short.exit_code == 2 and "at least 16 characters" in short.stderr and "short" not in short.stderr.split(":", 2)[-1]


def test_nothing_else_names_the_customer_links_ids_or_their_words(setup, tmp_path):
    policy_path, _, store = setup
    result = audit(policy_path, store, tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text())
    text = json.dumps(report)
    for handle in ("bob", "carol", "dave", "erin"):
        assert not re.search(rf"\b{handle}\b", text, re.IGNORECASE), handle
    assert "x.com" not in text and "/status/" not in text
    evidence = [e for f in report["findings"] for e in f["evidence"]]
    assert evidence and all(e["url"] is None for e in evidence)
    assert all(re.fullmatch(r"(post|dm)-[0-9a-f]{16}", e["id"]) for e in evidence)
    customers = [e for e in evidence if e["author"].startswith("customer-")]
    assert customers and {e["text"] for e in customers} <= {"[customer's post: text withheld]",
                                                             "[direct message: text withheld]"}


def test_notes_on_standard_error_name_customers_by_pseudonym_too(setup, tmp_path):
    policy_path, _, store = setup
    (tmp_path / "waivers.yaml").write_text("- {rule: answer, account: acme_support, counterpart: bob, reason: by phone, "
                                           "approved_by: Dana, expires: 2026-12-31}\n")
    result = audit(policy_path, store, tmp_path / "r.json", "--waivers", tmp_path / "waivers.yaml")
    assert result.exit_code == 0, result.output
    assert "waiver covered 1 finding (answer, acme_support, @customer-" in result.stderr
    assert "bob" not in result.stderr


def test_fingerprints_are_keyed_so_a_guessed_handle_cannot_be_tested_against_them(setup, tmp_path):
    # A fingerprint is a hash of the rule, the account, the customer's handle, the check and the first evidence
    # id: unkeyed, anyone with a list of handles could tell who each pseudonym is.
    policy_path, _, store = setup
    assert audit(policy_path, store, tmp_path / "r.json").exit_code == 0
    plain = runner.invoke(app, ["audit", "--policy", str(policy_path), "--data", str(store), "--period", "2026-10",
                                "--as-of", "2026-10-31T12:00:00Z", "--format", "json", "--out", str(tmp_path / "p.json")])
    assert plain.exit_code == 0, plain.output
    hidden = json.loads((tmp_path / "r.json").read_text())["findings"]
    shown = json.loads((tmp_path / "p.json").read_text())["findings"]
    assert len(hidden) == len(shown) > 0
    assert not {f["fingerprint"] for f in hidden} & {f["fingerprint"] for f in shown}
    assert all(re.fullmatch(r"[0-9a-f]{20}", f["fingerprint"]) for f in hidden)


def test_a_redacted_report_serves_as_the_baseline_and_its_names_in_waivers(setup, tmp_path):
    policy_path, _, store = setup
    assert audit(policy_path, store, tmp_path / "before.json").exit_code == 0
    again = audit(policy_path, store, tmp_path / "after.json", "--baseline", tmp_path / "before.json")
    assert again.exit_code == 0, again.output
    summary = json.loads((tmp_path / "after.json").read_text())["summary"]["baseline"]
    assert summary["new"] == 0 and summary["gone"] == 0 and summary["existing"] > 0
    # A waiver written from the redacted report: by its fingerprint, or by the customer's pseudonym.
    finding = next(f for f in json.loads((tmp_path / "before.json").read_text())["findings"]
                   if f["rule"] == "answer" and f["counted"])
    for target in (f"fingerprint: {finding['fingerprint']}", f"counterpart: {finding['counterpart']}"):
        (tmp_path / "waivers.yaml").write_text(f"- {{rule: answer, account: acme_support, {target}, reason: by phone, "
                                               "approved_by: Dana, expires: 2026-12-31}\n")
        waived = audit(policy_path, store, tmp_path / "w.json", "--waivers", tmp_path / "waivers.yaml")
        assert waived.exit_code == 0, waived.output
        assert "waiver covered 1 finding" in waived.stderr
        # An audit that does not redact matches them too, with the key kept beside the store.
        plain = runner.invoke(app, ["audit", "--policy", str(policy_path), "--data", str(store), "--period", "2026-10",
                                    "--as-of", "2026-10-31T12:00:00Z", "--out", str(tmp_path / "p.json"),
                                    "--waivers", str(tmp_path / "waivers.yaml"), "--baseline", str(tmp_path / "before.json")])
        assert plain.exit_code == 0, plain.output
        assert "waiver covered 1 finding" in plain.stderr
        assert json.loads((tmp_path / "p.json").read_text())["summary"]["baseline"]["new"] == 0
