"""Is an inbound post a question? (``response_time`` with ``only: [question]``)

docs/contract.md (`response_time`): "a `?` or a question word". Customers often skip the question
mark ("any update on my order"), so a sentence that opens with a question
word counts too; a "?" inside a link does not.
"""

from __future__ import annotations

import re

from auditor.text.spans import (
    BARE_LINK_RE,
    EMAIL_RE,
    HANDLE_RE,
    HASHTAG_RE,
    URL_RE,
    blank_out,
    normalize_apostrophes,
)

# "?" (also full-width "？", Arabic "؟", Spanish "¿") when it ends a word, so
# that "faq?id=3" in a bare link does not count.
_MARK_RE = re.compile(r"[¿]|[?？؟](?=[\s?？؟!.,)\]\"'\u201d\u2019@#]|$)")

# Words that open a question whatever follows.
_WH_WORDS = frozenset(
    "who whom whose what whats what's when where wheres where's which why how hows how's anyone anybody".split()
)
# Auxiliaries open a question only when a subject follows: "Can you help" is
# a question, "Can confirm" and "Will do!" are not; "Do not reply" neither.
_AUX_WORDS = frozenset(
    "can could would will is are am was were do does did should shall may might have has had "
    "isn't aren't wasn't weren't don't doesn't didn't can't couldn't won't wouldn't shouldn't "
    "haven't hasn't any".split()
)
_SUBJECTS = frozenset(
    "i you u we they he she it this that these those there someone somebody anyone anybody "
    "anything everyone y'all yall ya my your our their his her its the any "
    "me us them update updates news way chance one".split()
)
# Exclamations that open like questions: "What a day", "How nice", "Any time!".
_NOT_QUESTION = re.compile(
    r"(?i)^(?:what\s+an?\b|how\s+(?:nice|cool|great|awesome|kind|sweet|lovely|fun|amazing|sad|weird|funny|rude)\b|"
    r"any\s*time\b|anyway\b|anyhow\b|who\s+knew\b|whatever\b|"
    # "When you go to the shop in costume and..." tells a story; "When will it ship" asks.
    r"when\s+(?:you|u|ur|you're|youre|your|i|i'm|im|my|someone|somebody|people|they|we|the|a|an)\b)"
)
_SENTENCE_RE = re.compile(r"[^.!?？؟。\n]+")
_WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


# Words people put in front of a question ("So why is this happening", "Hey, why don't you...",
# "Bruh can someone get back to me"): skipped before looking at the first word.
_LEAD_INS = frozenset("so hey hi hello yo bruh um umm uh well ok okay but and also btw dear please pls plz "
                      "lol seriously honestly guys ugh".split())


# A handle stands in a sentence as this word, so that the sentence still knows it opened with one.
_HANDLE_WORD = "xhandlex"
# "@acme is the best", "@acme has the best agents": a form of "be" or "have" right after a handle, then a
# determiner, says something about the account. "@acme is it down" and "@acme any update" still ask.
_BE_HAVE = frozenset("is are am was were has have had".split())
_DETERMINERS = frozenset("the a an my your our their his her its".split())


def _opens_question(sentence: str) -> bool:
    words = _WORD_RE.findall(sentence)
    after_handle = False
    while len(words) > 1 and (words[0].lower() in _LEAD_INS or words[0] == _HANDLE_WORD):
        after_handle = after_handle or words[0] == _HANDLE_WORD
        words = words[1:]
        sentence = sentence[sentence.index(words[0]):]
    if not words or words[0] == _HANDLE_WORD:
        return False
    first = words[0].lower()
    if after_handle and first in _BE_HAVE and len(words) > 1 and words[1].lower() in _DETERMINERS:
        return False
    if _NOT_QUESTION.match(sentence.lstrip(" \t\"'#*-–—>:") or ""):
        return False
    if first in _WH_WORDS:
        return True
    if first in _AUX_WORDS:
        return len(words) > 1 and words[1].lower() in _SUBJECTS
    return False


def is_question(text: str) -> bool:
    """True if ``text`` has a question mark ending a word, or a sentence that
    opens with a question word (leading @handles and #hashtags are skipped)."""
    text = normalize_apostrophes(text)
    text = blank_out(text, URL_RE, EMAIL_RE, BARE_LINK_RE)
    if _MARK_RE.search(text):
        return True
    text = blank_out(HANDLE_RE.sub(f" {_HANDLE_WORD} ", text), HASHTAG_RE)
    for sentence in _SENTENCE_RE.findall(text):
        # Strip the leading emoji, quotes and hashtags before the first word.
        start = _WORD_RE.search(sentence)
        if start and _opens_question(sentence[start.start() :]):
            return True
    return False
