"""Promises of private contact in a post: invitations ("DM us") and commitments ("we'll get back to you").

A promise made in public and not kept is the failure the auditor exists to
catch (docs/contract.md, ``follow_through``), so the built-in phrases
(:mod:`auditor.text.promise_patterns`) aim at what support and sales accounts
actually write, and what is not a promise stays out:

* a refusal close before the phrase cancels it ("please don't DM me", "we
  can't discuss this by DM", "we haven't replied to your DM");
* a commitment with someone else as its subject is nobody's promise here
  ("the courier will contact you", "they will be in touch");
* a commitment that waits for the counterpart is an invitation: "Can we DM
  you?", "Please share your details here: <link> and I'll get back to you",
  "if you send us the order number we'll get back to you";
* words quoted are someone's words reported, not a promise made ("you were told
  \"we'll get back to you\" and we didn't", "you wrote \"DM me\""), and so is
  a commitment whose subject is someone else ("your agent said he would DM you");
* a commitment on a condition is no promise to keep: "we'll get back to you if
  anything changes", "If we find it, we'll DM you".

When a post holds several, the first one decides its kind ("DM us your order
number and we'll get back to you" is an invitation). Each promise also says
which channel it asks for that no data can show (e-mail, phone, a link to a
web form...): an invitation to DM, or one that names no channel ("feel free
to contact us", "let's take this offline"), is taken up by a DM.

The built-in patterns are ours and safe for Python's ``re``; phrases supplied
by a policy go through :mod:`auditor.text.patterns` (RE2).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from auditor.text.channels import find_email, find_phone, find_url
from auditor.text.patterns import Matcher, compile_phrases
from auditor.text.promise_patterns import COMMITMENT, INVITATION, OUR_PEOPLE, PATTERNS, SUBJECT
from auditor.text.promise_screen import may_match
from auditor.text.spans import Match, normalize_apostrophes

__all__ = ["COMMITMENT", "INVITATION", "Promise", "find_dm_invitation", "find_promise"]


@dataclass(frozen=True, slots=True)
class Promise:
    """A promise found in a text: ``text == source[start:end]``."""

    start: int
    end: int
    text: str
    kind: str  # INVITATION or COMMITMENT
    # The channel the post asks for that no data shows ("e-mail", "phone", "a link", "chat", "the app"),
    # or None: by DM, or no channel named.
    elsewhere: str | None = None
    # A commitment saying the contact was already made ("I've sent you a DM", "check your DMs").
    claim: bool = False


# A negation or refusal just before a match cancels it: "please don't DM
# me", "we can't discuss this by DM", "no need to DM us", "never DM us",
# "we haven't replied to your DM". Bare "not"/"no" are left out on purpose:
# "sorry it's not working, DM us" is still an invitation.
_NEGATION = re.compile(
    r"\b(?:don't|dont|do\s+not|does\s+not|doesn't|never|no\s+need\s+to|can't|cant|cannot|can\s+not|"
    r"won't|wont|will\s+not|wouldn't|wouldnt|would\s+not|shouldn't|should\s+not|must\s+not|mustn't|unable\s+to|not\s+able\s+to|"
    r"haven't|havent|hasn't|have\s+not|has\s+not|didn't|did\s+not|not\s+yet|"
    r"rather\s+not|instead\s+of|rather\s+than|stop|avoid)\b",
    re.IGNORECASE,
)
# ...unless the negation softens the invitation ("don't hesitate to DM us") or
# states the condition for it ("if that doesn't help please DM us"): a condition
# only after "if", "unless", "when"... in the clause ("we can't help by DM" refuses).
_SOFTENER = re.compile(r"\s*(?:hesitate|forget|be\s+shy|be\s+afraid|wait|worry)\b", re.IGNORECASE)
_CONDITION = re.compile(
    r"\s*(?:help|work|fix|solve|resolve|load|arrive|hear|get|receive|see|find|have|know)\b", re.IGNORECASE)
# A subject of ours between a negation and the promise starts a clause of its own; not after "don't think".
_NEW_SUBJECT = re.compile(r"\b(?:we|i)\b", re.IGNORECASE)
# ...and only when the negation is someone else's ("you haven't heard back"), not ours ("we can't guarantee",
# "I never told you") nor a bare imperative ("don't assume").
_THEIR_SUBJECT = re.compile(r"\b(?:you|u|they|it|he|she|this|that|there)\b", re.IGNORECASE)
_OPINION = re.compile(r"\b(?:think|believe|expect|guess|suppose|know|sure|say|said|promise|mean)\b", re.IGNORECASE)
_IF = re.compile(r"\b(?:if|unless|when|whenever|once|until|in\s+case)\b", re.IGNORECASE)
# The negation must be in the same clause, at most a few words back.
_CLAUSE_BREAK = re.compile(r"[.!?;,:\n()\[\]]|\s[-\u2013\u2014]\s|\b(?:but|and|so|then|or)\b", re.IGNORECASE)
_WINDOW_WORDS = 4

# A full stop is followed by a space or the end: the dots of "https://t.co/x" end nothing.
_SUBJECT = re.compile(SUBJECT, re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n")
# A commitment whose match starts at its modal ("will", "can"...) has its subject just before it.
_BARE_MODAL = re.compile(r"(?i)(?:will|shall|can|going|gonna|would)\b|'ll\b")
# Words before a bare modal that leave "we" as its subject: "Thanks, will follow up", "... and will be in touch".
_IMPLIED_WE = {"and", "&", "&amp;", "so", "also", "then", "now", "just", "definitely", "certainly", "surely",
               "soon", "but", "which", "who"}
_LEADING_HANDLES = re.compile(r"^\W*(?:@\w+\W+)*$")
# A commitment in a question asks first ("Can we DM you?"); one that depends on the counterpart waits
# for them ("if you send us...", "please share your details here and we'll get back to you").
_ASKING = re.compile(
    r"(?i)\b(?:can|could|may|shall|should|would|will)\s+(?:i|we)\b|\bmind\s+if\b|\b(?:want|like)\s+(?:us|me)\s+to\b")
_WAITING = re.compile(
    r"(?i)\b(?:if|once|when|whenever|as\s+soon\s+as|after)\s+(?:you|u)\b|\bonce\s+we\s+(?:receive|get|have|hear)\b"
    r"|^\W*(?:@\w+\W+)*(?:(?:please|pls|plz|kindly|just|simply)\W+)?(?:send|share|provide|fill|submit|tell|"
    r"let\s+us\s+know|give\s+us|reply|respond|follow|confirm|dm|pm|message|email|e-mail|call|contact|reach|drop|"
    r"shoot|write|go\s+to|visit|click|tap|use|select|log\s+in|sign\s+in|open)\b"
    r"|\b(?:please|pls|plz|kindly|could\s+you|can\s+you|would\s+you)\s+(?:\w+\s+){0,2}?(?:follow|send|share|provide|"
    r"fill|submit|tell|let\s+us\s+know|give|reply|respond|confirm|dm|pm|message|email|e-mail|call|contact|reach|"
    r"drop|shoot|write|go\s+to|visit|click|tap|use|select|log\s+in|sign\s+in)\b"
)

# Channels a post can name. Private messages on X are the one the data can show.
_DM_WORDS = re.compile(r"(?i)\b(?:dms?|pms?|direct\s+messages?|private\s+messages?|inbox|messag(?:e|es|ing))\b|\bdm'")
_CHANNEL_WORDS = [
    ("e-mail", re.compile(r"(?i)\be-?mail")),
    ("phone", re.compile(r"(?i)\b(?:call|ring|phone|telephone|text)\b")),
]
_OTHER_DESK = re.compile(rf"(?i)\b(?:reach|contact|touch\s+with|write|to|message|e-?mail|call|ring)\s+{OUR_PEOPLE}")
# A post that offers another way to reach the account: the counterpart may have used it.
_OFFERS_ELSEWHERE = [
    ("e-mail", re.compile(r"(?i)\be-?mail\s+(?:us|me)\b|\b(?:by|via|over|through)\s+e-?mail\b")),
    ("phone", re.compile(
        r"(?i)\b(?:call|ring|phone)\s+(?:us|me)\b|\bgive\s+(?:us|me)\s+a\s+(?:call|ring)\b|\b(?:by|via|over|on\s+the)\s+"
        r"(?:tele)?phone\b|\bphone\s*(?:/|or)\s*chat\b|\breturn\s+(?:my|our)\s+call\b|\bcall\s*back\b|\bring\s+in\b")),
    ("chat", re.compile(r"(?i)\blive\s+chat\b|\bchat\s+(?:in\s+)?with\s+(?:us|me)\b|\b(?:by|via)\s+chat\b|\bchat\s+in\b")),
    ("a web form", re.compile(r"(?i)\b(?:web|contact|online|support)\s+form\b|\bfill\s+(?:in|out)\b")),
    ("the app", re.compile(r"(?i)\bin-app\b|\b(?:via|through|in)\s+(?:the|our)\s+app\b")),
]


def find_promise(text: str, extra: Iterable[str] = (), replace: Iterable[str] | None = None,
                 invitations_extra: Iterable[str] = (), invitations_replace: Iterable[str] | None = None
                 ) -> Promise | None:
    """The first promise of private contact in ``text``, or None.

    ``extra`` adds policy phrases to the built-in commitments; ``replace``
    (when not None) is used instead of them. ``invitations_extra`` and
    ``invitations_replace`` do the same for invitations. Phrases match whole
    words in any case; ``/regex/`` entries are RE2 expressions. An invalid one
    raises ValueError.
    """
    norm = normalize_apostrophes(text)
    kinds = tuple(kind for kind, replaced in ((COMMITMENT, replace), (INVITATION, invitations_replace))
                  if replaced is None)
    candidates = _builtin(norm, _allowed(kinds)) if kinds else []
    for kind, phrases in ((COMMITMENT, (*(replace or ()), *extra)),
                          (INVITATION, (*(invitations_replace or ()), *invitations_extra))):
        if phrases:
            candidates += [(m.start, m.end, kind, False) for m in _matcher(tuple(phrases)).find_all(text)]
    for start, end, kind, claim in sorted(candidates, key=lambda c: (c[0], -c[1])):
        if _negated(norm, start) or _quoted(norm, start, end) or _counterfactual(norm, start, end):
            continue
        if kind == INVITATION and _DID_YOU.search(_sentence_before(norm, start)):
            continue
        if kind == COMMITMENT:
            if _someone_else(norm, start) or _someone_elses_modal(norm, start):
                continue
            if not claim and _conditional(norm, start, end):
                continue
            if not claim and _waits_for_them(norm, start):
                kind = INVITATION
        words = text[start:end]
        return Promise(start, end, words, kind, _elsewhere(norm, words, kind), claim)
    return None


def find_dm_invitation(text: str) -> Match | None:
    """The first built-in phrase that offers a private message ("DM us", "check your DMs", "I'll DM
    you", "let's take this offline"), for the escalation rule; not bare "we'll get back to you"."""
    norm = normalize_apostrophes(text)
    for start, end, _, _ in _builtin(norm, _DM_FORMS):
        offers_dm = _named_channel(norm[start:end]) in ("dm", None)
        if offers_dm and not _negated(norm, start) and not _quoted(norm, start, end):
            return Match(start, end, text[start:end])
    return None


# -- the built-in patterns, screened by RE2 (promise_screen.py) -------------------------------------

_DM_FORMS = tuple(i for i, pattern in enumerate(PATTERNS) if pattern.dm)


@lru_cache(maxsize=4)
def _allowed(kinds: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(i for i, pattern in enumerate(PATTERNS) if pattern.kind in kinds)


def _builtin(norm: str, allowed: tuple[int, ...]) -> list[tuple[int, int, str, bool]]:
    """(start, end, kind, claim) of every built-in match among the ``allowed`` patterns, left to right."""
    chosen = may_match(norm, allowed)
    if not chosen:
        return []
    found = []
    for m in _alternation(chosen).finditer(norm):
        pattern = PATTERNS[chosen[m.lastindex - 1]]
        start = m.start()
        if pattern.subject:
            subject = _SUBJECT.search(norm, max(0, start - 60), start)
            if subject is not None:
                start = subject.start()
        found.append((start, m.end(), pattern.kind, pattern.claim))
    return found


@lru_cache(maxsize=512)
def _alternation(chosen: tuple[int, ...]) -> re.Pattern[str]:
    # The built-in alternation without the patterns that cannot match this text, each in its own
    # group (`lastindex` names the one that matched). Leaving out an alternative that fails
    # everywhere changes no match of the others: finditer gives the same spans as the whole
    # alternation, and a text that names one or two patterns is read far faster.
    return re.compile("|".join(f"({PATTERNS[i].regex})" for i in chosen), re.IGNORECASE)


@lru_cache(maxsize=64)
def _matcher(entries: tuple[str, ...]) -> Matcher:
    # Policies are few; compile each list of extra phrases once.
    return compile_phrases(entries)


# -- what is not a promise, and what kind one is ---------------------------------------------------


def refused(text: str, start: int) -> bool:
    """Is the phrase at ``start`` refused in its clause ("we can't email you")? For other detectors."""
    return _negated(normalize_apostrophes(text), start)


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
        if _SOFTENER.match(text, negation.end()):
            continue
        if ((_NEW_SUBJECT.search(text, negation.end(), start) or _NEW_SUBJECT.match(text, start))
                and not _OPINION.search(text, negation.end(), start)
                and _THEIR_SUBJECT.search(text, clause_start, negation.start())
                and not _NEW_SUBJECT.search(text, clause_start, negation.start())):
            continue  # "you haven't heard back we'll DM you": a new clause of ours, its comma left out
        if _CONDITION.match(text, negation.end()) and _IF.search(text, clause_start, negation.start()):
            continue
        return True
    return False


def _sentence_before(text: str, start: int) -> str:
    lo = max(0, start - 300)
    ends = list(_SENTENCE_END.finditer(text, lo, start))
    return text[ends[-1].end() if ends else lo : start]


def _someone_else(text: str, start: int) -> bool:
    """A commitment matched from its bare modal ("will be in touch") whose subject is not us:
    "The courier will contact you", "Team @carrier will reach out"."""
    if not _BARE_MODAL.match(text, start):
        return False
    if text.startswith("'", start):
        return True  # "you'll", "they'll", "it'll": "I'll" and "we'll" are matched from their subject
    return _subject_before_is_not_us(text, start)


def _subject_before_is_not_us(text: str, start: int) -> bool:
    """Is the word before a modal at ``start`` someone else ("the courier", "scammers"), rather than us or
    nobody ("Thanks, will DM you", "and will be in touch")?"""
    before = _sentence_before(text, start)
    words = before.split()
    if not words or words[-1].endswith(","):
        return False
    if words[-1].lower() in _IMPLIED_WE:
        return False
    # "@bob will follow up": the handles that open a reply address it, they are not its subject.
    return not (words[-1].startswith("@") and _LEADING_HANDLES.match(before))


# Quotation marks that open and close a quote; a straight double quote does both.
_QUOTES = (('"', '"'), ("\u201c", "\u201d"), ("\u201e", "\u201c"), ("\u201e", "\u201d"), ("\u00ab", "\u00bb"))


def _quoted(text: str, start: int, end: int) -> bool:
    """Is text[start:end] inside a quotation ("...", “...”, „...“, «...»)? Then it reports someone's words."""
    for opening, closing in _QUOTES:
        if opening == closing:
            if text.count(opening, 0, start) % 2 == 1 and opening in text[end:]:
                return True
            continue
        opened = text.rfind(opening, 0, start)
        if opened >= 0 and text.rfind(closing, opened + 1, start) < 0 and closing in text[end:]:
            return True
    return False


# A modal just before a commitment that starts at its verb ("he would DM you", "she'll send you a DM").
_MODAL_BEFORE = re.compile(r"(?i)(?:\b(?:would|will|shall|could|should|might|may|must|can|gonna|going\s+to)|'(?:ll|d))"
                           r"\s+(?:(?:also|then|now|soon|just|definitely|personally|happily|gladly)\s+)?$")
_FIRST_PERSON = re.compile(r"(?i)(?:^|\W)(?:i|we)$")


def _someone_elses_modal(text: str, start: int) -> bool:
    """A commitment matched from its verb whose modal has someone else as its subject: "your agent said he
    would DM you", "she'll send you a DM". With "I" or "we" (or none: "Thanks, will DM you") it is ours."""
    modal = _MODAL_BEFORE.search(text, max(0, start - 60), start)
    if modal is None:
        return False
    if text.startswith("'", modal.start()):
        return not _FIRST_PERSON.search(text, max(0, modal.start() - 10), modal.start())  # "we'll", "he'd"
    before = _sentence_before(text, modal.start()).split()
    if before and _FIRST_PERSON.search(before[-1]):
        return False
    if _MAYBE.match(text, modal.start()):
        # What someone else may do is a warning, not our promise: "Scammers may DM you pretending to be us".
        return _subject_before_is_not_us(text, modal.start())
    # "The team should send you an email shortly" is ours; "the courier will contact you" is not.
    return _someone_else(text, modal.start())


_MAYBE = re.compile(r"(?i)(?:may|might|could)\b")


# A condition right after a commitment ("... if anything changes", "... in case we need more"), or one that
# opens its sentence ("If we find it, we'll DM you"); "if you ..." before it is `_waits_for_them`.
# "if that's ok" only asks politely: the promise stands.
_POLITE_IF = (r"(?!\s+(?:(?:that|this|it)(?:'s|\s+is)?\s*(?:ok|okay|alright|all\s+right|fine|good|convenient)|"
              r"(?:that|this|it)\s+works|you\s+(?:don't|do\s+not)\s+mind|not\s+(?:sooner|before|earlier))\b)")
_CONDITION_AFTER = re.compile(
    rf"(?i)\W{{0,3}}(?:[\w']+\s+){{0,4}}?(?:if{_POLITE_IF}|in\s+case|unless|should\s+(?:we|i|there|anything))\b")
# "Should you need us..." opens a condition; "Should be fixed soon" does not.
_CONDITION_OPENS = re.compile(r"(?i)^\W*(?:@\w+\W+)*(?:if|in\s+case|unless|should(?!\s+be\b))\b")


# A commitment timed by something else happening first ("... once it ships", "... as soon as we hear from the
# warehouse", "... when it's back in stock"): when that is, and so when the contact is due, is not in the data.
# Our own "as soon as we can", "when we have an update" and "as soon as possible" still promise.
_EVENT_AFTER = re.compile(
    r"(?i)\W{0,3}(?:[\w']+\s+){0,4}?(?:once|when|whenever|as\s+soon\s+as|after)\s+"
    r"(?:it|it's|they|they're|he|she|this|that|these|those|the|your|its|their|we\s+hear|i\s+hear|"
    r"we\s+receive|we\s+get\s+word)\b")
# What we would have done, or tried to do: "We'd DM you, but your DMs are closed", "we've been trying to DM you".
_WOULD = re.compile(r"(?i)\b(?:i|we)(?:'d|\s+would)\b")
_BUT = re.compile(r"(?i)\b(?:but|however|except)\b")
_TRIED = re.compile(r"(?i)\b(?:try|tries|tried|trying|attempted|attempting|wanted|meant|hoped)\s+to\s+$")
# "Did you DM us?", "Have you sent us a DM yet?": asking whether they wrote, not asking them to.
# It opens its clause: "Can I have you DM me" still asks them to.
_DID_YOU = re.compile(r"(?i)(?:^|[.!?;:]\s+|^\W*(?:@\w+\s+)+)(?:did|have|has|had)\s+(?:you|u)\s+(?:already\s+|yet\s+)?$")


def _conditional(text: str, start: int, end: int) -> bool:
    """Is this commitment made on a condition, so that nothing was promised unless it holds?"""
    after = _SENTENCE_END.search(text, end)
    clause = text[end:after.start() if after else len(text)]
    if _CONDITION_AFTER.match(clause) and "," not in clause[:_CONDITION_AFTER.match(clause).end()]:
        return True
    if _EVENT_AFTER.match(clause) and "," not in clause[:_EVENT_AFTER.match(clause).end()]:
        return True
    return _CONDITION_OPENS.match(_sentence_before(text, start)) is not None


def _counterfactual(text: str, start: int, end: int) -> bool:
    """What we would have done, or tried or wanted to do, which says no contact was made or is owed: "We'd DM
    you, but your DMs are closed", "We would have DMed you, but...", "we've been trying to DM you"."""
    before = _sentence_before(text, start)
    if _TRIED.search(before):
        return True
    after = _SENTENCE_END.search(text, end)
    clause = text[end:after.start() if after else len(text)]
    return _BUT.search(clause) is not None and _WOULD.search(before + text[start:end]) is not None


def _waits_for_them(text: str, start: int) -> bool:
    """Is this commitment asked as a question, or conditional on the counterpart acting first?"""
    before = _sentence_before(text, start)
    if _WAITING.search(before):
        return True
    end = _SENTENCE_END.search(text, start)
    return end is not None and end.group() == "?" and _ASKING.search(before) is not None


def _named_channel(words: str) -> str | None:
    """The channel a promise's own words name: "dm", "e-mail", "phone", "another desk", or None."""
    if _DM_WORDS.search(words):
        return "dm"
    if _OTHER_DESK.search(words):
        return "another desk"  # "contact our Aftersales team": someone else, and not here
    for name, pattern in _CHANNEL_WORDS:
        if pattern.search(words):
            return name
    return None


def _elsewhere(text: str, words: str, kind: str) -> str | None:
    """The channel the post asks for that no data shows, or None (a DM, or no channel named)."""
    named = _named_channel(words)
    if named is None and _DM_WORDS.search(text):
        named = "dm"  # "please reach out via DM"
    if named not in ("dm", None):
        return named
    offered = _offered_elsewhere(text)
    if named == "dm":
        # "DM me or call us at 555-0100": the counterpart may have called. A commitment to DM is
        # kept by a DM whatever else the post offers.
        return offered if kind == INVITATION else None
    if offered:
        return offered
    if kind == INVITATION:
        return "a link" if find_url(text) else None  # "reach out to us here: <link>"
    # "We're reviewing your email and will be in touch": the contact may come by e-mail.
    return next((name for name, pattern in _CHANNEL_WORDS if pattern.search(text)), None)


def _offered_elsewhere(text: str) -> str | None:
    if find_email(text):
        return "e-mail"
    if find_phone(text):
        return "phone"
    for name, pattern in _OFFERS_ELSEWHERE:
        if pattern.search(text):
            return name
    return None
