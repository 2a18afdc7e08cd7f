"""The built-in promise phrases: one regular expression per form, and its kind.

Two kinds (docs/contract.md, ``follow_through``):

* **invitations** ask the counterpart to make private contact: "DM us your
  order number", "send us a DM", "our DMs are open", "let's take this
  offline", "feel free to contact us", "reach out to us here: <link>";
* **commitments** promise that the account makes contact itself: "I'll DM
  you", "we'll look into it and get back to you", "we'll be in touch", and
  *claims* that it already did: "I've sent you a DM", "check your DMs", "we've
  replied via DM".

Every pattern is ours, safe for Python's ``re`` and free of capture groups
(the matcher wraps each one in a group to tell which matched).

They use only what :mod:`auditor.text.promise_screen` can loosen into RE2:
non-capturing groups, classes not negated, look-arounds and the escapes ``\\s \\w \\d \\b``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INVITATION = "invitation"
COMMITMENT = "commitment"

_DM = r"(?:dms?|pms?|direct\s+messages?|private\s+messages?|inbox)"
_YOU = r"(?:you|u|ya)"
_ME_US = r"(?:me|us)"
# "DM" or "PM", but not the PM of a time: "5 PM us time", "10:30 pm you". The look-behinds come after
# the word, so the pattern starts with letters and `re` only tries it where one of them is.
_DM_PM = r"\b(?:dm|pm)(?<![\d:][dp]m)(?<!\b\d\s[dp]m)(?<!\b\d\d\s[dp]m)"
_PLEASE = r"(?:please|pls|plz|kindly|just|feel\s+free\s+to|go\s+ahead\s+and|you\s+can|can\s+you|could\s+you)"

# A modal that makes a promise. Matched without a subject ("'ll get back to you", "will be in
# touch"), promises.py looks at the word before it: "you'll reach out" is the customer's part, and
# "they will be in touch" (the courier, another team) is nobody's promise here.
_MODAL = r"(?:'ll|\b(?:will|shall|can|going\s+to|gonna|would\s+like\s+to|let\s+(?:me|us)))"
# The subject just before a commitment's modal is part of the quote ("We'll get back to you"); the
# pattern starts at the modal, and promises.py looks for the subject before it (`subject=True`).
SUBJECT = (
    r"\b(?:i|we|someone|somebody|(?:our|the|my|a)\s+(?:team|agents?|colleagues?|"
    r"specialists?|reps?|representatives?|manager|member\s+of\s+(?:our|the)\s+team))\s*(?:'m|'re|am|are)?\s*$"
)
# Words allowed between the modal and the verb: adverbs and softeners only,
# so "will you get back to me?" (the customer's question) does not match.
_FILLER = (
    r"(?:(?:definitely|certainly|surely|personally|quickly|happily|gladly|also|soon|then|now|asap|just|"
    r"be\s+sure\s+to|make\s+sure\s+to|be\s+happy\s+to|be\s+glad\s+to|try\s+to|aim\s+to|"
    r"be\s+able\s+to|need\s+to|have\s+to|have\s+someone|get\s+someone\s+to)\s+){0,2}"
)
# What the account promises to do. "reach out", "get in touch", "follow up" and "touch base" with
# someone else ("we'll reach out to the warehouse", "get in touch with them") promise nothing to the
# counterpart; "we'll follow up with next steps" does.
_WITH_YOU_ONLY = r"(?!\s+(?:to|with)\s+(?:(?:the|our|their|his|her|my|them|him|it)\b|@))"
_CONTACT = (
    rf"(?:get\s+back\s+to\s+{_YOU}|reach\s+out{_WITH_YOU_ONLY}|be\s+in\s+(?:touch|contact)|get\s+in\s+touch{_WITH_YOU_ONLY}|"
    rf"follow[\s-]?up{_WITH_YOU_ONLY}|touch\s+base{_WITH_YOU_ONLY}|be\s+reaching\s+out{_WITH_YOU_ONLY}|"
    rf"be\s+in\s+(?:your|ur)\s+(?:dms|inbox)|"
    rf"(?:message|dm|pm|contact|email|e-mail|call|ring|text)\s+{_YOU}|"
    rf"send\s+{_YOU}\s+(?:an?\s+)?(?:{_DM}|message|email|e-mail|note|text)|give\s+{_YOU}\s+a\s+(?:call|ring)|"
    rf"(?:be\s+)?(?:reply|replying|respond|responding)(?:\s+to\s+(?:{_YOU}|your\s+(?:dms?|messages?)))?(?:\s+in\s+kind)?"
    rf"\s+(?:shortly|soon|asap|there|now|in\s+dms?|via\s+dms?)|be\s+(?:replying|responding)|"
    rf"continue\s+(?:(?:working|chatting|talking)\s+with\s+{_YOU}\s+|(?:our|the|this)\s+conversation\s+)?"
    rf"(?:there|in\s+dms?|via\s+dms?)|"
    rf"connect(?:\s+with\s+{_YOU})?\b(?!\s+(?:{_YOU}|with|to)\b))"
)
# Another desk of the same company: "please contact our Aftersales team on 0344 556 5650".
OUR_PEOPLE = (r"our\s+(?:[\w-]+\s+){0,3}?(?:team|office|folks|department|desk|specialists?|experts?|agents?|"
               r"support|staff)\b")


@dataclass(frozen=True)
class Pattern:
    regex: str
    kind: str
    dm: bool = False  # the form itself names a private message (what escalation counts as offering a DM)
    claim: bool = False  # a commitment saying the contact was already made
    subject: bool = False  # starts at its modal: the subject before it belongs to the quote


PATTERNS: list[Pattern] = [
    # -- invitations ------------------------------------------------------------------------------
    # "DM me", "DM us your order number", "PM me" (not "5 PM us time")
    Pattern(rf"(?:{_DM_PM}|\binbox|\bmessage)\s+{_ME_US}\b", INVITATION, dm=True),
    # "pls dm", "please, DM the details", "feel free to DM", "could you DM"
    Pattern(rf"\b{_PLEASE},?\s+(?:dm|pm)\b(?!['’])", INVITATION, dm=True),  # not "just DM'd you": a claim
    # "DM please"
    Pattern(rf"{_DM_PM}\s+(?:please|pls|plz)\b", INVITATION, dm=True),
    # "DM your tracking number", "DM our team", "DM which device it is", "DM w/ any questions"
    Pattern(rf"{_DM_PM}\s+(?:(?:(?:your|ur)(?!\s+way)|our\s+team|my\s+team|which|what|"
            r"with\s+(?:your|any|the|more))\b|w/)", INVITATION, dm=True),
    # "send us a DM / direct message / private message / note / line"
    Pattern(rf"\bsend\s+{_ME_US}\s+(?:an?\s+)?(?:quick\s+)?(?:{_DM}|message|note|line)\b", INVITATION, dm=True),
    # "please send a DM", "sending a DM"
    Pattern(r"\b(?:send|sending)\s+an?\s+(?:quick\s+)?(?:dm|pm|direct\s+message|private\s+message)\b"
            rf"(?!\s+(?:your\s+way|to\s+{_YOU})\b)", INVITATION, dm=True),  # "I'll send a DM your way" is ours
    # "drop us a DM/line", "shoot me a DM"
    Pattern(rf"\b(?:drop|shoot)\s+{_ME_US}\s+(?:an?\s+)?(?:quick\s+)?(?:{_DM}|message|line|note)\b",
            INVITATION, dm=True),
    # "slide into our DMs", "hop into our DMs", "pop over to our DMs"
    Pattern(r"\b(?:slide|hop|jump|pop)\s+(?:into|in\s+to|over\s+to)\s+(?:my|our)\s+dms\b", INVITATION, dm=True),
    # "via DM", "by direct message", "in a private message", "meet us in DM"
    Pattern(r"\b(?:via|by|in|through|over)\s+(?:an?\s+|the\s+)?(?:dms?|direct\s+messages?|private\s+messages?)\b",
            INVITATION, dm=True),
    # "our DMs are open", "My DM's are open", "DMs are open"
    Pattern(r"\b(?:(?:my|our)\s+(?:dm'?s|inbox)\s+(?:is\s+|are\s+)?|dm'?s\s+(?:is|are)\s+)(?:always\s+)?open\b",
            INVITATION, dm=True),
    # "let's take this offline", "take it to DM", "move this to e-mail"
    Pattern(r"\b(?:take|taking|move|moving|continue|continuing|carry)\s+"
            r"(?:this|it|that|things|the\s+conversation|this\s+conversation|our\s+conversation|the\s+chat|this\s+chat)\s+"
            rf"(?:offline|private(?:ly)?|(?:to|in|into|over|via)\s+(?:the\s+|a\s+)?(?:{_DM}|private|email|e-mail))\b",
            INVITATION, dm=True),
    # "talk off air", "chat offline", "discuss this privately"
    Pattern(r"\b(?:talk|chat|speak|discuss|connect|catch\s+up)(?:\s+(?:about\s+)?(?:this|it|more|further))?\s+"
            r"(?:off[\s-]?air|offline|privately|in\s+private)\b", INVITATION, dm=True),
    # "please reach out", "feel free to get in touch" (no one else named: "reach out to the crew" is not us)
    Pattern(rf"\b(?:{_PLEASE}|hesitate\s+to|be\s+sure\s+to)\s+(?:reach\s+out|get\s+in\s+touch)"
            r"(?!\s+(?:to|with)\s+(?!(?:me|us|our)\b))", INVITATION),
    # "contact us", "reach out to us here:", "get in touch with us by phone", "give us a shout", "write to us"
    # ("They call us Southbest" is no invitation: "call us" needs a request or a number.)
    Pattern(rf"\b(?:reach\s+out\s+to|reach|contact|get\s+in\s+touch\s+with|write(?:\s+to)?|message|"
            rf"e-?mail|drop)\s+(?:{_ME_US}\b(?!\s+(?:an?\s+)?(?:{_DM}|line|note)\b)|{OUR_PEOPLE})"
            rf"|(?:\b{_PLEASE}|\bor|\band)\s+(?:call|ring)\s+(?:{_ME_US}|{OUR_PEOPLE})\b"
            rf"|\b(?:call|ring)\s+(?:{_ME_US}|{OUR_PEOPLE})\s+(?:at|on|back)\b"
            rf"|\bgive\s+{_ME_US}\s+a\s+(?:shout(?![\s-]*out)|call|ring|buzz)\b", INVITATION),
    # forms behind a link: "please tell us more here: <link>", "provide some details here"
    Pattern(r"\b(?:tell\s+us\s+more|share\s+(?:more|the|your|some)\s+details|"
            r"provide\s+(?:us\s+with\s+)?(?:more|the|your|some)\s+(?:details|info(?:rmation)?|feedback))\s+"
            r"(?:here|via|using|through)\b", INVITATION),
    # -- commitments ------------------------------------------------------------------------------
    # "I'll DM you", "DMing you now", "will PM you"
    Pattern(rf"{_DM_PM}(?:'?ing)?\s+{_YOU}\b", COMMITMENT, dm=True),
    # "we'll get back to you", "our team will reach out", "we'll look into it and get back to you",
    # "let me check and get back to you", "we will be responding shortly"
    Pattern(rf"{_MODAL}\s+(?:(?:[\w']+[\s,]+){{1,6}}?and\s+(?:then\s+)?)?{_FILLER}{_CONTACT}\b",
            COMMITMENT, subject=True),
    # "we'll send you an email", "the team should send you a DM", "sending you a message now", "I'll shoot you a DM"
    Pattern(rf"\b(?:send|sending|shoot|shooting|drop|dropping|fire|firing)\s+{_YOU}\s+(?:an?\s+)?(?:quick\s+)?"
            rf"(?:{_DM}|message|note|line|email|e-mail|text|call)\b", COMMITMENT, dm=True),
    # "I'll send a DM your way"
    Pattern(rf"\b(?:send|sending|shoot|drop)\s+(?:an?\s+)?(?:quick\s+)?(?:{_DM}|message|note)\s+(?:your\s+way|to\s+{_YOU})\b",
            COMMITMENT, dm=True),
    # "We're reaching out to you via DM now", "I'm DMing you now" (not "we're reaching out to the warehouse")
    Pattern(rf"\b(?:we're|we\s+are|i'm|i\s+am)\s+(?:now\s+|also\s+|currently\s+)?(?:reaching\s+out{_WITH_YOU_ONLY}|"
            rf"(?:dming|dm'ing|pming|messaging|contacting)\s+{_YOU})\b", COMMITMENT),
    # "Will DM shortly" (no subject: the account's own shorthand; not "they will DM shortly")
    Pattern(r"\bwill\s+(?:dm|pm)(?<!\byou\swill\sdm)(?<!\bthey\swill\sdm)(?<!\byou\swill\spm)(?<!\bthey\swill\spm)"
            r"\s+(?:shortly|soon|asap|now|today|later|in\s+a\s+(?:bit|sec|second|moment|min|minute|few))\b",
            COMMITMENT, dm=True),
    # "Expect a DM from us shortly"
    Pattern(rf"\bexpect\s+(?:an?\s+)?(?:{_DM}|message|call|email|e-mail)\s+from\s+(?:us|me|our\s+team)\b",
            COMMITMENT, dm=True),
    # claims of contact: "I've DM'd you", "DMed you"
    Pattern(rf"\b(?:dm|pm)(?:'d|'ed|ed|d)\s+{_YOU}\b", COMMITMENT, dm=True, claim=True),
    # "just sent you a DM", "I've sent you an email", "we've just sent a DM your way"
    Pattern(rf"\bsent\s+{_YOU}\s+(?:an?\s+)?(?:quick\s+)?(?:{_DM}|message|note|email|e-mail|text)\b"
            rf"|\bsent\s+(?:an?\s+)?(?:{_DM}|message)\s+(?:your\s+way|to\s+{_YOU})\b", COMMITMENT, dm=True, claim=True),
    # "check your DMs/inbox/email"
    Pattern(rf"\bcheck\s+(?:your|ur|yr)\s+(?:{_DM}|messages|email|e-mail|mail)\b", COMMITMENT, dm=True, claim=True),
    # "we've replied via DM", "we have followed up via DM", "we've been in touch via DM"
    Pattern(r"\b(?:replied|responded|respond|answered|followed\s+up|folllwed\s+up|been\s+in\s+touch|reached\s+out|"
            rf"written|wrote|got\s+back)\s+(?:(?:(?:to|with)\s+{_YOU}\s+|{_YOU}\s+)?(?:via|in|by|through|over)\s+"
            rf"(?:an?\s+|the\s+)?(?:dms?|direct\s+messages?|private\s+messages?)|(?:to|with)\s+{_YOU}\s+privately)\b",
            COMMITMENT, dm=True, claim=True),  # "we've reached out to you privately" (not "privately to our supplier")
    # "we've replied to your DM", "I've just responded to your message"
    Pattern(r"\b(?:replied|responded|respond|answered|replying|responding)\s+to\s+(?:your|ur)\s+"
            r"(?:dms?|direct\s+messages?|private\s+messages?|messages?)\b", COMMITMENT, dm=True, claim=True),
]

for _pattern in PATTERNS:  # the matcher tells patterns apart by their group: none may have its own
    assert re.compile(_pattern.regex).groups == 0, _pattern.regex
