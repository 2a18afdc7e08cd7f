"""Canonical JSONL: one event a line, read as a stream.

A bad line is skipped with its line number and reason; the rest is still read. Memory stays
bounded whatever the file: a line is read at most `MAX_LINE` bytes at a time (a longer one is
skipped without ever being held whole), and with a `window` only the events inside it are kept
(plus the older posts that replies inside it answer, as the store does), so auditing one month
of a file of years holds one month.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Iterator

import orjson

from auditor.activity.model import MAX_SKIPPED_KEPT
from auditor.activity.events import parse_event
from auditor.activity.model import CHANNELS, EVERY_ACCOUNT, Activity, DirectMessage, Post, Skipped, SourceInfo
from auditor.networks import normalize_handle
from auditor.errors import DataError
from auditor.progress import counted

# Keep the reasons of the first lines skipped; count all of them.
# A canonical line is a few hundred bytes, and a post or DM with the longest text X allows
# (25,000 characters, up to 4 bytes each) and every optional field is ~100 KB: a line past a
# megabyte is a broken export (a file with no newlines, a binary dump), never one event.
# Reading it whole would let one line take all the memory there is.
MAX_LINE = 1_000_000
MAX_LINE_TEXT = "1 MB"
BOM = b"\xef\xbb\xbf"
_SKIP_CHUNK = 1 << 16  # the rest of an overlong line is read and dropped this much at a time
# Replies inside the window may answer posts outside it: those are looked up in further passes
# over the file, one reply-chain level a pass, up to this depth (the store's limit too).
MAX_ANCESTOR_DEPTH = 50


def _lines(handle: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) for each line; the line is None when it is longer than MAX_LINE."""
    skip_bom(handle)
    number = 0
    while True:
        raw = handle.readline(MAX_LINE + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
            while True:  # drop the rest of the line, a chunk at a time
                rest = handle.readline(_SKIP_CHUNK)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, raw


def skip_bom(handle: BinaryIO) -> None:
    """Step over a byte-order mark (Windows editors write one): it is not part of the first line,
    nor of its length."""
    if handle.read(3) != BOM:
        handle.seek(0)


def _open(path: Path) -> BinaryIO:
    try:
        return open(path, "rb")
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror}") from None


class CoverageLine:
    """A `{"type": "coverage", "dms": ...}` line: whose DMs the file holds, declared by its writer.

    `dms` is a list of handles, "all" (every account's DMs in the file are complete) or "none"
    (the file's DMs are a partial copy: no account's DMs can be judged from it). Without such a
    line, an account's DMs count as present when the file holds at least one DM sent or received
    by it (docs/data.md).
    """

    __slots__ = ("dm_accounts",)

    def __init__(self, dm_accounts: frozenset[str]):
        self.dm_accounts = dm_accounts


def parse_coverage(obj: dict) -> CoverageLine:
    unknown = sorted(set(obj) - {"type", "dms"})
    if unknown:
        raise ValueError(f"coverage line: unknown field {unknown[0][:40]!r} (expected 'dms')")
    dms = obj.get("dms")
    if dms == "all":
        return CoverageLine(frozenset({EVERY_ACCOUNT}))
    if dms == "none":
        return CoverageLine(frozenset())
    if isinstance(dms, list) and all(isinstance(handle, str) and handle.strip("@ ") for handle in dms):
        return CoverageLine(frozenset(normalize_handle(handle) for handle in dms))
    raise ValueError('coverage line: dms must be "all", "none" or a list of handles')


def iter_jsonl(path: Path, name: str) -> Iterator[Post | DirectMessage | Skipped | CoverageLine]:
    with _open(path) as handle:
        for number, raw in _lines(handle):
            if raw is None:
                yield Skipped(name, number, f"line longer than {MAX_LINE_TEXT}")
                continue
            if not raw.strip():
                continue
            try:
                obj = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                yield Skipped(name, number, f"not valid JSON (column {exc.colno})")
                continue
            try:
                yield parse_event(obj)
            except ValueError as exc:
                # A coverage line is rare: it is looked for only once a line is not an event.
                if type(obj) is dict and obj.get("type") == "coverage":
                    try:
                        yield parse_coverage(obj)
                    except ValueError as coverage_exc:
                        yield Skipped(name, number, str(coverage_exc))
                    continue
                yield Skipped(name, number, str(exc))


def read_jsonl(path: Path, name: str | None = None, *, window: tuple[datetime, datetime] | None = None) -> Activity:
    """The events of a JSONL file; with `window` (start inclusive, end exclusive) only those inside
    it, plus the posts outside it that replies inside it answer (up the chain)."""
    name = name or str(path)
    activity = Activity()
    info = SourceInfo(name=name, kind="jsonl")
    posts, dms, skipped = activity.posts, activity.dms, activity.skipped
    start, end = window if window is not None else (None, None)
    dropped = False
    declared: frozenset[str] | None = None
    dm_participants: set[str] = set()  # of every DM in the file, inside the window or not
    for item in counted(iter_jsonl(path, name), f"reading {Path(name).name}"):
        kind = type(item)
        if kind is Skipped:
            info.skipped += 1
            if len(skipped) < MAX_SKIPPED_KEPT:
                skipped.append(item)
            continue
        if kind is CoverageLine:
            declared = item.dm_accounts if declared is None else declared | item.dm_accounts
            continue
        if kind is DirectMessage:
            dm_participants.add(item.sender)
            dm_participants.update(item.recipients)
        if window is not None and not (start <= item.created_at < end):
            dropped = True  # outside the window: dropped as it is read, never held
        elif kind is Post:
            posts.append(item)
        else:
            dms.append(item)
    info.dm_accounts = declared if declared is not None else frozenset(dm_participants)
    # A file that holds nobody's DMs cannot show a DM left unanswered.
    info.channels = CHANNELS if info.dm_accounts else tuple(c for c in CHANNELS if c != "dm")
    if dropped:
        # Only a dropped post can be an answered post outside the window: when nothing was
        # dropped, another pass over the file would find nothing (a month's file, audited whole).
        _ancestors(path, posts)
    info.events = len(posts) + len(dms)
    activity.skipped_count = info.skipped
    activity.sources.append(info)
    return activity


def _ancestors(path: Path, posts: list[Post]) -> None:
    """Add the posts outside the window that replies in it answer, and theirs, up the chain.

    Without them a conversation's root, and who a reply answered, would depend on the window.
    Each level is one more pass over the file, keeping only the posts asked for; the lines
    were reported when first read, so a bad one is passed over silently here.
    """
    seen = {post.id for post in posts}
    wanted = {p.in_reply_to for p in posts if p.in_reply_to and p.in_reply_to not in seen}
    for _ in range(MAX_ANCESTOR_DEPTH):
        if not wanted:
            return
        found: dict[str, Post] = {}
        with _open(path) as handle:
            for _number, raw in _lines(handle):
                if raw is None or not raw.strip():
                    continue
                try:
                    obj = orjson.loads(raw)
                except orjson.JSONDecodeError:
                    continue
                if not isinstance(obj, dict) or obj.get("type") != "post" or str(obj.get("id")) not in wanted:
                    continue
                try:
                    event = parse_event(obj)
                except ValueError:
                    continue
                found[event.id] = event  # a later copy wins, as in the index
        seen.update(wanted)
        posts.extend(found.values())
        wanted = {p.in_reply_to for p in found.values() if p.in_reply_to and p.in_reply_to not in seen}
