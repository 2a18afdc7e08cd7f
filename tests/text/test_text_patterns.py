import time

import pytest

from auditor.text.patterns import compile_phrases
from auditor.text.spans import Match


def test_phrases_are_whole_words_any_case():
    matcher = compile_phrases(["not my problem"])
    assert matcher.find_all("Honestly, NOT MY PROBLEM.") == [Match(10, 24, "NOT MY PROBLEM")]
    assert matcher.search("not my problems") is None


def test_phrase_whitespace_is_flexible():
    assert compile_phrases(["not my problem"]).search("not  my\nproblem") == Match(0, 15, "not  my\nproblem")


def test_regex_is_case_insensitive():
    assert compile_phrases([r"/\bwhatever\b/"]).find_all("WhatEver, whatever") == [
        Match(0, 8, "WhatEver"),
        Match(10, 18, "whatever"),
    ]


def test_adjacent_phrases_are_all_found():
    assert compile_phrases(["foo"]).find_all("foo foo") == [Match(0, 3, "foo"), Match(4, 7, "foo")]


def test_non_ascii_boundaries():
    matcher = compile_phrases(["café"])
    assert matcher.find_all("Un café!") == [Match(3, 7, "café")]
    assert matcher.search("cafés") is None


def test_curly_apostrophe_matches_straight():
    assert compile_phrases(["can't help"]).search("We can\u2019t help") == Match(3, 13, "can\u2019t help")


def test_overlaps_prefer_earlier_then_longer():
    matcher = compile_phrases(["not my", "not my problem", "/problem/"])
    assert matcher.find_all("not my problem") == [Match(0, 14, "not my problem")]


def test_handles_and_hashtags_as_phrases():
    matcher = compile_phrases(["@widgetco", "#employee"])
    assert [m.text for m in matcher.find_all("@WidgetCo is great #Employee")] == ["@WidgetCo", "#Employee"]
    assert matcher.search("@widgetcoin") is None


def test_empty_list_matches_nothing():
    matcher = compile_phrases([])
    assert not matcher
    assert matcher.find_all("anything") == []


@pytest.mark.parametrize("entry", ["/(?<=a)b/", r"/(a)\1/", "/(unclosed/", "//", "   "])
def test_invalid_entries_raise_value_error(entry):
    with pytest.raises(ValueError):
        compile_phrases([entry])


def test_catastrophic_regex_returns_quickly():
    matcher = compile_phrases(["/(a+)+$/"])
    text = "a" * 50_000 + "!"
    started = time.perf_counter()
    assert matcher.find_all(text) == []
    assert time.perf_counter() - started < 1.0
