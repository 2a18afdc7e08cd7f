"""CI fails closed: nothing to audit is exit 2 (unless --allow-empty), and a baseline never crashes.

Each case is what a careless CI set-up does: the wrong file, a file whose every line is bad, a
period the data does not reach, an --as-of before the period. Each used to exit 0 with
`--fail-on low`, and a job went green on nothing.
"""

from __future__ import annotations

import orjson
import pytest
from typer.testing import CliRunner

from auditor.bundled import policies_folder, sample_data
from auditor.cli import app
from tests.ci.scenario import RULES, write_events
from tests.factories import policy

runner = CliRunner()


@pytest.fixture
def files(tmp_path):
    policy(tmp_path, RULES)
    return tmp_path / "policy.yaml", write_events(tmp_path / "events.jsonl")


def audit(policy_path, data, *args):
    result = runner.invoke(app, ["audit", "--policy", str(policy_path), "--data", str(data), *map(str, args)])
    assert "Traceback" not in result.output
    return result


def only_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_wrong_file_whose_every_line_is_skipped_is_nothing_to_audit(files, tmp_path):
    policy_path, _ = files
    wrong = tmp_path / "wrong.jsonl"
    wrong.write_text('{"a": 1}\n{"b": 2}\n')
    result = audit(policy_path, wrong, "--period", "2026-10", "--fail-on", "low", "--out", tmp_path / "r.json")
    assert result.exit_code == 2
    assert only_line(result) == (
        "error: nothing to audit: no event of the roster's accounts in October 2026 (0 events read for it and around it, 2 lines "
        f"skipped, the first {wrong}:1: missing required field 'type'); check --data, --period and the roster, or pass "
        "--allow-empty")
    assert not (tmp_path / "r.json").exists()


def test_a_json_array_instead_of_lines_says_why_its_line_was_skipped(files, tmp_path):
    policy_path, _ = files
    array = tmp_path / "export.json"
    array.write_text('[{"type": "post", "id": "1", "author": "acme_support", "created_at": "2026-10-05T12:00:00Z", '
                     '"text": "hi"}]\n')
    result = audit(policy_path, array, "--period", "2026-10", "--out", tmp_path / "r.json")
    assert result.exit_code == 2
    assert f"1 line skipped, the first {array}:1: " in only_line(result)


@pytest.mark.parametrize("rules", ["rules: []\n", "", "rules:\n  - {id: a, type: engagement, severity: low, "
                                                        "min_reply_share: 50%, enabled: false}\n"])
def test_a_policy_that_checks_nothing_is_refused_by_validate_and_audit(files, tmp_path, rules):
    _, data = files
    empty = tmp_path / "empty.yaml"
    empty.write_text("name: Acme\ntimezone: UTC\naccounts: [{handle: acme_support}]\n" + rules)
    checked = runner.invoke(app, ["validate", str(empty)])
    assert checked.exit_code == 2
    assert checked.output.strip() == (f"{empty}: no rule is enabled (rules is empty, or every rule says enabled: "
                                      "false): an audit with it would check nothing")
    result = audit(empty, data, "--period", "2026-10", "--fail-on", "low", "--out", tmp_path / "r.json")
    assert result.exit_code == 2
    assert only_line(result) == (f"{empty}: no rule is enabled (rules is empty, or every rule says enabled: "
                                 "false): an audit with it would check nothing")


def test_one_event_read_is_said_in_the_singular(files, tmp_path):
    policy_path, _ = files
    one = tmp_path / "one.jsonl"
    one.write_text('{"type": "post", "id": "1", "author": "nobody_here", "created_at": "2026-10-05T12:00:00Z", '
                   '"text": "hi", "mentions": []}\n')
    result = audit(policy_path, one, "--period", "2026-10", "--out", tmp_path / "r.json")
    assert result.exit_code == 2
    assert "(1 event read for it and around it, 0 lines skipped)" in only_line(result)


def test_a_period_the_data_does_not_reach_is_nothing_to_audit(files, tmp_path):
    policy_path, data = files
    result = audit(policy_path, data, "--period", "2025-10", "--fail-on", "low", "--out", tmp_path / "r.json")
    assert result.exit_code == 2
    assert only_line(result).startswith("error: nothing to audit: no event of the roster's accounts in October 2025 (0 events read for it and around it")


