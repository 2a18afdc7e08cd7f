"""`auditor import`: read each export and put it into the store."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from auditor.activity.model import Skipped
from auditor.activity.sources import read_source, source_kind
from auditor.activity.sources.bluesky_names import handles_in
from auditor.activity.store import Counts, Store
from auditor.errors import DataError


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
    with Store(store_path) as store:
        for path in paths:
            if not path.exists():
                raise DataError(f"{path}: no such file or folder")
            if store.path.exists() and os.path.samefile(path, store.path):
                raise DataError(f"{path}: is the store itself")
            kind = source_kind(path)
            # A repository export names people by DID: the handles the store already knows name them.
            known = {**handles_in(store.bluesky_posts()), **(dids or {})} if kind == "bluesky-car" else dids
            activity = read_source(path, mapping=mapping if kind == "csv" else None, roster_ids=known)
            info = activity.as_one_source(str(path))
            counts = store.add_activity(activity, str(path.resolve()))
            yield ImportResult(info.name, info.kind, info.events, info.skipped, counts, activity.skipped, info.notes)
