"""Texts scored while the data is read (auditor/texts_ahead.py): what the scan reads, and audits
that come out the same whether it scored everything, nothing or some of it."""

from __future__ import annotations

from datetime import datetime, timezone

import orjson
import pytest

from auditor import texts_ahead
from auditor.rules.base import TextsAhead
from auditor.rules.context import ScoredAhead
from tests.factories import cli_report_bytes

START = datetime(2026, 10, 1, tzinfo=timezone.utc)
END = datetime(2026, 11, 1, tzinfo=timezone.utc)


def _post(n: int, author: str, text: str, when: str = "2026-10-05T12:00:00Z", **more) -> bytes:
    return orjson.dumps({"type": "post", "id": str(n), "author": author, "created_at": when, "text": text,
                         "mentions": [], **more}) + b"\n"


def _shout(batch):
    return [key.upper() if isinstance(key, str) else (key[0].upper(), key[1]) for key in batch]


def _job(authors=("acme",)) -> TextsAhead:
    return TextsAhead(authors=frozenset(authors), key=lambda text, lang: text if lang is None else (text, lang),
                      score=_shout)


def _file(tmp_path):
    path = tmp_path / "month.jsonl"
    path.write_bytes(b"".join([
        _post(1, "acme", "first"),
        _post(2, "@ACME ", "spelled another way"),  # the reader's handle: acme
        _post(3, "bob", "a customer's post"),  # not the rule's account
        _post(4, "acme", "first"),  # the same key again: scored once
        _post(5, "acme", "bonjour", lang="fr"),  # the language the source gave is part of the key
        _post(6, "acme", "a repost", repost_of="3"),  # someone else's words: never asked about
        _post(7, "acme", "too early", when="2026-09-30T23:59:59Z"),
        _post(8, "acme", "too late", when="2026-11-01T00:00:00Z"),
        _post(9, "acme", "an offset", when="2026-10-05T12:00:00+02:00"),  # left to the workers
        b'{"type": "dm", "id": "d1", "sender": "acme", "recipients": ["bob"], "created_at": "2026-10-05T12:00:00Z", '
        b'"text": "a DM"}\n',
        b"not json\n",
        b'{"type": "post", "id": "10", "author": "acme", "created_at": "2026-10-05T12:00:00Z", "text": 5}\n',
        _post(11, "acme", "last"),
    ]))
    return path


def test_the_scan_scores_each_new_key_of_the_rules_posts_in_the_period_in_file_order(tmp_path):
    scored = texts_ahead.scan([("jsonl", _file(tmp_path))], START, END, {"tone": _job()})
    keys = ["first", "spelled another way", ("bonjour", "fr"), "last"]
    assert scored == {"tone": (keys, _shout(keys))}


def test_a_store_is_scanned_as_its_file_was(tmp_path):
    from auditor.activity.sources.jsonl import read_jsonl
    from auditor.activity.store import Store

    store = tmp_path / "activity.db"
    with Store(store) as written:
        written.add_activity(read_jsonl(_file(tmp_path)), "month.jsonl")
    [(kind, path)] = texts_ahead.readable([store])
    assert kind == "store"
    scored = texts_ahead.scan([(kind, path)], START, END, {"tone": _job()})
    keys = ["first", "spelled another way", ("bonjour", "fr"), "last", "an offset"]  # stored in UTC
    assert sorted(map(str, scored["tone"][0])) == sorted(map(str, keys))


def test_the_scan_stops_after_the_chunk_it_is_scoring_when_asked(tmp_path, monkeypatch):
    monkeypatch.setattr(texts_ahead, "CHUNK", 2)
    chunks = []
    monkeypatch.setattr(texts_ahead, "asked_to_finish", lambda: len(chunks) > 0)

    def score(batch):
        chunks.append(list(batch))
        return _shout(batch)

    job = _job()
    job = TextsAhead(job.authors, job.key, score)
    assert texts_ahead.scan([("jsonl", _file(tmp_path))], START, END, {"tone": job}) == {
        "tone": (["first", "spelled another way"], ["FIRST", "SPELLED ANOTHER WAY"])}
    assert chunks == [["first", "spelled another way"]]


def test_asked_before_it_starts_the_scan_reads_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(texts_ahead, "asked_to_finish", lambda: True)
    assert texts_ahead.scan([("jsonl", _file(tmp_path))], START, END, {"tone": _job()}) == {"tone": ([], [])}


def test_only_canonical_jsonl_files_and_stores_are_scanned(tmp_path):
    jsonl, csv = tmp_path / "a.jsonl", tmp_path / "b.csv"
    jsonl.write_bytes(_post(1, "acme", "x"))
    csv.write_text("id,text\n")
    assert texts_ahead.readable([jsonl, csv, tmp_path / "missing.jsonl", tmp_path]) == [("jsonl", jsonl)]


