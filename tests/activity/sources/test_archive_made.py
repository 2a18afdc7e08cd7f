"""An X archive holds its owner's DMs up to the day X made it (manifest.js): data that runs later cannot
lean on it for DMs, read directly or through the store."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from typer.testing import CliRunner

from auditor.activity.sources.archive import read_archive
from auditor.cli import app
from tests.activity.sources.test_archive import FILES, write_folder

MADE = "2026-10-10T12:00:00.000Z"
POLICY = """name: Acme
timezone: America/Toronto
accounts:
  - {handle: acme_support, kind: brand, team: support}
rules:
  - {id: promises, type: follow_through, severity: critical, within: 24h}
"""


def archive(root: Path, made: str | None = MADE) -> Path:
    folder = write_folder(root)
    if made is not None:
        config = {"userInfo": {"accountId": "100", "userName": "Acme_Support"},
                  "archiveInfo": {"generationDate": made, "isPartialArchive": False}}
        (folder / "data" / "manifest.js").write_text(f"window.__THAR_CONFIG = {json.dumps(config)}", encoding="utf-8")
    return folder


def later_promise(path: Path, day: int) -> Path:
    """A public month from another source: @dave asks, the account promises a DM, and nothing follows in public."""
    lines = [
        {"type": "post", "id": "7001", "author": "dave", "created_at": f"2026-10-{day:02d}T14:00:00Z",
         "text": "@acme_support is the widget in stock?", "mentions": ["acme_support"]},
        {"type": "post", "id": "7002", "author": "acme_support", "created_at": f"2026-10-{day:02d}T14:20:00Z",
         "text": "@dave let me check, we'll DM you tomorrow", "in_reply_to": "7001", "in_reply_to_author": "dave",
         "mentions": ["dave"]},
        {"type": "post", "id": "7003", "author": "acme_support", "created_at": "2026-10-30T14:20:00Z",
         "text": "Our new widget is out"},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def audit(tmp_path: Path, *data: Path) -> dict:
    tmp_path.mkdir(parents=True, exist_ok=True)
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    out = tmp_path / "out"
    args = ["audit", "--policy", str(policy), "--period", "2026-10", "--format", "json", "--out-dir", str(out)]
    for source in data:
        args += ["--data", str(source)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def dave(report: dict) -> str:
    [finding] = [f for f in report["findings"] if f["counterpart"] == "dave"]
    return finding["status"]


def test_an_archive_tells_the_day_it_was_made_and_holds_its_owners_dms_to_then(tmp_path):
    read = read_archive(archive(tmp_path / "archive"))
    [info] = read.sources
    assert info.dm_accounts == frozenset({"acme_support"})
    assert info.dms_until == datetime(2026, 10, 10, 12, tzinfo=timezone.utc)
    assert any(note.startswith("made 2026-10-10T12:00:00Z: it holds no DM sent after that") for note in info.notes)
    assert read_archive(archive(tmp_path / "undated", made=None)).sources[0].dms_until is None


def test_a_promise_after_the_archive_was_made_is_cannot_tell_not_broken(tmp_path):
    made_before = audit(tmp_path / "after", archive(tmp_path / "a"), later_promise(tmp_path / "public.jsonl", 15))
    assert dave(made_before) == "cannot_tell"
    assert made_before["data"]["dms_not_held"] == ["acme_support"]
    # With no date in the manifest the archive holds every DM of its owner, as before: the promise is broken.
    undated = audit(tmp_path / "undated", archive(tmp_path / "b", made=None), later_promise(tmp_path / "p2.jsonl", 15))
    assert dave(undated) == "broken"
    # Made after the data ends, it holds them all.
    made_after = audit(tmp_path / "late", archive(tmp_path / "c", made="2026-11-05T00:00:00.000Z"),
                       later_promise(tmp_path / "p3.jsonl", 15))
    assert dave(made_after) == "broken"


def test_the_store_keeps_when_the_archive_was_made(tmp_path):
    store = tmp_path / "store.db"
    imported = CliRunner().invoke(app, ["import", "--store", str(store), str(archive(tmp_path / "a")),
                                        str(later_promise(tmp_path / "public.jsonl", 15))])
    assert imported.exit_code == 0, imported.output
    assert dave(audit(tmp_path / "from-store", store)) == "cannot_tell"
    # A store written before the column existed is read as it is (no end to any source's DMs), and gets the
    # column when opened for writing.
    with sqlite3.connect(store) as db:
        db.execute("ALTER TABLE sources DROP COLUMN dms_until")
    assert dave(audit(tmp_path / "old-store", store)) == "broken"
    again = CliRunner().invoke(app, ["import", "--store", str(store), str(archive(tmp_path / "a2"))])
    assert again.exit_code == 0, again.output
    with sqlite3.connect(store) as db:
        assert any(row[1] == "dms_until" for row in db.execute("PRAGMA table_info(sources)"))


def test_an_archive_whose_dm_files_were_emptied_vouches_for_no_dm(tmp_path):
    # shared/data's andreruffert archive: direct-messages.js is "[ ]", its owner took the DMs out before sharing it;
    # his posts say DMs were sent. Held to hold "both sides of his DMs", a promise of his would read as broken.
    folder = archive(tmp_path / "a", made=None)
    for kind in ("direct-messages", "direct-messages-group", "direct-message-headers", "direct-message-group-headers"):
        path = folder / "data" / f"{kind}.js"
        if path.exists():
            path.write_text(f"window.YTD.{kind.replace('-', '_')}.part0 = [ ]", encoding="utf-8")
    read = read_archive(folder)
    [info] = read.sources
    assert info.dm_accounts == frozenset() and info.channels == ()
    assert any(note.startswith("its direct-messages files hold no message") for note in info.notes)
    assert dave(audit(tmp_path / "emptied", folder, later_promise(tmp_path / "public.jsonl", 15))) == "cannot_tell"
