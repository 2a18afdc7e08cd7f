"""The local store: one SQLite file holding every event imported or fetched, deduplicated.

Tables (schema version in `meta`):

- `events`: one row per (platform, kind, id), with `created_at` (UTC, fixed width so it
  sorts as time; indexed) and the canonical JSON. The same post from an archive, a CSV and
  the API is one row; a later copy fills in what an earlier one lacked, and a DM header
  (time without text) never blanks a DM's text.
- `sources`: what was imported or fetched, with its channels, notes, skipped count and the
  accounts whose DMs it holds; `skipped`: the first skipped records of each, with line and reason.
- `fetch_state`: per account and endpoint, the newest id fetched and, during a run, the
  pagination token, so a killed `auditor fetch` resumes where it stopped.
- `coverage`: per account and endpoint, whether the last fetch got it, and why not.
- the tables only `auditor fetch` writes (user ids, the spans each endpoint covers, reads and
  their cost, edited posts, DM participants): `auditor/activity/store_fetch.py`.

`read_store` reads only a time window (plus the posts that replies in it answer), so a
monthly audit of a large store does not load years of history.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

import orjson

from auditor.activity import store_fetch
from auditor.activity.events import event_to_dict, own_url
from auditor.activity.model import Activity, DirectMessage, Post, Skipped, SourceInfo
from auditor.activity.sources.common import MAX_SKIPPED_KEPT, no_gc
from auditor.errors import DataError
from auditor.progress import counted

# 2: sources.dm_accounts (whose DMs a source holds). A version-1 store is upgraded when opened
# for writing; read as it is, its sources' DM holders are worked out from their DMs.
SCHEMA_VERSION = 2
SQLITE_MAGIC = b"SQLite format 3\x00"
STORE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
_BATCH = 500  # ids per IN (...) query: below SQLite's variable limit everywhere

_SCHEMA = """
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


def stamp(moment: datetime) -> str:
    """UTC, fixed width ("2026-10-05T14:02:00.000000Z"): compares as text in the same order as in time."""
    if moment.tzinfo is not timezone.utc:
        moment = moment.astimezone(timezone.utc)
    return moment.isoformat(timespec="microseconds")[:26] + "Z"  # isoformat is ~4x faster than strftime


def _now() -> str:
    return stamp(datetime.now(timezone.utc))


def is_store(path: Path) -> bool:
    if path.suffix.lower() in STORE_SUFFIXES:
        return True
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == SQLITE_MAGIC
    except OSError:
        return False


@dataclass
class Counts:
    """What one batch of events did to the store."""

    added: int = 0  # new rows
    updated: int = 0  # existing rows that gained something
    unchanged: int = 0  # already there, nothing new

    def __iadd__(self, other: "Counts") -> "Counts":
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


@dataclass
class FetchState:
    account: str
    endpoint: str
    user_id: str | None = None
    newest_id: str | None = None  # the newest id a completed run saw: the next run's since_id
    newest_time: str | None = None
    run_since_id: str | None = None  # during a run: the since_id it started with
    run_newest_id: str | None = None  # during a run: the newest id seen so far
    next_token: str | None = None  # during a run: the page to ask for next
    params: dict = field(default_factory=dict)  # during a run: what it asks (search queries...)

    @property
    def in_progress(self) -> bool:
        return self.next_token is not None or bool(self.params)


@dataclass
class CoverageRow:
    account: str
    endpoint: str
    status: str  # ok | failed | stopped (a limit, the usage cap, no credits: resumable) | not_fetched
    reason: str


