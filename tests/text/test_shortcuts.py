"""Detector shortcuts (auditor/speedups.py) must give the answers the full detectors give.

`sentiment_below` skips texts VADER cannot score below zero; `shouting` skips
texts with too few capitals. Both are held against every human-rated tweet in shared/data (VADER's 4,200 and Davidson's
25,000 crowd-labelled ones, rich in negation, slang and emoji), the demo month,
and sentences built from the words that steer VADER.
"""

from __future__ import annotations

import csv
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.bundled import sample_data
from auditor.text import sentiment as sentiment_module
from auditor.text.sentiment import lowest_sum, sentiment, sentiment_below
from auditor.text.shouting import _too_few_capitals, shouting
from tests.shared_data import shared


def _vader_tweets() -> list[str]:
    lines = shared("tone", "vader", "tweets_GroundTruth.txt").read_text(encoding="utf-8", errors="replace").splitlines()
    return [line.split("\t", 2)[2] for line in lines if line.count("\t") >= 2]


def _davidson_tweets() -> list[str]:
    with shared("tone", "davidson", "labeled_data.csv").open(encoding="utf-8", errors="replace", newline="") as handle:
        return [row["tweet"] for row in csv.DictReader(handle)]


def _demo_texts() -> list[str]:
    import orjson

    return [orjson.loads(line)["text"] for line in sample_data().read_bytes().splitlines() if line.strip()]


def may_be_negative(text: str) -> bool:
    """False only when VADER cannot give ``text`` a score below zero (the floor is 0)."""
    return sentiment_module._vocabulary() is None or lowest_sum(text) != 0


@pytest.mark.parametrize("texts", [_vader_tweets, _davidson_tweets, _demo_texts], ids=["vader", "davidson", "demo"])
def test_texts_said_to_be_safe_never_score_below_zero(texts):
    corpus = texts()
    assert len(corpus) > 1000
    skipped = [text for text in corpus if not may_be_negative(text)]
    wrong = [(text, sentiment(text)) for text in skipped if sentiment(text) < 0]
    assert wrong == []
    assert skipped, "the shortcut never applies: it would be no shortcut"


THRESHOLDS = [0.0, -0.05, -0.3, -0.6, -0.8, -0.95]


@pytest.mark.parametrize("texts", [_vader_tweets, _davidson_tweets, _demo_texts], ids=["vader", "davidson", "demo"])
def test_every_rated_tweet_gets_the_scored_answer_at_every_threshold(texts):
    corpus = texts()
    scores = [sentiment(text) for text in corpus]
    for below in THRESHOLDS:
        wrong = [(text, score) for text, score in zip(corpus, scores) if sentiment_below(text, below) != (score < below)]
        assert wrong == [], below


def test_a_text_that_cannot_reach_the_threshold_is_not_scored(monkeypatch):
    # One negative word VADER knows, nothing that turns or doubles it: above -0.6 whatever its context.
    scored = []
    monkeypatch.setattr(sentiment_module, "sentiment", lambda text: scored.append(text) or sentiment(text))
    assert sentiment_below("@acme_support my parcel arrived broken, can you help?", -0.6) is False
    assert sentiment_below("Sorry for the delay with your order!", -0.8) is False
    assert scored == []
    # The same word may reach a milder threshold, and two of them (or "!!!" after one) may reach -0.6: scored.
    for text, below in (("@acme_support my parcel arrived broken, can you help?", -0.3),
                        ("my parcel arrived broken and the box is ruined!!", -0.6),
                        ("worst. service. ever!!!", -0.6)):
        assert sentiment_below(text, below) == (sentiment(text) < below)
    assert len(scored) == 3


