"""The contact channels a post offers: a DM invitation (`promises`) or the counterpart's own
DM spoken of, an e-mail address, a phone number or a link (`channels`). Used by the
escalation rule ("offer another channel by the second reply")."""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.text.channels import find_email, find_phone, find_url
from auditor.text.promises import find_dm_invitation, refused
from auditor.text.spans import Match


# A reply that speaks of the counterpart's DM ("We've received your DM and will continue working with
# you there", "thanks for your DM") shows the conversation already moved to private messages.
_THEIR_DM = re.compile(r"(?<![\w@#])your\s+(?:dms?|direct\s+messages?|private\s+messages?)(?![\w-])",
                       re.IGNORECASE)
# ...and so does one that speaks of the DM it sent ("Did you get our DM?").
_OUR_DM = re.compile(r"(?<![\w@#])(?:our|my)\s+(?:dm|direct\s+message|private\s+message)(?![\w-])", re.IGNORECASE)
# Contact by e-mail or phone made or promised ("we have emailed you", "we'll reach out by email", "a technician
# will phone you"): the conversation left the timeline as surely as with an address or a number.
# So is asking them to write or call ("drop us an email", "give us a call", "ring our helpline").
_BY_EMAIL = re.compile(
    r"(?<![\w-])(?:e-?mail(?:ed)?\s+(?:you|u|us|me)|(?:by|via|over)\s+e-?mail|"
    r"(?:drop|shoot|send|sent|write|fire)\s+(?:us|me|you|u)\s+(?:an?\s+)?(?:quick\s+|short\s+)?e-?mail)(?![\w-])",
    re.IGNORECASE)
_BY_PHONE = re.compile(
    r"(?<![\w-])(?:(?:call(?:ed)?|phoned?|ring|rang)\s+(?:you|u|us|me)|give\s+(?:you|u|us|me)\s+a\s+(?:call|ring|bell)|"
    r"(?:call|ring|phone)\s+(?:our|the)\s+(?:[\w-]+\s+){0,2}?(?:helpline|hotline|support\s+line|care\s+line|number)|"
    r"(?:by|via|over|on\s+the)\s+(?:tele)?phone)(?![\w-])", re.IGNORECASE)
# "They call us Southbest": someone else calling us something is no contact.
_OTHERS_BEFORE = re.compile(r"(?i)\b(?:they|people|folks|customers|some|many|everyone|friends|he|she|it)\s+$")


def find_channels(text: str, company_domains: Iterable[str] = ()) -> dict[str, Match]:
    """The contact channels ``text`` offers, keyed ``dm``, ``email``, ``phone``,
    ``url``; each with its first match. Absent channels have no key."""
    found = {
        "dm": find_dm_invitation(text) or _their_dm(text),
        "email": find_email(text) or _contact(_BY_EMAIL, text),
        "phone": find_phone(text) or _contact(_BY_PHONE, text),
        "url": find_url(text, company_domains),
    }
    return {kind: match for kind, match in found.items() if match is not None}


def _their_dm(text: str) -> Match | None:
    lowered = text.lower()
    found = _THEIR_DM.search(text) if "your" in lowered else None
    if found is None and ("our" in lowered or "my" in lowered):
        found = _OUR_DM.search(text)
    return Match(found.start(), found.end(), found.group()) if found else None


def _contact(pattern: re.Pattern[str], text: str) -> Match | None:
    """The first contact by that channel made or promised, unless refused ("we can't email you")."""
    for found in pattern.finditer(text):
        if not refused(text, found.start()) and not _OTHERS_BEFORE.search(text, max(0, found.start() - 12), found.start()):
            return Match(found.start(), found.end(), found.group())
    return None


# What a customer says of a DM the account sent them: "thanks, got your message", "I replied to your DM".
# Not "your DMs are closed" nor "check your DMs" (the account's own inbox), nor "I got the message" (understood).
_GOT_YOUR_DM = re.compile(r"(?<![\w@#])(?:got|received|saw|seen|read|replied\s+to|answered|thanks\s+for)\s+"
                          r"(?:(?:your|ur)\s+(?:dms?|direct\s+messages?|private\s+messages?|messages?|pm)|"
                          r"the\s+(?:dms?|direct\s+messages?|private\s+messages?|pm))(?![\w-])", re.IGNORECASE)


def their_dm_spoken_of(text: str) -> Match | None:
    """A customer's words that the account wrote to them by DM ("got your message", "your DM"), or None."""
    found = _GOT_YOUR_DM.search(text)
    return None if found is None else Match(found.start(), found.end(), found.group())


# What a customer says of a DM they sent the account: "Just DM'd you with a screenshot", "I have sent you a DM",
# "DM sent", "I messaged you my account number". By them ("I", "we", or no subject at all: "my friend messaged you" is
# not), in a DM and not another channel ("I messaged you on Facebook"), done and not asked or denied ("Should I DM
# you?", "I have not yet DMed you"): each clause read alone, from its start.
_SENT_THEM_A_DM = re.compile(
    r"(?i)^\W*(?P<words>(?:(?:i|i'?ve|ive|i\s+have|i\s+had|we|we'?ve|we\s+have)\s+)?(?:(?:just|already|also)\s+)?"
    r"(?:(?:dm'?e?d|pm'?e?d|(?:(?:direct|private)(?:ly)?\s+)?messaged)\s+(?:you|u|y'all|you\s+guys)|"
    r"sent\s+(?:you|u|y'all)\s+(?:(?:a|an|the|my|another)\s+)?(?:dms?|direct\s+messages?|private\s+messages?|pms?)|"
    r"(?:dms?|pms?|direct\s+messages?|private\s+messages?)\s+(?:sent|has\s+been\s+sent)))(?![\w-])")
_CLAUSE = re.compile(r"[.!?;,\n]+|\s+(?:and|but|so)\s+")
_OPENING_HANDLES = re.compile(r"^(?:\s*[@＠][\w.@-]+)+")
# Another channel than the account's DMs: "I DMed you on Instagram", "messaged you on Facebook".
_ELSEWHERE = re.compile(r"(?i)\b(?:on|via|through|over|by)\s+(?:facebook|fb|instagram|insta|ig|whatsapp|linkedin|"
                        r"messenger|telegram|e-?mail|phone|text|sms|the\s+(?:website|app|chat))\b")


def their_dm_to_us(text: str) -> Match | None:
    """A customer's words that they sent the account a DM ("Just DM'd you", "sent you a DM"), or None."""
    at = 0
    for clause in _CLAUSE.split(text):
        start = text.find(clause, at)
        at = start + len(clause)
        if _ELSEWHERE.search(clause):
            continue
        said = _OPENING_HANDLES.sub(lambda handles: " " * len(handles.group()), clause)
        found = _SENT_THEM_A_DM.search(said)
        if found is not None:
            first, last = start + found.start("words"), start + found.end("words")
            return Match(first, last, text[first:last])
    return None
