"""Canonical events: turning one JSON object (a JSONL line, a store row) into a Post or a DM.

Validation is by hand rather than with pydantic because it runs once per event on
files of a million lines; every check raises `ValueError` with a short reason that
the source reports next to the line number.
"""

from __future__ import annotations

import re
from sys import intern
from typing import Any

from auditor import networks
from auditor.time.instants import parse_instant, utc_iso
from auditor.activity.model import DirectMessage, Post
from auditor.networks import blank_handle, is_x_handle, normalize_handle
from auditor.networks import X, canonical_handle, check_platform, instance_of

# X handles: letters, digits and underscore, up to 15 characters.
MENTION_RE = re.compile(r"(?<![\w@])@(\w{1,15})\b")

MAX_TEXT = 100_000  # a post is at most 25,000 characters on X; more is a broken export


def _text(obj: dict, name: str, required: bool = False) -> str | None:
    value = obj.get(name)
    if value is None:
        if required:
            raise ValueError(f"missing required field {name!r}")
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and name not in _NEVER_NUMBERS:
        return str(value)  # ids are sometimes numbers in hand-made files
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string")
    if name == "text" and len(value) > MAX_TEXT:
        raise ValueError(f"text is longer than {MAX_TEXT} characters")
    return value


# Fields no exporter writes as a number: a number there is a broken line, not an id written loosely.
_NEVER_NUMBERS = frozenset({"text", "url", "lang"})


def _id(obj: dict) -> str:
    value = _text(obj, "id", required=True)
    if not value.strip():
        # Events are keyed by id: an empty one would merge unrelated events (found by tests/fuzz).
        raise ValueError("id is empty")
    return value


def _handle(obj: dict, name: str, required: bool = False, platform: str = X, home: str | None = None) -> str | None:
    value = _text(obj, name, required)
    if value is None:
        return None
    if blank_handle(value):
        raise ValueError(f"{name} is empty")
    try:
        return canonical_handle(value, platform, home)
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None


def _handles(obj: dict, name: str, platform: str = X, home: str | None = None) -> tuple[str, ...] | None:
    value = obj.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{name} must be a list of handles")
    if name == "mentions" and platform == X:
        # Optional, and derived from the text when missing: an entry that is no handle at all ("Rob Smith") is
        # dropped rather than the post (a reply lost would leave someone "waiting").
        value = [v for v in value if _handle_like(normalize_handle(v))]
    try:
        return tuple(dict.fromkeys(canonical_handle(v, platform, home) for v in value if not blank_handle(v)))
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None


def mentions_in(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.lower() for m in MENTION_RE.findall(text)))


def parse_event(obj: Any) -> Post | DirectMessage:
    """One canonical event, or ValueError saying what is wrong with it."""
    if not isinstance(obj, dict):
        raise ValueError("an event must be a JSON object")
    kind = obj.get("type")
    if kind == "post":
        return parse_post(obj)
    if kind == "dm":
        return parse_dm(obj)
    if kind is None:
        raise ValueError("missing required field 'type'")
    raise ValueError(f"unknown type {str(kind)[:20]!r} (expected 'post' or 'dm')")


_OPTIONAL = (str, type(None))


def parse_post(obj: dict) -> Post:
    return _canonical_post(obj) or _checked_post(obj)


def _canonical_post(obj: dict) -> Post | None:
    """A well-formed canonical post read without per-field calls; None sends it to `_checked_post`.

    Reading a million lines spends most of its time here, so this is the one place that
    trades plainness for speed: every field is type-checked inline and anything unusual
    (numbers as ids, a missing field, an empty handle, a long text) takes the checked path.
    """
    get = obj.get
    post_id, author, created, text = get("id"), get("author"), get("created_at"), get("text")
    reply_to, reply_author, conversation = get("in_reply_to"), get("in_reply_to_author"), get("conversation_id")
    repost, quote, url, platform, mentions = get("repost_of"), get("quote_of"), get("url"), get("platform"), get("mentions")
    lang = get("lang")
    if type(url) is str:
        url = web_url(url)
    if not (type(post_id) is str and post_id and not post_id.isspace() and type(author) is str and type(created) is str and type(text) is str
            and type(reply_to) in _OPTIONAL and type(reply_author) in _OPTIONAL and type(conversation) in _OPTIONAL
            and type(repost) in _OPTIONAL and type(quote) in _OPTIONAL and type(url) in _OPTIONAL
            and (platform is None or platform == "x") and type(lang) in _OPTIONAL and type(mentions) is list
            and len(text) <= MAX_TEXT):
        return None
    author = normalize_handle(author)
    if reply_author is not None:
        reply_author = normalize_handle(reply_author)
        if not reply_author or _maybe_not_x(reply_author):
            return None
    if not author or _maybe_not_x(author) or not all(type(m) is str for m in mentions):
        return None
    mentioned = tuple(dict.fromkeys([normalize_handle(m) for m in mentions if not blank_handle(m)]))
    if any(_maybe_not_x(m) for m in mentioned):
        return None  # perhaps not X handles: the checked reader tells
    return Post(
        post_id, author, parse_instant(created), text, reply_to, reply_author,
        intern(conversation) if conversation is not None else None, mentioned,
        repost, quote, own_url(url, author, post_id, platform), "x", lang or None, real_id=url is not None,
    )


