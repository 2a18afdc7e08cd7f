"""A Mastodon account archive ("Import and export", "Request your archive"): a zip, or its unpacked folder.

Read: `outbox.json` (every status of the account, as the `Create` or `Announce` activity that made
it) and `actor.json` (whose archive it is). Likes, bookmarks and media are left alone.

| activity | event |
| --- | --- |
| `Create` of a `Note` (or `Question`, a poll) | a post; a DM when addressed neither to the public nor to the owner's followers (visibility `direct`): from the owner to the accounts it mentions |
| `Announce` | a repost (a boost) of its `object` |

The ids are the fetcher's (`mastodon_events.py`), so a status read from an archive and fetched is
one event: a status's id is its ActivityPub id (the REST API's `uri`), its link its `url`; a boost's
id and link are the `Announce`'s id. A reply names its parent by that id (`inReplyTo`), and whom it
answers by the mention whose actor the parent's id belongs to (or the owner, in a thread of their
own). A mention is written as the `acct` Mastodon gives it (`@bob`, local: on the owner's instance;
`@bob@other.social`), else by its actor's address.

**What it cannot show.** Other people's statuses: mentions of and replies to the owner, and the DMs
they received. The DMs the owner sent are read (a promise kept by DM is seen), but the archive
holds only that half of their DMs, so it holds nobody's DMs in the sense of `dm_accounts`: a promise
not seen kept is `cannot_tell`, never `broken`, unless a fetch holds the rest.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import orjson

from auditor.activity.events import MAX_TEXT
from auditor.time.instants import parse_instant
from auditor.activity.model import Activity, DirectMessage, Post
from auditor.networks import MASTODON, canonical_handle, instance_of
from auditor.activity.sources.archive_files import Container, clean, open_container
from auditor.activity.sources.common import Collector, one_line
from auditor.speedups import no_gc
from auditor.activity.sources.export_window import WindowKeeper
from auditor.activity.sources.mastodon_events import html_text
from auditor.activity.sources.outbox_stream import ordered_items
from auditor.errors import DataError
from auditor.progress import counted

KIND = "mastodon-archive"
OUTBOX, ACTOR = "outbox.json", "actor.json"
PUBLIC = frozenset({"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"})
NOTE_TYPES = ("Note", "Question", "Article", "Page")
NOTE = ("a Mastodon archive holds its owner's own statuses and boosts, and the DMs they sent but not those they "
        "received: no mentions of them or replies to them by others, and nobody's DMs in full (a promise not seen "
        "kept is cannot_tell)")
_ACTOR_PATH = re.compile(r"^/(?:users/|@)([A-Za-z0-9_.-]+)/?$")
MAX_URI = 2048
MAX_ACTOR = 1 << 20  # actor.json is a few kilobytes


def is_mastodon_archive(path: Path) -> bool:
    """A folder or zip holding `outbox.json` at its top or one folder down."""
    import zipfile

    try:
        if path.is_dir():
            return (path / OUTBOX).is_file() or any((child / OUTBOX).is_file() for child in _folders(path))
        with zipfile.ZipFile(path) as archive:
            return any(_outbox_depth(info.filename) is not None for info in archive.infolist())
    except (OSError, zipfile.BadZipFile, ValueError, RuntimeError, NotImplementedError, EOFError):
        return False  # the X archive reader says what is wrong with it


def read_mastodon_archive(path: Path, *, window: tuple[datetime, datetime] | None = None,
                          name: str | None = None) -> Activity:
    """The statuses of a Mastodon archive (zip or folder) as canonical events; `window` keeps the events
    inside it and the owner's older posts that replies inside it answer."""
    name = name or str(path)
    if path.name.lower().endswith((".tar.gz", ".tgz")):
        raise DataError(f"{name}: a .tar.gz archive (Mastodon before 4.2 made these): unpack it (tar xzf) and "
                        "give the folder holding outbox.json")
    with open_container(path) as container:
        outbox, actor = _members(container, path, name)
        reader = _OutboxReader(name, outbox, window)
        if actor is not None:
            reader.owner_from_actor(_small_file(container, actor, name), actor)

        def activities():
            with container.open(outbox) as stream:
                yield from enumerate(ordered_items(stream, f"{name}: {outbox}"), start=1)

        with no_gc():
            for number, item in counted(activities(), f"reading {Path(name).name}", "statuses"):
                reader.item(number, item)
            wanted = reader.keeper.wanted()
            if wanted:  # older posts that replies in the window answer: one more pass for them
                for number, item in activities():
                    if number in wanted:
                        reader.keeper.add_again(reader.event(item), number)
        return reader.done()