class _Finished:
    def __init__(self, made):
        self.made = made

    def finish(self):
        return self.made


def test_each_rule_takes_its_answers_once():
    scored = texts_ahead.finish(_Finished({"tone": (["a", "b", "c"], ["A", None, "C"])}))
    assert scored.take("tone") == {"a": "A", "b": None, "c": "C"}
    assert scored.take("tone") == {}  # taken once
    assert scored.take("another-rule") == {}


def test_a_scan_that_made_nothing_leaves_every_text_to_the_workers():
    assert texts_ahead.finish(_Finished(None)).take("tone") == {}
    assert ScoredAhead().take("tone") == {}


# -- whole audits: the report is the same whatever the scan got done -----------------------------------

def _audit_bytes(policy, data, out, monkeypatch, *, speedups_on: bool, scan_until=None) -> tuple[bytes, dict]:
    """`cli_report_bytes` with two workers, short chunks, and what the tone rule took from the scan."""
    taken: dict[str, int] = {}
    finish = texts_ahead.finish

    def counted(beside):
        scored = finish(beside)
        taken.update({rule_id: len(scored._answers.get(rule_id, {})) for rule_id in ("professional-tone",)})
        return scored

    with monkeypatch.context() as patch:
        patch.setenv("AUDITOR_JOBS", "2")
        patch.setattr(texts_ahead, "finish", counted)
        patch.setattr(texts_ahead, "CHUNK", 50)
        if scan_until is not None:  # in the scan's process too: it is forked after this
            patch.setattr(texts_ahead, "asked_to_finish", scan_until)
        report = cli_report_bytes(policy, data, out, monkeypatch, speedups_on)
    return report, taken


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    from auditor.sample.generate import write_jsonl

    path = tmp_path_factory.mktemp("month") / "generated.jsonl"
    write_jsonl(path, events=12_000)
    # Posts of the tone rule's accounts the scan reads differently from the reader or not at all: a
    # time with an offset, a handle in capitals with its "@", a language given, a shout, a repost.
    with open(path, "ab") as out:
        out.write(_post(900001, "acme_support", "WHY WOULD ANYONE EVER ASK US THAT AGAIN", "2026-10-20T12:00:00+02:00"))
        out.write(_post(900002, "@ACME_SUPPORT", "THIS IS THE WORST QUESTION WE HAVE SEEN", "2026-10-21T12:00:00Z"))
        out.write(_post(900003, "acme_support", "Das ist ein verdammter Mist", "2026-10-22T12:00:00Z", lang="de"))
        out.write(_post(900004, "acme_support", "WHAT A TERRIBLE AWFUL DAY FOR ALL OF US", "2026-10-23T12:00:00Z",
                        repost_of="900002"))
    return path


@pytest.fixture(scope="module")
def month_store(month):
    from auditor.activity.sources.jsonl import read_jsonl
    from auditor.activity.store import Store

    path = month.with_suffix(".db")
    with Store(path) as store:
        store.add_activity(read_jsonl(month), str(month))
    return path


@pytest.mark.parametrize("source", ["jsonl", "store"])
@pytest.mark.parametrize("scan_until", [lambda: False, lambda: True], ids=["scanned-whole", "asked-at-once"])
def test_the_report_is_the_same_whatever_the_scan_scored(tmp_path, monkeypatch, request, source, scan_until):
    from auditor.bundled import policies_folder

    data = request.getfixturevalue("month" if source == "jsonl" else "month_store")
    policy = policies_folder() / "example.yaml"
    plain, none_taken = _audit_bytes(policy, data, tmp_path / "plain", monkeypatch, speedups_on=False)
    fast, taken = _audit_bytes(policy, data, tmp_path / "fast", monkeypatch, speedups_on=True, scan_until=scan_until)
    assert fast == plain
    assert none_taken == {}  # no workers, no scan
    assert list(taken) == ["professional-tone"]
    if scan_until():
        assert taken["professional-tone"] == 0
    else:
        assert taken["professional-tone"] > 1000  # the month's tone texts, every one scored beside the reader
    assert b"WORST QUESTION" in fast and b"WHY WOULD ANYONE" in fast  # both shouts found, either way


def test_a_scan_that_fails_costs_only_its_head_start(tmp_path, monkeypatch, month):
    from auditor.bundled import policies_folder

    def broken(*args):
        raise RuntimeError("a bug in the scan")

    policy = policies_folder() / "example.yaml"
    plain, _ = _audit_bytes(policy, month, tmp_path / "plain", monkeypatch, speedups_on=False)
    with monkeypatch.context() as patch:
        patch.setattr(texts_ahead, "scan", broken)
        fast, taken = _audit_bytes(policy, month, tmp_path / "fast", monkeypatch, speedups_on=True)
    assert fast == plain
    assert taken == {"professional-tone": 0}
