"""The store's file: its tables and schema version, how a time and an event are written in a row, and
what SQLite's failures mean to a user. `store.py` opens and writes it; `sources/store_reader.py` reads it."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import orjson

from auditor.activity import store_fetch
from auditor.activity.events import own_url
from auditor.activity.fast_events import DMLine, NotTaken, PostLine, decode_line, utc_time
from auditor.activity.model import DirectMessage, Post
from auditor.errors import DataError


# 2: sources.dm_accounts (whose DMs a source holds). A version-1 store is upgraded when opened
# for writing; read as it is, its sources' DM holders are worked out from their DMs.
# Since version 2, sources.dms_until (when a source's DMs end: an archive's making) and
# sources.replies_not_held (the replies a CSV slice names and does not hold) are added to a store
# opened for writing; an auditor that does not know the columns reads the store as before.
SCHEMA_VERSION = 2


SQLITE_MAGIC = b"SQLite format 3\x00"


STORE_SUFFIXES = (".db", ".sqlite", ".sqlite3")


SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    location TEXT NOT NULL,
    name TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    events INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    channels TEXT NOT NULL DEFAULT '[]',
    notes TEXT NOT NULL DEFAULT '[]',
    dm_accounts TEXT,
    dms_until TEXT,
    replies_not_held TEXT,
    UNIQUE (kind, location)
);
CREATE TABLE skipped (
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    source TEXT NOT NULL,
    line INTEGER NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (source_id, seq)
);
CREATE TABLE events (
    platform TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    author TEXT NOT NULL,
    in_reply_to TEXT,
    has_text INTEGER NOT NULL,
    source_id INTEGER REFERENCES sources(id),
    json TEXT NOT NULL
);
CREATE UNIQUE INDEX events_key ON events (id, kind, platform);
CREATE INDEX events_created_at ON events (created_at);
CREATE TABLE fetch_state (
    account TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    user_id TEXT,
    newest_id TEXT,
    newest_time TEXT,
    run_since_id TEXT,
    run_newest_id TEXT,
    next_token TEXT,
    params TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (account, endpoint)
);
CREATE TABLE coverage (
    account TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (account, endpoint)
);
"""


def check_schema(db: sqlite3.Connection, name: str, read_only: bool) -> bool:
    """Create the tables of a new store, upgrade an older one opened for writing, refuse what is not a
    store or is newer than this auditor. Returns whether `sources` has its `dm_accounts` column."""
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "meta" not in tables:
        if tables:
            raise DataError(f"{name}: an SQLite file, but not an auditor store (no meta table)")
        if read_only:
            raise DataError(f"{name}: an empty store")
        with db:
            db.executescript(SCHEMA)
            db.execute("INSERT INTO meta VALUES ('schema_version', ?), ('created_at', ?)", (str(SCHEMA_VERSION), now()))
            store_fetch.create(db)
        return True
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    version = int(row[0]) if row and str(row[0]).isdigit() else None
    if version is None:
        raise DataError(f"{name}: the store has no schema_version: not an auditor store")
    if version > SCHEMA_VERSION:
        raise DataError(
            f"{name}: the store has schema version {version}, newer than this auditor reads "
            f"({SCHEMA_VERSION}): upgrade auditor")
    has_dm_accounts = has_column(db, "sources", "dm_accounts")
    if not read_only:
        with db:
            if version < 2:
                if not has_dm_accounts:
                    db.execute("ALTER TABLE sources ADD COLUMN dm_accounts TEXT")
                db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
            for column in ("dms_until", "replies_not_held"):
                if not has_column(db, "sources", column):
                    db.execute(f"ALTER TABLE sources ADD COLUMN {column} TEXT")
            store_fetch.create(db)  # tables added since the store was made
        has_dm_accounts = True
    return has_dm_accounts


def has_column(db: sqlite3.Connection, table: str, column: str) -> bool:
    return any(row[1] == column for row in db.execute(f"PRAGMA table_info({table})"))