def _store_errors(method):
    """SQLite's failures are the machine's or the file's, not the auditor's: one line naming the store
    and what to do (exit 2), never a traceback. Locked, read-only, full or damaged stores end here."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise DataError(f"{self.name}: {store_problem(exc)}") from None

    return wrapper


def store_problem(exc: sqlite3.Error) -> str:
    """What a user can do about an SQLite error, in words."""
    reason = _reason(exc)
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


class Store:
    """An open store. Use as a context manager; every write method commits its own transaction."""

    def __init__(self, path: Path | str, *, read_only: bool = False):
        self.path = Path(path)
        self.name = str(path)
        exists = self.path.exists()
        if read_only and not exists:
            raise DataError(f"{self.name}: no such store")
        if exists and self.path.is_dir():
            raise DataError(f"{self.name}: is a folder, not a store file")
        if exists and self.path.stat().st_size and not _has_magic(self.path):
            raise DataError(f"{self.name}: not an SQLite file, so not an auditor store")
        try:
            if read_only:
                self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            else:
                self.db = sqlite3.connect(self.path)
            self.db.execute("PRAGMA foreign_keys = ON")
            self._check_schema(read_only)
        except sqlite3.Error as exc:
            self._close_quietly()
            raise DataError(f"{self.name}: {store_problem(exc)}") from None

    def _check_schema(self, read_only: bool) -> None:
        tables = {row[0] for row in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "meta" not in tables:
            if tables:
                self._close_quietly()
                raise DataError(f"{self.name}: an SQLite file, but not an auditor store (no meta table)")
            if read_only:
                self._close_quietly()
                raise DataError(f"{self.name}: an empty store")
            with self.db:
                self.db.executescript(_SCHEMA)
                self.db.execute("INSERT INTO meta VALUES ('schema_version', ?), ('created_at', ?)", (str(SCHEMA_VERSION), _now()))
                store_fetch.create(self.db)
            self.has_dm_accounts = True
            return
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row and str(row[0]).isdigit() else None
        if version is None:
            self._close_quietly()
            raise DataError(f"{self.name}: the store has no schema_version: not an auditor store")
        if version > SCHEMA_VERSION:
            self._close_quietly()
            raise DataError(
                f"{self.name}: the store has schema version {version}, newer than this auditor reads "
                f"({SCHEMA_VERSION}): upgrade auditor")
        self.has_dm_accounts = any(row[1] == "dm_accounts" for row in self.db.execute("PRAGMA table_info(sources)"))
        if not read_only:
            with self.db:
                if version < 2:
                    if not self.has_dm_accounts:
                        self.db.execute("ALTER TABLE sources ADD COLUMN dm_accounts TEXT")
                    self.db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
                store_fetch.create(self.db)  # tables added since the store was made
            self.has_dm_accounts = True

    def _close_quietly(self) -> None:
        try:
            self.db.close()
        except Exception:  # noqa: BLE001 - closing after a failure must not hide the failure
            pass

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- sources ---------------------------------------------------------------------------

    @_store_errors
    def register_source(self, info: SourceInfo, location: str, skipped: Iterable[Skipped] = ()) -> int:
        """The source's row (created or refreshed), its skipped records replaced; returns its id. No commit."""
        now = _now()
        channels = orjson.dumps(list(info.channels)).decode()
        notes = orjson.dumps(list(info.notes)).decode()
        dm_accounts = orjson.dumps(sorted(info.dm_accounts)).decode()
        self.db.execute(
            "INSERT INTO sources (kind, location, name, first_seen, last_seen, skipped, channels, notes, dm_accounts) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, location) DO UPDATE SET name = excluded.name, "
            "last_seen = excluded.last_seen, skipped = excluded.skipped, channels = excluded.channels, "
            "notes = excluded.notes, dm_accounts = excluded.dm_accounts",
            (info.kind, location, info.name, now, now, info.skipped, channels, notes, dm_accounts),
        )
        source_id = self.db.execute("SELECT id FROM sources WHERE kind = ? AND location = ?", (info.kind, location)).fetchone()[0]
        self.db.execute("DELETE FROM skipped WHERE source_id = ?", (source_id,))
        self.db.executemany(
            "INSERT INTO skipped VALUES (?, ?, ?, ?, ?)",
            ((source_id, seq, s.source, s.line, s.reason) for seq, s in enumerate(skipped) if seq < MAX_SKIPPED_KEPT),
        )
        return source_id

    def _count_source(self, source_id: int) -> None:
        self.db.execute("UPDATE sources SET events = (SELECT count(*) FROM events WHERE source_id = ?) WHERE id = ?",
                        (source_id, source_id))

    @_store_errors
    def add_activity(self, activity: Activity, location: str) -> Counts:
        """One read source into the store, in one transaction (all of it or nothing)."""
        info = _one_source(activity, location)
        with self.db:
            source_id = self.register_source(info, location, activity.skipped)
            counts = self._put(activity.posts + activity.dms, source_id)
            self._count_source(source_id)
        return counts

    def bluesky_handles(self) -> dict[str, str]:
        """DID -> handle, from the stored Bluesky posts whose author has a handle (a post's id is under its
        author's DID)."""
        from auditor.activity.sources.bluesky_names import handles_in

        rows = self.db.execute("SELECT id, author, created_at FROM events WHERE id >= 'at://did:' AND id < 'at://did;' "
                               "AND kind = 'post' AND platform = 'bluesky'")
        return handles_in(rows)

    # -- events ----------------------------------------------------------------------------

    @_store_errors
    def add_events(self, events: list[Post | DirectMessage], source_id: int | None = None) -> Counts:
        with self.db:
            counts = self._put(events, source_id)
            if source_id is not None:
                self._count_source(source_id)
        return counts

    def _put(self, events: list[Post | DirectMessage], source_id: int | None) -> Counts:
        """Insert new events, merge into existing ones. No commit: callers own the transaction."""
        counts = Counts()
        for start in range(0, len(events), _BATCH):
            batch = _unique(events[start:start + _BATCH])
            existing = self._existing(batch)
            new_rows, updates = [], []
            for event in batch:
                kind = "post" if type(event) is Post else "dm"
                obj = event_to_dict(event)
                old = existing.get((event.id, kind, event.platform))
                if old is None:
                    new_rows.append(_row(event, kind, obj, source_id))
                    continue
                merged = _merge(orjson.loads(old), obj)
                if merged is None:
                    counts.unchanged += 1
                    continue
                updates.append((merged["created_at"], _author(merged), merged.get("in_reply_to"),
                                int(bool(merged.get("text"))), source_id, orjson.dumps(merged).decode(),
                                event.id, kind, event.platform))
            self.db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", new_rows)
            self.db.executemany(
                "UPDATE events SET created_at = ?, author = ?, in_reply_to = ?, has_text = ?, "
                "source_id = coalesce(?, source_id), json = ? WHERE id = ? AND kind = ? AND platform = ?", updates)
            counts.added += len(new_rows)
            counts.updated += len(updates)
        return counts

    def _existing(self, batch: list[Post | DirectMessage]) -> dict[tuple[str, str, str], str]:
        ids = list({event.id for event in batch})
        found = {}
        rows = self.db.execute(
            f"SELECT id, kind, platform, json FROM events WHERE id IN ({','.join('?' * len(ids))})", ids)
        for event_id, kind, platform, text in rows:
            found[(event_id, kind, platform)] = text
        return found

    @_store_errors
    def count(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT kind, count(*) FROM events GROUP BY kind").fetchall())

    # -- fetch state and coverage ----------------------------------------------------------

    @_store_errors
    def fetch_state(self, account: str, endpoint: str) -> FetchState | None:
        row = self.db.execute(
            "SELECT account, endpoint, user_id, newest_id, newest_time, run_since_id, run_newest_id, next_token, params "
            "FROM fetch_state WHERE account = ? AND endpoint = ?", (account, endpoint)).fetchone()
        if row is None:
            return None
        return FetchState(*row[:8], params=orjson.loads(row[8]) if row[8] else {})

    @_store_errors
    def save_state(self, state: FetchState) -> None:
        """No commit: a fetched page and the state that says it was fetched go in one transaction."""
        self.db.execute(
            "INSERT OR REPLACE INTO fetch_state VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (state.account, state.endpoint, state.user_id, state.newest_id, state.newest_time, state.run_since_id,
             state.run_newest_id, state.next_token, orjson.dumps(state.params).decode() if state.params else None, _now()))

    @_store_errors
    def save_page(self, events: list[Post | DirectMessage], source_id: int, state: FetchState,
                  then: Callable[[sqlite3.Connection], None] | None = None) -> Counts:
        """One page of a fetch and the state after it, atomically: a run killed here resumes after this page.

        `then` writes what else belongs to the page (its reads, edits, DM participants) in the same transaction.
        """
        with self.db:
            counts = self._put(events, source_id)
            self.save_state(state)
            if then is not None:
                then(self.db)
        return counts

    def update_events(self, events: list[Post | DirectMessage]) -> Counts:
        """Merge changed copies of stored events, keeping their source. No commit: for `save_page`'s `then`."""
        return self._put(events, None)

    def post_ids(self, ids: list[str]) -> set[str]:
        """Which of these post ids the store holds."""
        found = set()
        for start in range(0, len(ids), _BATCH):
            chunk = ids[start:start + _BATCH]
            rows = self.db.execute(
                f"SELECT id FROM events WHERE kind = 'post' AND id IN ({','.join('?' * len(chunk))})", chunk)
            found.update(row[0] for row in rows)
        return found

    def dms_in(self, conversation_id: str, since: datetime) -> list[DirectMessage]:
        """The stored DMs of one conversation sent since `since`."""
        rows = self.db.execute("SELECT json FROM events WHERE kind = 'dm' AND created_at >= ?", (stamp(since),))
        found = (_event("dm", text, False) for (text,) in rows)
        return [dm for dm in found if dm.conversation_id == conversation_id]

    def spans(self, endpoint: str | None = None) -> dict[tuple[str, str], list[store_fetch.Span]]:
        """(account, endpoint) -> the spans of time the store holds completely, from `auditor fetch`.

        `dms` spans: the times over which the account's DMs were fetched with its own user context.
        """
        return store_fetch.spans(self.db, endpoint)

    @_store_errors
    def set_coverage(self, account: str, endpoint: str, status: str, reason: str = "") -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO coverage VALUES (?, ?, ?, ?, ?)", (account, endpoint, status, reason, _now()))

    @_store_errors
    def coverage(self) -> list[CoverageRow]:
        rows = self.db.execute("SELECT account, endpoint, status, reason FROM coverage ORDER BY account, endpoint")
        return [CoverageRow(*row) for row in rows]

    @_store_errors
    def finish_source(self, source_id: int, channels: tuple[str, ...], notes: list[str]) -> None:
        with self.db:
            self.db.execute("UPDATE sources SET channels = ?, notes = ?, last_seen = ? WHERE id = ?",
                            (orjson.dumps(list(channels)).decode(), orjson.dumps(notes).decode(), _now(), source_id))
            self._count_source(source_id)

    @_store_errors
    def posts_by(self, author: str, since: datetime) -> list[Post]:
        rows = self.db.execute("SELECT kind, json FROM events WHERE kind = 'post' AND author = ? AND created_at >= ?",
                               (author, stamp(since)))
        return [_event(kind, text, False) for kind, text in rows]

    # -- reading ---------------------------------------------------------------------------

    @_store_errors
    def read(self, since: datetime | None = None, until: datetime | None = None) -> Activity:
        """The events from `since` (inclusive) to `until` (exclusive), plus the posts replies in it answer."""
        clauses, args = [], []
        if since is not None:
            clauses.append("created_at >= ?")
            args.append(stamp(since))
        if until is not None:
            clauses.append("created_at < ?")
            args.append(stamp(until))
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        activity = Activity()
        per_source: dict[int | None, int] = defaultdict(int)
        try:
            # Posts from an archive or the API carry X's own ids, so their links are real (stores
            # written before links were kept did not write them out).
            real = {source_id for (source_id,) in self.db.execute(
                "SELECT id FROM sources WHERE kind IN ('archive', 'x-api')")}
            edits = store_fetch.edits(self.db, stored_only=True)
            with no_gc():
                posts, dms = activity.posts, activity.dms
                seen_posts: set[str] = set()
                rows = self.db.execute(f"SELECT kind, json, source_id FROM events {where}", args)
                for kind, text, source_id in counted(rows, f"reading {Path(self.name).name}"):
                    event = _event(kind, text, source_id in real)
                    per_source[source_id] += 1
                    if kind == "post":
                        posts.append(event)
                        seen_posts.add(event.id)
                    else:
                        dms.append(event)
                _follow_edits(posts, edits)
                if clauses:
                    self._ancestors(posts, seen_posts, real, edits)
        except (orjson.JSONDecodeError, KeyError, ValueError, TypeError):
            raise DataError(f"{self.name}: the store holds an event that is not canonical JSON: was it edited by hand?") from None
        try:
            self._describe(activity, per_source, since, until)
        except (orjson.JSONDecodeError, KeyError, ValueError, TypeError):
            raise DataError(f"{self.name}: the store is damaged: a source's channels or notes are not "
                            "the JSON the auditor wrote: was it edited by hand?") from None
        return activity

    def _dm_participants(self, source_id: int) -> frozenset[str]:
        """A source stored before sources said whose DMs they hold: the accounts with a DM in it."""
        held: set[str] = set()
        for (text,) in self.db.execute("SELECT json FROM events WHERE kind = 'dm' AND source_id = ?", (source_id,)):
            obj = orjson.loads(text)
            held.update([obj["sender"], *obj["recipients"]])
        return frozenset(held)

    def _ancestors(self, posts: list[Post], seen: set[str], real: set[int], edits: dict[str, str],
                   max_depth: int = 50) -> None:
        """Replies in the window answer posts that may be older: read those too, up the chain.

        Without them a conversation's root, and who a reply answered, would depend on the window.
        """
        wanted = {p.in_reply_to for p in posts if p.in_reply_to and p.in_reply_to not in seen}
        for _ in range(max_depth):
            if not wanted:
                return
            found = []
            ids = list(wanted)
            for start in range(0, len(ids), _BATCH):
                chunk = ids[start:start + _BATCH]
                rows = self.db.execute(
                    f"SELECT json, source_id FROM events WHERE kind = 'post' AND id IN ({','.join('?' * len(chunk))})", chunk)
                found.extend(_event("post", text, source_id in real) for text, source_id in rows)
            _follow_edits(found, edits)
            seen.update(wanted)
            posts.extend(found)
            wanted = {p.in_reply_to for p in found if p.in_reply_to and p.in_reply_to not in seen}

    def _describe(self, activity: Activity, per_source: dict[int | None, int], since: datetime | None,
                  until: datetime | None) -> None:
        missing: dict[tuple[str, str], list[str]] = defaultdict(list)
        for row in self.coverage():
            if row.status != "ok":
                missing[(row.account, row.reason or row.status)].append(row.endpoint)
        # Each account's gaps are notes of its network's API source (handles name their network).
        gaps: dict[str, list[str]] = defaultdict(list)
        for (account, reason), endpoints in missing.items():
            gaps[_api_kind(account)].append(f"@{account} {', '.join(endpoints)}: {reason}")
        # Recent search reaches 7 days back at each fetch, whatever the schedule: the source's notes say so
        # once, and its spans are not listed as gaps.
        for account, endpoint, gap in store_fetch.gaps(self.db, since, until):
            if endpoint != "conversations":
                gaps[_api_kind(account)].append(_gap_note(account, endpoint, gap))
        dm_column = "dm_accounts" if self.has_dm_accounts else "NULL"
        rows = self.db.execute(
            f"SELECT id, kind, name, skipped, channels, notes, {dm_column} FROM sources ORDER BY id").fetchall()
        # The accounts whose DMs a fetch read with their own user context (a span of the `dms` endpoint
        # reaching into the window), or, in a store from before spans, whose last DM fetch was ok.
        fetched_dms = {account for (account, _), spans in store_fetch.spans(self.db, "dms").items()
                       if any((until is None or span.start < until) and (since is None or span.end >= since)
                              for span in spans)}
        fetched_dms |= {row.account for row in self.coverage() if row.endpoint == "dms" and row.status == "ok"
                        and not store_fetch.spans(self.db, "dms")}
        for source_id, kind, name, skipped, channels, notes, dm_accounts in rows:
            held = frozenset(orjson.loads(dm_accounts)) if dm_accounts is not None else self._dm_participants(source_id)
            if kind in _API_KINDS:
                held |= {account for account in fetched_dms if _api_kind(account) == kind}
            info = SourceInfo(
                name=f"{self.name}: {name}", kind=kind, events=per_source.get(source_id, 0), skipped=skipped,
                channels=tuple(orjson.loads(channels)), notes=[*orjson.loads(notes), *gaps.get(kind, ())],
                dm_accounts=held)
            activity.sources.append(info)
            activity.skipped_count += skipped
            for source, line, reason in self.db.execute(
                    "SELECT source, line, reason FROM skipped WHERE source_id = ? ORDER BY seq", (source_id,)):
                if len(activity.skipped) < MAX_SKIPPED_KEPT:
                    activity.skipped.append(Skipped(source, line, reason))
        unattributed = per_source.get(None, 0)
        if not rows or unattributed:
            activity.sources.append(SourceInfo(name=self.name, kind="store", events=unattributed, channels=()))


