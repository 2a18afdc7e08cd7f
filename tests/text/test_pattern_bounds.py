"""User-supplied patterns (banned phrases, promise phrases, disclosure phrases) stay cheap on hostile text.

Patterns written for a backtracking engine's worst case, run through a real policy and audit on a
post of 50,000 characters; patterns RE2 cannot run, or cannot run cheaply, are refused by
`auditor validate` at their place in the file. The only time assertion is a generous guard:
before the fixes here, the audit below took 98 s.
"""

from __future__ import annotations

import re
import time

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.text.patterns import MAX_MATCHES, MAX_PROGRAM, compile_phrases
from tests.factories import policy, post, run

HOSTILE_PATTERNS = ["/(a+)+$/", "/(a|aa)+b/", "/(.*a){20}/", "/(a|a?)+b/", "/(\\w+\\s?)+$/", "/a/", "/a(?:b|.*c)?/"]
ACCOUNTS = [{"handle": "acme_support", "kind": "brand", "team": "support"},
            {"handle": "jdoe", "kind": "employee", "team": "sales"}]


def test_catastrophic_patterns_in_a_policy_audit_a_long_post_promptly(tmp_path):
    rules = [
        {"id": "tone", "type": "tone", "severity": "medium", "checks": {"banned": HOSTILE_PATTERNS}},
        {"id": "promises", "type": "follow_through", "severity": "high", "within": "24h",
         "promises": {"extend": HOSTILE_PATTERNS}},
        {"id": "disclose", "type": "disclosure", "severity": "low", "applies_to": {"kinds": ["employee"]},
         "when_mentioning": ["/(a|aa)+$/", "/(.*a){20}/"], "require_any": ["/(.*a){20}b/", "/(a+)+b/"]},
    ]
    loaded = policy(tmp_path, rules, accounts=ACCOUNTS)
    started = time.perf_counter()
    result = run(loaded,
                 post("acme_support", "2026-10-05 10:00", "a" * 50_000),
                 post("jdoe", "2026-10-05 11:00", "a" * 50_000),
                 post("jdoe", "2026-10-05 12:00", "@bob " + "a" * 49_995 + " é 😀 " + "aa" * 10))
    elapsed = time.perf_counter() - started
    assert elapsed < 20, elapsed  # generous: it takes well under a second
    by_rule = {outcome.id: outcome for outcome in result.rules}
    assert (by_rule["tone"].figures.checked, by_rule["tone"].figures.failed) == (3, 3)
    assert (by_rule["disclose"].figures.checked, by_rule["disclose"].figures.failed) == (2, 2)
    banned = [f for f in result.findings if f.rule == "tone"]
    assert len(banned) == 3 and all(f.message.startswith('banned: "') and "aaaa" in f.message for f in banned)


def test_a_pattern_matching_at_every_character_is_collected_at_most_max_matches_times():
    text = "a" * 50_000
    started = time.perf_counter()
    found = compile_phrases(["/a/", "/a(?:b|.*c)?/", "a"]).find_all(text)
    assert time.perf_counter() - started < 5
    assert len(found) == MAX_MATCHES and found[-1].end == MAX_MATCHES


@pytest.mark.parametrize("text", [
    "Ça dépend: café! 日本語 and ｃａｆé, we can\u2019t help 😀😀 CAFÉ.",
    "🇨🇦 e\u0301 \u05e9\u05dc\u05d5\u05dd café" * 30,
])
def test_offsets_are_character_offsets_in_any_script(text):
    # The search runs on UTF-8 bytes; every match must still be text[start:end] in characters.
    oracle = re.compile(r"(?i)caf[eé]|[日本語]+|\U0001F600+|can't|\u05e9\u05dc\u05d5\u05dd")
    normalized = text.replace("\u2019", "'")
    expected = [(m.start(), m.end()) for m in oracle.finditer(normalized)][:MAX_MATCHES]
    found = compile_phrases(["/caf[eé]/", "/[日本語]+/", "/\U0001F600+/", "/can't/", "/\u05e9\u05dc\u05d5\u05dd/"]).find_all(text)
    assert [(m.start, m.end) for m in found] == expected
    assert all(m.text == text[m.start:m.end] for m in found)


def test_a_single_byte_pattern_never_splits_a_character():
    found = compile_phrases([r"/\C/"]).find_all("é😀a")
    assert [m.text for m in found] == ["é", "😀", "a"]


def test_text_with_a_lone_surrogate_is_searched_not_crashed_on():
    assert [m.text for m in compile_phrases(["/b/", "bad"]).find_all("a\ud800b bad")] == ["b", "bad"]


BAD_POLICY = """\
name: P
version: "1"
timezone: UTC
accounts: [{handle: acme_support, kind: brand}]
rules:
  - id: tone
    type: tone
    severity: medium
    checks:
      banned:
        - "/(a)\\\\1/"
  - id: promises
    type: follow_through
    severity: high
    within: 24h
    promises:
      extend:
        - "/(?<=dm )me/"
  - id: disclose
    type: disclosure
    severity: low
    when_mentioning:
      - "/acme(?!corp)/"
    require_any: ["#employee"]
  - id: tone2
    type: tone
    severity: low
    checks:
      banned:
        - "/not (my )?problem|/"
      competitors:
        - "/a[ab]{1000}x|b[ab]{1000}y|a[ab]{999}z/"
"""


def test_validate_refuses_patterns_re2_cannot_run_at_their_line_and_column(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(BAD_POLICY)
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    hint = "(patterns use RE2 syntax: no back-references or look-around)"
    assert result.output.splitlines() == [
        f"{path}:11:9: rules[0].checks.banned: invalid regular expression '/(a)\\\\1/': invalid escape sequence: \\1 {hint}",
        f"{path}:18:9: rules[1].promises.extend: invalid regular expression '/(?<=dm )me/': invalid perl operator: (?<= {hint}",
        f"{path}:23:7: rules[2].when_mentioning: invalid regular expression '/acme(?!corp)/': invalid perl operator: (?! {hint}",
        f"{path}:30:9: rules[3].checks.banned: regular expression '/not (my )?problem|/' matches empty text, so it would "
        "match anywhere (use + instead of *, or drop an empty alternative)",
        f"{path}:32:9: rules[3].checks.competitors: regular expression '/a[ab]{{1000}}x|b[ab]{{1000}}y|a[ab]{{999}}z/' is "
        f"too complex: it compiles to 3009 instructions, at most {MAX_PROGRAM} are allowed (use smaller {{n,m}} counts, "
        "fewer alternatives or plain phrases)",
    ]


def test_ordinary_patterns_are_well_within_the_program_limit():
    for entry in [r"/\bwhatever\b/", r"/[\w.+-]+@[\w-]+\.[\w.]+/", r"/\pL+\s+\pL+/", r"/p[i1]ng\s+me/", "/(.*a){20}/",
                  r"/https?:\/\/\S+/", r"/call me (today|tomorrow)/"]:
        assert compile_phrases([entry])