STEERING = ["not", "never", "no", "isn't", "barely", "kind", "of", "sort", "just", "enough", "least", "at",
            "very", "yeah", "right", "kiss", "death", "but", "so", "this", "without", "doubt", "good", "great",
            "love", "happy", "ok", "fine", "helpful", "thanks", "bad", "hate", "GOOD", "NOT", "!!!", "??", ":)",
            ":(", "refund", "order", "the", "bomb", "shit", "kinda", "sorta", "hardly", "nor", "or", "WORKS",
            # what makes a negative word count for more: capitals, boosters (also in capitals), "so" and "this"
            # before it, "but" before it, "!" and "?"
            "worst", "WORST", "broken", "BROKEN", "terrible", "awful", "delay", "sorry", "ruined", "extremely",
            "EXTREMELY", "really", "totally", "so", "THIS", "but", "!", "!!!!", "???", "????", "?", "fix",
            "badass", "the shit", "bus", "stop", "heart", "beating",
            # emoji, read as their descriptions ("angry face", "broken heart", "thumbs up")
            "\U0001F620", "\U0001F494", "\U0001F44D", "\U0001F602", "x\U0001F620", "\U0001F620\U0001F620"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(STEERING), min_size=1, max_size=12).map(" ".join),
       st.sampled_from(THRESHOLDS) | st.floats(-1, 0))
def test_built_sentences_get_the_scored_answer(text, below):
    assert sentiment_below(text, below) == (sentiment(text) < below)


TURNED_AROUND = [
    "it was the least helpful",  # "least" before a positive word
    "the reply was yeah right great",  # the idiom "yeah right" before a positive word
    "the reply was yeah right ok",  # ... worth -2, more than "ok" is worth
    "it is the kiss of death",  # "kiss" (positive) in "kiss of death"
    "barely slightly somewhat ayc",  # dampeners before a barely positive word
    "it is kind of ayc",  # two-word dampeners
    "it is sort of ayc",
    "it is just enough ayc",
    "no good",  # "no" before a positive word
    "not great",
    "that wasn't great",
    "not \U0001F60E",  # an emoji's description ("smiling face with sunglasses") turned around
]


@pytest.mark.parametrize("text", TURNED_AROUND)
def test_a_positive_word_turned_around_gets_the_scored_answer(text):
    assert sentiment(text) < 0
    for below in THRESHOLDS:
        assert sentiment_below(text, below) == (sentiment(text) < below)


def test_under_another_vader_every_text_is_scored(monkeypatch):
    # The floor follows VADER 3.3.2's code: under any other version, texts are scored.
    monkeypatch.setattr(sentiment_module, "VADER_FOLLOWED", "0.0")
    sentiment_module._vocabulary.cache_clear()
    try:
        scored = []
        monkeypatch.setattr(sentiment_module, "sentiment", lambda text: scored.append(text) or sentiment(text))
        assert sentiment_below("thanks, that worked", -0.3) is False
        assert may_be_negative("thanks, that worked")
        assert scored == ["thanks, that worked"]
    finally:
        monkeypatch.undo()
        sentiment_module._vocabulary.cache_clear()


def test_a_threshold_between_two_rounded_scores_gets_the_rounded_answer():
    # VADER rounds its score to four places: this text's sum gives -0.53987, reported as -0.5399, which
    # is below a threshold of -0.53988 although the unrounded score is not.
    text, below = "that was abandon!!", -0.53988
    assert sentiment(text) == -0.5399
    assert sentiment_below(text, below) is True


def test_the_floor_is_near_what_the_words_that_steer_vader_most_reach():
    # Capitals, three boosters before it (in capitals), "this" before it, "but" before it and every "!" and "?"
    # that counts: VADER's own sum reaches the floor, so the floor is not loose where it matters.
    text = "fine but EXTREMELY REALLY TOTALLY this WORST !!!! ????"
    floor = lowest_sum(text)
    assert floor is not None and floor < 0
    from vaderSentiment.vaderSentiment import normalize

    assert sentiment(text) >= round(normalize(floor), 4)
    # Where nothing is scaled by distance the floor is VADER's own sum: capitals, "!", "?", "so", "never so".
    for exact in ("worst. service. ever!!!", "it never so BAD!!!!", "it is so WRONG ??", "but it is so terrible"):
        assert sentiment(exact) == round(normalize(lowest_sum(exact)), 4), exact


