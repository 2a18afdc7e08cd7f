"""A Bluesky repository export (`.car`: the app's "Export my data", `com.atproto.sync.getRepo`) as canonical events.

A repository holds one account's own records, and names every account by DID:

| record | event |
| --- | --- |
| `app.bsky.feed.post` | a post: `text`, `createdAt`; `reply.parent` (its author from the uri's DID) and `reply.root` (the conversation); mention facets; a quote (`embed` of a post, with or without media); `langs[0]` |
| `app.bsky.feed.repost` | a repost of `subject` |

Ids and links are the fetcher's (`bluesky_api.py`), so a post read from an export and fetched is one
event: the `at://` uri, and `https://bsky.app/profile/<handle>/post/<rkey>`.

**Whose repository.** The file names its owner only by DID (the profile record holds no handle):
the caller maps DIDs to handles (`handles`: the roster's `did:`, or `auditor import --did`). An owner
nobody maps is an error, not a post by a `did:plc:...` no roster account would match.
**Other people** are named by the handle their mention facet wrote in the post (the text the facet
covers, `@carol.bsky.social`; the latest post wins when a handle changed), else by `handles`, else
they stay their DID (`did:plc:...`, a Bluesky handle in networks.py). **What it cannot show:** other
people's posts (mentions of and replies to the owner), and DMs (chats are not in a repository):
no channel, nobody's DMs.

Each record is held to the SDK's own model (`atproto_client.models`): one that does not fit is skipped
with its key and the reason.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Mapping

from auditor.time.instants import parse_instant
from auditor.activity.model import Activity, Post
from auditor.networks import BLUESKY, canonical_handle
from auditor.activity.sources.bluesky_records import quoted_post, web_link
from auditor.activity.sources.car_blocks import Repo, decode_record, read_repo
from auditor.activity.sources.common import Collector, one_line
from auditor.speedups import no_gc
from auditor.activity.sources.export_window import WindowKeeper
from auditor.errors import DataError
from auditor.progress import counted

POST, REPOST, PROFILE = "app.bsky.feed.post", "app.bsky.feed.repost", "app.bsky.actor.profile"
KIND = "bluesky-car"
NOTE = ("a Bluesky repository export holds its owner's own posts and reposts: no mentions of them or replies to "
        "them by others, and no DMs (chats are not part of a repository)")
_RKEY = re.compile(r"^[A-Za-z0-9._:~-]{1,512}$")
_MENTION = "app.bsky.richtext.facet#mention"


def read_bluesky_car(path: Path, *, handles: Mapping[str, str] | None = None,
                     window: tuple[datetime, datetime] | None = None, name: str | None = None) -> Activity:
    """The posts and reposts of the repository exported to `path`.

    `handles`: DID -> handle (the owner's is required; others where known). `window` keeps the
    events inside it and the owner's older posts that replies inside it answer.
    """
    name = name or str(path)
    repo = read_repo(path, (POST, REPOST, PROFILE), name)
    with no_gc():
        return _CarReader(name, repo, handles or {}).read(window)


class _CarReader:
    def __init__(self, name: str, repo: Repo, handles: Mapping[str, str]):
        self.name = name
        self.repo = repo
        self.out = Collector(name, KIND)
        self.given = {str(did).strip().lower(): handle for did, handle in handles.items()
                      if str(did).strip().lower().startswith("did:")}
        self.written: dict[str, tuple[datetime, str]] = {}  # DID -> (when, handle) from mention facets
        self.display_name: str | None = None
        try:
            self.did = canonical_handle(repo.did, BLUESKY)
        except ValueError:
            raise DataError(f"{name}: the repository's commit names no valid DID") from None

    def read(self, window: tuple[datetime, datetime] | None) -> Activity:
        from atproto_client import models

        self.schemas = {POST: models.AppBskyFeedPost.Record, REPOST: models.AppBskyFeedRepost.Record,
                        PROFILE: models.AppBskyActorProfile.Record}
        keeper = WindowKeeper(window)
        for number, record in enumerate(counted(self.repo.records, f"reading {Path(self.name).name}", "records"),
                                        start=1):
            try:
                post = self._record(*record)
            except ValueError as exc:
                self.out.skip(self.name, number, f"{record[0][:120]}: {exc}")
                continue
            if post is not None:
                keeper.add(post, number)
        owner = self._owner()
        for number in keeper.wanted():  # older posts that replies in the window answer: read again
            keeper.add_again(self._record(*self.repo.records[number - 1]), number)
        for post in keeper.events():
            self._name(post, owner)
            self.out.add(post)
        self._describe(owner)
        if keeper.beyond:
            self.out.info.read_until = keeper.window[1]
        return self.out.done()

    def _record(self, key: str, block: bytes | None, why: str) -> Post | None:
        """The post or repost a record is (None for the profile); ValueError saying why it cannot be read."""
        collection, _, rkey = key.partition("/")
        if block is None:
            raise ValueError(why)
        record = _validated(decode_record(block), collection, self.schemas[collection])
        if collection == PROFILE:
            self.display_name = one_line((record.display_name or "")[:64]) or None
            return None
        if not _RKEY.match(rkey) or rkey in (".", ".."):
            raise ValueError("its record key is not one a repository may hold")
        return self._post(rkey, record) if collection == POST else self._repost(rkey, record)

    # -- records -------------------------------------------------------------------------------

    def _post(self, rkey: str, record) -> Post:
        created = _time(record.created_at)
        uri = f"at://{self.repo.did}/{POST}/{rkey}"
        reply = record.reply
        parent = _at_uri(reply.parent.uri, "reply.parent.uri") if reply is not None else None
        root = _at_uri(reply.root.uri, "reply.root.uri") if reply is not None else None
        mentions = []
        encoded = None
        for facet in record.facets or ():
            for feature in facet.features:
                if getattr(feature, "py_type", None) != _MENTION or not isinstance(getattr(feature, "did", None), str):
                    continue
                try:
                    did = canonical_handle(feature.did, BLUESKY)
                except ValueError:
                    continue  # not a DID: nobody to name
                mentions.append(did)
                encoded = encoded if encoded is not None else record.text.encode("utf-8")
                self._learn(did, encoded[facet.index.byte_start:facet.index.byte_end], created)
        return Post(uri, self.repo.did, created, record.text, in_reply_to=parent,
                    in_reply_to_author=_authority(parent) if parent else None,
                    conversation_id=root or uri, mentions=tuple(dict.fromkeys(mentions)),
                    quote_of=quoted_post(record.embed), platform=BLUESKY,
                    lang=record.langs[0] if record.langs else None, real_id=True)

    def _repost(self, rkey: str, record) -> Post:
        subject = _at_uri(record.subject.uri, "subject.uri")
        return Post(f"at://{self.repo.did}/{REPOST}/{rkey}", self.repo.did, _time(record.created_at), "",
                    repost_of=subject, platform=BLUESKY, real_id=True)

    def _learn(self, did: str, written: bytes, when: datetime) -> None:
        """A mention facet covers the handle as the post wrote it (`@carol.bsky.social`)."""
        try:
            text = written.decode("utf-8")
            handle = canonical_handle(text[1:], BLUESKY) if text.startswith("@") else None
        except (UnicodeDecodeError, ValueError):
            return
        if handle is None or handle.startswith("did:"):
            return
        known = self.written.get(did)
        if known is None or (when, handle) > known:
            self.written[did] = (when, handle)

    # -- names ---------------------------------------------------------------------------------

    def _owner(self) -> str:
        owner = self.given.get(self.did)
        if owner is None:
            shown = f" ({self.display_name})" if self.display_name else ""
            raise DataError(f"{self.name}: a Bluesky repository names its owner only by DID: whose is {self.did}"
                            f"{shown}? Give the roster account `did: {self.did}`, or import it with "
                            f"--did {self.did}=HANDLE")
        try:
            return canonical_handle(owner, BLUESKY)
        except ValueError as exc:
            raise DataError(f"{self.name}: the handle given for {self.did}: {exc}") from None

    def _who(self, did: str) -> str:
        given = self.given.get(did)
        if given is not None:
            try:
                return canonical_handle(given, BLUESKY)
            except ValueError:
                pass
        written = self.written.get(did)
        return written[1] if written else did

    def _name(self, post: Post, owner: str) -> None:
        post.author = owner
        if post.in_reply_to_author is not None:
            post.in_reply_to_author = self._who(post.in_reply_to_author)
        post.mentions = tuple(dict.fromkeys(self._who(did) for did in post.mentions))
        if post.repost_of is not None:  # the original's page, as the fetcher links a repost
            author = _authority(post.repost_of)
            post.url = web_link(self._who(author), post.repost_of) if author else None
        else:
            post.url = web_link(owner, post.id)

    def _describe(self, owner: str) -> None:
        info = self.out.info
        info.channels = ()  # nothing inbound: other people's posts are in their own repositories
        info.dm_accounts = frozenset()
        self.out.note(NOTE)
        self.out.note(f"the repository of {self.did} is @{owner}'s")
        if self.repo.missing_nodes:
            self.out.note(f"{self.repo.missing_nodes} parts of the repository's tree are not in the file "
                          "(a partial export): the records under them are not read")


def _validated(value: object, collection: str, schema):
    from pydantic import ValidationError

    if not isinstance(value, dict):
        raise ValueError("a record must be a map")
    if value.get("$type") != collection:
        raise ValueError(f"its $type is {one_line(str(value.get('$type'))[:60])!r}, not {collection}")
    try:
        return schema.model_validate(value)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error.get("loc", ()))
        raise ValueError(f"{where}: {error.get('msg', 'invalid')}"[:200]) from None
    except (TypeError, ValueError) as exc:
        raise ValueError(one_line(str(exc))[:200] or type(exc).__name__) from None


def _time(value: str) -> datetime:
    return parse_instant(value.replace("Z", "+00:00") if isinstance(value, str) else value, "createdAt")


def _at_uri(value: str, field: str) -> str:
    if not isinstance(value, str) or not value.startswith("at://") or len(value) > 8192 or not value.isprintable():
        raise ValueError(f"{field} is not an at:// uri")
    return value


def _authority(uri: str) -> str | None:
    """Whose record an at:// uri names: its DID (or the handle some old uris used); None when neither."""
    try:
        return canonical_handle(uri.removeprefix("at://").split("/", 1)[0], BLUESKY)
    except ValueError:
        return None
