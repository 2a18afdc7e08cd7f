"""Canonical JSONL: one event a line, read as a stream.

A bad line is skipped with its line number and reason; the rest is still read. Memory stays
bounded whatever the file: a line is read at most `MAX_LINE` bytes at a time (a longer one is
skipped without ever being held whole; jsonl_lines.py), and with a `window` only the events
inside it are kept (plus the older posts that replies inside it answer, as the store does), so
auditing one month of a file of years holds one month.

Two readers give the same `Activity`: the plain one takes each line through `line_item`
(`orjson.loads`, then `parse_event`), and the fast one (`AUDITOR_SPEEDUPS` on, the default)
reads blocks of lines in one loop, decodes the common post and DM line into typed fields and
builds its event with `EventBuilder` (fast_events.py), and sends every other line, and every
line it is unsure of, through `line_item` too (tests/activity/sources/test_jsonl_equal.py).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Iterator

import orjson

from auditor import progress, speedups
from auditor.activity.events import parse_event
from auditor.activity.fast_events import EventBuilder, NotTaken, PostLine, decode_line
from auditor.activity.model import (
    CHANNELS, EVERY_ACCOUNT, MAX_SKIPPED_KEPT, Activity, DirectMessage, Post, Skipped, SourceInfo,
)
from auditor.activity.sources.jsonl_lines import MAX_LINE, MAX_LINE_TEXT, line_blocks, lines, open_lines
from auditor.networks import blank_handle, normalize_handle

__all__ = ["MAX_LINE", "CoverageLine", "iter_jsonl", "read_jsonl"]

# Replies inside the window may answer posts outside it: those are looked up in further passes
# over the file, one reply-chain level a pass, up to this depth (the store's limit too).
MAX_ANCESTOR_DEPTH = 50


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


class BadCoverage(CoverageLine):
    """A coverage line that cannot be read: its writer meant to say whose DMs the file holds, and what it
    said is not known. The file then holds nobody's DMs unless another coverage line says whose (fail
    closed: a DM not seen is never taken as one not sent). Skipped and counted like any bad line."""

    __slots__ = ("skipped",)

    def __init__(self, skipped: Skipped):
        super().__init__(frozenset())
        self.skipped = skipped


def parse_coverage(obj: dict) -> CoverageLine:
    unknown = sorted(set(obj) - {"type", "dms"})
    if unknown:
        raise ValueError(f"coverage line: unknown field {unknown[0][:40]!r} (expected 'dms')")
    dms = obj.get("dms")
    if dms == "all":
        return CoverageLine(frozenset({EVERY_ACCOUNT}))
    if dms == "none":
        return CoverageLine(frozenset())
    if isinstance(dms, list) and all(isinstance(handle, str) and not blank_handle(handle) for handle in dms):
        return CoverageLine(frozenset(normalize_handle(handle) for handle in dms))
    raise ValueError('coverage line: dms must be "all", "none" or a list of handles')


def line_item(name: str, number: int, raw: bytes | None) -> Post | DirectMessage | Skipped | CoverageLine | None:
    """What one line holds (None for a blank line), as the plain reader reads it; `raw` keeps its newline."""
    if raw is None:
        return Skipped(name, number, f"line longer than {MAX_LINE_TEXT}")
    if not raw.strip():
        return None
    try:
        # Without its line end: a line cut short inside a string then "ends early", where its newline
        # was "a control character in string". orjson's message says what is wrong and never quotes the line.
        obj = orjson.loads(raw.rstrip(b"\r\n"))
    except orjson.JSONDecodeError as exc:
        return Skipped(name, number, f"not valid JSON (column {exc.colno}): {exc.msg}")
    return object_item(name, number, obj)


def object_item(name: str, number: int, obj: object) -> Post | DirectMessage | Skipped | CoverageLine:
    """What the JSON value of a line holds: an event, a coverage line, or the reason it is skipped."""
    try:
        return parse_event(obj)
    except ValueError as exc:
        # A coverage line is rare: it is looked for only once a line is not an event.
        if type(obj) is dict and obj.get("type") == "coverage":
            try:
                return parse_coverage(obj)
            except ValueError as coverage_exc:
                return BadCoverage(Skipped(name, number, str(coverage_exc)))
        return Skipped(name, number, str(exc))


def iter_jsonl(path: Path, name: str) -> Iterator[Post | DirectMessage | Skipped | CoverageLine]:
    with open_lines(path) as handle:
        for number, raw in lines(handle):
            item = line_item(name, number, raw)
            if item is not None:
                yield item


class _Reading:
    """What one pass over a file keeps: the events inside the window, the lines skipped, whose DMs it holds."""

    def __init__(self, activity: Activity, info: SourceInfo, window: tuple[datetime, datetime] | None):
        self.posts, self.dms, self.skipped, self.info, self.window = activity.posts, activity.dms, activity.skipped, info, window
        self.dropped = False  # an event outside the window was read (and not kept)
        self.beyond = False  # one of them after the window: the file runs on past what is read
        self.declared: frozenset[str] | None = None  # by the file's coverage lines
        self.bad_coverage = False  # a coverage line could not be read
        self.participants: set[str] = set()  # of every DM in the file, inside the window or not

    def take(self, item: Post | DirectMessage | Skipped | CoverageLine) -> None:
        kind = type(item)
        if kind is Skipped:
            self.info.skipped += 1
            if len(self.skipped) < MAX_SKIPPED_KEPT:
                self.skipped.append(item)
            return
        if kind is BadCoverage:
            self.take(item.skipped)
            self.bad_coverage = True
        if kind is CoverageLine or kind is BadCoverage:
            self.declared = item.dm_accounts if self.declared is None else self.declared | item.dm_accounts
            return
        if kind is DirectMessage:
            self.participants.add(item.sender)
            self.participants.update(item.recipients)
        if self.window is not None and not (self.window[0] <= item.created_at < self.window[1]):
            self.dropped = True  # outside the window: dropped as it is read, never held
            self.beyond = self.beyond or item.created_at >= self.window[1]
        elif kind is Post:
            self.posts.append(item)
        else:
            self.dms.append(item)


def read_jsonl(path: Path, name: str | None = None, *, window: tuple[datetime, datetime] | None = None) -> Activity:
    """The events of a JSONL file; with `window` (start inclusive, end exclusive) only those inside
    it, plus the posts outside it that replies inside it answer (up the chain)."""
    name = name or str(path)
    activity = Activity()
    info = SourceInfo(name=name, kind="jsonl")
    reading = _Reading(activity, info, window)
    label = f"reading {Path(name).name}"
    fast = speedups.enabled()
    if fast:
        with speedups.no_gc():
            _read_blocks(path, name, reading, label)
    else:
        for item in progress.counted(iter_jsonl(path, name), label):
            reading.take(item)
    info.dm_accounts = reading.declared if reading.declared is not None else frozenset(reading.participants)
    if reading.bad_coverage:
        info.notes.append("a coverage line could not be read (see the skipped lines): the file holds the DMs "
                          "only of the accounts its other coverage lines name, if any")
    # A file that holds nobody's DMs cannot show a DM left unanswered.
    info.channels = CHANNELS if info.dm_accounts else tuple(c for c in CHANNELS if c != "dm")
    if reading.dropped:
        # Only a dropped post can be an answered post outside the window: when nothing was
        # dropped, another pass over the file would find nothing (a month's file, audited whole).
        _ancestors(path, activity.posts, fast)
    if reading.beyond:
        info.read_until = window[1]
    info.events = len(activity.posts) + len(activity.dms)
    activity.skipped_count = info.skipped
    activity.sources.append(info)
    return activity


def _read_blocks(path: Path, name: str, reading: _Reading, label: str) -> None:
    """The fast reader: what `reading.take(line_item(...))` does for each line, in one loop.

    Reading a million lines is mostly per-line Python work, so the common case is done inline:
    a canonical post or DM line that `decode_line` takes and `EventBuilder` can build is kept (or
    dropped outside the window) here, and every other line takes the plain reader's path,
    `line_item` (a few lines in a real file; the cost does not matter).
    """
    builder = EventBuilder()
    build_post, build_dm = builder.post, builder.dm
    take, keep_post, keep_dm = reading.take, reading.posts.append, reading.dms.append
    met, met_all = reading.participants.add, reading.participants.update
    window = reading.window
    start, end = window if window is not None else (None, None)
    task = progress.task(label)
    number = blank = 0
    dropped = beyond = False
    try:
        with open_lines(path) as handle:
            for block, ended in line_blocks(handle):
                for raw in block:
                    number += 1
                    try:
                        line = decode_line(raw)
                    except (NotTaken, TypeError):  # TypeError: a line too long to hold (None)
                        line = None
                    if type(line) is PostLine:
                        event = build_post(line)
                        if event is not None:
                            if window is None or start <= event.created_at < end:
                                keep_post(event)
                            else:
                                dropped = True
                                beyond = beyond or event.created_at >= end
                            continue
                    elif line is not None:  # a DMLine
                        event = build_dm(line)
                        if event is not None:
                            met(event.sender)
                            met_all(event.recipients)
                            if window is None or start <= event.created_at < end:
                                keep_dm(event)
                            else:
                                dropped = True
                                beyond = beyond or event.created_at >= end
                            continue
                    # not a canonical line, or one the builder is unsure of: as the plain reader reads it
                    item = line_item(name, number, raw + b"\n" if ended and raw is not None else raw)
                    if item is None:
                        blank += 1
                    else:
                        take(item)
                if task is not None:
                    task.advance(number - blank - task.count)
    finally:
        if task is not None:
            task.done()
    reading.dropped = reading.dropped or dropped
    reading.beyond = reading.beyond or beyond


def _raw_lines(path: Path, fast: bool) -> Iterator[bytes | None]:
    with open_lines(path) as handle:
        if fast:
            for block, _ended in line_blocks(handle):
                yield from block
        else:
            for _number, raw in lines(handle):
                yield raw


def _ancestors(path: Path, posts: list[Post], fast: bool) -> None:
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
        for raw in _raw_lines(path, fast):
            if raw is None or not raw.strip():
                continue
            if fast:
                # Most lines are not asked for: a canonical one is passed over without a dict.
                try:
                    line = decode_line(raw)
                except NotTaken:
                    pass
                else:
                    if type(line) is not PostLine or line.id not in wanted:
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