def test_the_switch_turns_the_shortcut_off(monkeypatch):
    monkeypatch.setenv("AUDITOR_SPEEDUPS", "off")
    assert sentiment_below("thanks, that worked", -0.3) is False
    assert sentiment_below("this is awful", -0.3) is True
    assert sentiment_below("thanks, that worked", 0.5) is True  # a positive threshold always scores


@pytest.mark.parametrize("texts", [_vader_tweets, _davidson_tweets, _demo_texts], ids=["vader", "davidson", "demo"])
def test_texts_with_too_few_capitals_are_never_shouting(texts, monkeypatch):
    monkeypatch.setenv("AUDITOR_SPEEDUPS", "off")
    corpus = texts()
    for caps_ratio, min_letters in ((0.7, 12), (0.5, 4)):
        skipped = [text for text in corpus if _too_few_capitals(text, caps_ratio, min_letters)]
        assert skipped
        # Every third text keeps the run short; the skipped ones are most of each corpus.
        assert [text for text in skipped[::3] if shouting(text, caps_ratio, min_letters) is not None] == []


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60) | st.text(alphabet=st.characters(max_codepoint=127), max_size=60),
       st.floats(0, 1), st.integers(0, 20))
def test_too_few_capitals_counts_every_capital(text, caps_ratio, min_letters):
    # ASCII texts count A-Z in their bytes, others ask each character: the same count.
    needed = max(2.0, caps_ratio * min_letters)
    assert _too_few_capitals(text, caps_ratio, min_letters) == (not text or text.islower()
                                                               or sum(map(str.isupper, text)) < needed)


@pytest.mark.parametrize("capital", list("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + ["\u00c9"])
def test_each_capital_counts(capital):
    # Ten of one capital are exactly enough for a ratio of 1.0 over ten letters: one not counted, and too few.
    assert not _too_few_capitals(capital * 10 + " ok", 1.0, 10)
    assert _too_few_capitals(capital * 9 + " ok", 1.0, 10)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("AbCdEÉß ẞǅ@#.:/"), max_size=40), st.floats(0, 1), st.integers(0, 20))
def test_shouting_shortcut_agrees_on_built_text(text, caps_ratio, min_letters):
    fast = shouting(text, caps_ratio, min_letters)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AUDITOR_SPEEDUPS", "off")
        assert fast == shouting(text, caps_ratio, min_letters)


# -- promises: the RE2 screen in front of the built-in patterns ------------------------------------

from auditor.text import promises  # noqa: E402
from auditor.text.promise_patterns import PATTERNS  # noqa: E402
from auditor.text.promise_screen import FOLD, loosened, may_match  # noqa: E402

_EVERY = tuple(range(len(PATTERNS)))
_COMPILED = [re.compile(pattern.regex, re.IGNORECASE) for pattern in PATTERNS]


def _matching(norm: str) -> set[int]:
    return {number for number, compiled in enumerate(_COMPILED) if compiled.search(norm)}


@pytest.mark.parametrize("number", _EVERY)
def test_the_screen_keeps_a_pattern_on_every_text_it_matches(number):
    @settings(max_examples=40, deadline=None)
    @given(st.from_regex(_COMPILED[number]), st.sampled_from(["", "ı", "İ", "ſ", "K"]))
    def check(text, letter):
        assert may_match(promises.normalize_apostrophes(text), (number,)) == (number,), text
        # Also with the ASCII letter Python's case folding matches to `letter` written as `letter`,
        # wherever `re` still finds the pattern.
        if letter:
            text = text.replace(letter.translate(FOLD), letter).replace(letter.translate(FOLD).upper(), letter)
            norm = promises.normalize_apostrophes(text)
            assert _COMPILED[number].search(norm) is None or may_match(norm, (number,)) == (number,), text

    check()


@pytest.mark.parametrize("texts", [_vader_tweets, _davidson_tweets, _demo_texts], ids=["vader", "davidson", "demo"])
def test_the_screen_keeps_every_pattern_re_finds_in_real_tweets(texts):
    kept = 0
    for text in texts():
        norm = promises.normalize_apostrophes(text)
        screened = may_match(norm, _EVERY)
        assert _matching(norm) <= set(screened), text
        kept += bool(screened)
    assert kept, "the screen kept nothing: the test proves nothing"


