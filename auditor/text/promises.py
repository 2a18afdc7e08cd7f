"""Promises and invitations of private contact ("DM us", "we'll get back to you").

A promise made in public and not kept is the failure the auditor exists to
catch (PRODUCT.md, ``follow_through``), so the built-in phrases aim at what
support and sales accounts actually write, and refusals ("please don't DM
me") are not promises.

The built-in patterns are ours and safe for Python's ``re``; phrases supplied
by a policy go through :mod:`auditor.text.patterns` (RE2).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from auditor import speedups
from auditor.text.patterns import Matcher, compile_phrases
from auditor.text.spans import Match, normalize_apostrophes

_DM = r"(?:dms?|pms?|direct\s+messages?|private\s+messages?|inbox)"
_YOU = r"(?:you|u|ya)"
_ME_US = r"(?:me|us)"
_PLEASE = r"(?:please|pls|plz|kindly|just|feel\s+free\s+to|go\s+ahead\s+and|you\s+can|can\s+you|could\s+you)"

# Patterns that move the conversation to a private channel: these also count
# as "offering a DM" for the escalation rule (see channels.py).
_DM_PATTERNS = [
    # "DM me", "DM us your order number", "PM me" (not "5 PM us time")
    rf"(?<![\d:])(?<!\d\s)\b(?:dm|pm|inbox|message)\s+{_ME_US}\b",
    # "pls dm", "please DM the details", "feel free to DM", "DM please"
    rf"\b{_PLEASE}\s+(?:dm|pm)\b",
    r"(?<![\d:])\b(?:dm|pm)\s+(?:please|pls|plz)\b",
    # "I'll DM you", "DMing you now", "will PM you"
    rf"(?<![\d:])(?<!\d\s)\b(?:dm|pm)(?:'?ing)?\s+{_YOU}\b",
    # claims of contact: "I've DM'd you", "DMed you", "sent you a DM"
    rf"\b(?:dm|pm)(?:'d|'ed|ed|d)\s+{_YOU}\b",
    rf"\b(?:sent|send|sending)\s+{_YOU}\s+(?:an?\s+)?(?:quick\s+)?(?:{_DM}|message|note)\b",
    # "send us a DM / direct message / private message", "please send a DM"
    rf"\bsend\s+{_ME_US}\s+(?:an?\s+)?(?:quick\s+)?(?:{_DM}|message|note|line)\b",
    r"\b(?:send|sending)\s+an?\s+(?:quick\s+)?(?:dm|pm|direct\s+message|private\s+message)\b",
    # "drop us a DM/line", "shoot us a DM", "slide into our DMs"
    rf"\b(?:drop|shoot)\s+{_ME_US}\s+(?:an?\s+)?(?:quick\s+)?(?:{_DM}|message|line|note)\b",
    r"\bslide\s+into\s+(?:my|our)\s+dms\b",
    # "check your DMs/inbox"
    rf"\bcheck\s+(?:your|ur|yr)\s+(?:{_DM}|messages|email|e-mail|mail)\b",
    # "via DM", "by direct message", "in a private message", "over PM"
    r"\b(?:via|by|in|through|over)\s+(?:an?\s+|the\s+)?(?:dms?|direct\s+messages?|private\s+messages?)\b",
    # "our DMs are open", "DMs open"
    r"\b(?:my|our)\s+(?:dms|inbox)\s+(?:is\s+|are\s+)?(?:always\s+)?open\b",
    # "let's take this offline", "take it to DM", "move this to private"
    r"\b(?:take|taking|move|moving|continue|continuing|carry)\s+"
    r"(?:this|it|that|things|the\s+conversation|this\s+conversation|our\s+conversation|the\s+chat|this\s+chat)\s+"
    rf"(?:offline|private(?:ly)?|(?:to|in|into|over|via)\s+(?:the\s+|a\s+)?(?:{_DM}|private|email|e-mail))\b",
    # "talk off air", "chat offline", "discuss this privately"
    r"\b(?:talk|chat|speak|discuss|connect|catch\s+up)(?:\s+(?:about\s+)?(?:this|it|more|further))?\s+"
    r"(?:off[\s-]?air|offline|privately|in\s+private)\b",
]

# Patterns that promise a later contact without naming the channel.
# "you'll reach out"/"you will get back to" is the customer's part, not ours.
_MODAL = r"(?:(?<!you)(?<!\bu)'ll|(?<!you\s)(?<!\bu\s)\b(?:will|shall|can|going\s+to|gonna|would\s+like\s+to))"
# The subject, when there is one, is part of the quote: "We'll get back to you".
_SUBJECT = (
    r"(?:\b(?:i|we|someone|somebody|they|he|she|(?:our|the|my|a)\s+(?:team|agents?|colleagues?|"
    r"specialists?|reps?|representatives?|manager|member\s+of\s+(?:our|the)\s+team))\s*(?:'m|'re|am|are)?\s*)?"
)
# Words allowed between the modal and the verb: adverbs and softeners only,
# so "will you get back to me?" (the customer's question) does not match.
_FILLER = (
    r"(?:(?:definitely|certainly|surely|personally|quickly|happily|gladly|also|soon|then|now|asap|"
    r"be\s+sure\s+to|make\s+sure\s+to|be\s+happy\s+to|be\s+glad\s+to|try\s+to|aim\s+to|"
    r"be\s+able\s+to|need\s+to|have\s+to|have\s+someone|get\s+someone\s+to)\s+){0,2}"
)
_FOLLOW_UP_PATTERNS = [
    rf"{_SUBJECT}{_MODAL}\s+{_FILLER}"
    rf"(?:get\s+back\s+to\s+{_YOU}|reach\s+out|be\s+in\s+touch|get\s+in\s+touch|follow[\s-]up|touch\s+base|"
    rf"(?:message|dm|pm|contact|email|e-mail|call|ring|text)\s+{_YOU}|"
    rf"send\s+{_YOU}\s+(?:an?\s+)?(?:{_DM}|message|email|e-mail|note))\b",
    # "the team should send you an email", "I've sent you an email"
    rf"\b(?:send|sending|sent)\s+{_YOU}\s+(?:an?\s+)?(?:email|e-mail|text|call)\b",
    # invitations: "please reach out", "don't hesitate to contact us"
    r"\b(?:please|pls|plz|kindly|feel\s+free\s+to|hesitate\s+to|be\s+sure\s+to)\s+"
    r"(?:reach\s+out|get\s+in\s+touch|contact\s+us|message\s+us|email\s+us|e-mail\s+us|drop\s+us)\b",
]

# A negation or refusal just before a match cancels it: "please don't DM
# me", "we can't discuss this by DM", "no need to DM us", "never DM us".
# Bare "not"/"no" are left out on purpose: "sorry it's not working, DM us" is
# still an invitation.
_NEGATION = re.compile(
    r"\b(?:don't|dont|do\s+not|does\s+not|doesn't|never|no\s+need\s+to|can't|cant|cannot|can\s+not|"
    r"won't|wont|will\s+not|shouldn't|should\s+not|must\s+not|mustn't|unable\s+to|not\s+able\s+to|"
    r"rather\s+not|instead\s+of|rather\s+than|stop|avoid)\b",
    re.IGNORECASE,
)
# ...unless the negation softens the invitation ("don't hesitate to DM us") or
# states the condition for it ("if that doesn't help please DM us").
_SOFTENER = re.compile(
    r"\s*(?:hesitate|forget|be\s+shy|be\s+afraid|wait|help|work|fix|solve|resolve|load|arrive|"
    r"hear|get|receive|see|find|have|know)\b",
    re.IGNORECASE,
)
# The negation must be in the same clause, at most a few words back.
_CLAUSE_BREAK = re.compile(r"[.!?;,:\n()\[\]]|\s[-\u2013\u2014]\s|\b(?:but|and|so|then|or)\b", re.IGNORECASE)
_WINDOW_WORDS = 4


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)



# What each built-in pattern cannot match without: groups of words (or starts of words:
# "sen" for send/sent, "tak" for take/taking), one word of every group. Testing for them
# is a few substring searches, against a quarter of a millisecond for the patterns, and
# most posts fail them. tests/text/test_shortcuts.py generates texts from each pattern
# and checks them against its entry here, in the same order as the patterns.
_ME_US_WORDS = ("me", "us")
_YOU_WORDS = ("you", "u", "ya")
_DM_CHANNEL = ("dm", "pm", "inbox", "message")
_DM_REQUIRES = [
    (_DM_CHANNEL, _ME_US_WORDS),
    (("dm", "pm"), ("please", "pls", "plz", "kindly", "just", "feel", "go", "you", "can", "could")),
    (("dm", "pm"), ("please", "pls", "plz")),
    (("dm", "pm"), _YOU_WORDS),
    (("dm", "pm"), _YOU_WORDS),
    (("sen",), _DM_CHANNEL + ("note",)),
    (("send",), _DM_CHANNEL + ("note", "line")),
    (("send",), ("dm", "pm", "message")),
    (("drop", "shoot"), _DM_CHANNEL + ("line", "note")),
    (("slide",), ("dms",)),
    (("check",), _DM_CHANNEL + ("mail",)),
    (("dm", "message"),),
    (("dms", "inbox"), ("open",)),
    (("tak", "mov", "continu", "carry"), ("offline", "private", "mail") + _DM_CHANNEL),
    (("talk", "chat", "speak", "discuss", "connect", "catch"), ("off", "private")),
]
_FOLLOW_UP_REQUIRES = [
    (("'ll", "will", "shall", "can", "going", "gonna", "would"),
     ("back", "reach", "touch", "follow", "message", "dm", "pm", "contact", "mail", "call", "ring", "text", "send")),
    (("sen",), ("mail", "text", "call")),
    (("please", "pls", "plz", "kindly", "feel", "hesitate", "sure"),
     ("reach", "touch", "contact", "message", "mail", "drop")),
]
_ALL_REQUIRES = _DM_REQUIRES + _FOLLOW_UP_REQUIRES
# Case-insensitive `re` also matches these four letters to ASCII ones.
_FOLD = str.maketrans({"\u0131": "i", "\u017f": "s", "\u212a": "k", "\u0130": "i"})


def _may_match(norm: str, requires: list[tuple[tuple[str, ...], ...]]) -> tuple[int, ...]:
    """The patterns of ``requires`` (by position) that may match ``norm``: the others cannot (see above)."""
    if not speedups.enabled():
        return tuple(range(len(requires)))
    folded = norm.lower()
    if not folded.isascii():
        folded = folded.translate(_FOLD)
    word_bits, needs = _bit_table(tuple(requires))
    got = 0
    for word, bits in word_bits:
        if word in folded:
            got |= bits
    if not got:
        return ()
    return tuple(i for i, need in enumerate(needs) if got & need == need)


@lru_cache(maxsize=16)
def _bit_table(requires: tuple) -> tuple[tuple[tuple[str, int], ...], tuple[int, ...]]:
    """One bit per group of every pattern: a word sets the bits of the groups it is in, and a
    pattern may match when all of its bits are set. Integers do the set logic of a text at once."""
    word_bits: dict[str, int] = {}
    needs = []
    bit = 0
    for groups in requires:
        need = 0
        for group in groups:
            for word in group:
                word_bits[word] = word_bits.get(word, 0) | (1 << bit)
            need |= 1 << bit
            bit += 1
        needs.append(need)
    return tuple(sorted(word_bits.items())), tuple(needs)


@lru_cache(maxsize=512)
def _alternation(chosen: tuple[int, ...]) -> re.Pattern[str]:
    # The built-in alternation without the patterns that cannot match this text. Leaving out an
    # alternative that fails everywhere changes no match of the others: finditer gives the same
    # spans as the whole alternation, and a text that names one or two patterns is read far faster.
    return _compile([_ALL_PATTERNS[i] for i in chosen])


_ALL_PATTERNS = _DM_PATTERNS + _FOLLOW_UP_PATTERNS


def _negated(text: str, start: int) -> bool:
    """Is there a refusal in the same clause within a few words before ``start``?"""
    # Four words never span more than a couple of hundred characters; looking
    # no further keeps a post with many matches linear.
    lo = max(0, start - 200)
    breaks = list(_CLAUSE_BREAK.finditer(text, lo, start))
    clause_start = breaks[-1].end() if breaks else lo
    words = list(re.finditer(r"\S+", text[clause_start:start]))
    window_start = clause_start + (words[-_WINDOW_WORDS].start() if len(words) >= _WINDOW_WORDS else 0)
    for negation in _NEGATION.finditer(text, window_start, start):
        if not _SOFTENER.match(text, negation.end()):
            return True
    return False


def _first_unnegated(text: str, spans: Iterable[tuple[int, int]]) -> Match | None:
    # Earliest first, the longer of two at one place first.
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not _negated(text, start):
            return Match(start, end, text[start:end])
    return None


@lru_cache(maxsize=64)
def _matcher(entries: tuple[str, ...]) -> Matcher:
    # Policies are few; compile each list of extra phrases once.
    return compile_phrases(entries)


def find_promise(text: str, extra: Iterable[str] = (), replace: Iterable[str] | None = None) -> Match | None:
    """The first promise or invitation of private contact in ``text``, or None.

    ``extra`` adds policy phrases to the built-in set; ``replace`` (when not
    None) is used instead of it. Phrases match whole words in any case;
    ``/regex/`` entries are RE2 expressions. An invalid one raises ValueError.
    Matches preceded by a negation in the same clause are ignored.
    """
    norm = normalize_apostrophes(text)
    spans: list[tuple[int, int]] = []
    if replace is None:
        chosen = _may_match(norm, _ALL_REQUIRES)
        if chosen:
            spans += [m.span() for m in _alternation(chosen).finditer(norm)]
        policy = tuple(extra)
    else:
        policy = tuple(replace) + tuple(extra)
    if policy:
        spans += [(m.start, m.end) for m in _matcher(policy).find_all(text)]
    found = _first_unnegated(norm, spans)
    return None if found is None else Match(found.start, found.end, text[found.start : found.end])


def find_dm_invitation(text: str) -> Match | None:
    """Like :func:`find_promise` with the built-in phrases that name a private
    channel (DM, private message, "take this offline"), not bare "we'll get back to you"."""
    norm = normalize_apostrophes(text)
    chosen = _may_match(norm, _DM_REQUIRES)  # the DM patterns come first in _ALL_PATTERNS
    if not chosen:
        return None
    found = _first_unnegated(norm, (m.span() for m in _alternation(chosen).finditer(norm)))
    return None if found is None else Match(found.start, found.end, text[found.start : found.end])
