"""The store's tables that only `auditor fetch` writes, beside the events it fetches.

- `x_users`: user id -> handle, from lookups (`looked_up_at` set: the roster's ids are not
  paid for again every run) and from the users pages name.
- `coverage_spans`: per account and endpoint, the time spans the store holds completely
  (`span_start` to `span_end`, UTC stamps). The endpoint names are those of the `coverage`
  table; `dms` spans say over which time an account's DMs were fetched with its own user
  context. A gap between two spans is data the store does not hold (DMs older than 30 days
  are gone from the X API when fetches are further apart).
- `fetch_runs` and `fetch_reads`: each run, and its reads and their cost (millionths of a
  dollar) by account, endpoint and resource type.
- `post_edits`: an earlier version of an edited post -> its latest version (the one kept).
- `dm_participants`: the people of each DM conversation, so a group DM names its recipients.
- `searched_conversations`: the conversations whose replies recent search has read, so the
  next run asks only for newer replies in those (`since_id`) and for all replies of the last
  7 days in new ones (`start_time`).

The tables are created when a store is opened for writing; an older store gains them then,
and readers treat a missing table as empty (a store opened read-only is never changed).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone

import orjson

from auditor.time.instants import parse_instant

TABLES = """
CREATE TABLE IF NOT EXISTS x_users (
    user_id TEXT PRIMARY KEY,
    handle TEXT NOT NULL,
    looked_up_at TEXT
);
CREATE INDEX IF NOT EXISTS x_users_handle ON x_users (handle);
CREATE TABLE IF NOT EXISTS coverage_spans (
    account TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    span_start TEXT NOT NULL,
    span_end TEXT NOT NULL,
    PRIMARY KEY (account, endpoint, span_start)
);
CREATE TABLE IF NOT EXISTS fetch_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT,
    limits TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS fetch_reads (
    run_id INTEGER NOT NULL REFERENCES fetch_runs(id) ON DELETE CASCADE,
    account TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    resource TEXT NOT NULL,
    reads INTEGER NOT NULL,
    cost_micro INTEGER NOT NULL,
    PRIMARY KEY (run_id, account, endpoint, resource)
);
CREATE TABLE IF NOT EXISTS post_edits (
    id TEXT PRIMARY KEY,
    latest_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS searched_conversations (
    account TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    searched_at TEXT NOT NULL,
    PRIMARY KEY (account, conversation_id)
);
CREATE TABLE IF NOT EXISTS dm_participants (
    conversation_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);
"""


def create(db: sqlite3.Connection) -> None:
    db.executescript(TABLES)


def _has(db: sqlite3.Connection, table: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone() is not None


def stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")[:26] + "Z"



# -- users ------------------------------------------------------------------------------------------


def cached_user_id(db: sqlite3.Connection, handle: str, fresh_since: datetime) -> str | None:
    """The id a lookup of `handle` gave since `fresh_since` (a handle can change hands: ids are re-checked)."""
    row = db.execute("SELECT user_id FROM x_users WHERE handle = ? AND looked_up_at >= ? ORDER BY looked_up_at DESC",
                     (handle, stamp(fresh_since))).fetchone()
    return row[0] if row else None


def remember_users(db: sqlite3.Connection, users: dict[str, str], looked_up: datetime | None = None) -> None:
    """id -> handle pairs; `looked_up`: they come from a lookup by handle (the roster's cache). No commit."""
    for user_id, handle in users.items():
        if looked_up is None:
            db.execute("INSERT INTO x_users (user_id, handle) VALUES (?, ?) "
                       "ON CONFLICT (user_id) DO UPDATE SET handle = excluded.handle", (user_id, handle))
        else:
            db.execute("INSERT INTO x_users VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
                       "handle = excluded.handle, looked_up_at = excluded.looked_up_at", (user_id, handle, stamp(looked_up)))


def user_handles(db: sqlite3.Connection, ids: list[str]) -> dict[str, str]:
    if not ids or not _has(db, "x_users"):
        return {}
    marks = ",".join("?" * len(ids))
    return dict(db.execute(f"SELECT user_id, handle FROM x_users WHERE user_id IN ({marks})", ids).fetchall())


# -- spans -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    start: datetime
    end: datetime


def spans(db: sqlite3.Connection, endpoint: str | None = None) -> dict[tuple[str, str], list[Span]]:
    """(account, endpoint) -> its spans, oldest first."""
    if not _has(db, "coverage_spans"):
        return {}
    sql = "SELECT account, endpoint, span_start, span_end FROM coverage_spans"
    rows = db.execute(sql + (" WHERE endpoint = ?" if endpoint else "") + " ORDER BY account, endpoint, span_start",
                      (endpoint,) if endpoint else ())
    found: dict[tuple[str, str], list[Span]] = {}
    for account, name, start, end in rows:
        found.setdefault((account, name), []).append(Span(parse_instant(start), parse_instant(end)))
    return found


def add_span(db: sqlite3.Connection, account: str, endpoint: str, start: datetime, end: datetime) -> None:
    """Record that the store holds the endpoint's data from `start` to `end`; overlapping spans merge. No commit."""
    if end < start:
        return
    current = spans(db, endpoint).get((account, endpoint), []) + [Span(start, end)]
    current.sort(key=lambda s: s.start)
    merged: list[Span] = []
    for span in current:
        if merged and span.start <= merged[-1].end:
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, span.end))
        else:
            merged.append(span)
    db.execute("DELETE FROM coverage_spans WHERE account = ? AND endpoint = ?", (account, endpoint))
    db.executemany("INSERT INTO coverage_spans VALUES (?, ?, ?, ?)",
                   [(account, endpoint, stamp(s.start), stamp(s.end)) for s in merged])


