"""Sentiment of a post: VADER's compound score, -1 (negative) to +1 (positive).

VADER was built for social-media text (emoji, "!!!", capitals, "not good"),
needs no model download (its lexicon ships in the wheel) and scores
3,800-14,000 texts a second here. Tone and complaint checks ask for the same
post's score several times, so scores are cached per distinct text.

Rules ask one question of it: is this text's score below a (negative)
threshold? Most posts cannot be: VADER only scores a word below zero when the
word is negative in its lexicon, or a negation, a dampener ("barely"), "least"
or one of two negative idioms turns a positive word around, and how far below
zero a text can go is bounded by those words and what can amplify them
(`lowest_sum`): one "broken" cannot take a text below -0.6. `sentiment_below`
answers such texts without scoring them, which is exact (tests hold it to
`sentiment(text) < below` on every rated tweet in shared/data at six
thresholds). Of the 2,592 real support tweets in shared/data/twcs it skips 72 %
at -0.3 (the complaint cut), 90 % at -0.6 and 97 % at the default -0.8.
"""

from __future__ import annotations

import math
import re
import string
from functools import lru_cache
from typing import TYPE_CHECKING

from auditor import speedups
from auditor.text.idioms import set_aside

if TYPE_CHECKING:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

# docs/contract.md (`response_time`): a complaint is an inbound item whose sentiment is below -0.3
# unless the policy says otherwise (`complaint_below`).
COMPLAINT_BELOW = -0.3
# Default of the tone rule's `negativity` check when no `below` is given.
# Stricter than the complaint cut because a finding accuses an employee, and
# VADER scores plain support talk around -0.65 ("kill the app and restart
# it", "the parcel got killed by customs"): see docs/detectors.md.
NEGATIVITY_BELOW = -0.8


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    # Imported and built on first use: loading the lexicon takes ~0.1 s and
    # commands such as `auditor validate` never need it.
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def load_sentiment() -> None:
    """Load VADER now (worker processes forked afterwards share it)."""
    _analyzer()


# A check often asks twice about one text (is it below a threshold, then its score): a small cache
# answers the second. A large one only held every text a worker process ever scored (with toxicity's
# cache, ~50 MB a worker at a million events): each distinct text reaches the detectors once
# (rules/_shared.per_text).
@lru_cache(maxsize=4_096)
def sentiment(text: str) -> float:
    """VADER compound score of ``text`` in [-1, 1]; 0.0 for empty text."""
    if not text or not text.strip():
        return 0.0
    return float(_analyzer().polarity_scores(text)["compound"])


def sentiment_below(text: str, below: float) -> bool:
    """``sentiment(text) < below``, without scoring a text whose score cannot be that low when ``below <= 0``."""
    if below <= 0 and speedups.enabled() and _vocabulary() is not None:
        floor = lowest_sum(text)
        # `_normalize` is VADER's map from its sum to the score, increasing, and VADER reports the score
        # rounded to four places: the lowest it can report is the floor's, rounded. The 1e-9 covers the
        # sum's own rounding, which depends on the order VADER adds in.
        if floor == 0 or round(_normalize(floor) - 1e-9, 4) >= below:
            return False
    return sentiment(text) < below


def is_complaint(text: str, below: float = COMPLAINT_BELOW) -> bool:
    """True when the sentiment of ``text`` is strictly below ``below``, both as written and with praise in slang
    and courtesy set aside: the harmless idioms (idioms.py: "killed it", "crushing it", "a killer update"), 🔥 and
    👻, relief ("no more crashes", "never had a single problem") and asking politely ("sorry to bother you, I
    can't find the invoice button"), which VADER reads word by word as a grievance. Sentences of condolence ("so
    sorry for your loss", "RIP to your cat") are read without: what else the post says decides."""
    if not sentiment_below(text, below):
        return False
    # Grief shared with them is not a grievance against them: read what else the post says, without the
    # sentences that offer condolences ("My condolences to anyone who has to use @acme. Worst company ever.").
    kind = text
    if _CONDOLENCE_RE.search(text):
        kind = ". ".join(part for part in _PART_RE.split(text) if part.strip() and not _CONDOLENCE_RE.search(part)
                         and not _REACTION_RE.fullmatch(part))
        if not kind.strip() or not sentiment_below(kind, below):
            return False
    calmer = _RELIEF_RE.sub(" ", without_playful_emoji(set_aside(kind)))
    if _POLITE_RE.search(calmer) and not sentiment_below(_POLITE_RE.sub(" ", calmer), 0):
        return False  # nothing negative left once they stop apologising for asking
    return calmer == text or sentiment_below(calmer, below)


