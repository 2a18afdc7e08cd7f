"""The span type every detector returns, and the masks they share.

Detectors hand back *where* they matched, not just *whether*, so that a
finding can quote the offending words in a report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Match:
    """A matched span of a text: ``text == source[start:end]``."""

    start: int
    end: int
    text: str


def match_at(source: str, start: int, end: int) -> Match:
    return Match(start, end, source[start:end])


# URLs, e-mail addresses and @handles are other people's names or machine
# strings, not the author's words: a "?" in a query string is not a question,
# a handle in capitals is not shouting, "@ass" may be someone's account.
URL_RE = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"]+")
EMAIL_RE = re.compile(r"(?i)(?<![\w.+-])[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b")
HANDLE_RE = re.compile(r"(?<![\w@])@\w{1,50}")
HASHTAG_RE = re.compile(r"(?<![\w#&])#\w+")

# Curly quotes and the modifier apostrophe are one code point each, like "'",
# so swapping them keeps every offset valid.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\uff07": "'"})


def normalize_apostrophes(text: str) -> str:
    """Replace curly/modifier apostrophes by ``'`` without moving any offset."""
    # translate() looks every character up in a dict; ASCII text has nothing to replace.
    return text if text.isascii() else text.translate(_APOSTROPHES)


def blank_out(text: str, *patterns: re.Pattern[str]) -> str:
    """Replace every match of ``patterns`` by spaces of the same length.

    Offsets into the result are offsets into ``text``, so a detector can run
    on the blanked text and still quote the original.
    """
    for pattern in patterns:
        text = pattern.sub(lambda m: " " * (m.end() - m.start()), text)
    return text
