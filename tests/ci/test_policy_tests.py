"""`auditor test POLICY --cases DIR`: the shipped cases pass, and a wrong expectation fails by name."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import orjson
import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from auditor import rules
from auditor.cli import app
from auditor.rules.follow_through import OUTCOMES
from auditor.policy.loader import load_policy

runner = CliRunner()
POLICIES = Path(__file__).parent.parent.parent / "policies"
CASES = POLICIES / "cases"
EXAMPLE = POLICIES / "example.yaml"


def auditor_test(cases: Path, policy: Path = EXAMPLE):
    result = runner.invoke(app, ["test", str(policy), "--cases", str(cases)])
    assert "Traceback" not in result.output
    return result


def copy_case(tmp_path: Path, name: str) -> Path:
    cases = tmp_path / "cases"
    shutil.copytree(CASES / name, cases / name)
    return cases


def test_the_shipped_cases_pass():
    result = auditor_test(CASES)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in CASES.iterdir() if p.is_dir())
    assert len(names) >= 4
    assert result.output.splitlines() == [f"ok    {name}" for name in names] + [
        f"{len(names)} cases: {len(names)} passed, 0 failed"]


def test_the_shipped_cases_expect_a_finding_of_every_rule_of_the_example_policy():
    expected = set()
    for expect in CASES.glob("*/expect.yaml"):
        expected |= {entry["rule"] for entry in YAML(typ="safe").load(expect.read_text()).get("findings", [])}
    assert expected == {rule.id for rule in load_policy(EXAMPLE).policy.rules}


def test_a_wrong_expectation_fails_and_names_itself(tmp_path):
    cases = copy_case(tmp_path, "late-answer")
    expect = cases / "late-answer" / "expect.yaml"
    # Carol was answered in time: expecting a breach for her is wrong.
    expect.write_text(expect.read_text().replace("counterpart: bob", "counterpart: carol"))
    result = auditor_test(cases)
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [
        "FAIL  late-answer",
        "  case late-answer: expected rule answer-customers to find breached for acme_support/@carol, found nothing",
        "1 case: 0 passed, 1 failed",
    ]


def test_a_wrong_status_says_what_was_found_instead(tmp_path):
    cases = copy_case(tmp_path, "still-waiting")
    expect = cases / "still-waiting" / "expect.yaml"
    expect.write_text(expect.read_text().replace("counterpart: dana, status: pending", "counterpart: dana, status: breached"))
    result = auditor_test(cases)
    assert result.exit_code == 1
    assert result.output.splitlines()[1] == (
        "  case still-waiting: expected rule answer-customers to find breached for acme_support/@dana, found pending "
        "instead: @dana is still waiting for an answer (due 2026-11-02 12:30 EST)")


def test_a_finding_that_must_not_be_produced_fails_with_its_message(tmp_path):
    cases = copy_case(tmp_path, "late-answer")
    expect = cases / "late-answer" / "expect.yaml"
    expect.write_text(expect.read_text().replace("- {rule: answer-customers, counterpart: carol}",
                                                 "- {rule: answer-customers, counterpart: bob}"))
    result = auditor_test(cases)
    assert result.exit_code == 1
    assert result.output.splitlines()[1] == (
        "  case late-answer: expected rule answer-customers not to find anything for @bob, found breached: "
        "@bob waited 6h30m of open hours (6h30m calendar time) for an answer (limit 4h of open hours on support-hours)")


def test_count_must_match_exactly(tmp_path):
    cases = copy_case(tmp_path, "tone-and-disclosure")
    expect = cases / "tone-and-disclosure" / "expect.yaml"
    expect.write_text(expect.read_text().replace("status: violation, count: 1", "status: violation, count: 2"))
    result = auditor_test(cases)
    assert result.exit_code == 1
    assert result.output.splitlines()[1] == (
        "  case tone-and-disclosure: expected rule disclose-affiliation to find violation for jdoe 2 times, "
        "found it 1 times")


def test_a_case_can_be_a_pair_of_files(tmp_path):
    (tmp_path / "late.jsonl").write_bytes((CASES / "late-answer" / "events.jsonl").read_bytes())
    (tmp_path / "late.yaml").write_bytes((CASES / "late-answer" / "expect.yaml").read_bytes())
    result = auditor_test(tmp_path)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["ok    late", "1 case: 1 passed, 0 failed"]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (("status: breached}", "status: breached, colour: red}"),
         "expect.yaml:7:5: findings[0]: unknown key 'colour'; expected: rule, account, counterpart, status, count"),
        (("{rule: answer-customers, account: acme_support", "{rule: answer-customer, account: acme_support"),
         "expect.yaml:7:5: findings[0]: the policy has no rule 'answer-customer'; its rules: answer-customers, "
         "answer-sales-questions, disclose-affiliation, keep-dm-promises, listen-not-broadcast, "
         "professional-tone, take-it-private"),
        (("status: breached}", "status: exploded}"),
         "expect.yaml:7:5: findings[0]: status 'exploded' is no finding's status; expected one of: automation, "
         "breached, broken, cannot_tell, low-engagement, no-offer, pending, too-many-public-replies, violation"),
        (("period: 2026-10", "period: last-month"),
         "expect.yaml:5:9: a case needs a fixed period like 2026-10, not 'last-month' (it would change with the day)"),
        (("period: 2026-10", "periode: 2026-10"),
         "expect.yaml:5:1: periode: unknown key; expected one of: description, period, from, to, as_of, findings, "
         "no_findings"),
        (("period: 2026-10", "period: 2026-10\nas_of: 2026-10-31T10:00:00"),
         "expect.yaml:6:8: as_of has no UTC offset: '2026-10-31T10:00:00' (add Z or +00:00)"),
    ],
)
def test_a_bad_expect_file_is_bad_input_exit_2_with_its_position(tmp_path, change, error):
    cases = copy_case(tmp_path, "late-answer")
    expect = cases / "late-answer" / "expect.yaml"
    text = expect.read_text()
    assert change[0] in text
    expect.write_text(text.replace(change[0], change[1]))
    result = auditor_test(cases)
    assert result.exit_code == 2, result.output
    assert result.output.splitlines() == [
        "ERROR late-answer", f"  {cases / 'late-answer' / error}", "1 case: 0 passed, 0 failed, 1 could not run"]


def test_every_status_a_rule_gives_is_one_an_expectation_may_name():
    from auditor.result import FINDING_STATUSES
    from tests.test_demo_golden import GOLDEN

    statuses = {finding["status"] for finding in orjson.loads(GOLDEN.read_bytes())["findings"]}
    assert statuses and statuses <= set(FINDING_STATUSES)
    written = set(re.findall(r'Draft\("([a-z_-]+)"', "".join(
        p.read_text() for p in Path(rules.__file__).parent.glob("*.py")))) | set(OUTCOMES) - {"kept", "not_taken_up"}
    assert written == set(FINDING_STATUSES)


def test_a_bad_event_line_is_bad_input(tmp_path):
    cases = copy_case(tmp_path, "late-answer")
    events = cases / "late-answer" / "events.jsonl"
    events.write_text(events.read_text() + '{"type": "post", "id": "9", "author": "x", "created_at": "2026-10-05T10:00:00", "text": "hi"}\n')
    result = auditor_test(cases)
    assert result.exit_code == 2
    assert result.output.splitlines()[1] == f"  {events}:5: created_at has no UTC offset: '2026-10-05T10:00:00' (add Z or +00:00)"


def test_a_case_without_events_is_bad_input(tmp_path):
    cases = copy_case(tmp_path, "late-answer")
    (cases / "late-answer" / "events.jsonl").unlink()
    result = auditor_test(cases)
    assert result.exit_code == 2
    assert result.output.splitlines()[1] == (
        f"  {cases / 'late-answer' / 'events.jsonl'}: missing: a case needs its events next to expect.yaml")


def test_failures_and_errors_together_exit_2(tmp_path):
    cases = copy_case(tmp_path, "late-answer")
    shutil.copytree(CASES / "still-waiting", cases / "still-waiting")
    (cases / "still-waiting" / "expect.yaml").write_text("period: 2026-10\nfindings: {}\n")
    bad = cases / "late-answer" / "expect.yaml"
    bad.write_text(bad.read_text().replace("counterpart: bob", "counterpart: carol"))
    result = auditor_test(cases)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "2 cases: 0 passed, 1 failed, 1 could not run"


@pytest.mark.parametrize("make", ["missing", "empty"])
def test_no_cases_is_bad_input(tmp_path, make):
    folder = tmp_path / "cases"
    if make == "empty":
        folder.mkdir()
        (folder / "README.md").write_text("nothing here")
    result = auditor_test(folder)
    assert result.exit_code == 2
    message = "no such folder of cases" if make == "missing" else (
        "no cases (a case is a folder with events.jsonl and expect.yaml, or NAME.jsonl with NAME.yaml)")
    assert result.stderr.strip() == f"{folder}: {message}"


def test_an_invalid_policy_is_bad_input(tmp_path):
    result = auditor_test(CASES, tmp_path / "none.yaml")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{tmp_path / 'none.yaml'}:1:1: cannot read: No such file or directory"


def test_an_expectation_on_a_disabled_rule_says_the_rule_is_disabled(tmp_path):
    cases = copy_case(tmp_path, "late-answer")
    policy = tmp_path / "policy.yaml"
    text = EXAMPLE.read_text()
    policy.write_text(text.replace("  - id: answer-customers\n", "  - id: answer-customers\n    enabled: false\n", 1))
    shutil.copy(POLICIES / "roster.yaml", tmp_path / "roster.yaml")  # the policy names it beside itself
    result = auditor_test(cases, policy)
    assert result.exit_code == 1, result.output
    assert ("expected rule answer-customers to find breached for acme_support/@bob, found nothing: the rule is "
            "disabled (enabled: false)") in result.output
