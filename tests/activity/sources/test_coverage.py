"""What each source says it holds: whose DMs (so DM answers and kept promises can be seen), and
whether its post ids are real X ids (so evidence may link to them)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from auditor.activity.model import EVERY_ACCOUNT
from auditor.activity.sources.archive import read_archive
from auditor.activity.sources.csv_source import read_csv
from auditor.activity.sources.jsonl import read_jsonl
from auditor.activity.store import Store
from auditor.activity.ingest.importing import import_sources
from auditor.activity.sources.store_reader import read_store
from tests.activity.sources.test_archive import FILES, write_folder
from tests.shared_data import shared

POST = {"type": "post", "id": "1001", "author": "acme_support", "created_at": "2026-10-05T14:02:00Z",
        "text": "@bob sorry about that, DM us your order number", "in_reply_to": "1000", "in_reply_to_author": "bob"}
DM = {"type": "dm", "id": "d-77", "sender": "bob", "recipients": ["acme_support"],
      "created_at": "2026-10-05T14:30:00Z", "text": "order 5531"}


def write(tmp_path, *lines, name="activity.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    return path


# -- whose DMs a source holds ------------------------------------------------------------------


def test_a_jsonl_file_without_dms_holds_nobodys_and_does_not_claim_the_dm_channel(tmp_path):
    [info] = read_jsonl(write(tmp_path, POST)).sources
    assert info.dm_accounts == frozenset()
    assert info.channels == ("mention", "reply")


def test_a_jsonl_file_holds_the_dms_of_every_account_it_has_a_dm_of(tmp_path):
    [info] = read_jsonl(write(tmp_path, POST, DM)).sources
    assert info.dm_accounts == {"bob", "acme_support"}
    assert info.channels == ("mention", "reply", "dm")


def test_a_dm_outside_the_audit_window_still_shows_the_file_holds_that_accounts_dms(tmp_path):
    from datetime import datetime, timezone

    window = (datetime(2026, 11, 1, tzinfo=timezone.utc), datetime(2026, 12, 1, tzinfo=timezone.utc))
    activity = read_jsonl(write(tmp_path, POST, DM), window=window)
    assert activity.dms == [] and activity.sources[0].dm_accounts == {"bob", "acme_support"}


@pytest.mark.parametrize("declared, held", [
    ({"dms": "all"}, {EVERY_ACCOUNT}),
    ({"dms": "none"}, set()),
    ({"dms": ["@ACME_Support", "jdoe"]}, {"acme_support", "jdoe"}),
])
def test_a_coverage_line_declares_whose_dms_the_file_holds(tmp_path, declared, held):
    activity = read_jsonl(write(tmp_path, {"type": "coverage", **declared}, POST, DM))
    assert activity.sources[0].dm_accounts == held
    assert activity.skipped_count == 0 and len(activity.posts) == 1 and len(activity.dms) == 1


@pytest.mark.parametrize("line, reason", [
    ({"type": "coverage", "dms": "some"}, 'coverage line: dms must be "all", "none" or a list of handles'),
    ({"type": "coverage", "dms": [3]}, 'coverage line: dms must be "all", "none" or a list of handles'),
    ({"type": "coverage", "dm": "all"}, "coverage line: unknown field 'dm' (expected 'dms')"),
])
def test_a_bad_coverage_line_is_skipped_with_its_reason_and_the_file_holds_nobodys_dms(tmp_path, line, reason):
    # Its writer meant to say whose DMs the file holds, and what is not known: no DM is taken as held (the
    # default rule would call every account with a DM in the file complete, and a promise broken).
    activity = read_jsonl(write(tmp_path, line, POST, DM))
    assert [(s.line, s.reason) for s in activity.skipped] == [(1, reason)]
    assert activity.sources[0].dm_accounts == frozenset()
    assert any(note.startswith("a coverage line could not be read") for note in activity.sources[0].notes)
    # Another coverage line that can be read still says whose.
    both = read_jsonl(write(tmp_path, line, {"type": "coverage", "dms": ["acme_support"]}, POST, DM, name="b.jsonl"))
    assert both.sources[0].dm_accounts == {"acme_support"}


def test_an_archive_holds_its_owners_dms_only(tmp_path):
    [info] = read_archive(write_folder(tmp_path / "archive")).sources
    assert info.dm_accounts == {"acme_support"}


def test_an_archive_without_dm_files_holds_no_dms(tmp_path):
    files = {name: value for name, value in FILES.items() if "direct" not in name}
    [info] = read_archive(write_folder(tmp_path / "archive", files)).sources
    assert info.dm_accounts == frozenset()


def test_the_twcs_export_holds_no_dms():
    [info] = read_csv(shared("twcs", "sample.csv")).sources
    assert info.dm_accounts == frozenset()
    assert "dm" not in info.channels


def test_a_csv_mapping_can_declare_whose_dms_the_file_holds(tmp_path):
    (tmp_path / "a.csv").write_text("id,who,when,what,kind,to\n"
                                    "1,bob,2026-10-05T14:00:00Z,hi @acme_support,post,\n"
                                    "2,bob,2026-10-05T14:05:00Z,order 5,dm,acme_support\n")
    columns = "columns: {id: id, author: who, time: when, text: what, type: kind, recipients: to}\n"
    (tmp_path / "default.yaml").write_text(columns)
    (tmp_path / "declared.yaml").write_text(columns + "dms: [jdoe]\n")
    assert read_csv(tmp_path / "a.csv", tmp_path / "default.yaml").sources[0].dm_accounts == {"bob", "acme_support"}
    assert read_csv(tmp_path / "a.csv", tmp_path / "declared.yaml").sources[0].dm_accounts == {"jdoe"}


def test_whose_dms_a_source_holds_survives_the_store(tmp_path):
    store = tmp_path / "s.db"
    list(import_sources([write(tmp_path, POST, DM), shared("twcs", "sample.csv")], store))
    held = {info.kind: info.dm_accounts for info in read_store(store).sources}
    assert held == {"jsonl": {"bob", "acme_support"}, "csv": frozenset()}


def test_a_store_written_before_sources_named_dm_holders_is_read_and_upgraded(tmp_path):
    store = tmp_path / "s.db"
    list(import_sources([write(tmp_path, POST, DM)], store))
    with sqlite3.connect(store) as db:  # what a version-1 store looks like
        db.execute("ALTER TABLE sources DROP COLUMN dm_accounts")
        db.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    db.close()
    [info] = read_store(store).sources  # read-only: worked out from the source's DMs
    assert info.dm_accounts == {"bob", "acme_support"}
    with Store(store):  # opened for writing: upgraded
        pass
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("2",)
    db.close()
    assert read_store(store).sources[0].dm_accounts == {"bob", "acme_support"}


def test_a_fetch_holds_the_dms_of_the_accounts_whose_dm_endpoint_was_read(tmp_path):
    from auditor.activity.model import SourceInfo

    with Store(tmp_path / "s.db") as store:
        with store.db:
            store.register_source(SourceInfo("X API", "x-api", channels=("mention", "reply", "dm")), "x-api")
        store.set_coverage("acme_support", "dms", "ok")
        store.set_coverage("jdoe", "dms", "failed", "403: no DM permission")
        store.set_coverage("jdoe", "posts", "ok")
    [info] = read_store(tmp_path / "s.db").sources
    assert info.dm_accounts == {"acme_support"}


# -- real ids and links ------------------------------------------------------------------------


def test_a_jsonl_post_links_only_when_its_line_gives_a_url(tmp_path):
    with_url = {**POST, "id": "2", "url": "https://x.com/acme_support/status/2"}
    posts = {p.id: p for p in read_jsonl(write(tmp_path, POST, with_url)).posts}
    assert posts["1001"].link is None
    assert posts["2"].link == "https://x.com/acme_support/status/2"


def test_anonymised_twcs_ids_get_no_link():
    activity = read_csv(shared("twcs", "sample.csv"))
    assert activity.posts and all(post.link is None for post in activity.posts)


def test_archive_posts_link_to_x_through_the_store_too(tmp_path):
    archive = write_folder(tmp_path / "archive")
    [first] = [p for p in read_archive(archive).posts if p.id == "1001"]
    assert first.link == "https://x.com/acme_support/status/1001"
    list(import_sources([archive], tmp_path / "s.db"))
    [stored] = [p for p in read_store(tmp_path / "s.db").posts if p.id == "1001"]
    assert stored.link == "https://x.com/acme_support/status/1001"


def test_imported_twcs_rows_still_get_no_link_from_the_store(tmp_path):
    list(import_sources([shared("twcs", "sample.csv")], tmp_path / "s.db"))
    assert all(post.link is None for post in read_store(tmp_path / "s.db").posts)


# -- what the report says ----------------------------------------------------------------------


def test_the_report_names_audited_accounts_whose_dms_no_source_holds_and_never_customers(tmp_path):
    from tests.factories import policy, run_activity

    jsonl = read_jsonl(write(tmp_path, POST, DM))  # holds bob's and acme_support's DMs
    loaded = policy(tmp_path, [{"id": "answer", "type": "response_time", "severity": "high", "within": "4h"}])
    result = run_activity(loaded, jsonl)
    assert result.data.dms_not_held == ("jdoe", "lchen")
    [source] = result.data.sources
    assert source.dm_accounts == ("acme_support",)  # bob is a customer: not named in a report
