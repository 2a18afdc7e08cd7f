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

The tables and how rows hold events are in `store_format.py`; reading a window of the store for an
audit is `sources/store_reader.py`'s; `auditor import` is `ingest/importing.py`'s. This module opens
a store and writes it.
"""

from __future__ import annotations

import functools
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

import orjson

from auditor.activity import store_fetch
from auditor.activity.events import event_to_dict
from auditor.activity.model import MAX_SKIPPED_KEPT, Activity, DirectMessage, Post, Skipped, SourceInfo
from auditor.activity.store_format import (
    BATCH,
    author_of,
    check_schema,
    event_row,
    has_column,
    has_magic,
    merge_event,
    now,
    row_event,
    stamp,
    storable,
    store_problem,
    unique_batch,
)
from auditor.errors import DataError


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


def store_errors(method):
    """SQLite's failures are the machine's or the file's, not the auditor's: one line naming the store
    and what to do (exit 2), never a traceback. Locked, read-only, full or damaged stores end here."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise DataError(f"{self.name}: {store_problem(exc)}") from None

    return wrapper


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
        if exists and self.path.stat().st_size and not has_magic(self.path):
            raise DataError(f"{self.name}: not an SQLite file, so not an auditor store")
        try:
            if read_only:
                self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            else:
                self.db = sqlite3.connect(self.path)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.has_dm_accounts = check_schema(self.db, self.name, read_only)
            self.has_dms_until = has_column(self.db, "sources", "dms_until")
            self.has_replies_not_held = has_column(self.db, "sources", "replies_not_held")
        except sqlite3.Error as exc:
            self._close_quietly()
            raise DataError(f"{self.name}: {store_problem(exc)}") from None
        except DataError:
            self._close_quietly()
            raise

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

    @store_errors
    def register_source(self, info: SourceInfo, location: str, skipped: Iterable[Skipped] = ()) -> int:
        """The source's row (created or refreshed), its skipped records replaced; returns its id. No commit."""
        seen = now()
        channels = orjson.dumps(list(info.channels)).decode()
        notes = orjson.dumps(list(info.notes)).decode()
        dm_accounts = orjson.dumps(sorted(info.dm_accounts)).decode()
        dms_until = stamp(info.dms_until) if info.dms_until is not None else None
        replies = orjson.dumps(info.replies_not_held).decode() if info.replies_not_held else None
        self.db.execute(
            "INSERT INTO sources (kind, location, name, first_seen, last_seen, skipped, channels, notes, dm_accounts, "
            "dms_until, replies_not_held) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, location) DO "
            "UPDATE SET name = excluded.name, last_seen = excluded.last_seen, skipped = excluded.skipped, "
            "channels = excluded.channels, notes = excluded.notes, dm_accounts = excluded.dm_accounts, "
            "dms_until = excluded.dms_until, replies_not_held = excluded.replies_not_held",
            (info.kind, location, info.name, seen, seen, info.skipped, channels, notes, dm_accounts, dms_until,
             replies),
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

    @store_errors
    def add_activity(self, activity: Activity, location: str) -> Counts:
        """One read source into the store, in one transaction (all of it or nothing)."""
        info = activity.as_one_source(location)
        with self.db:
            source_id = self.register_source(info, location, activity.skipped)
            counts = self._put(activity.posts + activity.dms, source_id)
            self._count_source(source_id)
        return counts

    def bluesky_posts(self) -> sqlite3.Cursor:
        """(id, author, created_at) of the stored Bluesky posts whose id names their author's DID."""
        return self.db.execute("SELECT id, author, created_at FROM events WHERE id >= 'at://did:' AND id < 'at://did;' "
                               "AND kind = 'post' AND platform = 'bluesky'")

    # -- events ----------------------------------------------------------------------------

    @store_errors
    def add_events(self, events: list[Post | DirectMessage], source_id: int | None = None) -> Counts:
        with self.db:
            counts = self._put(events, source_id)
            if source_id is not None:
                self._count_source(source_id)
        return counts

    def _put(self, events: list[Post | DirectMessage], source_id: int | None) -> Counts:
        """Insert new events, merge into existing ones. No commit: callers own the transaction."""
        counts = Counts()
        for start in range(0, len(events), BATCH):
            batch = unique_batch(events[start:start + BATCH])
            existing = self._existing(batch)
            new_rows, updates = [], []
            for event in batch:
                kind = "post" if type(event) is Post else "dm"
                obj = storable(event_to_dict(event))
                old = existing.get((event.id, kind, event.platform))
                if old is None:
                    new_rows.append(event_row(event, kind, obj, source_id))
                    continue
                merged = merge_event(orjson.loads(old), obj)
                if merged is None:
                    counts.unchanged += 1
                    continue
                updates.append((merged["created_at"], author_of(merged), merged.get("in_reply_to"),
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

    @store_errors
    def count(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT kind, count(*) FROM events GROUP BY kind").fetchall())

    # -- fetch state and coverage ----------------------------------------------------------

    @store_errors
    def fetch_state(self, account: str, endpoint: str) -> FetchState | None:
        row = self.db.execute(
            "SELECT account, endpoint, user_id, newest_id, newest_time, run_since_id, run_newest_id, next_token, params "
            "FROM fetch_state WHERE account = ? AND endpoint = ?", (account, endpoint)).fetchone()
        if row is None:
            return None
        return FetchState(*row[:8], params=orjson.loads(row[8]) if row[8] else {})

    @store_errors
    def save_state(self, state: FetchState) -> None:
        """No commit: a fetched page and the state that says it was fetched go in one transaction."""
        self.db.execute(
            "INSERT OR REPLACE INTO fetch_state VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (state.account, state.endpoint, state.user_id, state.newest_id, state.newest_time, state.run_since_id,
             state.run_newest_id, state.next_token, orjson.dumps(state.params).decode() if state.params else None, now()))

    @store_errors
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
        for start in range(0, len(ids), BATCH):
            chunk = ids[start:start + BATCH]
            rows = self.db.execute(
                f"SELECT id FROM events WHERE kind = 'post' AND id IN ({','.join('?' * len(chunk))})", chunk)
            found.update(row[0] for row in rows)
        return found

    def dms_in(self, conversation_id: str, since: datetime) -> list[DirectMessage]:
        """The stored DMs of one conversation sent since `since`."""
        rows = self.db.execute("SELECT json FROM events WHERE kind = 'dm' AND created_at >= ?", (stamp(since),))
        found = (row_event("dm", text, False) for (text,) in rows)
        return [dm for dm in found if dm.conversation_id == conversation_id]

    def spans(self, endpoint: str | None = None) -> dict[tuple[str, str], list[store_fetch.Span]]:
        """(account, endpoint) -> the spans of time the store holds completely, from `auditor fetch`.

        `dms` spans: the times over which the account's DMs were fetched with its own user context.
        """
        return store_fetch.spans(self.db, endpoint)

    @store_errors
    def set_coverage(self, account: str, endpoint: str, status: str, reason: str = "") -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO coverage VALUES (?, ?, ?, ?, ?)", (account, endpoint, status, reason, now()))

    @store_errors
    def coverage(self) -> list[CoverageRow]:
        rows = self.db.execute("SELECT account, endpoint, status, reason FROM coverage ORDER BY account, endpoint")
        return [CoverageRow(*row) for row in rows]

    @store_errors
    def finish_source(self, source_id: int, channels: tuple[str, ...], notes: list[str]) -> None:
        with self.db:
            self.db.execute("UPDATE sources SET channels = ?, notes = ?, last_seen = ? WHERE id = ?",
                            (orjson.dumps(list(channels)).decode(), orjson.dumps(notes).decode(), now(), source_id))
            self._count_source(source_id)

    @store_errors
    def posts_by(self, author: str, since: datetime) -> list[Post]:
        rows = self.db.execute("SELECT kind, json FROM events WHERE kind = 'post' AND author = ? AND created_at >= ?",
                               (author, stamp(since)))
        return [row_event(kind, text, False) for kind, text in rows]
