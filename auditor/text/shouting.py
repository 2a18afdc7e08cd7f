"""Shouting: a post written mostly in capital letters.

Capitals in handles, hashtags, links, code in backticks, identifiers joined by underscores
("PAYMENT_DECLINED") and acronyms are not shouting: "Our API
and SDK docs" is calm, and so is a post made only of product codes. So
all-caps words of five letters or fewer are treated as acronyms and not
counted, unless they are common English words inside a run of capitals
("WE ARE NOT GOING TO REFUND YOU"), which no acronym list would explain.
"""

from __future__ import annotations

import re
import string

from auditor import speedups
from auditor.text.spans import (
    EMAIL_RE,
    HANDLE_RE,
    HASHTAG_RE,
    URL_RE,
    Match,
    blank_out,
    normalize_apostrophes,
)

_ACRONYM_MAX = 5
_WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
# Frequent short English words. Left out on purpose: words that are also
# common acronyms in business posts (IT, US, AM, PM, OR, ID, OK, HR, TV, AI).
_COMMON = frozenset(
    """a i the and you your we our are not no yes is was be been to too of in on at for with
    from by this that these those what why how who when where which will can cant can't
    don't dont won't wont do does did done have has had get got give go going gone stop
    now just so very all any my me he she they them their his her its it's im i'm
    youre you're we're ever never again still why wtf omg lol fix fixed fixing help
    want need needs call back make made more most less than then there here out up down
    off over about after every one two hate love sick tired worst best this yet well
    really truly seriously please thank thanks sorry look read wait until late later
    money order paid pay refund cash fast slow open shut""".split()
)


# Code is written in capitals without raising a voice: a span in backticks ("`SELECT * FROM ORDERS`"), and an
# identifier joined by underscores ("PAYMENT_DECLINED_INSUFFICIENT_FUNDS", "MAX_RETRY_COUNT").
_CODE_RE = re.compile(r"`[^`\n]+`")
_IDENTIFIER_RE = re.compile(r"\b[A-Z0-9]+(?:_[A-Z0-9]+)+\b")


def shouting(text: str, caps_ratio: float = 0.7, min_letters: int = 12) -> Match | None:
    """The shouted span when at least ``caps_ratio`` of the counted letters are
    capitals and at least ``min_letters`` letters are counted; else None.

    Counted letters are the cased letters of words outside handles, hashtags,
    links and e-mail addresses, minus acronyms (see the module docstring).
    The span is the run of capitals from the first to the last counted
    all-caps word, widened over neighbouring all-caps words.
    """
    if speedups.enabled() and _too_few_capitals(text, caps_ratio, min_letters):
        return None
    clean = blank_out(normalize_apostrophes(text), URL_RE, EMAIL_RE, HANDLE_RE, HASHTAG_RE, _CODE_RE, _IDENTIFIER_RE)
    words = list(_WORD_RE.finditer(clean))
    caps = [_all_caps(m.group()) for m in words]
    upper = lower = 0
    shouted: list[int] = []
    for i, m in enumerate(words):
        word = m.group()
        cased = [c for c in word if c.isupper() or c.islower()]
        if not cased:
            continue  # scripts without case (CJK, Arabic) say nothing here
        if caps[i] and len(cased) <= _ACRONYM_MAX and not _in_caps_run(words, caps, i):
            continue
        n_upper = sum(c.isupper() for c in cased)
        upper += n_upper
        lower += len(cased) - n_upper
        if caps[i]:
            shouted.append(i)
    counted = upper + lower
    if counted < min_letters or counted == 0 or upper / counted < caps_ratio or not shouted:
        return None
    # Quote the whole run of capitals around the counted words, acronyms and
    # "I"/"U" included: "LOL U SOUND LIKE ..." rather than "LIKE ...".
    first, last = shouted[0], shouted[-1]
    while first > 0 and _loud(words[first - 1].group()):
        first -= 1
    while last + 1 < len(words) and _loud(words[last + 1].group()):
        last += 1
    start, end = words[first].start(), words[last].end()
    return Match(start, end, text[start:end])


def _too_few_capitals(text: str, caps_ratio: float, min_letters: int) -> bool:
    """Cheap and exact: the counted capitals are some of the text's capitals, a verdict
    needs at least ``caps_ratio * min_letters`` of them, and a shouted word needs two.
    Most posts have a handful, and skip the word-by-word reading below."""
    needed = max(2.0, caps_ratio * min_letters)
    if text.islower() or not text:
        return True
    if text.isascii():
        # In ASCII the capitals are A-Z: deleting them from the bytes, in C, counts them four times
        # faster than asking each character.
        data = text.encode("ascii")
        return len(data) - len(data.translate(None, _ASCII_CAPITALS)) < needed
    return sum(map(str.isupper, text)) < needed


_ASCII_CAPITALS = string.ascii_uppercase.encode("ascii")


def _all_caps(word: str) -> bool:
    letters = [c for c in word if c.isupper() or c.islower()]
    # "I" and "A" alone are capitals by grammar, not by volume.
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _loud(word: str) -> bool:
    return _all_caps(word) or (len(word) == 1 and word.isupper())


def _in_caps_run(words: list[re.Match[str]], caps: list[bool], i: int) -> bool:
    """A common word with an all-caps neighbour: part of a shouted sentence."""
    if words[i].group().lower() not in _COMMON:
        return False
    return (i > 0 and caps[i - 1]) or (i + 1 < len(words) and caps[i + 1])
