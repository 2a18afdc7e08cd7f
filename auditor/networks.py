"""The networks an account can be on, and each one's handles: one canonical form per network.

An account is a handle on a network. Handles are kept as plain strings everywhere (the index,
the rules, findings, waivers), so the canonical forms are chosen to be disjoint: no string is a
handle on two networks, and an X handle can never match a Bluesky or Mastodon one, whatever the
spelling.

| network | canonical form | e.g. |
| --- | --- | --- |
| `x` | lower case, no `@`; never in the form of a Bluesky or Mastodon handle (X allows letters, digits and `_`) | `acme_support` |
| `bluesky` | the handle's domain name, lower case, no `@` (always holds a `.`), or the account's DID | `acme.bsky.social`, `did:plc:…` |
| `mastodon` | `user@instance`, lower case, no leading `@` (always holds an inner `@`) | `acme@mastodon.social` |

A Mastodon handle written without its instance (`@bob`, as Mastodon shows local accounts) is on
the instance of the post that names it: the author's, or for the author the file's own. A Bluesky
handle without a dot, or a Mastodon handle without an instance where none can be told, is an
error: guessing a network's default host could name a stranger.
"""

from __future__ import annotations

import re
from sys import intern


def normalize_handle(handle: str) -> str:
    """Handles are compared without `@` and case-insensitively."""
    # Interned: a large month names the same few thousand handles millions of times.
    return intern(handle.strip().lstrip("@").lower())


# What an X handle may hold, as the roster reads one (letters, digits, '_'; '-' as some exports write
# them): no space, control, markup or formula character ever becomes a counterpart's name.
_X_HANDLE_RE = re.compile(r"[\w-]{1,300}")


def is_x_handle(handle: str) -> bool:
    """Whether a normalised handle is in the form of one on X."""
    return _X_HANDLE_RE.fullmatch(handle) is not None


def blank_handle(value: str) -> bool:
    """Whether a written handle holds nothing but `@` signs and whitespace (any kind: a tab, U+3000)."""
    return not value.replace("@", " ").strip()


X, BLUESKY, MASTODON = "x", "bluesky", "mastodon"
PLATFORMS = (X, BLUESKY, MASTODON)
LABELS = {X: "X", BLUESKY: "Bluesky", MASTODON: "Mastodon"}

_BLUESKY_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62})(?:\.[a-z0-9](?:[a-z0-9-]{0,62}))+$")
_DID_RE = re.compile(r"^did:[a-z0-9]+:[a-z0-9._:%-]{1,2000}$")
_MASTODON_USER_RE = re.compile(r"^[a-z0-9_](?:[a-z0-9_.-]{0,62}[a-z0-9_])?$")
_HOST_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62})(?:\.[a-z0-9-]{1,63})*(?::\d{1,5})?$")

# Mentions in a post's text, per network. X: letters, digits, _ (up to 15). Bluesky: `@` and a
# domain name. Mastodon: `@user` or `@user@instance`. A trailing `.` ends the sentence, not the name.
_X_MENTION = re.compile(r"(?<![\w@])@(\w{1,15})\b")
_BLUESKY_MENTION = re.compile(r"(?<![\w@/])@([a-z0-9][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)+)", re.IGNORECASE)
_MASTODON_MENTION = re.compile(r"(?<![\w@/])@([\w.-]*\w)(?:@([a-z0-9][a-z0-9.-]*[a-z0-9]))?", re.IGNORECASE)


# The network a source kind's data is of; a kind not named here (JSONL, CSV) may hold any network's.
SOURCE_NETWORK = {"archive": X, "x-api": X, "bluesky-api": BLUESKY, "bluesky-car": BLUESKY,
                  "mastodon-api": MASTODON, "mastodon-archive": MASTODON}


def platform_label(platform: str) -> str:
    return LABELS.get(platform, platform)


def check_platform(value: object) -> str:
    """A canonical line's `platform`: x (the default), bluesky or mastodon."""
    if value is None or value == "":
        return X
    if value in PLATFORMS:
        return value  # type: ignore[return-value]
    text = str(value).strip().lower()
    if text in PLATFORMS:
        return text
    raise ValueError(f"unknown platform {str(value)[:20]!r} (expected x, bluesky or mastodon)")


def instance_of(handle: str) -> str | None:
    """The instance of a canonical Mastodon handle (`acme@mastodon.social` -> `mastodon.social`)."""
    return handle.rpartition("@")[2] if "@" in handle else None


def canonical_handle(value: str, platform: str = X, home: str | None = None) -> str:
    """`value` in its network's canonical form, or ValueError saying what a handle there looks like.

    `home`: for Mastodon, the instance a bare `@user` is on (the instance of the post naming it).
    """
    if platform == X:
        handle = normalize_handle(value)
        if ("." in handle or "@" in handle or ":" in handle) and handle_platform(handle) != X:
            raise ValueError(f"{value.strip()[:60]!r} is not an X handle (letters, digits and _): a Bluesky or "
                             "Mastodon account needs its line's \"platform\"")
        if not is_x_handle(handle):
            raise ValueError(f"{value.strip()[:60]!r} is not an X handle (letters, digits and _)")
        return handle
    text = value.strip()
    if platform == BLUESKY:
        handle = text.removeprefix("@").lower()
        if _BLUESKY_RE.match(handle) or _DID_RE.match(handle):
            return intern(handle)
        raise ValueError(f"{text[:60]!r} is not a Bluesky handle: write its full domain name, like alice.bsky.social")
    if platform == MASTODON:
        handle = text.removeprefix("@").lower()
        user, at, host = handle.partition("@")
        if not at:
            if home is None:
                raise ValueError(f"{text[:60]!r} is not a full Mastodon handle: write it with its instance, "
                                 "like @alice@mastodon.social")
            host = home
        if _MASTODON_USER_RE.match(user) and _HOST_RE.match(host):
            return intern(f"{user}@{host}")
        raise ValueError(f"{text[:60]!r} is not a Mastodon handle: write it like @alice@mastodon.social")
    raise ValueError(f"unknown platform {platform[:20]!r} (expected x, bluesky or mastodon)")


def handle_platform(handle: str) -> str:
    """The network a canonical handle belongs to: the forms are disjoint, and an X handle is
    anything in neither of the others' (X itself allows only letters, digits and `_`)."""
    if "@" in handle:
        user, _, host = handle.partition("@")
        if _MASTODON_USER_RE.match(user) and _HOST_RE.match(host):
            return MASTODON
    if ("." in handle and _BLUESKY_RE.match(handle)) or (handle.startswith("did:") and _DID_RE.match(handle)):
        return BLUESKY
    return X


def mentions_in(text: str, platform: str = X, home: str | None = None) -> tuple[str, ...]:
    """The handles a post's text mentions, canonical, in order, once each."""
    if platform == X:
        return tuple(dict.fromkeys(m.lower() for m in _X_MENTION.findall(text)))
    found = []
    if platform == BLUESKY:
        for name in _BLUESKY_MENTION.findall(text):
            try:
                found.append(canonical_handle(name, BLUESKY))
            except ValueError:
                continue
    elif platform == MASTODON:
        for user, host in _MASTODON_MENTION.findall(text):
            try:
                found.append(canonical_handle(f"{user}@{host}" if host else user, MASTODON, home))
            except ValueError:
                continue
    return tuple(dict.fromkeys(found))


def display(handle: str) -> str:
    """A handle as people write it: `@acme_support`, `@acme.bsky.social`, `@acme@mastodon.social`."""
    return f"@{handle}"