def read_store(path: Path | str, since: datetime | None = None, until: datetime | None = None) -> Activity:
    """The store's events in [since, until) (all when both are None), with each stored source's coverage."""
    with Store(path, read_only=True) as store:
        return store.read(since, until)


def audit_window(period, look_back: timedelta = timedelta(days=7), look_ahead: timedelta = timedelta(days=30)):
    """The time window an audit of `period` reads from a store.

    From the start of the previous period (the report's trend) minus `look_back` (episodes
    whose first item came just before), to the period's end plus `look_ahead` (answers to
    items inside the period may come after it).
    """
    previous = period.previous()
    return (previous.start - look_back, period.end + look_ahead)


@dataclass
class ImportResult:
    name: str
    kind: str
    read: int
    skipped: int
    counts: Counts
    skipped_lines: list[Skipped]
    notes: list[str]

    def lines(self, max_skipped: int = 20) -> list[str]:
        """What `auditor import` prints for this source."""
        lines = [f"{self.name} ({self.kind}): {self.read} events read, {self.skipped} skipped; store: "
                 f"{self.counts.added} new, {self.counts.updated} updated, {self.counts.unchanged} already there"]
        lines += [f"  note: {note}" for note in self.notes]
        lines += [f"  skipped {s.source}:{s.line}: {s.reason}" for s in self.skipped_lines[:max_skipped]]
        if self.skipped > min(max_skipped, len(self.skipped_lines)):
            lines.append(f"  ... and {self.skipped - min(max_skipped, len(self.skipped_lines))} more skipped")
        return lines