# -- members -------------------------------------------------------------------------------------


def _small_file(container: Container, member: str, name: str) -> bytes:
    """actor.json whole, a chunk at a time (asking for the cap at once would allocate all of it)."""
    parts, total = [], 0
    with container.open(member) as handle:
        while chunk := handle.read(1 << 16):
            total += len(chunk)
            if total > MAX_ACTOR:
                raise DataError(f"{name}: {member} is more than the {MAX_ACTOR:,} bytes read from an actor")
            parts.append(chunk)
    return b"".join(parts)


def _outbox_depth(member: str) -> int | None:
    pure = PurePosixPath(member)
    return len(pure.parts) if pure.name == OUTBOX and len(pure.parts) <= 2 else None


def _folders(path: Path) -> list[Path]:
    root = path.resolve()
    return sorted(child for child in path.iterdir()
                  if child.is_dir() and child.resolve().is_relative_to(root))[:20]


def _members(container: Container, path: Path, name: str) -> tuple[str, str | None]:
    """(outbox.json, actor.json beside it or None), as the container names them."""
    if path.is_dir():
        root = path.resolve()
        names = [f.relative_to(path).as_posix() for folder in [path, *_folders(path)] for f in (folder / OUTBOX,
                 folder / ACTOR) if f.is_file() and f.resolve().is_relative_to(root)]
    else:
        names = [member for member, _ in container.names()]
    outboxes = sorted((depth, member) for member in names if (depth := _outbox_depth(member)) is not None)
    if not outboxes:
        raise DataError(f"{name}: no outbox.json found: is this a Mastodon archive?")
    if len(outboxes) > 1 and outboxes[0][0] == outboxes[1][0]:
        raise DataError(f"{name}: holds two outbox.json ({clean(outboxes[0][1])!r}, {clean(outboxes[1][1])!r}): "
                        "which is the archive's? Give one archive at a time")
    outbox = outboxes[0][1]
    actor = str(PurePosixPath(outbox).with_name(ACTOR)) if "/" in outbox else ACTOR
    return outbox, actor if actor in names else None


# -- activities ----------------------------------------------------------------------------------


