import time

import pytest

from auditor.text.profanity import find_profanity, words
from auditor.text.spans import Match


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("what the fuck", ["fuck"]),
        ("Holy SHIT", ["SHIT"]),
        ("this is sh1t", ["sh1t"]),
        ("f*** this", ["f***"]),
        ("f*ck this", ["f*ck"]),
        ("f**k this", ["f**k"]),
        ("kiss my a$$", ["a$$"]),
        ("what a**", ["a**"]),
        ("sh!t happens", ["sh!t"]),
        ("fuuuck", ["fuuuck"]),
        ("shiiiiit", ["shiiiiit"]),
        ("fvck", ["fvck"]),
        ("fckng moron", ["fckng"]),
        ("mother-fucker", ["fucker"]),
        ("#fuck mondays", ["fuck"]),
        ("damn, hell!", ["damn", "hell"]),
        ("fuck fuck", ["fuck", "fuck"]),
        ("Bullshit.", ["Bullshit"]),
    ],
)
def test_profanity_found(text, quoted):
    assert [m.text for m in find_profanity(text)] == quoted


@pytest.mark.parametrize(
    "text",
    [
        "Scunthorpe",
        "assess",
        "class",
        "passage",
        "cocktail",
        "Dickens",
        "therapist",
        "assassin",
        "Hello shell, hellish",
        "Philip K. Dick wrote it; Dick's Sporting Goods",
        "a chink in the armour",
        "Samsung Galaxy A55",
        "code 7175 and 455",
        "@asshole_fan thanks",
        "see https://example.com/shit/page",
        "shiitake mushrooms",
        "thanks for the follow",
        "",
    ],
)
def test_clean(text):
    assert find_profanity(text) == []


def test_spans_are_exact():
    assert find_profanity("Oh, for f*ck's sake") == [Match(8, 12, "f*ck")]


def test_allow_list():
    assert find_profanity("damn, hell, shit", allow=["damn", "HELL"]) == [Match(12, 16, "shit")]


def test_word_list_has_no_duplicates_and_is_lower_case():
    assert len(words()) == len(set(words()))
    assert all(w == w.lower() and w.strip() == w for w in words())


def test_fast_on_ordinary_posts():
    posts = ["Thanks for reaching out, we are looking into this for you right now."] * 5000
    started = time.perf_counter()
    for text in posts:
        find_profanity(text)
    assert time.perf_counter() - started < 1.0
