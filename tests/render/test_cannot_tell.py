"""What the data cannot show is listed in every format, with its reason, and never counted as a failure."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import orjson
import pytest

from auditor.review.baseline import apply_baseline, failing, load_baseline
from auditor.render import render
from tests.factories import dm, policy, post, run
from tests.render.test_sarif import validate

RULE = {"id": "promises", "type": "follow_through", "severity": "critical", "within": "24h"}


@pytest.fixture
def result(tmp_path):
    """acme_support's DMs are not in the data; jdoe's are. One of each outcome but pending."""
    events = [
        post("acme_support", "2026-10-06 10:00", "@bob DM us your order number", mentions=("bob",)),  # cannot tell
        post("jdoe", "2026-10-06 10:00", "@carol DM me", mentions=("carol",)),  # not taken up
        post("jdoe", "2026-10-07 10:00", "@dan I'll DM you the quote", mentions=("dan",)),  # broken
        post("jdoe", "2026-10-08 10:00", "@erin I'll DM you the quote", mentions=("erin",)),  # kept
        dm("jdoe", "erin", "2026-10-08 11:00", "quote attached"),
    ]
    return run(policy(tmp_path, [RULE]), *events, as_of="2026-10-30 00:00", dms_of=("jdoe",))


def test_the_result_counts_only_kept_and_broken(result):
    [rule] = result.rules
    figures = rule.figures
    assert (figures.checked, figures.passed, figures.failed, figures.pending, figures.compliance) == (2, 1, 1, 0, 0.5)
    assert {k: figures.metrics[k] for k in ("promises", "kept", "broken", "not_taken_up", "cannot_tell")} == {
        "promises": 4, "kept": 1, "broken": 1, "not_taken_up": 1, "cannot_tell": 1}
    assert [(f.counterpart, f.status, f.is_failure) for f in result.findings] == [
        ("bob", "cannot_tell", False), ("dan", "broken", True)]
    assert (result.summary["findings"], result.summary["pending"], result.summary["cannot_tell"]) == (1, 0, 1)
    assert result.summary["score"] == 50.0
    assert {a.handle: a.findings for a in result.accounts} == {"acme_support": 0, "jdoe": 1, "lchen": 0}


def test_fail_on_and_baselines_ignore_what_cannot_be_told(result, tmp_path):
    assert [f.counterpart for f in failing(result, "info")] == ["dan"]
    old = tmp_path / "old.json"
    old.write_bytes(render(result, "json"))
    compared = apply_baseline(result, load_baseline(old))
    assert compared.summary["baseline"]["existing"] == 1 and compared.summary["baseline"]["new"] == 0


def test_json_and_csv_name_the_status_and_the_reason(result):
    report = orjson.loads(render(result, "json"))
    [cannot] = [f for f in report["findings"] if f["status"] == "cannot_tell"]
    assert cannot["measure"]["reason"] == "no source holds the DMs of @acme_support"
    assert report["summary"]["cannot_tell"] == 1
    assert report["rules"][0]["metrics"]["not_taken_up"] == 1
    rows = list(csv.DictReader(io.StringIO(render(result, "csv").decode("utf-8-sig"))))
    assert [(row["counterpart"], row["status"]) for row in rows] == [("bob", "cannot_tell"), ("dan", "broken")]
    assert rows[0]["message"] == ('cannot tell whether @bob took up the invitation "DM us": '
                                  "no source holds the DMs of @acme_support")


def test_sarif_leaves_it_open_and_carries_the_metrics(result):
    document = orjson.loads(render(result, "sarif"))
    validate(document)
    [run_] = document["runs"]
    kinds = {r["properties"]["counterpart"]: (r["kind"], r["level"]) for r in run_["results"]}
    assert kinds == {"bob": ("open", "none"), "dan": ("fail", "error")}
    metrics = run_["tool"]["driver"]["rules"][0]["properties"]["metrics"]
    assert (metrics["not_taken_up"], metrics["cannot_tell"]) == (1, 1)


def test_junit_lists_it_beside_the_failures(result):
    root = ET.fromstring(render(result, "junit"))
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert cases["acme_support"].find("failure") is None
    assert "[cannot tell]" in cases["acme_support"].find("system-out").text
    assert cases["jdoe"].find("failure").get("message") == "1 critical finding"
    properties = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert (properties["metric.not_taken_up"], properties["metric.cannot_tell"]) == ("1", "1")


def test_html_says_it_in_the_summary_and_on_the_finding(result):
    html = render(result, "html").decode("utf-8")
    assert "1 the data cannot tell" in html
    assert "CANNOT TELL" in html
    assert "no source holds the DMs of @acme_support" in html
    assert '<th scope="row">not taken up</th><td>1</td>' in html and '<th scope="row">cannot tell</th><td>1</td>' in html


def test_redacting_customers_reaches_the_words_of_a_measure(result):
    from dataclasses import replace

    from auditor.render.redact import pseudonym, redact

    [cannot, _] = result.findings
    named = replace(result, findings=(replace(cannot, measure={**cannot.measure, "reason": "@bob never wrote"}),))
    key = b"k" * 32
    [hidden] = redact(named, "customers", key).findings
    assert hidden.measure["reason"] == f"@{pseudonym('bob', key)} never wrote"
    assert hidden.measure["promise"] == "DM us"