def import_sources(paths: list[Path], store_path: Path, mapping: str | Path | None = None,
                   dids: dict[str, str] | None = None) -> Iterator[ImportResult]:
    """Read each source and put it into the store; yields what each did. Unreadable input raises DataError.

    `mapping` (a YAML file or `twcs`) applies to the CSV sources; `dids` (DID -> handle) names the
    accounts a Bluesky repository export knows only by DID (its owner's is required).
    """
    from auditor.activity.sources import read_source, source_kind

    with Store(store_path) as store:
        for path in paths:
            if not path.exists():
                raise DataError(f"{path}: no such file or folder")
            if store.path.exists() and os.path.samefile(path, store.path):
                raise DataError(f"{path}: is the store itself")
            kind = source_kind(path)
            # A repository export names people by DID: the handles the store already knows name them.
            known = {**store.bluesky_handles(), **(dids or {})} if kind == "bluesky-car" else dids
            activity = read_source(path, mapping=mapping if kind == "csv" else None, roster_ids=known)
            info = _one_source(activity, str(path))
            counts = store.add_activity(activity, str(path.resolve()))
            yield ImportResult(info.name, info.kind, info.events, info.skipped, counts, activity.skipped, info.notes)


# -- rows <-> events ---------------------------------------------------------------------------


