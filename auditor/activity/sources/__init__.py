"""Sources: each turns one kind of input into canonical events.

`read_source` picks the reader by what the path is; every reader returns an
`Activity` with its `SourceInfo` and the lines it had to skip.
"""

from __future__ import annotations

from pathlib import Path

from auditor.activity.model import Activity
from auditor.errors import DataError


def read_source(path: Path, *, roster_ids: dict[str, str] | None = None) -> Activity:
    """Read one `--data` source: a JSONL file (anything not recognised below is read as JSONL)."""
    if not path.exists():
        raise DataError(f"{path}: no such file or folder")
    from auditor.activity.sources.jsonl import read_jsonl

    if path.is_dir():
        raise DataError(f"{path}: is a folder, expected a JSONL file")
    return read_jsonl(path)


def read_sources(paths: list[Path]) -> Activity:
    """Every `--data` source merged into one activity (the index drops duplicates by platform and id)."""
    activity = Activity()
    for path in paths:
        activity.extend(read_source(path))
    return activity
