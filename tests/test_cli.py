"""The CLI as a user meets it: help, validate, schema, rules, audit; exit codes and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from ruamel.yaml import YAML
from typer.testing import CliRunner

from auditor.cli import app
from auditor.rules import KIND_BY_TYPE

runner = CliRunner()
POLICIES = Path(__file__).parent.parent / "policies"
BAD = Path(__file__).parent / "policy" / "bad"
# Every policy shipped in policies/ (the roster is a file the example names, not a policy).
POLICY_FILES = sorted(p for p in POLICIES.glob("*.yaml") if p.name != "roster.yaml")


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_help_lists_the_commands():
    result = invoke("--help")
    assert result.exit_code == 0, result.output
    for command in ("demo", "validate", "schema", "rules", "audit"):
        assert command in result.output


def test_every_command_has_help():
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        result = invoke(name, "--help")
        assert result.exit_code == 0, (name, result.output)
        assert (command.callback.__doc__ or "").strip(), f"{name} has no help text"


def test_validate_valid_policies_exit_0():
    result = invoke("validate", *POLICY_FILES)
    assert result.exit_code == 0, result.output
    assert "ok (" in result.output


def test_validate_invalid_policy_prints_one_line_per_mistake_and_exits_2():
    result = invoke("validate", BAD / "unknown_keys.yaml")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 3
    assert all(":" in line and "Traceback" not in line for line in lines)


def test_validate_missing_file_exits_2_with_one_line():
    result = invoke("validate", "no/such/policy.yaml")
    assert result.exit_code == 2
    assert result.output.strip() == "no/such/policy.yaml:1:1: cannot read: No such file or directory"


def test_schema_is_json_schema_that_accepts_the_shipped_policies():
    result = invoke("schema")
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in POLICY_FILES:
        document = YAML(typ="safe").load(path.read_text())
        if isinstance(document.get("accounts"), str):
            roster = YAML(typ="safe").load((path.parent / document["accounts"]).read_text())
            document["accounts"] = roster["accounts"] if isinstance(roster, dict) else roster
        errors = [e.message for e in validator.iter_errors(document)]
        assert errors == [], (path.name, errors)


def test_schema_rejects_an_unknown_key():
    schema = json.loads(invoke("schema").output)
    document = {"name": "x", "timezone": "UTC", "accounts": [], "rules": [], "colour": "blue"}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(document))


def test_rules_lists_every_kind_with_its_options():
    result = invoke("rules")
    assert result.exit_code == 0, result.output
    for name, kind in KIND_BY_TYPE.items():
        assert f"{name}: {kind.meaning}" in result.output
    assert "within: duration" in result.output


def _timeline(tmp_path: Path) -> Path:
    lines = [
        {"type": "post", "id": "1", "author": "bob", "created_at": "2026-10-05T14:00:00Z",
         "text": "@acme_support where is my order?"},
        {"type": "post", "id": "2", "author": "acme_support", "created_at": "2026-10-05T20:00:00Z",
         "text": "@bob sorry, on its way", "in_reply_to": "1"},
        "this line is broken",
    ]
    path = tmp_path / "activity.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    return path


def _policy(tmp_path: Path) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(
        "name: Test\ntimezone: America/Toronto\naccounts: [{handle: acme_support, kind: brand}]\n"
        "rules:\n  - {id: answer, type: response_time, severity: high, within: 4h}\n"
    )
    return path


def test_audit_writes_report_json_and_prints_a_summary(tmp_path):
    out = tmp_path / "report.json"
    result = invoke("audit", "--policy", _policy(tmp_path), "--data", _timeline(tmp_path), "--period", "2026-10",
                    "--out", out)
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["rules"][0]["failed"] == 1
    assert report["data"]["skipped"] == 1
    assert report["data"]["skipped_lines"][0]["line"] == 3
    assert report["findings"][0]["evidence"][0]["url"] is None  # the line gives no url: its id may not be X's
    assert "answer" in result.output and "FAIL" in result.output


def test_audit_report_is_byte_identical_for_the_same_input(tmp_path):
    args = ["audit", "--policy", _policy(tmp_path), "--data", _timeline(tmp_path), "--period", "2026-10"]
    first = invoke(*args, "--out", tmp_path / "a.json")
    second = invoke(*args, "--out", tmp_path / "b.json")
    assert first.exit_code == second.exit_code == 0
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_audit_bad_period_and_missing_data_exit_2_with_one_line(tmp_path):
    policy = _policy(tmp_path)
    bad_period = invoke("audit", "--policy", policy, "--data", _timeline(tmp_path), "--period", "October")
    assert bad_period.exit_code == 2
    assert len(bad_period.output.strip().splitlines()) == 1 and "Traceback" not in bad_period.output
    missing = invoke("audit", "--policy", policy, "--data", tmp_path / "nope.jsonl", "--period", "2026-10")
    assert missing.exit_code == 2
    assert "nope.jsonl: no such file or folder" in missing.output


def test_audit_invalid_policy_exits_2(tmp_path):
    result = invoke("audit", "--policy", BAD / "bad_values.yaml", "--data", _timeline(tmp_path), "--period", "2026-10")
    assert result.exit_code == 2
    assert "bad_values.yaml:10:13: rules[0].within:" in result.output


def test_rules_describes_nested_options_in_policy_words():
    output = invoke("rules").output
    assert "checks: {profanity, toxicity, negativity, shouting, banned, competitors}; required" in output
    assert "        profanity: true | false | {allow}; default false" in output
    assert "    min_reply_share: share (30% or 0.3); default 30%" in output
    assert "PromisePhrases" not in output and "Literal[" not in output


def test_demo_out_that_is_a_file_is_one_line(tmp_path):
    taken = tmp_path / "notes.txt"
    taken.write_text("mine")
    result = runner.invoke(app, ["demo", "--out", str(taken)])
    assert result.exit_code == 2
    assert result.output == f"error: --out {taken}: is a file; the demo writes a folder (report.json and report.pdf)\n"
    assert taken.read_text() == "mine"