def stamp(moment: datetime) -> str:
    """UTC, fixed width ("2026-10-05T14:02:00.000000Z"): compares as text in the same order as in time."""
    if moment.tzinfo is not timezone.utc:
        moment = moment.astimezone(timezone.utc)
    return moment.isoformat(timespec="microseconds")[:26] + "Z"  # isoformat is ~4x faster than strftime


def now() -> str:
    return stamp(datetime.now(timezone.utc))


def is_store(path: Path) -> bool:
    if path.suffix.lower() in STORE_SUFFIXES:
        return True
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def has_magic(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(16) == SQLITE_MAGIC


def store_problem(exc: sqlite3.Error) -> str:
    """What a user can do about an SQLite error, in words."""
    reason = problem_text(exc)
    lowered = reason.lower()
    if "locked" in lowered or "busy" in lowered:
        return f"the store is in use by another process ({reason}); run one import, fetch or audit at a time"
    if "readonly" in lowered or "read-only" in lowered:
        return f"cannot write the store ({reason}): the file or its folder is read-only"
    if "unable to open" in lowered:
        return f"cannot open or create the store ({reason}): check the path and that its folder is writable"
    if "full" in lowered:
        return f"cannot write the store ({reason}): free some disk space"
    if "no such table" in lowered or "no such column" in lowered or "malformed" in lowered or "not a database" in lowered:
        return f"the store is damaged ({reason}); import the sources again into a new store"
    return f"cannot use the store ({reason})"


def problem_text(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__


def unique_batch(batch: list) -> list:
    # The same event twice in one batch: the later copy wins, as it would across batches.
    keyed = {}
    for event in batch:
        keyed[(event.id, type(event) is Post, event.platform)] = event
    return list(keyed.values()) if len(keyed) != len(batch) else batch


# A UTF-16 half without its pair. A network that cuts a long post by UTF-16 units can cut an
# emoji in two, and its JSON then says "\ud83d" alone; Python's json keeps that as a character
# UTF-8, so the store, cannot hold. (A whole pair is one character in a Python string.)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(obj: dict) -> dict:
    """``obj`` with each lone UTF-16 half in its text made U+FFFD, the character that stands for
    one that cannot be read; the rest of the post is kept."""
    text = obj.get("text")
    if text and not text.isascii():
        obj["text"] = _LONE_SURROGATE.sub("\ufffd", text)
    return obj


def author_of(obj: dict) -> str:
    return obj["author"] if obj["type"] == "post" else obj["sender"]


def event_row(event: Post | DirectMessage, kind: str, obj: dict, source_id: int | None) -> tuple:
    return (event.platform, kind, event.id, stamp(event.created_at), author_of(obj),
            obj.get("in_reply_to"), int(bool(event.text)), source_id, orjson.dumps(obj).decode())


KEEP_OLD = {"repost_of": "unknown"}


def merge_event(old: dict, new: dict) -> dict | None:
    """`old` with what `new` knows; None when that changes nothing.

    A later copy wins field by field, but emptiness never erases: a DM header (no text)
    keeps a DM's text, an archive post (no conversation_id) keeps the API's.
    """
    merged = dict(old)
    for key, value in new.items():
        if value is None or value == "" or value == []:
            continue
        if KEEP_OLD.get(key) == value and old.get(key) not in (None, ""):
            continue
        if key == "url" and old.get("url") and value == f"https://x.com/{new.get('author')}/status/{new.get('id')}":
            continue  # the address any X post has never replaces one a source gave (they name the same post)
        merged[key] = value
    return None if merged == old else merged


def row_event(kind: str, text: str, real_id: bool) -> Post | DirectMessage:
    """A stored row back to an event. Rows were validated on the way in: no second validation.

    `real_id`: the row came from a source whose post ids are X's own (an archive, the API)."""
    obj = orjson.loads(text)
    created_at = datetime.fromisoformat(obj["created_at"]).astimezone(timezone.utc)
    if kind == "post":
        url = obj.get("url")
        return Post(obj["id"], obj["author"], created_at, obj["text"], obj.get("in_reply_to"),
                    obj.get("in_reply_to_author"), obj.get("conversation_id"), tuple(obj.get("mentions") or ()),
                    obj.get("repost_of"), obj.get("quote_of"),
                    own_url(url, obj["author"], obj["id"], obj.get("platform")), obj.get("platform") or "x",
                    obj.get("lang"), real_id=real_id or url is not None)
    return DirectMessage(obj["id"], obj["conversation_id"], obj["sender"], tuple(obj["recipients"]), created_at,
                         obj["text"], obj.get("platform") or "x")


def row_builder() -> Callable[[str, str, bool], Post | DirectMessage]:
    """`row_event` for a window of a million rows: what it gives, with what repeats kept once.

    A row the writer wrote (a canonical post or DM, every field of its JSON type, times in UTC)
    is decoded into typed fields (msgspec, no dict), and what repeats is shared as the JSONL
    reader shares it (fast_events.py): texts, handles and one-handle lists, network and language
    names, and the ids that name a post (a reply's parent and conversation, a repost's or quote's
    original are that post's own id string). Any other row (a null where a string was expected,
    an older store's time with an offset) goes through `row_event` itself, so the events are equal
    either way (tests/activity/test_store_rows.py).
    """
    names: dict[str, str] = {}
    texts: dict[str, str] = {}
    ones: dict[str, tuple[str]] = {}  # handle -> the tuple of it alone (a mention, a recipient)
    labels: dict[str, str] = {}  # network and language names: a handful, on every row
    ids: dict[str, str] = {}  # post ids and the ids that name a post

    def handles(written: list[str]) -> tuple[str, ...]:
        if len(written) == 1:
            handle = written[0]
            one = ones.get(handle)
            if one is None:
                ones[handle] = one = (names.setdefault(handle, handle),)
            return one
        return tuple([names.setdefault(handle, handle) for handle in written])

    def build(kind: str, text: str, real_id: bool) -> Post | DirectMessage:
        try:
            line = decode_line(text)
        except NotTaken:
            return row_event(kind, text, real_id)
        created_at = utc_time(line.created_at)
        if created_at is None:
            return row_event(kind, text, real_id)
        if kind == "post" and type(line) is PostLine:
            author, post_id, url, platform, reply_author = line.author, line.id, line.url, line.platform, line.in_reply_to_author
            lang, parent, conversation = line.lang, line.in_reply_to, line.conversation_id
            reposted, quoted = line.repost_of, line.quote_of
            return Post(ids.setdefault(post_id, post_id), names.setdefault(author, author), created_at,
                        texts.setdefault(line.text, line.text), parent if parent is None else ids.setdefault(parent, parent),
                        reply_author if reply_author is None else names.setdefault(reply_author, reply_author),
                        conversation if conversation is None else ids.setdefault(conversation, conversation),
                        handles(line.mentions) if line.mentions else (),
                        reposted if reposted is None else ids.setdefault(reposted, reposted),
                        quoted if quoted is None else ids.setdefault(quoted, quoted), own_url(url, author, post_id, platform),
                        labels.setdefault(platform, platform) if platform else "x",
                        lang if lang is None else labels.setdefault(lang, lang), real_id or url is not None)
        if kind == "dm" and type(line) is DMLine and line.conversation_id is not None:
            sender, platform = line.sender, line.platform
            return DirectMessage(line.id, line.conversation_id, names.setdefault(sender, sender), handles(line.recipients),
                                 created_at, texts.setdefault(line.text, line.text),
                                 labels.setdefault(platform, platform) if platform else "x")
        return row_event(kind, text, real_id)

    return build


BATCH = 500  # ids per IN (...) query: below SQLite's variable limit everywhere
