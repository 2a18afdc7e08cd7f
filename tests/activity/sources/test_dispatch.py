"""`read_source` picks the reader by what the path is; a time window limits stores only."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest

from auditor.activity.sources import read_source, read_sources, source_kind
from auditor.time.period import audit_window
from auditor.activity.ingest.importing import import_sources
from auditor.audit import audit
from auditor.errors import DataError
from auditor.time.period import parse_period
from tests.activity.sources.test_csv import BRANDS
from tests.factories import at
from tests.factories import policy as make_policy
from tests.shared_data import shared

POST = {"type": "post", "id": "1", "author": "bob", "created_at": "2026-10-05T14:00:00Z", "text": "hi"}


def test_each_kind_of_path_goes_to_its_reader(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps(POST) + "\n")
    shutil.copy(tmp_path / "a.jsonl", tmp_path / "a.txt")
    list(import_sources([tmp_path / "a.jsonl"], tmp_path / "s.db"))
    shutil.copy(tmp_path / "s.db", tmp_path / "store.bin")  # no suffix to go by: SQLite's magic bytes say it
    kinds = {
        tmp_path / "a.jsonl": "jsonl", tmp_path / "a.txt": "jsonl", tmp_path / "s.db": "store",
        tmp_path / "store.bin": "store", tmp_path / "x.zip": "archive", tmp_path: "archive", tmp_path / "t.CSV": "csv",
    }
    for path, kind in kinds.items():
        assert source_kind(path) == kind, path
    for path in (tmp_path / "a.txt", tmp_path / "store.bin"):
        assert [p.id for p in read_source(path).posts] == ["1"]
    assert read_source(shared("x-archive", "larsbrinkhoff")).sources[0].kind == "archive"


def test_a_mapping_is_only_for_csv(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps(POST) + "\n")
    with pytest.raises(DataError, match="a.jsonl: --mapping is for CSV files, and this is read as jsonl"):
        read_source(tmp_path / "a.jsonl", mapping="twcs")
    with pytest.raises(DataError, match="nothing.csv: no such file or folder"):
        read_source(tmp_path / "nothing.csv")


def test_a_window_limits_what_is_kept_from_a_store_and_a_jsonl_file(tmp_path):
    later = {**POST, "id": "2", "created_at": "2026-12-05T14:00:00Z"}
    (tmp_path / "a.jsonl").write_text(json.dumps(POST) + "\n" + json.dumps(later) + "\n")
    list(import_sources([tmp_path / "a.jsonl"], tmp_path / "s.db"))
    window = (at("2026-10-01 00:00"), at("2026-11-01 00:00"))
    activity = read_sources([tmp_path / "a.jsonl", tmp_path / "s.db"], window=window)
    assert sorted(p.id for p in activity.posts) == ["1", "1"]  # December is outside the window in both


def test_an_audit_from_the_store_matches_the_audit_from_the_csv(tmp_path):
    loaded = make_policy(tmp_path, [{"id": "answer", "type": "response_time", "severity": "high", "within": "4h"}],
                         accounts=[{"handle": b, "kind": "brand"} for b in BRANDS], timezone="UTC")
    period = parse_period("2017-10", loaded.policy.zone, date(2017, 11, 15))
    list(import_sources([shared("twcs", "sample.csv")], tmp_path / "s.db"))
    from_csv = audit(loaded, read_source(shared("twcs", "sample.csv")), period)
    from_store = audit(loaded, read_sources([tmp_path / "s.db"], window=audit_window(period)), period)
    assert from_store.rules == from_csv.rules
    assert from_store.findings == from_csv.findings
    assert from_store.data.sources[0].name == f"{tmp_path / 's.db'}: {shared('twcs', 'sample.csv')}"


def test_a_file_that_cannot_be_opened_is_said_so_by_the_reader(tmp_path, monkeypatch):
    # The look at a JSON Lines file's first bytes (is it a PDF, gzip, ...?) leaves an unreadable
    # file to the reader's own one-line error.
    import builtins

    locked = tmp_path / "locked.jsonl"
    locked.write_text(json.dumps(POST) + "\n")
    real_open = builtins.open

    def refusing_open(file, *args, **kwargs):
        if str(file) == str(locked):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    with pytest.raises(DataError, match="locked.jsonl: cannot read: Permission denied"):
        read_source(locked)