# Sympathy with a loss: "so sorry to hear about your dad, that's awful", "my condolences", "RIP to your cat".
_KIN = (r"(?:loss|dad|father|mum|mom|mother|parents?|brother|sister|son|daughter|kids?|child|baby|wife|husband|"
        r"partner|family|grand(?:ma|pa|mother|father|parents?)|nan|gran|uncle|aunt|cousin|friend|cat|dog|pet|"
        r"diagnosis|accident|injury|health)")
_CONDOLENCE_RE = re.compile(
    rf"(?i)\bsorry\s+(?:to\s+hear\s+)?(?:about|for|of)\s+(?:the\s+loss\s+of\s+)?your\s+{_KIN}\b|\bcondolences\b|"
    rf"\brest\s+in\s+peace\b|\brip\s+(?:to\s+)?your\s+{_KIN}\b|\b(?:get\s+well\s+soon|thinking\s+of\s+you)\b|"
    rf"\bnews\s+(?:about|of)\s+your\s+{_KIN}\b")
# In a post of condolence, its clauses are read apart, and one that only reacts to the news ("That's awful!",
# "terrible news", "heartbreaking") goes with the condolence.
_PART_RE = re.compile(r"[.!?;,\n]+")
_REACTION_RE = re.compile(
    r"(?i)\s*(?:@\w+\s+)*(?:(?:that'?s|that\s+is|it'?s|it\s+is|what|how|such)\s+)?(?:so\s+|just\s+|really\s+|truly\s+)?(?:an?\s+)?"
    r"(?:awful|terrible|horrible|heartbreaking|heartbroken|sad|devastating|tragic|dreadful|gutted|shocking|"
    r"rough|tough|hard)(?:\s+(?:news|times?|loss|to\s+hear))?\s*\W*")
# Asking politely is no grievance: "Sorry to bother you, I can't find the invoice button".
_POLITE_RE = re.compile(r"(?i)\b(?:sorry|apologies)\s+(?:to\s+(?:bother|trouble|disturb|pester)\s+(?:you|u)|"
                        r"for\s+(?:the\s+)?(?:bother|trouble|bothering\s+you|troubling\s+you|disturbing\s+you|asking))\b")


# "No more crashes!", "never had a single problem with you": what is gone, or never came, is no grievance.
_RELIEF_RE = re.compile(r"(?i)\b(?:no\s+more|never\s+(?:had|have|once\s+had)\s+(?:a\s+single|any|one|an?)|"
                        r"not\s+(?:a\s+)?single)\s+(?:crash(?:es|ing)?|errors?|bugs?|problems?|issues?|lag|"
                        r"freez(?:es|ing)|delays?|headaches?|hassle|waiting|complaints?)\b")
# Emoji VADER reads as grim that people post in fun: 🔥 (fire: "this is 🔥"), 👻 (a ghost, at Halloween).
_PLAYFUL_EMOJI = str.maketrans({"\U0001F525": " ", "\U0001F47B": " "})


def without_playful_emoji(text: str) -> str:
    """``text`` with the emoji people post in fun (🔥, 👻) replaced by spaces."""
    return text.translate(_PLAYFUL_EMOJI)


