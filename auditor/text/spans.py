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
# Not after "@": "@carol@mastodon.social" is a Mastodon handle, not an address.
# A link written without its scheme, with a path ("acme.example/help", "faq?id=3" after a domain): as Bluesky
# shows links, and as people type them.
BARE_LINK_RE = re.compile(r"(?i)(?<![\w@.-])[a-z0-9-]+(?:\.[a-z0-9-]+)+/\S*")
EMAIL_RE = re.compile(r"(?i)(?<![\w.+@-])[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b")
# An "@" not after a letter, digit, "_" or "@", and up to 50 word characters. The look-behind
# is written after the "@" (the two characters ending at it must not be one of those and "@")
# so `re` can jump from "@" to "@" instead of trying every position: twice as fast on tweets.
HANDLE_RE = re.compile(r"@(?<![\w@]@)\w{1,50}")
HASHTAG_RE = re.compile(r"(?<![\w#&])#\w+")

# What each mask cannot match without: a cheap test that skips its scan (a link needs "://" or
# "www." in some case, an e-mail address its "@domain.tld" tail; only ASCII letters fold to the
# letters of "www", so lower() finds every case). Scanning a tweet for a link or an address
# costs several microseconds; most tweets have neither.
_EMAIL_TAIL_RE = re.compile(r"(?i)@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b")
_CANNOT_MATCH = {
    URL_RE: lambda text: "://" not in text and "www." not in text.lower(),
    EMAIL_RE: lambda text: _EMAIL_TAIL_RE.search(text) is None,
    HANDLE_RE: lambda text: "@" not in text,
    HASHTAG_RE: lambda text: "#" not in text,
}


def cannot_match(pattern: re.Pattern[str], text: str) -> bool:
    """True when a cheap test shows ``pattern`` (one of the masks above) finds nothing in ``text``."""
    cannot = _CANNOT_MATCH.get(pattern)
    return cannot is not None and cannot(text)


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
        if cannot_match(pattern, text):
            continue
        text = pattern.sub(_spaces, text)
    return text


def blank_spans(text: str, spans: list[Match]) -> str:
    """``text`` with each of ``spans`` (left to right, not overlapping) replaced by spaces of the same length."""
    if not spans:
        return text
    out, last = [], 0
    for span in spans:
        out += [text[last:span.start], " " * (span.end - span.start)]
        last = span.end
    out.append(text[last:])
    return "".join(out)


def _spaces(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())
