"""The machine failing is not a bug: a locked, read-only, full or damaged store, and standard output
that cannot be written, each end in one line and exit 2, never a traceback or exit 3."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading

import pytest
from typer.testing import CliRunner

from auditor.activity import store as store_module
from auditor.cli import app
from tests.ci.scenario import RULES, write_events
from tests.factories import policy

runner = CliRunner()


@pytest.fixture
def setup(tmp_path):
    policy(tmp_path, RULES)
    data = write_events(tmp_path / "events.jsonl")
    store = tmp_path / "store.db"
    imported = runner.invoke(app, ["import", str(data), "--store", str(store)])
    assert imported.exit_code == 0, imported.output
    return tmp_path / "policy.yaml", data, store


def one_line(result) -> str:
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def audit(policy_path, store, tmp_path):
    return runner.invoke(app, ["audit", "--policy", str(policy_path), "--data", str(store), "--period", "2026-10",
                               "--out", str(tmp_path / "report.json")])


def connecting_with(monkeypatch, *pragmas: str) -> None:
    """Every store connection runs these pragmas first: how SQLite behaves on a read-only or full disk."""
    real = sqlite3.connect

    def connect(*args, **kwargs):
        db = real(*args, **kwargs)
        for pragma in pragmas:
            db.execute(pragma)
        return db

    monkeypatch.setattr(store_module.sqlite3, "connect", connect)


def test_a_store_locked_by_another_process_is_one_line(setup, monkeypatch):
    _, data, store = setup
    holder = sqlite3.connect(store, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    connecting_with(monkeypatch, "PRAGMA busy_timeout = 100")
    try:
        result = runner.invoke(app, ["import", str(data), "--store", str(store)])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 2
    assert one_line(result) == (f"{store}: the store is in use by another process (database is locked); "
                                "run one import, fetch or audit at a time")


def test_a_read_only_store_is_one_line(setup, monkeypatch):
    _, data, store = setup
    connecting_with(monkeypatch, "PRAGMA query_only = 1")
    result = runner.invoke(app, ["import", str(data), "--store", str(store)])
    assert result.exit_code == 2
    assert one_line(result).startswith(f"{store}: cannot write the store (attempt to write a readonly database)")


def test_a_full_disk_is_one_line(setup, monkeypatch, tmp_path):
    _, data, store = setup
    big = tmp_path / "big.jsonl"
    big.write_text("".join(
        f'{{"type": "post", "id": "{n}", "author": "acme_support", "created_at": "2026-10-05T10:00:00Z", '
        f'"text": "{"x" * 500} {n}"}}\n' for n in range(2000)))
    pages = sqlite3.connect(store).execute("PRAGMA page_count").fetchone()[0]
    connecting_with(monkeypatch, f"PRAGMA max_page_count = {pages + 2}")
    result = runner.invoke(app, ["import", str(big), "--store", str(store)])
    assert result.exit_code == 2
    assert one_line(result) == f"{store}: cannot write the store (database or disk is full): free some disk space"


@pytest.mark.parametrize("table", ["events", "sources"])
def test_a_store_missing_a_table_is_damaged_not_a_bug(setup, tmp_path, table):
    policy_path, data, store = setup
    with sqlite3.connect(store) as db:
        db.execute(f"DROP TABLE {table}")
    for result in (audit(policy_path, store, tmp_path), runner.invoke(app, ["import", str(data), "--store", str(store)])):
        assert result.exit_code == 2
        assert one_line(result) == (f"{store}: the store is damaged (no such table: {table}); "
                                    "import the sources again into a new store")


@pytest.mark.parametrize(("sql", "line"), [
    ("UPDATE sources SET channels = '{bad'", "the store is damaged: a source's channels or notes are not the JSON"),
    ("UPDATE sources SET notes = '[1, '", "the store is damaged: a source's channels or notes are not the JSON"),
    ("UPDATE events SET json = '{bad' WHERE rowid = 1", "the store holds an event that is not canonical JSON"),
])
def test_bad_json_in_a_column_is_damaged_not_a_bug(setup, tmp_path, sql, line):
    policy_path, _, store = setup
    with sqlite3.connect(store) as db:
        db.execute(sql)
    result = audit(policy_path, store, tmp_path)
    assert result.exit_code == 2
    assert one_line(result).startswith(f"{store}: {line}")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/dev/full is Linux's")
@pytest.mark.parametrize("command", [["schema"], ["rules"], ["audit", "--period", "2026-10"]])
def test_standard_output_to_a_full_device_is_one_line(setup, command):
    policy_path, data, _ = setup
    if command[0] == "audit":
        command = [*command, "--policy", str(policy_path), "--data", str(data)]
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "auditor", *command], stdout=full, stderr=subprocess.PIPE,
                              text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "error: No space left on device"
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