def lowest_sum(text: str) -> float:
    """A floor under the sum of word valences VADER works out for ``text`` (0.0 when it cannot go below
    zero); VADER's score is that sum normalised, so the text cannot score below the floor's score.

    VADER (3.3.2) first replaces each emoji by its description, splits on whitespace, strips
    punctuation from words longer than two characters, and looks each word up in lower case. A
    positive word stays positive unless it is turned around by (a) a negation among the three
    words before it ("not", "never", anything with "n't"), (b) "no" among them, (c) a dampener
    among them ("barely", "kind of", "sort of", "just enough"), (d) "least" before it, or (e) the
    idioms "yeah right" and "kiss of death" around it. A negative word, or a positive one that may be
    turned around, adds at most its lexicon value (3.5 near an idiom or after "least": an idiom
    replaces the value, and "least" may turn the replacement around; a negation only shrinks it),
    plus 0.733 if it is in capitals, plus 0.293 for each booster or dampener among the three words
    before it (0.733 more for one in capitals; VADER scales these by 0.95 and 0.9 with distance, not
    counted here) and for each word of a two-word dampener there, times 1.25 after "so" or "this"
    and again after "never so" or "never this". "but" scales each word by 0.5 or 1.5, and a
    negative sum loses 0.292 for each "!" up to four, and 0.18 for each "?" when there
    are two or three, 0.96 for more.
    """
    turners, idioms, lexicon, boosters, risky, emoji = _vocabulary()
    if not emoji.keys().isdisjoint(text):
        text = _described(text, emoji)
    punctuation = string.punctuation
    tokens = text.split()
    # A token's capitals are its stripped word's: only punctuation is stripped.
    lowered = [(stripped if len(stripped := token.strip(punctuation)) > 2 else token).lower() for token in tokens]
    has_nt = "n't" in text.lower()
    if not has_nt and risky.isdisjoint(lowered):
        return 0.0  # no negative word, and nothing to turn a positive one around: most texts
    # Where a word may be turned around: the three words after a negation, "no", a dampener or "least",
    # and three words either side of an idiom's word.
    turned, near_idiom = [], []
    for i, low in enumerate(lowered):
        if low in turners or (has_nt and "n't" in low):
            turned.append((i + 1, i + 3))
        elif low in idioms:
            near_idiom.append((i - 3, i + 3))
    total = 0.0
    for i, low in enumerate(lowered):
        value = lexicon.get(low)
        if value is None:
            continue
        # "least beating heart": the idiom makes "beating" (-2.0) 3.5, and "least" turns that to -2.59.
        idiom = (bool(near_idiom) and any(first <= i <= last for first, last in near_idiom)
                 or i > 0 and lowered[i - 1] == "least")
        if value > 0 and not idiom and not (turned and any(first <= i <= last for first, last in turned)):
            continue  # positive, and nothing turns it around
        amount = (max(abs(value), 3.5) if idiom else abs(value)) + (C_INCR if tokens[i].isupper() else 0.0)
        for before in range(max(0, i - 3), i):
            word = lowered[before]
            if word in boosters:  # a booster or a dampener
                amount += B_INCR + (C_INCR if tokens[before].isupper() else 0.0)
            elif word in _TWO_WORD_DAMPENERS:
                amount += B_INCR
        # VADER's ×1.25 for "so" or "this" before the word, and again for "never so" and "never this".
        one, two, three = (lowered[i - k] if i >= k else "" for k in (1, 2, 3))
        amount *= 1.25 ** ((one in _SO_THIS or (three == "never" and two in _SO_THIS))
                           + (two == "never" and one in _SO_THIS))
        total += amount
    if not total:
        return 0.0
    if "but" in lowered:
        total *= 1.5
    exclaimed, asked = min(text.count("!"), 4), text.count("?")
    return -(total + exclaimed * 0.292 + (0.0 if asked < 2 else asked * 0.18 if asked <= 3 else 0.96))


