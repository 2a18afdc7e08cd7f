"""Canonical JSONL: one event a line, read as a stream.

A bad line is skipped with its line number and reason; the rest is still read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import orjson

from auditor.activity.events import parse_event
from auditor.activity.model import Activity, DirectMessage, Post, Skipped, SourceInfo
from auditor.errors import DataError

# Keep the reasons of the first lines skipped; count all of them.
MAX_SKIPPED_KEPT = 1000
MAX_LINE = 1_000_000  # bytes: a canonical line is a few hundred


def iter_jsonl(path: Path, name: str) -> Iterator[Post | DirectMessage | Skipped]:
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror}") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            if len(raw) > MAX_LINE:
                yield Skipped(name, number, f"line longer than {MAX_LINE} bytes")
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
                yield Skipped(name, number, str(exc))


def read_jsonl(path: Path, name: str | None = None) -> Activity:
    name = name or str(path)
    activity = Activity()
    info = SourceInfo(name=name, kind="jsonl")
    posts, dms, skipped = activity.posts, activity.dms, activity.skipped
    for item in iter_jsonl(path, name):
        if type(item) is Post:
            posts.append(item)
        elif type(item) is DirectMessage:
            dms.append(item)
        else:
            info.skipped += 1
            if len(skipped) < MAX_SKIPPED_KEPT:
                skipped.append(item)
    info.events = len(posts) + len(dms)
    activity.skipped_count = info.skipped
    activity.sources.append(info)
    return activity
