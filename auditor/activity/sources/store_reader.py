"""The store reader: a window of the store's events, plus the posts replies in it answer, with each stored
source's coverage (what it holds, whose DMs, what a fetch could not reach)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path

import orjson

from auditor import speedups
from auditor.activity import store_fetch
from auditor.activity.model import Activity, MAX_SKIPPED_KEPT, Post, Skipped, SourceInfo
from auditor.activity.store import Store, store_errors
from auditor.activity.fast_events import utc_time
from auditor.activity.store_format import BATCH, row_builder, row_event, stamp
from auditor.errors import DataError
from auditor.networks import handle_platform
from auditor.progress import counted
from auditor.speedups import no_gc


def read_store(path: Path | str, since: datetime | None = None, until: datetime | None = None) -> Activity:
    """The store's events in [since, until) (all when both are None), with each stored source's coverage."""
    with Store(path, read_only=True) as store:
        return read_window(store, since, until)


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
    return f"{handle_platform(account)}-api"


_GAP_WHY = {
    "dms": "the X API keeps DMs for 30 days and fetches were further apart",
    "mentions": "the X API returns at most the 800 most recent mentions",
    "posts": "the X API returns at most the 3,200 most recent posts",
}


def _gap_note(account: str, endpoint: str, gap) -> str:
    return (f"@{account} {endpoint}: nothing fetched from {gap.start:%Y-%m-%d %H:%M} to {gap.end:%Y-%m-%d %H:%M} UTC"
            f" ({_GAP_WHY.get(endpoint) if _api_kind(account) == 'x-api' else None or 'fetches were further apart than the API reaches back'})")
@store_errors
def read_window(store: Store, since: datetime | None = None, until: datetime | None = None) -> Activity:
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
        real = {source_id for (source_id,) in store.db.execute(
            "SELECT id FROM sources WHERE kind IN ('archive', 'x-api')")}
        edits = store_fetch.edits(store.db, stored_only=True)
        build = row_builder() if speedups.enabled() else row_event
        with no_gc():
            posts, dms = activity.posts, activity.dms
            seen_posts: set[str] = set()
            rows = store.db.execute(f"SELECT kind, json, source_id FROM events {where}", args)
            for kind, text, source_id in counted(rows, f"reading {Path(store.name).name}"):
                event = build(kind, text, source_id in real)
                per_source[source_id] += 1
                if kind == "post":
                    posts.append(event)
                    seen_posts.add(event.id)
                else:
                    dms.append(event)
            _follow_edits(posts, edits)
            if clauses:
                _ancestors(store, posts, seen_posts, real, edits)
    except (orjson.JSONDecodeError, KeyError, ValueError, TypeError):
        raise DataError(f"{store.name}: the store holds an event that is not canonical JSON: was it edited by hand?") from None
    try:
        _describe(store, activity, per_source, since, until)
        # The store runs on past the window: it is complete up to the window's end (audit.audit).
        if until is not None and store.db.execute("SELECT 1 FROM events WHERE created_at >= ? LIMIT 1",
                                                  (stamp(until),)).fetchone():
            for source in activity.sources:
                source.read_until = until
    except (orjson.JSONDecodeError, KeyError, ValueError, TypeError):
        raise DataError(f"{store.name}: the store is damaged: a source's channels or notes are not "
                        "the JSON the auditor wrote: was it edited by hand?") from None
    return activity

def _dm_participants(store: Store, source_id: int) -> frozenset[str]:
    """A source stored before sources said whose DMs they hold: the accounts with a DM in it."""
    held: set[str] = set()
    for (text,) in store.db.execute("SELECT json FROM events WHERE kind = 'dm' AND source_id = ?", (source_id,)):
        obj = orjson.loads(text)
        held.update([obj["sender"], *obj["recipients"]])
    return frozenset(held)

def _ancestors(store: Store, posts: list[Post], seen: set[str], real: set[int], edits: dict[str, str],
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
        for start in range(0, len(ids), BATCH):
            chunk = ids[start:start + BATCH]
            rows = store.db.execute(
                f"SELECT json, source_id FROM events WHERE kind = 'post' AND id IN ({','.join('?' * len(chunk))})", chunk)
            found.extend(row_event("post", text, source_id in real) for text, source_id in rows)
        _follow_edits(found, edits)
        seen.update(wanted)
        posts.extend(found)
        wanted = {p.in_reply_to for p in found if p.in_reply_to and p.in_reply_to not in seen}

def _describe(store: Store, activity: Activity, per_source: dict[int | None, int], since: datetime | None,
              until: datetime | None) -> None:
    missing: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in store.coverage():
        if row.status != "ok":
            missing[(row.account, row.reason or row.status)].append(row.endpoint)
    # Each account's gaps are notes of its network's API source (handles name their network).
    gaps: dict[str, list[str]] = defaultdict(list)
    for (account, reason), endpoints in missing.items():
        gaps[_api_kind(account)].append(f"@{account} {', '.join(endpoints)}: {reason}")
    # Recent search reaches 7 days back at each fetch, whatever the schedule: the source's notes say so
    # once, and its spans are not listed as gaps.
    for account, endpoint, gap in store_fetch.gaps(store.db, since, until):
        if endpoint != "conversations":
            gaps[_api_kind(account)].append(_gap_note(account, endpoint, gap))
    dm_column = "dm_accounts" if store.has_dm_accounts else "NULL"
    until_column = "dms_until" if store.has_dms_until else "NULL"
    replies_column = "replies_not_held" if store.has_replies_not_held else "NULL"
    rows = store.db.execute(f"SELECT id, kind, name, skipped, channels, notes, {dm_column}, {until_column}, "
                            f"{replies_column} FROM sources ORDER BY id").fetchall()
    # The accounts whose DMs a fetch read with their own user context (a span of the `dms` endpoint
    # reaching into the window), or, in a store from before spans, whose last DM fetch was ok.
    fetched_dms = {account for (account, _), spans in store_fetch.spans(store.db, "dms").items()
                   if any((until is None or span.start < until) and (since is None or span.end >= since)
                          for span in spans)}
    fetched_dms |= {row.account for row in store.coverage() if row.endpoint == "dms" and row.status == "ok"
                    and not store_fetch.spans(store.db, "dms")}
    for source_id, kind, name, skipped, channels, notes, dm_accounts, dms_until, replies in rows:
        held = frozenset(orjson.loads(dm_accounts)) if dm_accounts is not None else _dm_participants(store, source_id)
        if kind in _API_KINDS:
            held |= {account for account in fetched_dms if _api_kind(account) == kind}
        info = SourceInfo(
            name=f"{store.name}: {name}", kind=kind, events=per_source.get(source_id, 0), skipped=skipped,
            channels=tuple(orjson.loads(channels)), notes=[*orjson.loads(notes), *gaps.get(kind, ())],
            dm_accounts=held, dms_until=utc_time(dms_until) if dms_until else None,
            replies_not_held={post: tuple(ids) for post, ids in orjson.loads(replies).items()} if replies else {})
        activity.sources.append(info)
        activity.skipped_count += skipped
        for source, line, reason in store.db.execute(
                "SELECT source, line, reason FROM skipped WHERE source_id = ? ORDER BY seq", (source_id,)):
            if len(activity.skipped) < MAX_SKIPPED_KEPT:
                activity.skipped.append(Skipped(source, line, reason))
    unattributed = per_source.get(None, 0)
    if not rows or unattributed:
        activity.sources.append(SourceInfo(name=store.name, kind="store", events=unattributed, channels=()))

