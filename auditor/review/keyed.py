"""Keyed names for what a customers-redacted report must not give away: a customer's pseudonym and a finding's
fingerprint, both HMAC-SHA-256 with the store's secret (`render/pseudonym_key.py`). Here, below the renderers,
because review reads them too: a redacted report is a baseline, and its names appear in waivers.
"""

from __future__ import annotations

import hashlib
import hmac

PSEUDONYM_HEX = 16  # 64 bits


def pseudonym(handle: str, key: bytes) -> str:
    digest = hmac.new(key, b"handle\x1f" + handle.lower().encode("utf-8"), hashlib.sha256).hexdigest()
    return "customer-" + digest[:PSEUDONYM_HEX]


def keyed_fingerprint(fingerprint: str, key: bytes) -> str:
    """A finding's fingerprint as a customers-redacted report writes it: keyed as the pseudonyms are, so that a guessed
    handle cannot be tested against it. The same key gives the same one every run: a redacted report still serves as
    a baseline, and its fingerprints in waivers (`review/`)."""
    digest = hmac.new(key, b"fingerprint\x1f" + fingerprint.encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:len(fingerprint)]
