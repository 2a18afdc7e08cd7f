"""Building the common canonical post and DM of a large file fast, sharing what repeats.

A month's file holds a million events written by one exporter: the same few fields, X
handles, times in UTC. `decode_line` reads such a line straight into a typed `PostLine` or
`DMLine` (msgspec checks every field's type in C while it parses, and builds no dict), and
`EventBuilder.post` and `.dm` build the event with the work a million calls would repeat done
once (a handle is normalised once per spelling, an equal text or post id is kept once).

Anything else is left to `parse_event`, which decides it as it always has: `decode_line`
refuses a line with a field the canonical writer never writes, a number, a missing field or
any other type (so it accepts no line orjson would refuse: a field it does not know could hold
a number orjson calls infinite), and the builder gives None for an id of spaces, an offset that
is not UTC, a handle that might be another network's. An event built here is equal, field by
field, to the one `parse_event` builds from the same line (tests/activity/sources/test_jsonl_equal.py,
tests/activity/test_fast_events.py).

Sharing equal strings and one-handle tuples is invisible to the rest of the auditor (they
are never changed) and saves memory: a month's texts repeat (half the posts' texts are
another post's), and so do the handles a post mentions, its language, the ids of the posts
replies answer (a reply's `in_reply_to` and conversation id are its parent's and its root's
own id strings: -65 MB at a million events) and the times of events written in the same
second one after the other (a month has 2.7 million seconds: at ten million events, most
events share theirs with another).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

import msgspec

from auditor.activity.events import MAX_TEXT, web_url
from auditor.activity.model import DirectMessage, Post
from auditor.networks import is_x_handle, normalize_handle

_UTC = timezone.utc
_from_iso = datetime.fromisoformat


class PostLine(msgspec.Struct, tag="post", tag_field="type", forbid_unknown_fields=True):
    """A canonical post line's fields as written (docs/data.md), each of exactly its JSON type."""

    id: str
    author: str
    created_at: str  # parsed by `datetime.fromisoformat`, as `parse_instant` parses it
    text: str
    mentions: list[str]
    in_reply_to: Optional[str] = None
    in_reply_to_author: Optional[str] = None
    conversation_id: Optional[str] = None
    repost_of: Optional[str] = None
    quote_of: Optional[str] = None
    url: Optional[str] = None
    platform: Optional[str] = None
    lang: Optional[str] = None


class DMLine(msgspec.Struct, tag="dm", tag_field="type", forbid_unknown_fields=True):
    """A canonical DM line's fields as written (docs/data.md)."""

    id: str
    sender: str
    recipients: list[str]
    created_at: str
    text: str
    conversation_id: Optional[str] = None
    platform: Optional[str] = None


# Raises NotTaken (msgspec's DecodeError, its ValidationError among them) for every line it does not take.
decode_line = msgspec.json.Decoder(PostLine | DMLine).decode
NotTaken = msgspec.DecodeError


def utc_time(written: str) -> datetime | None:
    """A line's time when it is written in UTC; None for anything else (an offset to convert, or
    none at all, or no time: `parse_instant` and `row_event` each say which)."""
    try:
        created_at = _from_iso(written)
    except ValueError:
        return None
    return created_at if created_at.tzinfo is _UTC else None


class EventBuilder:
    """Builds the posts and DMs of one file; its memories last as long as the reading."""

    __slots__ = ("post", "dm")

    def __init__(self) -> None:
        handles: dict[str, str] = {}  # as written -> canonical X handle, or "" for "ask parse_event"
        ones: dict[str, tuple[str]] = {}  # handle -> the tuple of it alone (mentions, recipients)
        texts: dict[str, str] = {}
        languages: dict[str, str] = {}
        # Post ids and the ids that point at posts (replied to, conversation root, reposted, quoted): a
        # reply's `in_reply_to` and a conversation's id are then the very string of the post they name.
        ids: dict[str, str] = {}
        conversations: dict[str, str] = {}
        # The last time read and its datetime: a file is written in time order, and a busy month has
        # several events a second, so an event often shares the time of the one before it.
        last_written, last_moment = "", None

        def time_of(written: str) -> datetime | None:
            nonlocal last_written, last_moment
            if written == last_written:
                return last_moment
            moment = utc_time(written)
            if moment is not None:
                last_written, last_moment = written, moment
            return moment

        def x_handle(written: str) -> str:
            handle = normalize_handle(written)
            # Empty, perhaps another network's, or no handle at all: `canonical_handle` decides, with its reason.
            if "." in handle or "@" in handle or ":" in handle or not is_x_handle(handle):
                handle = ""
            handles[written] = handle
            return handle

        def alone(handle: str) -> tuple[str]:
            ones[handle] = one = (handle,)
            return one

        def names(written: list[str]) -> tuple[str, ...] | None:
            """The canonical handles of a list of them, once each in order; None when one is unusual."""
            if len(written) == 1:
                first = written[0]
                handle = handles.get(first) or x_handle(first)
                return (ones.get(handle) or alone(handle)) if handle else None
            found = []
            for each in written:
                handle = handles.get(each) or x_handle(each)
                if not handle:
                    return None
                found.append(handle)
            return tuple(dict.fromkeys(found))

        def post(line: PostLine) -> Post | None:
            post_id, text, platform = line.id, line.text, line.platform
            if not post_id or post_id.isspace() or len(text) > MAX_TEXT or (platform is not None and platform != "x"):
                return None
            written = line.author
            author = handles.get(written) or x_handle(written)
            if not author:
                return None
            reply_author = line.in_reply_to_author
            if reply_author is not None:
                reply_author = handles.get(reply_author) or x_handle(reply_author)
                if not reply_author:
                    return None
            mentions = line.mentions
            if mentions:
                mentions = names(mentions)
                if mentions is None:
                    return None
            else:
                mentions = ()
            created_at = time_of(line.created_at)
            if created_at is None:
                return None
            # The link every post on X has is left out, as `own_url` does: `Post.link` rebuilds it.
            url = line.url
            if url is not None and url != f"https://x.com/{author}/status/{post_id}":
                link = url = web_url(url)  # a web link or nothing: javascript: vouches for no id
            else:
                link = None
            conversation, parent, reposted, quoted, lang = (line.conversation_id, line.in_reply_to, line.repost_of,
                                                            line.quote_of, line.lang)
            return Post(ids.setdefault(post_id, post_id), author, created_at, texts.setdefault(text, text),
                        parent if parent is None else ids.setdefault(parent, parent), reply_author,
                        conversation if conversation is None else ids.setdefault(conversation, conversation),
                        mentions, reposted if reposted is None else ids.setdefault(reposted, reposted),
                        quoted if quoted is None else ids.setdefault(quoted, quoted), link, "x",
                        languages.setdefault(lang, lang) if lang else None, url is not None)

        def dm(line: DMLine) -> DirectMessage | None:
            dm_id, text, platform = line.id, line.text, line.platform
            if (not dm_id or dm_id.isspace() or not line.recipients or len(text) > MAX_TEXT
                    or (platform is not None and platform != "x")):
                return None
            written = line.sender
            sender = handles.get(written) or x_handle(written)
            if not sender:
                return None
            recipients = names(line.recipients)
            if recipients is None:
                return None
            created_at = time_of(line.created_at)
            if created_at is None:
                return None
            conversation = line.conversation_id
            if not conversation:
                conversation = ":".join(sorted({sender, *recipients}))
            return DirectMessage(dm_id, conversations.setdefault(conversation, conversation), sender, recipients,
                                 created_at, texts.setdefault(text, text), "x")

        self.post, self.dm = post, dm
