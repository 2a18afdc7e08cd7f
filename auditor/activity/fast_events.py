"""Building the common canonical post and DM of a large file fast, sharing what repeats.

A month's file holds a million events written by one exporter: the same few fields, X
handles, times in UTC. `EventBuilder.post` and `.dm` build those with the work a
million calls would repeat done once (a handle is normalised once per spelling, an equal
text or conversation id is kept once) and give None for anything else: a number as an
id, an offset that is not UTC, a handle that might be another network's, a missing
field. None sends the line to `parse_event`, which decides it as it always has; an event
built here is equal, field by field, to the one `parse_event` builds from the same object
(tests/activity/sources/test_jsonl_equal.py).

Sharing equal strings and one-handle tuples is invisible to the rest of the auditor (they
are never changed) and saves memory: a month's texts repeat (half the posts' texts are
another post's), and so do the handles a post mentions.
"""

from __future__ import annotations

from datetime import datetime, timezone
from sys import intern

from auditor.activity.events import MAX_TEXT
from auditor.activity.model import DirectMessage, Post
from auditor.networks import normalize_handle

_OPTIONAL = (str, type(None))
_UTC = timezone.utc
_from_iso = datetime.fromisoformat


class EventBuilder:
    """Builds the posts and DMs of one file; its memories last as long as the reading."""

    __slots__ = ("post", "dm")

    def __init__(self) -> None:
        handles: dict[str, str] = {}  # as written -> canonical X handle, or "" for "ask parse_event"
        ones: dict[str, tuple[str]] = {}  # handle -> the tuple of it alone (mentions, recipients)
        texts: dict[str, str] = {}
        conversations: dict[str, str] = {}

        def x_handle(written: str) -> str:
            handle = normalize_handle(written)
            # Empty, or perhaps another network's: `canonical_handle` decides, with its reason.
            if "." in handle or "@" in handle or ":" in handle:
                handle = ""
            handles[written] = handle
            return handle

        def alone(handle: str) -> tuple[str]:
            ones[handle] = one = (handle,)
            return one

        def names(written: list) -> tuple[str, ...] | None:
            """The canonical handles of a list of them, once each in order; None when one is unusual."""
            if len(written) == 1:
                first = written[0]
                if type(first) is not str:
                    return None
                handle = handles.get(first) or x_handle(first)
                return (ones.get(handle) or alone(handle)) if handle else None
            found = []
            for each in written:
                if type(each) is not str:
                    return None
                handle = handles.get(each) or x_handle(each)
                if not handle:
                    return None
                found.append(handle)
            return tuple(dict.fromkeys(found))

        def post(obj: dict) -> Post | None:
            get = obj.get
            post_id, author, created, text = get("id"), get("author"), get("created_at"), get("text")
            reply_to, reply_author, conversation = get("in_reply_to"), get("in_reply_to_author"), get("conversation_id")
            repost, quote, url, platform, mentions = get("repost_of"), get("quote_of"), get("url"), get("platform"), get("mentions")
            lang = get("lang")
            if not (type(post_id) is str and post_id and not post_id.isspace() and type(author) is str
                    and type(created) is str and type(text) is str and len(text) <= MAX_TEXT
                    and type(reply_to) in _OPTIONAL and type(reply_author) in _OPTIONAL
                    and type(conversation) in _OPTIONAL and type(repost) in _OPTIONAL and type(quote) in _OPTIONAL
                    and type(url) in _OPTIONAL and (platform is None or platform == "x") and type(lang) in _OPTIONAL
                    and type(mentions) is list):
                return None
            author = handles.get(author) or x_handle(author)
            if not author:
                return None
            if reply_author is not None:
                reply_author = handles.get(reply_author) or x_handle(reply_author)
                if not reply_author:
                    return None
            if mentions:
                mentions = names(mentions)
                if mentions is None:
                    return None
            else:
                mentions = ()
            try:
                created_at = _from_iso(created)
            except ValueError:
                return None
            if created_at.tzinfo is not _UTC:
                return None  # an offset to convert, or none at all: `parse_instant` says which
            # The link every post on X has is left out, as `own_url` does: `Post.link` rebuilds it.
            link = None if url is not None and url == f"https://x.com/{author}/status/{post_id}" else url
            return Post(post_id, author, created_at, texts.setdefault(text, text), reply_to, reply_author,
                        intern(conversation) if conversation is not None else None, mentions, repost, quote,
                        link, "x", lang or None, url is not None)

        def dm(obj: dict) -> DirectMessage | None:
            get = obj.get
            dm_id, sender, recipients, created, text = get("id"), get("sender"), get("recipients"), get("created_at"), get("text")
            conversation, platform = get("conversation_id"), get("platform")
            if not (type(dm_id) is str and dm_id and not dm_id.isspace() and type(sender) is str
                    and type(recipients) is list and recipients and type(created) is str
                    and type(text) is str and len(text) <= MAX_TEXT
                    and type(conversation) in _OPTIONAL and (platform is None or platform == "x")):
                return None
            sender = handles.get(sender) or x_handle(sender)
            if not sender:
                return None
            recipients = names(recipients)
            if recipients is None:
                return None
            try:
                created_at = _from_iso(created)
            except ValueError:
                return None
            if created_at.tzinfo is not _UTC:
                return None
            if not conversation:
                conversation = ":".join(sorted({sender, *recipients}))
            return DirectMessage(dm_id, conversations.setdefault(conversation, conversation), sender, recipients,
                                 created_at, texts.setdefault(text, text), "x")

        self.post, self.dm = post, dm