@pytest.mark.parametrize("texts", [_vader_tweets, _davidson_tweets, _demo_texts], ids=["vader", "davidson", "demo"])
def test_screened_alternation_finds_the_spans_of_the_whole_one(texts):
    def whole(indexes):
        return re.compile("|".join(f"(?:{PATTERNS[i].regex})" for i in indexes), re.IGNORECASE)

    subsets = [_EVERY, promises._DM_FORMS, promises._allowed(("invitation",)), promises._allowed(("commitment",))]
    wholes = [whole(subset) for subset in subsets]
    for text in texts()[::2]:  # every other text: the whole alternation is the slow part
        norm = promises.normalize_apostrophes(text)
        for subset, unscreened in zip(subsets, wholes):
            chosen = may_match(norm, subset)
            screened = [m.span() for m in promises._alternation(chosen).finditer(norm)] if chosen else []
            assert screened == [m.span() for m in unscreened.finditer(norm)], text


# What the loosening bets on, and the texts that would lose the bet: white space other than ASCII's,
# the letters Python's case folding turns into ASCII ones, letters and digits of other scripts right
# next to a pattern's words (where `\b` and Unicode `\w` differ from RE2's ASCII ones).
_AWKWARD = st.sampled_from(["\u00a0", "\u2009", "\u3000", "\x85", "\x1c", "\v", "\t\n", "ſ", "K", "ı", "İ", "é",
                            "ß", "٣", "²", "5", "_", "'", "’", "-", ",", ":", "@", "🙂", "\u0301"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_EVERY).flatmap(lambda n: st.from_regex(_COMPILED[n])), _AWKWARD,
                          st.text(max_size=4)), max_size=8).map("".join))
def test_the_screen_keeps_every_pattern_re_finds_in_any_text(text):
    # No lone surrogates: no reader lets one in.
    norm = promises.normalize_apostrophes(text)
    assert _matching(norm) <= set(may_match(norm, _EVERY))


def _every_character() -> str:
    return "".join(chr(point) for point in range(0x110000) if not 0xD800 <= point <= 0xDFFF)


def test_what_the_loosened_escapes_match_holds_what_re_matches():
    import re2

    characters = _every_character()
    for escape in ("s", "w", "d"):
        python = re.findall(rf"\{escape}", characters)
        assert python, escape
        loose = re2.compile(loosened(rf"\{escape}"))
        assert all(loose.fullmatch(char) for char in python), escape
        in_class = re2.compile(loosened(rf"[\{escape}]"))
        assert all(in_class.fullmatch(char) for char in python), escape


def test_fold_holds_every_letter_ignorecase_matches_to_an_ascii_one():
    ascii_letters = re.compile("[a-z]", re.IGNORECASE)
    found = {char for char in _every_character() if ascii_letters.fullmatch(char) and not char.isascii()}
    assert found == set(chr(point) for point in FOLD)


@pytest.mark.parametrize("regex", [r"\bfoo\B", r"[^a]b", r"a.b", r"^dm", r"dm$", r"(dm)", r"(?P<x>dm)", r"(?i)dm",
                                   r"\1", r"\S+", r"[\b]"])
def test_loosening_refuses_what_it_cannot_widen(regex):
    with pytest.raises(ValueError):
        loosened(regex)


def test_loosening_drops_look_arounds_and_word_boundaries():
    assert loosened(r"\bdm(?<![\d:][dp]m)(?!\s+(?:to|[)(]))\s+us\b") == r"dm[\pZ\pC]+us"


def test_the_screen_tells_which_pattern_matched():
    # Each alternative is its own group: the kind comes from the pattern that matched.
    found = promises._builtin("@bob DM us, we'll get back to you", _EVERY)
    assert [(start, end, kind) for start, end, kind, _ in found] == [(5, 10, "invitation"), (12, 33, "commitment")]


