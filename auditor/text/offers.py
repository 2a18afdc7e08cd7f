"""The contact channels a post offers: a DM invitation (`promises`), an e-mail address,
a phone number or a link (`channels`). Used by the escalation rule ("offer another
channel by the second reply")."""

from __future__ import annotations

from collections.abc import Iterable

from auditor.text.channels import find_email, find_phone, find_url
from auditor.text.promises import find_dm_invitation
from auditor.text.spans import Match


def find_channels(text: str, company_domains: Iterable[str] = ()) -> dict[str, Match]:
    """The contact channels ``text`` offers, keyed ``dm``, ``email``, ``phone``,
    ``url``; each with its first match. Absent channels have no key."""
    found = {
        "dm": find_dm_invitation(text),
        "email": find_email(text),
        "phone": find_phone(text),
        "url": find_url(text, company_domains),
    }
    return {kind: match for kind, match in found.items() if match is not None}
