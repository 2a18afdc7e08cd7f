"""The SQLite store: schema and versions, dedup and merging across sources, windows, sources and skipped lines."""

from __future__ import annotations

import json
import sqlite3
from msgspec.structs import replace
from datetime import datetime, timedelta, timezone

import pytest

from auditor.activity.model import Activity, SourceInfo
from auditor.activity.sources import read_source
from auditor.activity.store import FetchState, Store
from auditor.activity.store_format import SCHEMA_VERSION
from auditor.time.period import audit_window
from auditor.activity.ingest.importing import import_sources
from auditor.activity.sources.store_reader import read_store
from auditor.errors import DataError
from auditor.time.period import parse_period
from tests.factories import at, dm, post


def one_source(*events, name="test", kind="jsonl", channels=("mention", "reply", "dm"), skipped=0) -> Activity:
    activity = Activity(posts=[e for e in events if hasattr(e, "author")], dms=[e for e in events if hasattr(e, "sender")])
    activity.sources.append(SourceInfo(name, kind, events=len(events), skipped=skipped, channels=channels))
    return activity


def test_a_new_store_is_created_with_its_schema_version(tmp_path):
    with Store(tmp_path / "s.db") as store:
        assert store.count() == {}
    with sqlite3.connect(tmp_path / "s.db") as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (str(SCHEMA_VERSION),)
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"meta", "events", "sources", "skipped", "fetch_state", "coverage"} <= tables
    assert {"events_key", "events_created_at"} <= indexes


def test_a_store_from_a_newer_auditor_is_refused_clearly(tmp_path):
    Store(tmp_path / "s.db").close()
    with sqlite3.connect(tmp_path / "s.db") as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    message = f"{tmp_path / 's.db'}: the store has schema version {SCHEMA_VERSION + 1}, newer than this auditor reads ({SCHEMA_VERSION}): upgrade auditor"
    for open_it in (lambda: Store(tmp_path / "s.db"), lambda: read_store(tmp_path / "s.db")):
        with pytest.raises(DataError) as caught:
            open_it()
        assert str(caught.value) == message


