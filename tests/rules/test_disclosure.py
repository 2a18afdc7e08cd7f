"""disclosure on small hand-made timelines."""

from __future__ import annotations

import pytest

from tests.factories import policy, post, run


def rule(**options):
    base = {"id": "disclose", "type": "disclosure", "severity": "medium", "applies_to": {"kinds": ["employee"]},
            "when_mentioning": ["Acme", "@acme", "WidgetCo"], "require_any": ["#employee", "I work at Acme"]}
    base.update(options)
    return base


def outcome(result):
    return next(r for r in result.rules if r.id == "disclose")


def judged(tmp_path, text, author="jdoe", **options):
    result = run(policy(tmp_path, [rule(**options)]), post(author, "2026-10-27 09:00", text))
    figures = outcome(result).figures
    return {(0, 0): "not checked", (1, 0): "disclosed", (0, 1): "undisclosed"}[(figures.passed, figures.failed)]


def test_a_mention_without_disclosure_is_a_finding(tmp_path):
    undisclosed = post("jdoe", "2026-10-27 09:00", "Acme Cloud just passed its SOC 2 audit. Big deal!")
    result = run(policy(tmp_path, [rule()]), undisclosed)
    [finding] = result.findings
    assert (finding.account, finding.status, finding.counterpart) == ("jdoe", "violation", None)
    assert finding.message == 'mentions "Acme" without saying they work there (none of "#employee", "I work at Acme")'
    assert [(e.id, e.role) for e in finding.evidence] == [(undisclosed.id, "undisclosed")]
    assert finding.measure == {"mentioned": "Acme", "require_any": ["#employee", "I work at Acme"]}
    assert outcome(result).figures.metrics == {"posts_mentioning": 1, "disclosed": 0, "undisclosed": 1}


@pytest.mark.parametrize(("text", "expected"), [
    ("#employee Acme Cloud now has a Canadian region!", "disclosed"),
    ("Acme Cloud now has a Canadian region! #Employee", "disclosed"),
    ("i work at ACME, and the offline folders are my favourite", "disclosed"),
    ("Acme's new release is out", "undisclosed"),
    ("Honest comparison: WidgetCo vs the rest", "undisclosed"),
    ("congrats to @acme on the launch", "undisclosed"),
    ("#employees Acme rocks", "undisclosed"),  # another hashtag
    ("I work at Acmeville and love it", "not checked"),
    ("thanks @acme_support for the quick fix", "not checked"),  # a handle is not the name inside it
    ("mail me at jane@acme.com or see https://acme.com/jobs", "not checked"),  # addresses are not talk
    ("a lovely day in Toronto", "not checked"),
])
def test_what_mentions_and_what_discloses(tmp_path, text, expected):
    assert judged(tmp_path, text) == expected


def test_applies_to_decides_who_is_audited(tmp_path):
    assert judged(tmp_path, "Acme Cloud is great", author="acme_support") == "not checked"  # a brand account
    assert judged(tmp_path, "Acme Cloud is great", author="acme_support", applies_to=None) == "undisclosed"


def test_reposts_are_not_checked(tmp_path):
    original = post("bob", "2026-10-27 08:00", "Acme Cloud is great")
    repost = post("jdoe", "2026-10-27 09:00", "RT @bob: Acme Cloud is great", repost_of=original.id, mentions=("bob",))
    assert outcome(run(policy(tmp_path, [rule()]), original, repost)).figures.checked == 0


def test_regex_entries(tmp_path):
    assert judged(tmp_path, "Acme Sync 3 is out", when_mentioning=["/acme\\s+sync/"]) == "undisclosed"
    assert judged(tmp_path, "Acme Cloud is out", when_mentioning=["/acme\\s+sync/"]) == "not checked"
