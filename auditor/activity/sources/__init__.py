"""Sources: each turns one kind of input into canonical events.

`read_source` picks the reader by what the path is (`source_kind`) from one table
(`READERS`); every reader returns an `Activity` with its `SourceInfo` and the lines it
had to skip. Adding a kind of input: one reader module, one line in `source_kind` and
one in `READERS`. What writes the store (import, the fetchers) is in `activity/ingest/`.

| path | reader |
| --- | --- |
| a folder, or `.zip` | X data archive (`archive.py`) |
| `.csv` | CSV with a column mapping (`csv_source.py`); without one, a known header (twcs) or an error |
| `.db`, `.sqlite`, `.sqlite3`, or SQLite's magic bytes | the local store (`store_reader.py`) |
| anything else | canonical JSONL (`jsonl.py`) |
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from auditor.activity.model import Activity
from auditor.activity.store_format import is_store
from auditor.errors import DataError


def source_kind(path: Path) -> str:
    """Which reader a path goes to: archive, csv, store or jsonl."""
    suffix = path.suffix.lower()
    if path.is_dir() or suffix == ".zip":
        return "archive"
    if suffix == ".csv":
        return "csv"
    if is_store(path):
        return "store"
    return "jsonl"


def read_source(
    path: Path,
    *,
    roster_ids: dict[str, str] | None = None,
    mapping: str | Path | None = None,
    window: tuple[datetime, datetime] | None = None,
) -> Activity:
    """Read one `--data` source.

    `roster_ids` (numeric user id -> handle) names DM participants an archive knows only by id;
    `mapping` is a CSV's column mapping (a YAML file or `twcs`); `window` (start, end) limits
    what is kept from a store, an archive or a JSONL file to that time span, plus the older posts
    that replies in it answer (CSV files are read whole).
    """
    if not path.exists():
        raise DataError(f"{path}: no such file or folder")
    if not (path.is_file() or path.is_dir()):
        # /dev/zero, /dev/urandom, a pipe or a socket: read as JSONL, an endless one never ends.
        raise DataError(f"{path}: not a regular file or folder (a device or a pipe): give an export file, "
                        "an archive or a store")
    kind = source_kind(path)
    if mapping is not None and kind != "csv":
        raise DataError(f"{path}: --mapping is for CSV files, and this is read as {kind}")
    return READERS[kind](path, roster_ids=roster_ids, mapping=mapping, window=window)


# The readers, by kind: each imported when first used (an archive's reader is not needed for a JSONL file).
def _archive(path: Path, *, roster_ids, mapping, window) -> Activity:
    from auditor.activity.sources.archive import read_archive

    return read_archive(path, roster_ids=roster_ids, window=window)


def _csv(path: Path, *, roster_ids, mapping, window) -> Activity:
    from auditor.activity.sources.csv_source import read_csv

    return read_csv(path, mapping)  # read whole: a CSV file is not sorted by time


def _store(path: Path, *, roster_ids, mapping, window) -> Activity:
    from auditor.activity.sources.store_reader import read_store

    since, until = window if window is not None else (None, None)
    return read_store(path, since, until)


def _jsonl(path: Path, *, roster_ids, mapping, window) -> Activity:
    from auditor.activity.sources.jsonl import read_jsonl

    return read_jsonl(path, window=window)


READERS: dict[str, Callable[..., Activity]] = {"archive": _archive, "csv": _csv, "store": _store, "jsonl": _jsonl}


def read_sources(
    paths: list[Path],
    *,
    roster_ids: dict[str, str] | None = None,
    window: tuple[datetime, datetime] | None = None,
) -> Activity:
    """Every `--data` source merged into one activity (the index drops duplicates by platform and id)."""
    activity = Activity()
    for path in paths:
        activity.extend(read_source(path, roster_ids=roster_ids, window=window))
    return activity