def test_files_that_are_not_stores_are_refused(tmp_path):
    (tmp_path / "text.db").write_text("hello")
    with pytest.raises(DataError, match="text.db: not an SQLite file, so not an auditor store"):
        Store(tmp_path / "text.db")
    with sqlite3.connect(tmp_path / "other.sqlite") as db:
        db.execute("CREATE TABLE t (x)")
    with pytest.raises(DataError, match="an SQLite file, but not an auditor store"):
        read_store(tmp_path / "other.sqlite")
    with pytest.raises(DataError, match="missing.db: no such store"):
        read_store(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()  # reading never creates


def test_events_round_trip_and_are_keyed_by_platform_kind_and_id(tmp_path):
    complaint = post("bob", "2026-10-05 14:00:00.250000", "@acme_support help", id="1", mentions=("acme_support",))
    answer = post("acme_support", "2026-10-05 15:00", "@bob DM us", id="2", reply_to=complaint)
    message = dm("bob", "acme_support", "2026-10-05 15:30", "order 5531", id="1")  # same id as a post: another kind
    with Store(tmp_path / "s.db") as store:
        counts = store.add_activity(one_source(complaint, answer, message), "a")
        assert (counts.added, counts.updated, counts.unchanged) == (3, 0, 0)
        again = store.add_activity(one_source(complaint, answer, message, name="b"), "b")
        assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
        assert store.count() == {"post": 2, "dm": 1}
    activity = read_store(tmp_path / "s.db")
    assert sorted(activity.posts, key=lambda p: p.id) == [complaint, answer]
    assert activity.dms == [message]


def test_a_later_copy_fills_in_and_never_blanks(tmp_path):
    from_archive = post("acme_support", "2026-10-05 15:00", "RT @carol: nice", id="7", repost_of="unknown")
    from_api = replace(from_archive, repost_of="6", conversation_id="6", url="https://x.com/i/web/status/7", real_id=True)
    full_dm = dm("bob", "acme_support", "2026-10-05 15:30", "my phone is 555-0100", id="d1")
    header = replace(full_dm, text="")
    with Store(tmp_path / "s.db") as store:
        store.add_activity(one_source(from_api, full_dm), "api")
        counts = store.add_activity(one_source(from_archive, header, name="archive", kind="archive"), "archive")
        assert (counts.added, counts.updated, counts.unchanged) == (0, 0, 2)
    activity = read_store(tmp_path / "s.db")
    assert activity.posts == [from_api] and activity.dms == [full_dm]
    with Store(tmp_path / "t.db") as store:  # the other order: the richer copy upgrades the poorer one
        store.add_activity(one_source(from_archive, header), "archive")
        counts = store.add_activity(one_source(from_api, full_dm, name="api"), "api")
        assert (counts.added, counts.updated) == (0, 2)
    assert read_store(tmp_path / "t.db").posts == [from_api]


def test_a_lone_utf16_half_in_a_text_is_stored_as_a_replacement_character(tmp_path):
    # A network that cuts text by UTF-16 units can leave half an emoji ("\ud83d"); UTF-8 cannot
    # hold it, and storing the post or DM raised, losing the rest of the batch.
    cut = post("bob", "2026-10-05 14:00", "@acme_support still waiting \ud83d", id="1")
    later = replace(cut, conversation_id="1")  # a later copy: the merge path stores it too
    message = dm("bob", "acme_support", "2026-10-05 15:30", "\ude00 order 5531", id="d1")
    with Store(tmp_path / "s.db") as store:
        assert store.add_activity(one_source(cut, message), "a").added == 2
        assert store.add_activity(one_source(later, name="b"), "b").updated == 1
    activity = read_store(tmp_path / "s.db")
    assert [p.text for p in activity.posts] == ["@acme_support still waiting \ufffd"]
    assert [d.text for d in activity.dms] == ["\ufffd order 5531"]


def test_a_window_reads_its_span_and_the_posts_replies_in_it_answer(tmp_path):
    root = post("bob", "2026-08-20 10:00", "@acme_support hi", id="10")
    middle = post("acme_support", "2026-09-30 10:00", "@bob hello", id="11", reply_to=root)
    inside = post("bob", "2026-10-02 10:00", "@acme_support still there?", id="12", reply_to=middle)
    other = post("carol", "2026-10-03 10:00", "unrelated", id="13")
    later = post("carol", "2026-12-03 10:00", "later", id="14")
    with Store(tmp_path / "s.db") as store:
        store.add_activity(one_source(root, middle, inside, other, later), "x")
    activity = read_store(tmp_path / "s.db", at("2026-10-01 00:00"), at("2026-11-01 00:00"))
    assert sorted(p.id for p in activity.posts) == ["10", "11", "12", "13"]
    assert activity.sources[0].events == 2  # counted in the window; ancestors are context
    assert read_source(tmp_path / "s.db", window=(at("2026-12-01 00:00"), at("2027-01-01 00:00"))).posts == [later]


def test_sources_channels_notes_and_skipped_lines_survive_the_store(tmp_path):
    lines = [json.dumps({"type": "post", "id": "1", "author": "bob", "created_at": "2026-10-05T14:00:00Z", "text": "hi"}),
             "{broken", json.dumps({"type": "like"})]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n")
    results = list(import_sources([tmp_path / "a.jsonl"], tmp_path / "s.db"))
    assert results[0].lines()[0] == f"{tmp_path / 'a.jsonl'} (jsonl): 1 events read, 2 skipped; store: 1 new, 0 updated, 0 already there"
    list(import_sources([tmp_path / "a.jsonl"], tmp_path / "s.db"))  # re-importing refreshes, never doubles
    activity = read_store(tmp_path / "s.db")
    [info] = activity.sources
    assert (info.name, info.kind, info.events, info.skipped) == (f"{tmp_path / 's.db'}: {tmp_path / 'a.jsonl'}", "jsonl", 1, 2)
    assert info.channels == ("mention", "reply")  # a JSONL file without DMs does not claim them
    assert activity.skipped_count == 2
    assert [(s.line, s.reason) for s in activity.skipped] == [
        (2, "not valid JSON (column 2): unexpected character, expected a string key"), (3, "unknown type 'like' (expected 'post' or 'dm')")]


def test_fetch_state_and_coverage_are_kept_per_account_and_endpoint(tmp_path):
    with Store(tmp_path / "s.db") as store:
        assert store.fetch_state("acme", "posts") is None
        state = FetchState("acme", "posts", user_id="100", newest_id="5", next_token="p2", params={"queries": [None], "index": 0})
        with store.db:
            store.save_state(state)
        store.set_coverage("acme", "dms", "not_fetched", "no keys")
        store.set_coverage("acme", "dms", "ok")
    with Store(tmp_path / "s.db") as store:
        assert store.fetch_state("acme", "posts") == state and state.in_progress
        assert [(r.endpoint, r.status, r.reason) for r in store.coverage()] == [("dms", "ok", "")]


def test_another_store_imports_as_one_source(tmp_path):
    with Store(tmp_path / "a.db") as store:
        store.add_activity(one_source(post("bob", "2026-10-05 14:00", "hi", id="1"), name="x", kind="csv", channels=("mention",)), "x")
        store.add_activity(one_source(post("bob", "2026-10-05 15:00", "yo", id="2"), name="y", kind="archive", channels=("dm",)), "y")
    [result] = import_sources([tmp_path / "a.db"], tmp_path / "b.db")
    assert (result.kind, result.read, result.counts.added) == ("store", 2, 2)
    [info] = read_store(tmp_path / "b.db").sources
    assert info.channels == ("mention", "dm")
    with pytest.raises(DataError, match="is the store itself"):
        list(import_sources([tmp_path / "b.db"], tmp_path / "b.db"))


def test_the_audit_window_covers_the_previous_period_and_a_look_ahead():
    period = parse_period("2026-10", timezone.utc, datetime(2026, 11, 20).date())
    start, end = audit_window(period)
    assert start == datetime(2026, 9, 1, tzinfo=timezone.utc) - timedelta(days=7)
    assert end == datetime(2026, 11, 1, tzinfo=timezone.utc) + timedelta(days=30)
