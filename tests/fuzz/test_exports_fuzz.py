"""Broken Bluesky repository exports and Mastodon archives through `read_source`, as users reach them.

Arbitrary bytes, valid files with bytes overwritten or cut off, and valid files whose records hold
hostile values: a bad record is skipped with its position and a one-line reason, a file that cannot be
read at all is a `DataError`, nothing else escapes, and the good records are still read. Reading a
file a few bytes at a time gives what reading it whole gives.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime, timezone

from hypothesis import example, given
from hypothesis import strategies as st

from auditor.activity.model import Activity
from auditor.activity.sources import archive_records, car_blocks, read_source
from auditor.errors import DataError
from tests.fuzz.support import budget, messy_scalar, messy_text, scratch
from tests.fuzz.test_readers_fuzz import SLOW_OK, outcome, small_chunks
from tests.activity.sources.car_builder import FAKE_CID, Repository
from tests.activity.ingest.fake_mastodon import FakeMastodon
from tests.activity.sources.mastodon_archive_builder import activity, write_archive

OWNER = {"did:plc:acme": "acme.bsky.social"}
WHEN = datetime(2026, 10, 5, 14, tzinfo=timezone.utc)


def good_repo() -> Repository:
    repo = Repository("did:plc:acme")
    repo.add("app.bsky.actor.profile", {"displayName": "Acme"}, rkey="self")
    repo.post("@carol.bsky.social sorry!", WHEN, reply_to=("at://did:plc:carol/app.bsky.feed.post/3k", FAKE_CID),
              mentions={"carol.bsky.social": "did:plc:carol"})
    repo.repost("at://did:plc:erin/app.bsky.feed.post/3e", WHEN)
    return repo


GOOD_CAR = good_repo().export()


def read_car(data: bytes) -> Activity | DataError:
    with scratch() as folder:
        path = folder / "repo.car"
        path.write_bytes(data)
        return outcome(path, roster_ids=OWNER)


@budget(80, suppress_health_check=SLOW_OK)
@given(st.binary(max_size=300))
@example(GOOD_CAR[:40])
@example(b"\x3a" + GOOD_CAR[1:])  # a header length that cuts its map short
@example(b"\xff" * 12)  # a length that never ends
def test_car_arbitrary_bytes(data):
    read_car(data)


@st.composite
def damaged(draw, good: bytes) -> bytes:
    """`good` with a few bytes overwritten, and perhaps cut off."""
    data = bytearray(good)
    for _ in range(draw(st.integers(1, 6))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


@budget(80, suppress_health_check=SLOW_OK)
@given(damaged(GOOD_CAR))
def test_car_with_bytes_overwritten_or_cut(data):
    read_car(data)


FIELDS = ("text", "createdAt", "reply", "facets", "embed", "langs", "subject", "$type")


@st.composite
def hostile_record(draw) -> dict:
    """A post or repost whose fields hold anything: scalars, lists, maps, wrong types, odd times."""
    record = {"$type": draw(st.sampled_from(["app.bsky.feed.post", "app.bsky.feed.repost"])),
              "text": "hi", "createdAt": "2026-10-05T14:00:00Z"}
    for name in draw(st.lists(st.sampled_from(FIELDS), max_size=4)):
        record[name] = draw(st.one_of(messy_scalar(), st.lists(messy_scalar(), max_size=3),
                                      st.dictionaries(st.sampled_from(["uri", "cid", "parent", "root", "did",
                                                                       "index", "features", "$type", "record"]),
                                                      messy_scalar(), max_size=3)))
    if draw(st.booleans()):
        record["facets"] = [{"index": {"byteStart": draw(st.integers(-5, 40)), "byteEnd": draw(st.integers(-5, 40))},
                             "features": [{"$type": "app.bsky.richtext.facet#mention", "did": draw(messy_text())}]}]
    return record


@budget(60, suppress_health_check=SLOW_OK)
@given(st.lists(hostile_record(), max_size=6), st.lists(messy_text(12), max_size=6))
@example([{"$type": "app.bsky.feed.post", "text": "x", "createdAt": "0001-01-01T00:00:00+01:00"}], ["3l1"])
@example([{"$type": "app.bsky.feed.post", "text": "é", "createdAt": "2026-10-05T14:00:00Z",
           "facets": [{"index": {"byteStart": 1, "byteEnd": 2}, "features": [
               {"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:x"}]}]}], [".."])
def test_car_records_with_hostile_values_are_skipped_and_the_good_ones_read(records, keys):
    repo = good_repo()
    for n, record in enumerate(records):
        rkey = keys[n] if n < len(keys) and keys[n] else f"3x{n}"
        if "/" in rkey or not rkey.isascii():
            rkey = f"3x{n}"
        collection = record["$type"] if record.get("$type") in ("app.bsky.feed.post", "app.bsky.feed.repost") \
            else "app.bsky.feed.post"
        repo.records[f"{collection}/{rkey}"] = record
    try:
        data = repo.export()
    except (ValueError, OverflowError, TypeError):
        return  # libipld cannot encode it (a float NaN, an integer past 64 bits): no file to read
    result = read_car(data)
    assert isinstance(result, Activity), result
    assert {p.text for p in result.posts} >= {"@carol.bsky.social sorry!"}


def test_a_car_read_a_few_bytes_at_a_time_is_read_as_whole(monkeypatch):
    whole = read_car(GOOD_CAR)
    for size in (1, 2, 3, 7, 64):
        monkeypatch.setattr(car_blocks, "CHUNK", size)
        assert read_car(GOOD_CAR).posts == whole.posts


# -- Mastodon archives -----------------------------------------------------------------------------


def fake_instance() -> FakeMastodon:
    fake = FakeMastodon()
    fake.add_account("1", "acme")
    fake.add_account("2", "dave")
    fake.status("1", "hello there", WHEN)
    fake.status("1", "order 5531 is on its way", WHEN, mentions=("2",), visibility="direct")
    return fake


FAKE = fake_instance()
GOOD_ITEMS = [activity(FAKE, s) for s in FAKE.statuses]


def read_archive_of(items: list, how: str = "zip") -> Activity | DataError:
    with scratch() as folder:
        return outcome(write_archive(folder / ("a.zip" if how == "zip" else "a"), FAKE, "1", items=items))


@st.composite
def hostile_activity(draw) -> object:
    base = json.loads(json.dumps(draw(st.sampled_from(GOOD_ITEMS))))
    target = base if draw(st.booleans()) else base["object"]
    for name in draw(st.lists(st.sampled_from(["id", "type", "actor", "published", "object", "to", "cc", "url",
                                               "inReplyTo", "content", "contentMap", "summary", "tag", "attachment",
                                               "quote"]), max_size=4)):
        target[name] = draw(st.one_of(messy_scalar(), st.lists(messy_scalar(), max_size=3),
                                      st.dictionaries(st.sampled_from(["id", "type", "name", "href"]), messy_scalar(),
                                                      max_size=3)))
    return draw(st.one_of(st.just(base), messy_scalar()))


@budget(60, suppress_health_check=SLOW_OK)
@given(st.lists(hostile_activity(), max_size=6))
@example([{"type": "Create", "actor": "https://mastodon.social/users/acme", "object": {
    "type": "Note", "id": "https://mastodon.social/users/acme/statuses/9", "published": "0001-01-01T00:00:00+01:00"}}])
def test_outbox_activities_with_hostile_values_are_skipped_and_the_good_ones_read(items):
    result = read_archive_of([*GOOD_ITEMS, *items])
    assert isinstance(result, Activity), result
    assert {"hello there"} <= {p.text for p in result.posts}


@budget(60, suppress_health_check=SLOW_OK)
@given(st.binary(max_size=300))
@example(b'{"orderedItems": [')
@example(b'{"orderedItems": "x"}')
@example(b'{"a": {"b": [1, 2, {"c": "]"}]}, "orderedItems": [{}, 1, "x", null]}')
def test_outbox_arbitrary_bytes(data):
    with scratch() as folder:
        path = write_archive(folder / "a", FAKE, "1")
        (path / "outbox.json").write_bytes(data)
        outcome(path)


def _archive_zip() -> bytes:
    with scratch() as folder:
        return write_archive(folder / "a.zip", FAKE, "1").read_bytes()


@budget(60, suppress_health_check=SLOW_OK)
@given(damaged(_archive_zip()))
def test_a_damaged_archive_zip(data):
    with scratch() as folder:
        path = folder / "archive.zip"
        path.write_bytes(data)
        outcome(path)


def test_an_outbox_read_a_few_bytes_at_a_time_is_read_as_whole():
    whole = read_archive_of(GOOD_ITEMS, "folder")
    for size in (1, 2, 5, 13):
        with small_chunks(size):
            assert read_archive_of(GOOD_ITEMS, "folder").posts == whole.posts
    assert archive_records.CHUNK == 1 << 20


def test_an_outbox_in_a_zip_written_as_one_line_with_context_last_is_read():
    out = io.BytesIO()
    body = '{"id":"outbox.json","type":"OrderedCollection","totalItems":2,"orderedItems":' + json.dumps(GOOD_ITEMS) + \
           ',"@context":["https://www.w3.org/ns/activitystreams"]}'
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("outbox.json", body)
        archive.writestr("actor.json", json.dumps({"id": "https://mastodon.social/users/acme",
                                                   "preferredUsername": "acme"}))
    with scratch() as folder:
        (folder / "a.zip").write_bytes(out.getvalue())
        result = outcome(folder / "a.zip")
    assert ([p.text for p in result.posts], len(result.dms)) == (["hello there"], 1)
