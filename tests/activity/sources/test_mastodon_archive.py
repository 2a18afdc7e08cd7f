"""A Mastodon account archive (zip or folder) as canonical events, and the fetch's ids.

Archives are built by tests/activity/sources/mastodon_archive_builder.py in the shapes Mastodon's serializers
write, from the REST statuses of the fake instance the fetch tests use.
"""

from __future__ import annotations

import json
import tarfile
from datetime import timedelta

import pytest
import responses

from auditor.activity.sources import read_source, source_kind
from auditor.activity.ingest.importing import import_sources
from auditor.activity.sources.store_reader import read_store
from auditor.errors import DataError
from tests.activity.ingest.fake_mastodon import NOW, scenario
from tests.activity.sources.mastodon_archive_builder import PUBLIC, activity, boost, write_archive

ACME = "https://mastodon.social/users/acme"


@pytest.fixture
def masto():
    fake = scenario()
    boost(fake, "1", fake.statuses[3], NOW - timedelta(days=2))  # acme boosts erin's question
    return fake


def test_statuses_boosts_and_direct_statuses_become_posts_reposts_and_dms(masto, tmp_path):
    activity_read = read_source(write_archive(tmp_path / "archive.zip", masto, "1"))
    posts = {p.text: p for p in activity_read.posts}
    assert sorted(posts) == ["", "@dave sorry! DM us your order number", "Our autumn release is out"]
    news, answer, repost = posts["Our autumn release is out"], posts["@dave sorry! DM us your order number"], posts[""]
    assert (news.id, news.url, news.author, news.lang, news.real_id) == (
        f"{ACME}/statuses/110000000000000001", "https://mastodon.social/@acme/110000000000000001",
        "acme@mastodon.social", "en", True)
    assert (answer.in_reply_to, answer.in_reply_to_author, answer.mentions) == (
        "https://mastodon.social/users/dave/statuses/110000000000000002", "dave@mastodon.social",
        ("dave@mastodon.social",))
    assert (repost.id, repost.repost_of, repost.link) == (
        f"{ACME}/statuses/110000000000000007/activity", "https://fosstodon.org/users/erin/statuses/110000000000000004",
        f"{ACME}/statuses/110000000000000007/activity")
    [dm] = activity_read.dms
    assert (dm.id, dm.sender, dm.recipients, dm.conversation_id, dm.text, dm.platform) == (
        f"{ACME}/statuses/110000000000000006", "acme@mastodon.social", ("dave@mastodon.social",),
        "acme@mastodon.social:dave@mastodon.social", "@dave thanks, refund on its way", "mastodon")
    [info] = activity_read.sources
    assert (info.kind, info.channels, info.dm_accounts, info.events, info.skipped) == (
        "mastodon-archive", (), frozenset(), 4, 0)
    assert info.notes == [
        "a Mastodon archive holds its owner's own statuses and boosts, and the DMs they sent but not those they "
        "received: no mentions of them or replies to them by others, and nobody's DMs in full (a promise not seen "
        "kept is cannot_tell)",
        "the archive of @acme@mastodon.social"]


def _note(masto, text, visibility="public", mentions=(), **fields):
    status = masto.status("1", text, NOW - timedelta(days=1), mentions=mentions, visibility=visibility)
    item = activity(masto, status)
    item["object"].update(fields)
    return item


@pytest.mark.parametrize("visibility, to, cc, kind", [
    ("public", None, None, "post"),
    ("unlisted", None, None, "post"),
    ("private", None, None, "post"),  # followers only, mentioning dave: still a post to the followers
    ("direct", None, None, "dm"),
    ("direct", [], [], "dm"),  # a silenced account's DM to someone who does not follow it: addressed to nobody
    ("limited", [f"https://mastodon.social/users/dave"], [], "dm"),
    ("public", ["as:Public"], [], "post"),
    ("public", [f"{ACME}/followers"], [], "post"),
])
def test_a_status_addressed_neither_to_the_public_nor_to_the_followers_is_a_dm(masto, tmp_path, visibility, to, cc,
                                                                               kind):
    item = _note(masto, "hello", "direct" if visibility == "limited" else visibility, mentions=("2",))
    if to is not None:
        item["object"]["to"], item["object"]["cc"] = to, cc
    read = read_source(write_archive(tmp_path / "a.zip", masto, "1", items=[item]))
    assert (len(read.posts), len(read.dms)) == ((1, 0) if kind == "post" else (0, 1))
    if kind == "dm":
        assert read.dms[0].recipients == ("dave@mastodon.social",)