def without_bare_no(text: str) -> str:
    """``text`` without the "No" that opens each item of a list: VADER weighs "no" at -1.2 on its own, so
    "12 signs...: · NoSQL · No code · No tests · No namespaces" reads as hostile (-0.68) and is neutral without
    them. Only a list's: two items or more, each after a separator ("·", "-", "•", a comma, a line break), and none
    before a word the lexicon weighs ("- no good"). "No one asked you." and "No refund for you" keep their "No"."""
    if "no" not in text.lower():
        return text
    lexicon = _weighed()
    items = list(_LIST_NO_RE.finditer(text))
    if len(items) < 2:
        return text
    for item in items:
        after = _WORDS_AFTER_RE.findall(text, item.end(), item.end() + 60)[:3]
        if any(word.lower() in lexicon and word.lower() != "no" for word in after):
            return text
    return _LIST_NO_RE.sub(lambda item: item.group(1), text)


# "No" opening an item of a list: after a separator and spaces.
_LIST_NO_RE = re.compile(r"(?i)([·•\-*|,;:\n]\s*)no\b")
_WORDS_AFTER_RE = re.compile(r"[\w']+")


def _weighed() -> dict[str, float]:
    """The words VADER weighs and their valences: `lowest_sum`'s lexicon, or the analyzer's own under another
    VADER."""
    vocabulary = _vocabulary()
    return vocabulary[2] if vocabulary is not None else _analyzer().lexicon


def negative_words(text: str, most: int = 4) -> list[str]:
    """The words of ``text`` VADER's lexicon weighs below zero, as written, once each and in order (at most
    `most`): what a negativity finding quotes ("terrible", "awful")."""
    lexicon = _weighed()
    found: dict[str, str] = {}
    for token in text.split():
        word = token.strip(string.punctuation)
        if word and lexicon.get(word.lower(), 0) < 0 and word.lower() not in found:
            found[word.lower()] = word
            if len(found) == most:
                break
    return list(found.values())


def _described(text: str, descriptions: dict[str, str]) -> str:
    """``text`` with each emoji replaced by its description, as VADER reads it (`polarity_scores`): a
    space before the description unless the emoji starts the text or follows a space."""
    out = []
    for at, char in enumerate(text):
        description = descriptions.get(char)
        if description is None:
            out.append(char)
        else:
            out.append(description if at == 0 or text[at - 1] == " " else " " + description)
    return "".join(out).strip()


# The VADER whose code `lowest_sum` follows, and its constants: a booster's and capitals' increments.
VADER_FOLLOWED = "3.3.2"
B_INCR, C_INCR = 0.293, 0.733
_SO_THIS = ("so", "this")
_TWO_WORD_DAMPENERS = ("kind", "sort", "enough")  # "kind of", "sort of", "just enough"


def _normalize(total: float) -> float:
    return total / math.sqrt(total * total + 15)  # vaderSentiment.normalize, alpha=15


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[str], frozenset[str], dict[str, float], frozenset[str], frozenset[str],
                           dict[str, str]] | None:
    """`lowest_sum`'s words: those that turn the next three around, those of the negative idioms, the
    lexicon (without the boosters, which VADER passes over), the boosters, all the words that can take
    a text below zero (the negative ones and the first three kinds), and the emoji's descriptions.
    None under another VADER than the one `lowest_sum` follows: every text is then scored."""
    from importlib.metadata import version

    from vaderSentiment import vaderSentiment as vader

    if version("vaderSentiment") != VADER_FOLLOWED:
        return None
    analyzer = _analyzer()
    # One word of each two-word dampener ("kind of", "sort of", "just enough") is enough.
    turners = set(vader.NEGATE) | {"no", "least", "kind", "sort", "enough"}
    turners |= {word for word, value in vader.BOOSTER_DICT.items() if value < 0 and " " not in word}
    idioms = {"yeah", "right", "kiss"}
    lexicon = {word: valence for word, valence in analyzer.lexicon.items() if word not in vader.BOOSTER_DICT}
    boosters = frozenset(word for word in vader.BOOSTER_DICT if " " not in word)
    risky = turners | idioms | {word for word, valence in lexicon.items() if valence <= 0}
    return frozenset(turners), frozenset(idioms), lexicon, boosters, frozenset(risky), analyzer.emojis
