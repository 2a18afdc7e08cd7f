"""Sources: each turns one kind of input into canonical events.

`read_source` picks the reader by what the path is (`source_kind`) from one table
(`READERS`); every reader returns an `Activity` with its `SourceInfo` and the lines it
had to skip. Adding a kind of input: one reader module, one line in `source_kind` and
one in `READERS`. What writes the store (import, the fetchers) is in `activity/ingest/`.

| path | reader |
| --- | --- |
| a folder or `.zip` holding `outbox.json` | Mastodon account archive (`mastodon_archive.py`) |
| a folder, or `.zip` | X data archive (`archive.py`) |
| `.car`, or a CAR header | Bluesky repository export (`bluesky_car.py`) |
| `.csv` | CSV with a column mapping (`csv_source.py`); without one, a known header (twcs) or an error |
| `.db`, `.sqlite`, `.sqlite3`, or SQLite's magic bytes | the local store (`store_reader.py`) |
| anything else | canonical JSONL (`jsonl.py`); a PDF, gzip, zip or image file is refused |
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from auditor.activity.model import Activity
from auditor.activity.store_format import is_store
from auditor.errors import DataError


def source_kind(path: Path) -> str:
    """Which reader a path goes to: mastodon-archive, archive, bluesky-car, csv, store or jsonl."""
    from auditor.activity.sources.car_blocks import is_car
    from auditor.activity.sources.mastodon_archive import is_mastodon_archive

    suffix = path.suffix.lower()
    if path.is_dir() or suffix == ".zip":
        return "mastodon-archive" if is_mastodon_archive(path) else "archive"
    if suffix == ".car" or is_car(path):
        return "bluesky-car"
    if path.name.lower().endswith((".tar.gz", ".tgz")):
        return "mastodon-archive"  # Mastodon before 4.2: the reader says to unpack it
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

    `roster_ids` (numeric user id or Bluesky DID -> handle) names DM participants an X archive knows only
    by id, and the accounts a Bluesky repository export names by DID (its owner's is required);
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
    if kind == "jsonl":
        _refuse_known_binary(path)
    return READERS[kind](path, roster_ids=roster_ids, mapping=mapping, window=window)


# Files that are read as JSON Lines by default but start as another format does: read line by
# line, every line would be skipped as "not valid JSON". No JSON Lines file starts with these.
_NOT_DATA = "give JSON Lines, an X or Mastodon archive, a Bluesky .car export, a CSV file or a store"
_OTHER_FORMATS = (
    (b"%PDF-", "a PDF document, not activity data", _NOT_DATA),
    (b"\x1f\x8b", "gzip-compressed", "unpack it first (gunzip)"),
    (b"PK\x03\x04", "a zip file", "give it a name ending in .zip to read it as an X or Mastodon archive"),
    (b"\x89PNG", "a PNG image, not activity data", _NOT_DATA),
    (b"\xff\xd8\xff", "a JPEG image, not activity data", _NOT_DATA),
)


def _refuse_known_binary(path: Path) -> None:
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError:
        return  # the reader says why it cannot be read, as it always has
    for magic, what, advice in _OTHER_FORMATS:
        if head.startswith(magic):
            raise DataError(f"{path}: {what}; {advice}")


# The readers, by kind: each imported when first used (an archive's reader is not needed for a JSONL file).
def _archive(path: Path, *, roster_ids, mapping, window) -> Activity:
    from auditor.activity.sources.archive import read_archive

    return read_archive(path, roster_ids=roster_ids, window=window)


def _mastodon_archive(path: Path, *, roster_ids, mapping, window) -> Activity:
    from auditor.activity.sources.mastodon_archive import read_mastodon_archive

    return read_mastodon_archive(path, window=window)


def _bluesky_car(path: Path, *, roster_ids, mapping, window) -> Activity:
    from auditor.activity.sources.bluesky_car import read_bluesky_car

    return read_bluesky_car(path, handles=roster_ids, window=window)


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


READERS: dict[str, Callable[..., Activity]] = {
    "mastodon-archive": _mastodon_archive, "archive": _archive, "bluesky-car": _bluesky_car, "csv": _csv,
    "store": _store, "jsonl": _jsonl,
}


def read_sources(
    paths: list[Path],
    *,
    roster_ids: dict[str, str] | None = None,
    mapping: str | Path | None = None,
    window: tuple[datetime, datetime] | None = None,
) -> Activity:
    """Every `--data` source merged into one activity (the index drops duplicates by platform and id).
    Bluesky accounts one source names by DID are named by the handle another gives (bluesky_names.py).
    `mapping` is the column mapping of the CSV sources among them (a store beside a CSV export is read as ever)."""
    from auditor.activity.sources.bluesky_names import name_dids

    csv_paths = [path for path in paths if path.exists() and source_kind(path) == "csv"]
    if mapping is not None and not csv_paths:
        raise DataError("--mapping is for CSV files, and no --data source is a .csv file")
    activity = Activity()
    for path in paths:
        activity.extend(read_source(path, roster_ids=roster_ids, window=window,
                                    mapping=mapping if path in csv_paths else None))
    name_dids(activity)
    return activity
