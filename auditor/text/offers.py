"""The contact channels a post offers: a DM invitation (`promises`) or the counterpart's own
DM spoken of, an e-mail address, a phone number or a link (`channels`). Used by the
escalation rule ("offer another channel by the second reply")."""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.text.channels import find_email, find_phone, find_url
from auditor.text.promises import find_dm_invitation
from auditor.text.spans import Match


# A reply that speaks of the counterpart's DM ("We've received your DM and will continue working with
# you there", "thanks for your DM") shows the conversation already moved to private messages.
_THEIR_DM = re.compile(r"(?<![\w@#])your\s+(?:dms?|direct\s+messages?|private\s+messages?)(?![\w-])",
                       re.IGNORECASE)


def find_channels(text: str, company_domains: Iterable[str] = ()) -> dict[str, Match]:
    """The contact channels ``text`` offers, keyed ``dm``, ``email``, ``phone``,
    ``url``; each with its first match. Absent channels have no key."""
    found = {
        "dm": find_dm_invitation(text) or _their_dm(text),
        "email": find_email(text),
        "phone": find_phone(text),
        "url": find_url(text, company_domains),
    }
    return {kind: match for kind, match in found.items() if match is not None}


def _their_dm(text: str) -> Match | None:
    found = _THEIR_DM.search(text) if "your" in text.lower() else None
    return Match(found.start(), found.end(), found.group()) if found else None