def gaps(db: sqlite3.Connection, since: datetime | None, until: datetime | None) -> list[tuple[str, str, Span]]:
    """(account, endpoint, gap) for each time between two spans that overlaps [since, until)."""
    found = []
    for (account, endpoint), held in spans(db).items():
        for before, after in zip(held, held[1:]):
            gap = Span(before.end, after.start)
            if (until is None or gap.start < until) and (since is None or gap.end > since):
                found.append((account, endpoint, gap))
    return found


# -- runs and reads ----------------------------------------------------------------------------------


def start_run(db: sqlite3.Connection, moment: datetime, limits: dict) -> int:
    with db:
        cursor = db.execute("INSERT INTO fetch_runs (started_at, limits) VALUES (?, ?)",
                            (stamp(moment), orjson.dumps(limits).decode()))
    return int(cursor.lastrowid)


def add_reads(db: sqlite3.Connection, run_id: int, account: str, endpoint: str, reads: dict[str, int],
              cost: dict[str, int]) -> None:
    """No commit: the reads of a page are written with the page."""
    for resource, n in reads.items():
        db.execute("INSERT INTO fetch_reads VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, account, endpoint, resource) "
                   "DO UPDATE SET reads = reads + excluded.reads, cost_micro = cost_micro + excluded.cost_micro",
                   (run_id, account, endpoint, resource, n, cost.get(resource, 0)))


def finish_run(db: sqlite3.Connection, run_id: int, moment: datetime, outcome: str) -> None:
    with db:
        db.execute("UPDATE fetch_runs SET finished_at = ?, outcome = ? WHERE id = ?", (stamp(moment), outcome, run_id))


def last_reads(db: sqlite3.Connection) -> dict[tuple[str, str], int]:
    """(account, endpoint) -> reads of the latest run that read it (for the dry run's "last time")."""
    if not _has(db, "fetch_reads"):
        return {}
    rows = db.execute("SELECT account, endpoint, sum(reads) FROM fetch_reads r WHERE run_id = "
                      "(SELECT max(run_id) FROM fetch_reads WHERE account = r.account AND endpoint = r.endpoint) "
                      "GROUP BY account, endpoint")
    return {(account, endpoint): n for account, endpoint, n in rows}


# -- edits and DM participants --------------------------------------------------------------------------


def edits(db: sqlite3.Connection, stored_only: bool = False) -> dict[str, str]:
    """Earlier version id -> latest version id, for every edited post the API reported.

    `stored_only`: those whose latest version is in the store (what a reference can be moved to).
    """
    if not _has(db, "post_edits"):
        return {}
    sql = "SELECT id, latest_id FROM post_edits"
    if stored_only:
        sql += " e WHERE EXISTS (SELECT 1 FROM events WHERE kind = 'post' AND id = e.latest_id)"
    return dict(db.execute(sql).fetchall())


def record_edits(db: sqlite3.Connection, latest: dict[str, str]) -> None:
    """`latest`: earlier id -> latest id. An earlier version stored is removed once its latest is. No commit."""
    if not latest:
        return
    db.executemany("INSERT INTO post_edits VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET latest_id = excluded.latest_id",
                   list(latest.items()))
    # An edit of an edit: what pointed at the middle version points at the newest.
    for old, new in latest.items():
        db.execute("UPDATE post_edits SET latest_id = ? WHERE latest_id = ?", (new, old))
    ids = list(latest)
    db.execute(f"DELETE FROM events WHERE kind = 'post' AND id IN ({','.join('?' * len(ids))}) AND EXISTS "
               "(SELECT 1 FROM post_edits e JOIN events v ON v.kind = 'post' AND v.id = e.latest_id "
               "WHERE e.id = events.id)", ids)


def participants(db: sqlite3.Connection, conversation_id: str) -> set[str]:
    rows = db.execute("SELECT user_id FROM dm_participants WHERE conversation_id = ?", (conversation_id,))
    return {row[0] for row in rows}


def add_participants(db: sqlite3.Connection, conversation_id: str, user_ids: set[str]) -> None:
    db.executemany("INSERT OR IGNORE INTO dm_participants VALUES (?, ?)", [(conversation_id, u) for u in sorted(user_ids)])


# -- conversations searched ------------------------------------------------------------------------


def searched(db: sqlite3.Connection, account: str, since: datetime) -> set[str]:
    """The conversations of `account` searched by a completed search since `since`."""
    rows = db.execute("SELECT conversation_id FROM searched_conversations WHERE account = ? AND searched_at >= ?",
                      (account, stamp(since)))
    return {row[0] for row in rows}


def mark_searched(db: sqlite3.Connection, account: str, conversations: list[str], moment: datetime,
                  forget_before: datetime) -> None:
    """No commit. Conversations searched longer ago than recent search reaches are forgotten."""
    db.executemany("INSERT INTO searched_conversations VALUES (?, ?, ?) ON CONFLICT (account, conversation_id) "
                   "DO UPDATE SET searched_at = excluded.searched_at",
                   [(account, c, stamp(moment)) for c in conversations])
    db.execute("DELETE FROM searched_conversations WHERE account = ? AND searched_at < ?", (account, stamp(forget_before)))
