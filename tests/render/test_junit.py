"""JUnit XML: a testsuite per rule, a testcase per rule and audited account, a failure for its findings."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from auditor.render import render
from auditor.render.junit import clean
from auditor.review.waivers import apply_waivers, load_waivers
from tests.ci.scenario import RULES, events
from tests.factories import ROSTER, policy, run


def parse(result) -> ET.Element:
    data = render(result, "junit")
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    return ET.fromstring(data)


@pytest.fixture
def result(tmp_path):
    # Two audited accounts for `answer`, so one testcase passes and one fails.
    rules = [dict(RULES[0], applies_to={"accounts": ["acme_support", "lchen"]}), RULES[1]]
    loaded = policy(tmp_path, rules)
    base = run(loaded, *events(), as_of="2026-10-31 12:00")
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("- {rule: answer, account: acme_support, counterpart: carol, approved_by: Dana, "
                       "expires: 2026-12-31, reason: \"spam <b>&amp;\\0\\x1b\\x7f\\uFFFE end\"}\n")
    return apply_waivers(base, load_waivers(waivers))


def test_a_testsuite_per_rule_and_a_testcase_per_audited_account(result):
    root = parse(result)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "2", "0")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["answer", "answer-sales"]
    answer = suites["answer"]
    assert [(c.get("classname"), c.get("name")) for c in answer.findall("testcase")] == [
        ("answer", "acme_support"), ("answer", "lchen")]
    assert (answer.get("tests"), answer.get("failures")) == ("2", "1")
    properties = {p.get("name"): p.get("value") for p in answer.find("properties")}
    assert properties["severity"] == "high" and properties["status"] == "fail"
    assert properties["description"] == 'Customers get an answer <within> 4 hours & no "excuses".'


def test_counted_findings_fail_the_testcase_and_the_rest_are_listed(result):
    root = parse(result)
    support, lchen = root.find("testsuite[@name='answer']").findall("testcase")
    assert lchen.find("failure") is None
    failure = support.find("failure")
    assert (failure.get("type"), failure.get("message")) == ("high", "1 high finding")
    bob = next(f for f in result.findings if f.counterpart == "bob")
    assert failure.text == (f"2026-10-05T14:00:00Z @bob waited 9h for an answer (limit 4h on wall clock) "
                            f"fingerprint {bob.fingerprint} https://x.com/bob/status/100")
    others = support.find("system-out").text.splitlines()
    assert others[0].startswith("2026-10-06T10:00:00Z @carol got no answer")
    assert "[waived until 2026-12-31 by Dana: spam <b>&amp; end]" in others[0]  # control characters dropped
    assert "[pending]" in others[1]
    dave = root.find("testsuite[@name='answer-sales']/testcase[@name='jdoe']/failure")
    assert dave.get("message") == "1 low finding"


def test_hostile_text_is_escaped_and_illegal_characters_are_stripped(tmp_path):
    hostile = {"handle": "acme_support", "name": "A <&> \x00\x08 \ud800 \U0001F600", "kind": "brand", "team": "support"}
    rules = [dict(RULES[0], description="</failure><injected/> ]]> \x0c\x1f ok")]
    loaded = policy(tmp_path, rules, accounts=[hostile, *ROSTER[1:]])
    root = parse(run(loaded, *events(), as_of="2026-10-31 12:00"))
    assert root.find(".//injected") is None
    description = {p.get("name"): p.get("value") for p in root.iter("property")}["description"]
    assert description == "</failure><injected/> ]]>  ok"


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [("a\x00b\x01c\x1fd\x7fe\x85f\x9fg", "abcdefg"), ("caf\xe9 \xa0", "caf\xe9 \xa0"),
     ("tab\tnl\ncr\r", "tab\tnl\ncr\r"), ("\ud800x\udfff", "x"), ("\ufffe\uffff", ""),
     ("emoji \U0001F600 中文 שלום", "emoji \U0001F600 中文 שלום")],
)
def test_clean_keeps_exactly_what_xml_1_0_allows(text, cleaned):
    assert clean(text) == cleaned


def test_same_input_same_bytes(result):
    assert render(result, "junit") == render(result, "junit")