def _handle_like(handle: str) -> bool:
    """An X handle, or one in another network's form (which `canonical_handle` explains)."""
    return is_x_handle(handle) or "." in handle or "@" in handle or ":" in handle


def _maybe_not_x(handle: str) -> bool:
    """A normalised handle that may be another network's (`did:plc:...` is Bluesky's), or no handle at all:
    `canonical_handle` decides, and says why."""
    return "." in handle or "@" in handle or ":" in handle or not is_x_handle(handle)


def _checked_post(obj: dict) -> Post:
    # Fields are read in a fixed order so a record with several faults names the same one each time.
    post_id = _id(obj)
    platform = check_platform(obj.get("platform"))
    author = _handle(obj, "author", required=True, platform=platform)
    # A Mastodon handle written without its instance is on the instance of the post naming it.
    home = instance_of(author)
    created_at = parse_instant(obj.get("created_at") if "created_at" in obj else _missing("created_at"))
    text = _text(obj, "text", required=True)
    mentions = _handles(obj, "mentions", platform, home)
    if mentions is None:
        mentions = networks.mentions_in(text, platform, home)
    conversation = _text(obj, "conversation_id")
    url = web_url(_text(obj, "url"))
    return Post(
        post_id, author, created_at, text,
        _text(obj, "in_reply_to"), _handle(obj, "in_reply_to_author", platform=platform, home=home),
        intern(conversation) if conversation is not None else None,
        mentions, _text(obj, "repost_of"), _text(obj, "quote_of"), own_url(url, author, post_id, platform),
        platform, _text(obj, "lang") or None, real_id=url is not None,
    )


# A web link and nothing else: a `url` of another scheme (javascript:, data:, file:) or holding a space or a
# control character never reaches a report, and vouches for no id.
_WEB_URL = re.compile(r"(?i)https?://[^\s\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+")


def web_url(url: str | None) -> str | None:
    """`url` when it is a web link (http or https), else None."""
    return url if url is not None and _WEB_URL.fullmatch(url) else None


def own_url(url: str | None, author: str, post_id: str, platform: str | None = "x") -> str | None:
    """None for the link every post on X has, which `Post.link` rebuilds: a million copies cost 100 MB.

    A line that gives a `url` vouches for its id: the post is built with `real_id` set, so the
    link is rebuilt; a line without one gets no link (its id may be anonymised or made up)."""
    if url is not None and platform in (None, "x") and url == f"https://x.com/{author}/status/{post_id}":
        return None
    return url


def parse_dm(obj: dict) -> DirectMessage:
    dm_id = _id(obj)
    platform = check_platform(obj.get("platform"))
    sender = _handle(obj, "sender", required=True, platform=platform)
    recipients = _handles(obj, "recipients", platform, instance_of(sender))
    if not recipients:
        raise ValueError("missing required field 'recipients'")
    created_at = parse_instant(obj.get("created_at") if "created_at" in obj else _missing("created_at"))
    text = _text(obj, "text", required=True)
    conversation = _text(obj, "conversation_id") or ":".join(sorted({sender, *recipients}))
    return DirectMessage(dm_id, conversation, sender, recipients, created_at, text, platform)


def _missing(name: str):
    raise ValueError(f"missing required field {name!r}")


def event_to_dict(event: Post | DirectMessage) -> dict:
    """The canonical JSON object of an event (the inverse of `parse_event`)."""
    when = utc_iso(event.created_at) if not event.created_at.microsecond else (
        event.created_at.isoformat().replace("+00:00", "Z"))
    if isinstance(event, Post):
        return {
            "type": "post", "id": event.id, "author": event.author, "created_at": when,
            "text": event.text, "in_reply_to": event.in_reply_to,
            "in_reply_to_author": event.in_reply_to_author, "conversation_id": event.conversation_id,
            "mentions": list(event.mentions), "repost_of": event.repost_of, "quote_of": event.quote_of,
            # The link is written out for a real id, so the store and exported lines keep vouching for it.
            "url": event.link if event.real_id else event.url, "platform": event.platform,
        } | ({"lang": event.lang} if event.lang is not None else {})
    return {
        "type": "dm", "id": event.id, "conversation_id": event.conversation_id, "sender": event.sender,
        "recipients": list(event.recipients), "created_at": when, "text": event.text,
        "platform": event.platform,
    }