def _one_source(activity: Activity, name: str) -> SourceInfo:
    """The source an activity came from; another store's sources are imported as that one store."""
    if len(activity.sources) == 1:
        return activity.sources[0]
    channels = {c for s in activity.sources for c in s.channels}
    return SourceInfo(
        name=name, kind="store", events=len(activity.posts) + len(activity.dms), skipped=activity.skipped_count,
        channels=tuple(c for c in ("mention", "reply", "dm") if c in channels),
        notes=[f"{s.name} ({s.kind}): {note}" for s in activity.sources for note in s.notes],
        dm_accounts=activity.dm_accounts())


def _has_magic(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(16) == SQLITE_MAGIC


def _unique(batch: list) -> list:
    # The same event twice in one batch: the later copy wins, as it would across batches.
    keyed = {}
    for event in batch:
        keyed[(event.id, type(event) is Post, event.platform)] = event
    return list(keyed.values()) if len(keyed) != len(batch) else batch


def _author(obj: dict) -> str:
    return obj["author"] if obj["type"] == "post" else obj["sender"]


def _row(event: Post | DirectMessage, kind: str, obj: dict, source_id: int | None) -> tuple:
    return (event.platform, kind, event.id, stamp(event.created_at), _author(obj),
            obj.get("in_reply_to"), int(bool(event.text)), source_id, orjson.dumps(obj).decode())


_KEEP_OLD = {"repost_of": "unknown"}


def _merge(old: dict, new: dict) -> dict | None:
    """`old` with what `new` knows; None when that changes nothing.

    A later copy wins field by field, but emptiness never erases: a DM header (no text)
    keeps a DM's text, an archive post (no conversation_id) keeps the API's.
    """
    merged = dict(old)
    for key, value in new.items():
        if value is None or value == "" or value == []:
            continue
        if _KEEP_OLD.get(key) == value and old.get(key) not in (None, ""):
            continue
        if key == "url" and old.get("url") and value == f"https://x.com/{new.get('author')}/status/{new.get('id')}":
            continue  # the address any X post has never replaces one a source gave (they name the same post)
        merged[key] = value
    return None if merged == old else merged


def _follow_edits(posts: list[Post], latest: dict[str, str]) -> None:
    """References to an earlier version of an edited post point at the version the store keeps."""
    if not latest:
        return
    for post in posts:
        if post.in_reply_to in latest:
            post.in_reply_to = latest[post.in_reply_to]
        if post.conversation_id in latest:
            post.conversation_id = latest[post.conversation_id]
        if post.quote_of in latest:
            post.quote_of = latest[post.quote_of]
        if post.repost_of in latest:
            post.repost_of = latest[post.repost_of]


_API_KINDS = ("x-api", "bluesky-api", "mastodon-api")


def _api_kind(account: str) -> str:
    """The source kind of the API an account is fetched from: its handle names its network."""
    from auditor.activity.networks import handle_platform

    return f"{handle_platform(account)}-api"


_GAP_WHY = {
    "dms": "the X API keeps DMs for 30 days and fetches were further apart",
    "mentions": "the X API returns at most the 800 most recent mentions",
    "posts": "the X API returns at most the 3,200 most recent posts",
}


def _gap_note(account: str, endpoint: str, gap) -> str:
    return (f"@{account} {endpoint}: nothing fetched from {gap.start:%Y-%m-%d %H:%M} to {gap.end:%Y-%m-%d %H:%M} UTC"
            f" ({_GAP_WHY.get(endpoint) if _api_kind(account) == 'x-api' else None or 'fetches were further apart than the API reaches back'})")


def _event(kind: str, text: str, real_id: bool) -> Post | DirectMessage:
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


def _reason(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
