"""Sentiment of a post: VADER's compound score, -1 (negative) to +1 (positive).

VADER was built for social-media text (emoji, "!!!", capitals, "not good"),
needs no model download (its lexicon ships in the wheel) and scores
3,800-14,000 texts a second here. Tone and complaint checks ask for the same
post's score several times, so scores are cached per distinct text.

Rules ask one question of it: is this text's score below a (negative)
threshold? Most posts cannot be: VADER only scores a word below zero when the
word is negative in its lexicon, or a negation, a dampener ("barely"), "least"
or one of two negative idioms turns a positive word around. `sentiment_below`
answers such texts without scoring them, which is exact (tests hold it to
`sentiment(text) < below` on every rated tweet in shared/data) and skips about
two texts in three of ordinary support traffic.
"""

from __future__ import annotations

import string
from functools import lru_cache
from typing import TYPE_CHECKING

from auditor import speedups

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
    """``sentiment(text) < below``, without scoring a text that cannot be negative when ``below <= 0``."""
    if below <= 0 and speedups.enabled() and not may_be_negative(text):
        return False
    return sentiment(text) < below


def is_complaint(text: str, below: float = COMPLAINT_BELOW) -> bool:
    """True when the sentiment of ``text`` is strictly below ``below``."""
    return sentiment_below(text, below)


def may_be_negative(text: str) -> bool:
    """False only when VADER cannot give ``text`` a score below zero.

    VADER splits on whitespace, strips punctuation from words longer than two
    characters and looks each word up in lower case. A word adds a negative
    amount only if (a) it is negative in the lexicon, or a positive word is
    turned around by (b) a negation within three words ("not", "never",
    anything with "n't"), (c) "no" (itself negative in the lexicon), (d) a
    dampener within three words ("barely", "kind of", "sort of", "just
    enough"), (e) "least" before it, or (f) the idioms "yeah right" and "kiss
    of death". Punctuation and capitals only amplify a sign that is already
    there, and "but" only scales. Emoji are first replaced by descriptions, so
    a text with one is always scored.
    """
    risky, emoji = _risky_words()
    if not emoji.isdisjoint(text):
        return True
    lowered = text.lower()
    if "n't" in lowered:
        return True
    punctuation = string.punctuation
    for word in text.split():
        stripped = word.strip(punctuation)
        if (stripped if len(stripped) > 2 else word).lower() in risky:
            return True
    return False


@lru_cache(maxsize=1)
def _risky_words() -> tuple[frozenset[str], frozenset[str]]:
    from vaderSentiment import vaderSentiment as vader

    analyzer = _analyzer()
    words = {word for word, valence in analyzer.lexicon.items() if valence <= 0}
    words |= set(vader.NEGATE)
    words |= {word for word, value in vader.BOOSTER_DICT.items() if value < 0 and " " not in word}
    # One word of each two-word dampener and negative idiom is enough to send the text to VADER.
    words |= {"least", "kind", "sort", "enough", "yeah", "right", "kiss"}
    return frozenset(words), frozenset(analyzer.emojis)