class _OutboxReader:
    def __init__(self, name: str, outbox: str, window: tuple[datetime, datetime] | None):
        self.name = name
        self.source = f"{name}:{outbox}"
        self.out = Collector(name, KIND)
        self.actor_id: str | None = None
        self.owner: str | None = None
        self.followers: str | None = None
        self.keeper = WindowKeeper(window)
        self.own: set[str] = set()  # every status id of the archive: a reply to one is in a thread of their own

    def owner_from_actor(self, raw: bytes, member: str) -> None:
        try:
            actor = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise DataError(f"{self.name}: {member}: not valid JSON (line {exc.lineno}, column {exc.colno})") from None
        if not isinstance(actor, dict):
            raise DataError(f"{self.name}: {member}: not an actor (expected a JSON object)")
        self.actor_id = _uri(actor.get("id"))
        self.followers = _uri(actor.get("followers"))
        host = urlsplit(self.actor_id).hostname if self.actor_id else None
        for written, home in ((actor.get("webfinger"), None), (actor.get("preferredUsername"), host)):
            if isinstance(written, str) and (home or "@" in written):
                try:
                    self.owner = canonical_handle(written, MASTODON, home=home)
                    return
                except ValueError:
                    continue
        raise DataError(f"{self.name}: {member}: names no account (preferredUsername and id): "
                        "cannot tell whose archive this is")

    def _owner_from(self, activity: dict) -> None:
        """Without actor.json: the owner from the first activity's actor (https://host/users/name)."""
        actor = _uri(activity.get("actor"))
        match = _ACTOR_PATH.match(urlsplit(actor).path) if actor else None
        if match is None:
            raise DataError(f"{self.name}: actor.json is missing and the activities do not name their account: "
                            "cannot tell whose archive this is")
        self.actor_id = actor
        self.owner = canonical_handle(f"{match.group(1)}@{urlsplit(actor).hostname}", MASTODON)

    def item(self, number: int, activity: object) -> None:
        try:
            event = self.event(activity)
        except ValueError as exc:
            self.out.skip(self.source, number, str(exc))
            return
        self.own.add(event.id)
        self.keeper.add(event, number)

    def event(self, activity: object) -> Post | DirectMessage:
        """The post, repost or DM an activity made; ValueError saying why it is none."""
        if not isinstance(activity, dict):
            raise ValueError("an activity must be an object")
        if self.owner is None:
            self._owner_from(activity)
        actor = activity.get("actor")
        if actor is not None and self.actor_id is not None and _id_of(actor) != self.actor_id:
            raise ValueError("an activity of another account than the archive's")
        kind = activity.get("type")
        if kind == "Create":
            return self._create(activity)
        if kind == "Announce":
            return self._announce(activity)
        raise ValueError(f"a {one_line(str(kind))[:40]!r} activity is neither a status nor a boost")

    def _create(self, activity: dict) -> Post | DirectMessage:
        note = activity.get("object")
        if not isinstance(note, dict) or note.get("type") not in NOTE_TYPES:
            raise ValueError("a Create activity without its status (a Note)")
        status_id = _required_uri(note.get("id"), "object.id")
        created = parse_instant(_published(note, activity), "published")
        text = _text(note)
        home = instance_of(self.owner)
        by_actor: dict[str, str] = {}
        tags = note.get("tag") if isinstance(note.get("tag"), list) else ()
        for tag in tags:
            if isinstance(tag, dict) and tag.get("type") == "Mention":
                handle = _mentioned(tag, home)
                if handle is not None:
                    by_actor.setdefault(_uri(tag.get("href")) or handle, handle)
        mentions = tuple(dict.fromkeys(by_actor.values()))
        audience = _audience(note.get("to")) | _audience(note.get("cc"))
        if not audience & PUBLIC and not self._to_followers(audience):
            recipients = tuple(h for h in mentions if h != self.owner) or (self.owner,)
            conversation = ":".join(sorted({self.owner, *recipients}))
            return DirectMessage(status_id, conversation, self.owner, recipients, created, text, MASTODON)
        reply_to = _uri(_id_of(note.get("inReplyTo")), any_scheme=True)
        contentmap = note.get("contentMap")
        lang = next(iter(contentmap), None) if isinstance(contentmap, dict) and contentmap else None
        return Post(status_id, self.owner, created, text, in_reply_to=reply_to,
                    in_reply_to_author=self._answered(reply_to, by_actor) if reply_to else None,
                    mentions=mentions, quote_of=_quote(note), url=_uri(note.get("url")) or status_id,
                    platform=MASTODON, lang=lang if isinstance(lang, str) and len(lang) <= 35 else None, real_id=True)

    def _announce(self, activity: dict) -> Post:
        boost_id = _required_uri(activity.get("id"), "id")
        original = _required_uri(_id_of(activity.get("object")), "object")
        created = parse_instant(activity.get("published"), "published")
        return Post(boost_id, self.owner, created, "", repost_of=original, url=boost_id, platform=MASTODON,
                    real_id=True)

    def _to_followers(self, audience: set[str]) -> bool:
        if self.followers in audience:
            return True
        own = f"{self.actor_id}/" if self.actor_id else None
        return bool(own) and any(a.startswith(own) and a.endswith("/followers") for a in audience)

    def _answered(self, parent: str, by_actor: dict[str, str]) -> str | None:
        """Whose status `parent` is: the owner's, or a mentioned account's (its id is under the actor's)."""
        if self.actor_id and parent.startswith(f"{self.actor_id}/"):
            return self.owner
        for actor, handle in by_actor.items():
            if actor.startswith("http") and parent.startswith(f"{actor}/"):
                return handle
        return None

    def done(self) -> Activity:
        for event in self.keeper.events():
            if type(event) is Post and event.in_reply_to_author is None and event.in_reply_to in self.own:
                event.in_reply_to_author = self.owner  # a thread of their own
            self.out.add(event)
        info = self.out.info
        info.channels = ()
        info.dm_accounts = frozenset()
        if self.keeper.beyond:
            info.read_until = self.keeper.window[1]
        self.out.note(NOTE)
        if self.owner:
            self.out.note(f"the archive of @{self.owner}")
        return self.out.done()