def test_mentions_are_written_as_mastodon_gives_them_and_a_content_warning_is_kept(masto, tmp_path):
    item = _note(masto, "see this", mentions=("2", "3"), summary="spoilers")
    item["object"]["tag"] += [{"type": "Hashtag", "href": "https://mastodon.social/tags/x", "name": "#x"},
                              {"type": "Mention", "href": "https://pleroma.example/users/zed"},
                              {"type": "Mention", "name": "@not a handle", "href": "https://ex.example/notes/9f"}]
    [post] = read_source(write_archive(tmp_path / "a.zip", masto, "1", items=[item])).posts
    assert post.mentions == ("dave@mastodon.social", "erin@fosstodon.org", "zed@pleroma.example")
    assert post.text == "spoilers\n\n@dave @erin see this"


def test_a_reply_in_a_thread_of_ones_own_is_answered_to_oneself(masto, tmp_path):
    first = masto.status("1", "1/ a long story", NOW - timedelta(days=1))
    masto.status("1", "2/ the end", NOW - timedelta(hours=20), reply_to=first)
    read = read_source(write_archive(tmp_path / "a.zip", masto, "1"))
    [end] = [p for p in read.posts if p.text == "2/ the end"]
    assert (end.in_reply_to, end.in_reply_to_author) == (first["uri"], "acme@mastodon.social")


def test_the_owner_comes_from_actor_json_or_the_activities(masto, tmp_path):
    assert read_source(write_archive(tmp_path / "a.zip", masto, "1", webfinger=False)).posts[0].author == \
        "acme@mastodon.social"
    folder = write_archive(tmp_path / "unpacked", masto, "1")
    (folder / "actor.json").unlink()
    read = read_source(folder)
    assert {p.author for p in read.posts} == {"acme@mastodon.social"}
    items = [activity(masto, s) for s in masto.statuses if s["account"]["id"] == "1"]
    for item in items:
        item["actor"] = "https://mastodon.social/ap/users/1"
    write_archive(tmp_path / "numeric", masto, "1", items=items)
    (tmp_path / "numeric" / "actor.json").unlink()
    with pytest.raises(DataError, match="actor.json is missing and the activities do not name their account: "
                                        "cannot tell whose archive this is"):
        read_source(tmp_path / "numeric")


def test_a_folder_a_wrapped_zip_and_a_tarball_are_recognised(masto, tmp_path):
    for path in (write_archive(tmp_path / "unpacked", masto, "1"),
                 write_archive(tmp_path / "wrapped.zip", masto, "1", folder="archive-20261020"),
                 write_archive(tmp_path / "wrapped", masto, "1", folder="archive-20261020")):
        assert source_kind(path) == "mastodon-archive", path
        assert len(read_source(path).posts) == 3, path
    with tarfile.open(tmp_path / "archive-2023.tar.gz", "w:gz") as tar:
        tar.add(tmp_path / "unpacked" / "outbox.json", "outbox.json")
    with pytest.raises(DataError, match=r"archive-2023.tar.gz: a .tar.gz archive \(Mastodon before 4.2 made these\): "
                                        r"unpack it \(tar xzf\) and give the folder holding outbox.json"):
        read_source(tmp_path / "archive-2023.tar.gz")


def test_two_outboxes_side_by_side_are_refused(masto, tmp_path):
    write_archive(tmp_path / "two", masto, "1", folder="a")
    write_archive(tmp_path / "two", masto, "1", folder="b")
    with pytest.raises(DataError, match=r"holds two outbox.json \('a/outbox.json', 'b/outbox.json'\)"):
        read_source(tmp_path / "two")


def test_bad_activities_are_skipped_with_their_position_and_why(masto, tmp_path):
    good = activity(masto, masto.statuses[0])
    items = [
        good, "a string", {"type": "Like", "actor": ACME, "object": "x"},
        {"type": "Create", "actor": ACME, "object": "https://mastodon.social/users/acme/statuses/9"},
        {**good, "object": {**good["object"], "published": "last week"}},
        {**good, "actor": "https://evil.example/users/mallory"},
        {**good, "object": {**good["object"], "id": "javascript:alert(1)"}},
        {"type": "Announce", "actor": ACME, "published": "2026-10-05T10:00:00Z", "id": f"{ACME}/statuses/9/activity"},
    ]
    read = read_source(write_archive(tmp_path / "a.zip", masto, "1", items=items))
    assert len(read.posts) == 1
    assert [(s.source, s.line, s.reason) for s in read.skipped] == [
        (f"{tmp_path / 'a.zip'}:outbox.json", 2, "an activity must be an object"),
        (f"{tmp_path / 'a.zip'}:outbox.json", 3, "a 'Like' activity is neither a status nor a boost"),
        (f"{tmp_path / 'a.zip'}:outbox.json", 4, "a Create activity without its status (a Note)"),
        (f"{tmp_path / 'a.zip'}:outbox.json", 5, "published is not an ISO 8601 time: 'last week'"),
        (f"{tmp_path / 'a.zip'}:outbox.json", 6, "an activity of another account than the archive's"),
        (f"{tmp_path / 'a.zip'}:outbox.json", 7, "object.id is not an http(s) address"),
        (f"{tmp_path / 'a.zip'}:outbox.json", 8, "missing object"),
    ]