# -- profanity: RE2 screens in front of the word list's backtracking pattern -------------------------

from auditor.text import spans  # noqa: E402
from auditor.text.profanity import find_profanity, words  # noqa: E402


def _tweeteval_tweets() -> list[str]:
    folder = shared("tone", "tweeteval-offensive")
    return [line for split in ("train", "val") for line in
            (folder / f"{split}_text.txt").read_text(encoding="utf-8").splitlines()]


def _profanity_both_ways(text: str, allow=()) -> tuple[list, list]:
    fast = find_profanity(text, allow)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AUDITOR_SPEEDUPS", "off")
        return fast, find_profanity(text, allow)


@pytest.mark.parametrize("texts", [_vader_tweets, _davidson_tweets, _tweeteval_tweets, _demo_texts],
                         ids=["vader", "davidson", "tweeteval", "demo"])
def test_profanity_screens_find_what_the_full_pattern_finds(texts):
    corpus = texts()
    found = [find_profanity(text) for text in corpus]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AUDITOR_SPEEDUPS", "off")
        assert found == [find_profanity(text) for text in corpus]
    assert any(found) or texts is _demo_texts


# Letters of listed words, their look-alikes and separators, what blanking and folding act on
# (handles, links, addresses, invisible and full-width characters, Cyrillic homoglyphs), and
# the four characters case-insensitive `re` reads as ASCII letters.
_PROFANE_ALPHABET = ("fuckshitbatrdnyg" "FUCKSHIT" "*$@!01345 .-_" "/:w#" "\u200b\u00adｆｕс" "\u0131\u017f\u212a\u0130"
                     "é\u0301ß\n")


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=st.sampled_from(_PROFANE_ALPHABET), max_size=30))
def test_profanity_screens_agree_on_built_text(text):
    fast, full = _profanity_both_ways(text)
    assert fast == full


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*words()[:40], "son of a bitch", "a-hole", "@x", "https://a.b/c", "me@x.io",
                                 "www.x", "f u c k", "s.h.i.t", "a", "b", "**", "!!", "  ", "\u200b"]),
                max_size=8).map(" ".join),
       st.sets(st.sampled_from(words()[:10]), max_size=3))
def test_profanity_screens_agree_on_listed_words_and_phrases(text, allow):
    fast, full = _profanity_both_ways(text, sorted(allow))
    assert fast == full


_HANDLE_AS_WRITTEN = re.compile(r"(?<![\w@])@\w{1,50}")


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab_1@ .é\n#:/"), max_size=40))
def test_handle_pattern_matches_what_its_plain_form_matches(text):
    assert [m.span() for m in spans.HANDLE_RE.finditer(text)] == [m.span() for m in _HANDLE_AS_WRITTEN.finditer(text)]


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=st.sampled_from("aW.w:/hHtTpPsS@-_1 #\u017f\u212a"), max_size=40))
def test_masks_skipped_by_their_screen_would_have_found_nothing(text):
    masks = (spans.URL_RE, spans.EMAIL_RE, spans.HANDLE_RE, spans.HASHTAG_RE)
    expected = text
    for mask in masks:
        expected = mask.sub(lambda m: " " * (m.end() - m.start()), expected)
    assert spans.blank_out(text, *masks) == expected
    for mask in masks:
        if spans._CANNOT_MATCH[mask](text):
            assert mask.search(text) is None


# -- channels: what a phone number, a link and an e-mail address cannot do without ----------------

from auditor.text import channels  # noqa: E402


def _channels_unscreened(text: str) -> tuple:
    # What the three finders see once past their screens: every match of their patterns.
    phones = [m.span() for m in channels._PHONE_RE.finditer(text)] + [
        m.span() for m in channels._LOCAL_PHONE_RE.finditer(text)]
    links = [m.span() for m in channels._URL_RE.finditer(spans.blank_out(text, spans.EMAIL_RE))
             if "." in channels._host(text[m.start():channels._strip_trailing(text, m.start(), m.end())])]
    emails = [m.span() for m in spans.EMAIL_RE.finditer(text)]
    return phones, links, emails