def _mentioned(tag: dict, home: str | None) -> str | None:
    """A Mention tag's account: its `name` (`@bob`, `@bob@other.social`), else its actor's address."""
    name = tag.get("name")
    if isinstance(name, str) and name.startswith("@"):
        try:
            return canonical_handle(name, MASTODON, home=home)
        except ValueError:
            pass
    href = _uri(tag.get("href"))
    match = _ACTOR_PATH.match(urlsplit(href).path) if href else None
    if match:
        try:
            return canonical_handle(f"{match.group(1)}@{urlsplit(href).hostname}", MASTODON)
        except ValueError:
            return None
    return None


def _text(note: dict) -> str:
    content = note.get("content")
    if content is None and isinstance(note.get("contentMap"), dict):
        content = next(iter(note["contentMap"].values()), None)
    if content is not None and not isinstance(content, str):
        raise ValueError("content must be a string")
    if content is not None and len(content) > 4 * MAX_TEXT:
        raise ValueError(f"content is longer than {4 * MAX_TEXT:,} characters")
    text = html_text(content or "")[:MAX_TEXT]
    summary = note.get("summary")
    if isinstance(summary, str) and summary.strip():  # a content warning is part of what was said
        text = f"{summary.strip()[:MAX_TEXT]}\n\n{text}" if text else summary.strip()[:MAX_TEXT]
    if not text:
        media = [a for a in note.get("attachment") or () if isinstance(a, dict) and a.get("type") != "Link"] \
            if isinstance(note.get("attachment"), list) else []
        text = f"[{len(media)} media item{'s' if len(media) != 1 else ''}]" if media else ""
    return text


def _published(note: dict, activity: dict) -> object:
    return note.get("published") if note.get("published") is not None else activity.get("published")


def _audience(value: object) -> set[str]:
    values = value if isinstance(value, list) else [value]
    return {found for v in values if (found := _id_of(v)) is not None}


def _id_of(value: object) -> str | None:
    """An ActivityStreams reference: a string, or an object with its `id`."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else None


def _uri(value: object, any_scheme: bool = False) -> str | None:
    """An id or link, when it is one: http(s) (or, for a reply's parent, any scheme: old OStatus `tag:`
    ids), printable, of a sane length."""
    if not isinstance(value, str) or not value or len(value) > MAX_URI or not value.isprintable() or " " in value:
        return None
    if not any_scheme and not value.startswith(("https://", "http://")):
        return None
    return value


def _required_uri(value: object, field: str) -> str:
    found = _uri(value)
    if found is None:
        raise ValueError(f"{field} is not an http(s) address" if value is not None else f"missing {field}")
    return found


def _quote(note: dict) -> str | None:
    for key in ("quote", "quoteUri", "_misskey_quote"):
        found = _uri(_id_of(note.get(key)))
        if found:
            return found
    return None