def test_a_broken_outbox_is_one_line_with_its_position(masto, tmp_path):
    path = write_archive(tmp_path / "unpacked", masto, "1")
    text = (path / "outbox.json").read_text()
    (path / "outbox.json").write_text(text[: len(text) // 2])
    with pytest.raises(DataError, match=r"unpacked: outbox.json: not valid JSON \(line 1, column \d+\): a string is cut short"):
        read_source(path)
    (path / "outbox.json").write_text("[]")
    with pytest.raises(DataError, match=r"outbox.json: not an outbox \(line 1, column 1\): expected a JSON object"):
        read_source(path)
    (path / "outbox.json").write_text(json.dumps({"type": "OrderedCollection", "orderedItems": []}))
    assert read_source(path).posts == []
    (path / "outbox.json").unlink()
    assert source_kind(path) == "archive"  # then it is no Mastodon archive at all


def test_a_window_keeps_its_events_and_the_older_posts_replies_in_it_answer(masto, tmp_path):
    first = masto.status("1", "1/ a long story", NOW - timedelta(days=40))
    masto.status("1", "2/ the end", NOW - timedelta(hours=20), reply_to=first)
    read = read_source(write_archive(tmp_path / "a.zip", masto, "1"), window=(NOW - timedelta(days=1), NOW))
    assert sorted(p.text for p in read.posts) == ["1/ a long story", "2/ the end"]
    assert read.dms == []


def test_a_fetched_status_and_the_same_status_from_the_archive_are_one_event(masto, tmp_path):
    from tests.factories import policy
    from tests.activity.ingest.test_mastodon_fetch import ACCOUNTS, run

    loaded = policy(tmp_path, [{"id": "answer", "type": "response_time", "severity": "high", "within": "4h"}],
                    accounts=ACCOUNTS)
    store = tmp_path / "s.db"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        masto.install(mock)
        assert run(loaded, store).exit_code == 0
    fetched = read_store(store)
    own = sorted((e.id, e) for e in [*fetched.posts, *fetched.dms] if getattr(e, "author", getattr(e, "sender", None))
                 == "acme@mastodon.social")
    [result] = import_sources([write_archive(tmp_path / "archive.zip", masto, "1")], store)
    assert (result.read, result.counts.added, result.counts.updated, result.counts.unchanged) == (4, 0, 0, 4)
    archived = read_source(tmp_path / "archive.zip")
    assert sorted((e.id, e) for e in [*archived.posts, *archived.dms]) == own


def test_the_archive_holds_nobodys_dms_so_a_promise_it_does_not_see_kept_cannot_be_told(masto, tmp_path):
    from tests.factories import policy, run_activity

    promise = masto.status("1", "we'll get back to you tomorrow", NOW - timedelta(days=5), mentions=("3",))
    kept = masto.status("1", "I'll DM you the tracking link", NOW - timedelta(days=5), mentions=("2",))
    masto.status("1", "here it is: 1Z999", NOW - timedelta(days=5, hours=-1), mentions=("2",), visibility="direct")
    assert promise and kept
    loaded = policy(tmp_path, [{"id": "promises", "type": "follow_through", "severity": "critical", "within": "24h"}],
                    accounts=[{"handle": "@acme@mastodon.social", "platform": "mastodon", "kind": "brand"}])
    result = run_activity(loaded, read_source(write_archive(tmp_path / "a.zip", masto, "1")))
    assert [(f.status, f.counterpart) for f in result.findings] == [("cannot_tell", "erin@fosstodon.org")]
    [rule] = result.rules
    # kept by a DM the owner sent: the tracking link, and the scenario's "DM us your order number" (answered by DM)
    assert (rule.figures.metrics["kept"], rule.figures.metrics["broken"], rule.figures.metrics["cannot_tell"]) == (2, 0, 1)
    assert result.findings[0].message.endswith("no source holds the DMs of @acme@mastodon.social")


def test_public_addresses_are_recognised_in_every_form(masto, tmp_path):
    item = _note(masto, "hi", "direct", mentions=("2",))
    item["object"]["cc"] = [PUBLIC]
    read = read_source(write_archive(tmp_path / "a.zip", masto, "1", items=[item]))
    assert (len(read.posts), len(read.dms)) == (1, 0)  # unlisted by another server's spelling