def _check_channel_screens(text: str) -> set[str]:
    """Asserts that a screen refusing ``text`` leaves nothing its patterns would find; says which refused."""
    phones, links, emails = _channels_unscreened(text)
    refused = set()
    if channels._PHONE_DIGIT.search(text) is None:
        assert phones == [] and channels.find_phone(text) is None, text
        refused.add("phone")
    if channels._LINK_MARK.search(text) is None:
        assert links == [] and channels.find_url(text) is None, text
        refused.add("link")
    if spans.cannot_match(spans.EMAIL_RE, text):
        assert emails == [] and channels.find_email(text) is None, text
        refused.add("email")
    return refused


@pytest.mark.parametrize("texts", [_vader_tweets, _davidson_tweets, _demo_texts], ids=["vader", "davidson", "demo"])
def test_channel_screens_refuse_only_texts_with_nothing_to_find(texts):
    refused = {"phone": 0, "link": 0, "email": 0}
    for original in texts():
        # The text, and the text pushed towards what the screens look for: digits after a space,
        # a letter after every full stop, an "@" before every word.
        for text in (original, original.replace("#", " "), original.replace(". ", ".x"), original.replace(" ", " @")):
            for kind in _check_channel_screens(text):
                refused[kind] += 1
    assert min(refused.values()) > 500, refused


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=st.sampled_from("+1(5) 0-.x@aA:/wWcom#$_\u0663\uff15\u212a\n"), max_size=40))
def test_channel_screens_agree_on_any_text(text):
    # Digits of other scripts ("٣", "５") are digits to `\d`; "K" (Kelvin) is a letter to `(?i)[a-z]`.
    _check_channel_screens(text)


# -- policy phrases: the lower-cased words screen in front of the RE2 program -------------------------

from auditor.text import patterns  # noqa: E402
from auditor.text.patterns import compile_phrases  # noqa: E402

PHRASES = ["WidgetCo", "@widgetco", "ping me", "not my problem", "it's fine", "k.o.", "Straße", "#employee"]


def test_every_character_re2_matches_to_an_ascii_letter_folds_to_it():
    # The screen folds a text with lower() and ſ -> s; RE2 matches a phrase's letter case-insensitively to
    # these characters only, so no text the program matches can miss the screen.
    import string

    import re2

    everything = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c <= 0xDFFF).encode()
    for letter in string.ascii_lowercase:
        for found in re2.compile("(?i)" + letter).finditer(everything):
            assert patterns._folded(found.group().decode()) == letter, (letter, found.group())


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PHRASES + ["widgetCO", "WIDGETCO", "wi\u212Agetco", "pinG   me", "ping\nme", "straſe",
                                           "IT\u2019S FINE", "it's  fine", "xwidgetco", "widgetcos", "no", "my", "!",
                                           "\U0001F620", "caf\u00e9", "\u0130", " ", "@", "#", "K.O.", "STRASSE"]),
                max_size=8).map(" ".join),
       st.lists(st.sampled_from(PHRASES + ["/\\bwhatever\\b/", "/ping\\s+me/"]), min_size=1, max_size=4))
def test_the_screened_matcher_finds_what_the_whole_program_finds(text, entries):
    matcher = compile_phrases(entries)
    unscreened = patterns.Matcher(matcher.entries, matcher._phrases, matcher._regexes, None)
    assert matcher.find_all(text) == unscreened.find_all(text)


def test_a_text_without_the_phrases_words_is_not_searched():
    compiled = compile_phrases(["WidgetCo", "ping me"])
    searched = []

    class Spy:
        def search(self, data, pos):
            searched.append(data)
            return compiled._phrases.search(data, pos)

    matcher = patterns.Matcher(compiled.entries, Spy(), compiled._regexes, compiled._needs)
    assert matcher.find_all("thanks, that worked") == []
    assert searched == []
    assert [m.text for m in matcher.find_all("try WIDGETCO instead")] == ["WIDGETCO"]
    assert searched
