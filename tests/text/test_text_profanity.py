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
        # single letters split by spaces, dots, dashes or underscores: the whole run spells one word
        ("f u c k this", ["f u c k"]),
        ("f.u.c.k this", ["f.u.c.k"]),
        ("what a S.H.I.T. day", ["S.H.I.T"]),
        ("s-h-1-t happens", ["s-h-1-t"]),
        ("shove it up your A-S-S", ["A-S-S"]),
        # Unicode look-alikes: full width, diacritics (precomposed and combining), Cyrillic, invisible characters
        ("ｆｕｃｋ ｔｈｉｓ", ["ｆｕｃｋ"]),
        ("fůck it", ["fůck"]),
        ("fu\u030ack it", ["fu\u030ack"]),
        ("what the fu\u0441k", ["fu\u0441k"]),
        ("\u0430\u0455\u0455hole", ["\u0430\u0455\u0455hole"]),
        ("f\u200bu\u200bck", ["f\u200bu\u200bck"]),
        ("𝐬𝐡𝐢𝐭", ["𝐬𝐡𝐢𝐭"]),
        # respellings on the list
        ("fcuk off", ["fcuk"]),
        ("get the phuck out", ["phuck"]),
        ("This biatch", ["biatch"]),
        ("He is such an A-Hole. Sad.", ["A-Hole"]),
        ("opportunistic a-holes", ["a-holes"]),
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
        "Congrats to Dr. Emily Dyke; Dick Van Dyke", "¡Felicidades Kike por tu ascenso!",
        "a chink in the armour",
        "Samsung Galaxy A55",
        "code 7175 and 455",
        "@asshole_fan thanks",
        "see https://example.com/shit/page",
        "shiitake mushrooms",
        "Penistone and Middlesex",
        "Ｓｃｕｎｔｈｏｒｐｅ, ａｓｓｅｓｓ",
        "Scúnthorpe, cöcktail, Díckens",
        "a hole in the roof",
        "U.S.A. and a.s.a.p. and e.g. I.T.",
        "A B C D E F",
        "a." * 40 + "ss",
        "Dupliqué sin darme cuenta una tabla",
        "thanks for the follow",
        "",
    ],
)
def test_clean(text):
    assert find_profanity(text) == []


def test_spans_are_exact():
    assert find_profanity("Oh, for f*ck's sake") == [Match(8, 12, "f*ck")]


def test_spans_are_exact_around_folded_and_invisible_characters():
    # Offsets are the original text's, even when an invisible character was taken out before matching.
    assert find_profanity("é f\u200bu\u200bck ｓｈｉｔ") == [Match(2, 8, "f\u200bu\u200bck"), Match(9, 13, "ｓｈｉｔ")]
    assert find_profanity("oh f u c k.") == [Match(3, 10, "f u c k")]


def test_real_brand_replies_are_clean():
    import csv

    from tests.shared_data import shared

    with shared("twcs", "twcs-rows-0-2499.csv").open(encoding="utf-8", newline="") as handle:
        replies = [row["text"] for row in csv.DictReader(handle) if row["inbound"] == "False"]
    assert len(replies) == 1127
    assert [text for text in replies if find_profanity(text)] == []


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


# shared/data/twcs: a long post shortened by X's old API (its first 121 characters, "...", the link to the whole
# post). "ass" was "assist": the word the ellipsis cuts cannot be told, so it is no finding.
SHORTENED = ("@105854 I am sorry for the poor experience. Can you please DM the full service address and name on "
             "the account, as we ass... https://t.co/JEZhqGdBMd")


def test_the_word_a_shortened_post_is_cut_at_is_not_read():
    assert find_profanity(SHORTENED) == []
    assert find_profanity("x" * 110 + " what the hell\u2026 https://t.co/abc") == []


@pytest.mark.parametrize("text", [
    "what the hell\u2026",                                   # an ellipsis of style, no link
    "you ass...",
    "kiss my ass... https://t.co/x",                           # short: written so, with a picture
    "x" * 110 + " what the hell... and more https://t.co/x",  # the ellipsis is not the post's end
])
def test_an_ellipsis_of_style_does_not_hide_a_word(text):
    assert [m.text.lower() for m in find_profanity(text)] in (["hell"], ["ass"])
