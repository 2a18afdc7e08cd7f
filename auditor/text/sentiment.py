"""Sentiment of a post: VADER's compound score, -1 (negative) to +1 (positive).

VADER was built for social-media text (emoji, "!!!", capitals, "not good"),
needs no model download (its lexicon ships in the wheel) and scores
3,800-14,000 texts a second here. Tone and complaint checks ask for the same
post's score several times, so scores are cached per distinct text.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

# PRODUCT.md: a complaint is an inbound item whose sentiment is below -0.3
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


@lru_cache(maxsize=100_000)
def sentiment(text: str) -> float:
    """VADER compound score of ``text`` in [-1, 1]; 0.0 for empty text."""
    if not text or not text.strip():
        return 0.0
    return float(_analyzer().polarity_scores(text)["compound"])


def is_complaint(text: str, below: float = COMPLAINT_BELOW) -> bool:
    """True when the sentiment of ``text`` is strictly below ``below``."""
    return sentiment(text) < below