def test_events_of_other_people_only_are_nothing_to_audit(files, tmp_path):
    policy_path, _ = files
    others = tmp_path / "others.jsonl"
    others.write_text(orjson.dumps({"type": "post", "id": "1", "author": "stranger", "text": "hello world",
                                    "created_at": "2026-10-05T10:00:00Z"}).decode() + "\n")
    result = audit(policy_path, others, "--period", "2026-10", "--out", tmp_path / "r.json")
    assert result.exit_code == 2
    assert "nothing to audit" in only_line(result)


def test_as_of_before_the_period_starts_is_nothing_to_audit(files, tmp_path):
    policy_path, data = files
    result = audit(policy_path, data, "--period", "2026-10", "--as-of", "2026-09-01T00:00:00Z", "--fail-on", "low",
                   "--out", tmp_path / "r.json")
    assert result.exit_code == 2
    assert "the end of the data, 2026-09-01T00:00:00Z, is before the period starts" in only_line(result)


@pytest.mark.parametrize("as_of", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"])
def test_an_as_of_beyond_the_supported_years_is_bad_usage(files, tmp_path, as_of):
    policy_path, data = files
    result = audit(policy_path, data, "--period", "2026-10", "--as-of", as_of, "--out", tmp_path / "r.json")
    assert result.exit_code == 2
    assert "--as-of" in only_line(result) and "outside the supported years" in only_line(result)


def test_allow_empty_accepts_an_empty_period_and_the_report_says_so(files, tmp_path):
    policy_path, data = files
    out = tmp_path / "r.json"
    result = audit(policy_path, data, "--period", "2025-10", "--fail-on", "low", "--allow-empty", "--out", out)
    assert result.exit_code == 0, result.output
    note = ("empty period: no event of the roster's accounts in October 2025 (0 events read for it and around it, 0 lines skipped); "
            "accepted with --allow-empty")
    assert f"note: {note}" in result.stderr
    report = orjson.loads(out.read_bytes())
    assert note in report["notes"] and report["data"]["period_events"] == 0


def test_a_period_with_data_counts_the_events_of_the_roster_in_it(files, tmp_path):
    policy_path, data = files
    out = tmp_path / "r.json"
    result = audit(policy_path, data, "--period", "2026-10", "--as-of", "2026-10-31T12:00:00Z", "--out", out)
    assert result.exit_code == 0, result.output
    assert orjson.loads(out.read_bytes())["data"]["period_events"] == 6


@pytest.mark.parametrize("period", ["", "   "])
def test_an_empty_period_option_is_bad_usage_not_last_month(files, tmp_path, period):
    policy_path, data = files
    result = audit(policy_path, data, "--period", period, "--out", tmp_path / "r.json")
    assert result.exit_code == 2
    assert only_line(result).startswith("error: --period is empty; give a month (2026-10)")


def test_octobers_demo_report_as_baseline_for_september_counts_only_new_findings(tmp_path):
    demo = runner.invoke(app, ["demo", "--out", str(tmp_path / "demo")])
    assert demo.exit_code == 0, demo.output
    example = policies_folder() / "example.yaml"
    result = audit(example, sample_data(), "--period", "2026-09", "--baseline", tmp_path / "demo" / "report.json",
                   "--fail-on", "low", "--out", tmp_path / "september.json")
    assert result.exit_code == 1, result.output  # it crashed with exit 3 (TypeError sorting gone findings)
    report = orjson.loads((tmp_path / "september.json").read_bytes())
    figures = report["summary"]["baseline"]
    assert figures["gone"] > 20 and figures["new"] + figures["existing"] == report["summary"]["findings"]
    assert f"fail-on low: {figures['new']} new finding" in result.stderr
    assert report["notes"].count("baseline: and %d more gone" % (figures["gone"] - 20)) == 1


def test_nothing_to_audit_under_redact_customers_quotes_no_value_of_the_skipped_line(files, tmp_path):
    policy_path, _ = files
    named = tmp_path / "names.jsonl"
    named.write_text('{"type": "dm", "id": "1", "sender": "Kate Smith", "recipients": ["acme_support"], '
                     '"created_at": "2026-10-05T12:00:00Z", "text": "hi"}\n')
    result = audit(policy_path, named, "--period", "2026-10", "--out", tmp_path / "r.json", "--redact", "customers",
                   "--pseudonym-key", tmp_path / "key")
    assert result.exit_code == 2
    line = only_line(result)
    assert "Kate" not in line and "sender: '[value withheld]' is not an X handle" in line
