"""Whether a customer's post says the problem they complained of is settled ("Came back on this morning", "I got my
four burrito bowls without issue"): the escalation rule then has nothing left to take private.

Held to "settled, and nothing else said against it": a question, a word that takes it back ("still", "but", "not",
"again", "until", "nothing"...), someone else's word for it ("Tracking says it arrived", "closed my ticket as
resolved"), a time it lasted ("came back on for 5 minutes", "worked once"), more than `MAX_WORDS` words, or
anything else VADER reads below zero ("it arrived broken") and it is not. Missing a settled thread
costs a finding a reader may dispute; a wrong "settled" would hide a complaint, so the phrases are few and plain.
"""

from __future__ import annotations

import re

from auditor.text.acknowledgements import SOLVED
from auditor.text.sentiment import sentiment_below
from auditor.text.spans import HANDLE_RE, URL_RE, Match, blank_out, normalize_apostrophes

_SOLVED = "|".join(re.escape(phrase).replace(r"\ ", r"\s+").replace("'", "'?")
                   for phrase in sorted(SOLVED, key=len, reverse=True))
_SETTLED_RE = re.compile(
    rf"(?i)\b(?:{_SOLVED})\b|"
    r"\b(?:came|comes|come|is|it's|its|it\s+is|all)\s+back\s+(?:on|up|online)\b|"
    r"\b(?:downloaded|installed|updated|loaded|went\s+through|got\s+through)\s+(?:now|fine|ok|okay|at\s+last|finally)\b|"
    r"\bgot\s+(?:someone|somebody|an?\s+\w+)\s+(?:that|who)\s+(?:helped|sorted|fixed)\b|"
    r"\bwithout\s+(?:any\s+)?(?:issues?|problems?|trouble|a\s+hitch)\b")
# Before the words, what makes them a wish, someone else's, or none: "It needs to be fixed", "glad your sorted",
# "nothing worked".
_NOT_SETTLED_BEFORE_RE = re.compile(
    r"(?i)\b(?:to|be|get|gets|getting|need|needs|want|wants|should|must|will|would|could|can|please|pls|hope|"
    r"hopefully|your|you're|youre|you\s+are|nothing|never|none|nobody|no|nor)\s+(?:\w+\s+){0,1}$")
# "found it was cheaper": found that something is so, not the thing lost.
_FOUND_THAT_RE = re.compile(r"(?i)\s+(?:was|is|were|are|to|that|had|has|in)\b")
# What takes it back, says it is only part of the story, or someone else's word for it: "Tracking says it arrived.
# Nothing on my doorstep.", "Came back on for 5 minutes", "You closed my ticket as resolved".
_CONTRAST_RE = re.compile(
    r"(?i)\b(?:still|but|however|though|yet|not|again|until|except|only|anymore|no\s+longer|nothing|nobody|no\s+one|"
    r"never(?!\s*mind)|says?|said|shows?|showing|marked|closed|claims?|apparently|supposedly|allegedly|once|temporarily|briefly|"
    r"for\s+now|for\s+(?:a|an|one|two|few|\d+)\s+(?:\w+\s+)?(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|while|bit)|"
    r"we'?ll\s+see|smashed|broken|damaged|cracked|wrong|missing|switch(?:ing|ed)?|cancel(?:led|ling|ed)?|refund)\b|n't\b|🙄")
# A post that says more than this is about more than its problem being settled.
MAX_WORDS = 25


def says_settled(text: str) -> Match | None:
    """The words of ``text`` that say the problem is settled, or None (see the module's docstring)."""
    written = blank_out(normalize_apostrophes(text), URL_RE, HANDLE_RE)
    if "?" in written or _CONTRAST_RE.search(written) or len(written.split()) > MAX_WORDS:
        return None
    found = next((m for m in _SETTLED_RE.finditer(written)
                  if not _NOT_SETTLED_BEFORE_RE.search(written, max(0, m.start() - 40), m.start())
                  and not (m.group().lower().startswith("found") and _FOUND_THAT_RE.match(written, m.end()))), None)
    # What else it says, read without the settled words ("Problem solved!" is below zero to VADER, for "problem"):
    if found is None or sentiment_below(written[:found.start()] + " " + written[found.end():], 0):
        return None
    return Match(found.start(), found.end(), found.group())
