"""A post's language (`lang`) as each source gives it, kept through the store."""

from __future__ import annotations

from collections import Counter

import orjson
import pytest

from auditor.activity.events import _canonical_post, _checked_post, event_to_dict, parse_event
from auditor.activity.sources import read_source
from auditor.activity.sources.archive import read_archive
from auditor.activity.ingest.importing import import_sources
from auditor.activity.sources.store_reader import read_store
from tests.shared_data import shared

LINE = {"type": "post", "id": "1", "author": "jdoe", "created_at": "2026-10-05T14:02:00Z",
        "text": "Dupliqué sin darme cuenta una tabla", "mentions": []}


@pytest.mark.parametrize("reader", [_canonical_post, _checked_post], ids=["fast path", "checked path"])
def test_jsonl_lang_is_read_by_both_paths(reader):
    assert reader({**LINE, "lang": "es"}).lang == "es"
    assert reader(LINE).lang is None
    assert reader({**LINE, "lang": ""}).lang is None


def test_a_lang_that_is_not_a_string_is_a_bad_line():
    with pytest.raises(ValueError, match="lang must be a string"):
        parse_event({**LINE, "lang": ["es"]})


def test_event_to_dict_writes_lang_only_when_known_and_reads_back():
    with_lang = parse_event({**LINE, "lang": "pt-BR"})
    assert event_to_dict(with_lang)["lang"] == "pt-BR"
    assert parse_event(event_to_dict(with_lang)) == with_lang
    without = parse_event(LINE)
    assert "lang" not in event_to_dict(without)


def test_the_store_keeps_lang(tmp_path):
    data = tmp_path / "events.jsonl"
    data.write_bytes(b"\n".join(orjson.dumps(line) for line in (
        {**LINE, "lang": "es"},
        {**LINE, "id": "2", "text": "Thanks, on it!", "lang": "en"},
        {**LINE, "id": "3", "text": "no language given"},
    )) + b"\n")
    list(import_sources([data], tmp_path / "store.db"))
    langs = {post.id: post.lang for post in read_store(tmp_path / "store.db").posts}
    assert langs == {"1": "es", "2": "en", "3": None}


def test_the_archive_gives_each_tweet_xs_lang():
    activity = read_archive(shared("x-archive", "alrocar"))
    langs = Counter(post.lang for post in activity.posts)
    assert langs["es"] > 500 and langs["en"] > 100  # X tagged this bilingual owner's tweets
    assert langs["und"] > 0 and None not in langs


def test_a_csv_mapping_can_name_the_lang_column(tmp_path):
    (tmp_path / "map.yaml").write_text(
        "columns: {id: id, author: who, time: when, text: text, lang: language}\n", encoding="utf-8")
    (tmp_path / "posts.csv").write_text(
        "id,who,when,text,language\n"
        "1,jdoe,2026-10-05T10:00:00Z,Vielen Dank für Ihre Geduld,de\n"
        "2,jdoe,2026-10-05T11:00:00Z,Thanks for waiting,\n", encoding="utf-8")
    activity = read_source(tmp_path / "posts.csv", mapping=tmp_path / "map.yaml")
    assert [(p.id, p.lang) for p in activity.posts] == [("1", "de"), ("2", None)]
