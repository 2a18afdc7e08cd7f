"""The secret that keys `--redact customers` pseudonyms.

A pseudonym is a keyed hash of the handle (HMAC-SHA-256), so nobody can recompute one from a guessed
handle without the key, and the same key gives a customer the same pseudonym every month. Where the
key comes from, first match wins:

1. `--pseudonym-key FILE`: that file (created with a new random key if it does not exist);
2. the environment variable `AUDITOR_PSEUDONYM_KEY` (for CI secrets), at least 16 characters;
3. beside the first store among `--data`: `<store>.pseudonym-key`, created on first use.

A created key is 32 random bytes written as hex, readable by its owner only (mode 0600). Keep it as
you keep the store: whoever holds it and the list of your customers' handles can tell who each
pseudonym is; losing it changes every pseudonym from then on.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from auditor.errors import UsageError

ENV = "AUDITOR_PSEUDONYM_KEY"
SUFFIX = ".pseudonym-key"
MIN_CHARS = 16  # 128 bits as hex would be 32; a passphrase of 16 characters is the least accepted
MAX_BYTES = 4096


def pseudonym_key(given: Path | None, data: list[Path]) -> bytes:
    """The key for this audit, created where the rules above say."""
    if given is not None:
        return _key_file(given)
    from_env = os.environ.get(ENV)
    if from_env is not None:
        return _checked(from_env.strip(), f"${ENV}")
    from auditor.activity.sources import source_kind

    for path in data:
        if path.exists() and source_kind(path) == "store":
            return _key_file(path.with_name(path.name + SUFFIX))
    raise UsageError("--redact customers needs a secret key for its pseudonyms: audit a store (the key is kept "
                     f"beside it), or give --pseudonym-key FILE (created if missing) or ${ENV}")


def existing_pseudonym_key(given: Path | None, data: list[Path]) -> bytes | None:
    """The key the rules above find, where one is already kept (never created): an audit that does not redact still
    matches a redacted report's keyed fingerprints and pseudonyms, as a baseline or in waivers."""
    if given is not None:
        return _key_file(given) if given.is_file() else None
    if os.environ.get(ENV) is not None:
        try:
            return pseudonym_key(None, data)
        except UsageError:  # not good enough to redact with; nothing a run that does not redact needs
            return None
    from auditor.activity.sources import source_kind

    for path in data:
        beside = path.with_name(path.name + SUFFIX)
        if path.exists() and source_kind(path) == "store" and beside.is_file():
            return _key_file(beside)
    return None


def _key_file(path: Path) -> bytes:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError as exc:
        raise UsageError(f"{path}: cannot create the pseudonym key ({exc.strerror})") from None
    else:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the pseudonym key ({exc.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise UsageError(f"{path}: not a pseudonym key (more than {MAX_BYTES} bytes)")
    return _checked(raw.decode("utf-8", "replace").strip(), str(path))


def _checked(text: str, where: str) -> bytes:
    # The key's text is never echoed: it is a secret.
    if len(text) < MIN_CHARS:
        raise UsageError(f"{where}: a pseudonym key needs at least {MIN_CHARS} characters")
    return text.encode("utf-8")
