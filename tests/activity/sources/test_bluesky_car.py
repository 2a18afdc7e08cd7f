"""A Bluesky repository export (`.car`) as canonical events: `read_source`, `auditor import`, and the fetch's ids.

The files are built by tests/activity/sources/car_builder.py as a PDS writes them (its tree matches atproto's
interop vectors); the SDK's own CAR reader (`atproto.CAR`) reads each one too.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import libipld
import pytest
from typer.testing import CliRunner

from auditor.activity.sources import read_source, read_sources, source_kind
from auditor.activity.sources.bluesky_car import read_bluesky_car
from auditor.activity.ingest.importing import import_sources
from auditor.activity.sources.store_reader import read_store
from auditor.cli import app
from auditor.errors import DataError
from tests.activity.sources.car_builder import FAKE_CID, Repository, cid_of, varint

ACME, CAROL, ERIN = "did:plc:acme", "did:plc:carol", "did:plc:erin"
OWNER = {ACME: "acme.bsky.social"}
BSKY = "https://bsky.app/profile"


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 10, day, hour, tzinfo=timezone.utc)


@pytest.fixture
def repo() -> Repository:
    """acme's repository: a post, an answer to carol naming her, a repost, a quote, likes and follows."""
    repo = Repository(ACME)
    repo.add("app.bsky.actor.profile", {"displayName": "Acme Support"}, rkey="self")
    news = repo.post("Our autumn release is out", at(4))
    repo.post("@carol.bsky.social sorry! We'll get back to you", at(5),
              reply_to=(f"at://{CAROL}/app.bsky.feed.post/3kc", FAKE_CID), mentions={"carol.bsky.social": CAROL})
    repo.repost(f"at://{ERIN}/app.bsky.feed.post/3ke", at(6))
    repo.post("This, from our docs team", at(7), quote=f"at://{ERIN}/app.bsky.feed.post/3kq")
    repo.post("and a thread of our own", at(8), reply_to=(news, repo.cid(news)), langs=())
    repo.add("app.bsky.feed.like", {"subject": {"uri": news, "cid": repo.cid(news)}, "createdAt": "2026-10-04T13:00:00Z"})
    repo.add("app.bsky.graph.follow", {"subject": CAROL, "createdAt": "2026-10-01T00:00:00Z"})
    return repo


def by_text(activity):
    return {p.text: p for p in activity.posts}


def test_posts_replies_mentions_reposts_and_quotes_become_events(repo, tmp_path):
    path = repo.write(tmp_path / "repo.car")
    activity = read_source(path, roster_ids=OWNER)
    posts = by_text(activity)
    assert len(activity.posts) == 5  # likes, follows and the profile are not events
    answer = posts["@carol.bsky.social sorry! We'll get back to you"]
    assert (answer.author, answer.in_reply_to, answer.in_reply_to_author, answer.mentions) == (
        "acme.bsky.social", f"at://{CAROL}/app.bsky.feed.post/3kc", "carol.bsky.social", ("carol.bsky.social",))
    assert answer.conversation_id == f"at://{CAROL}/app.bsky.feed.post/3kc"
    assert answer.link == f"{BSKY}/acme.bsky.social/post/{answer.id.rsplit('/', 1)[1]}"
    assert (answer.platform, answer.lang, answer.real_id, answer.created_at) == ("bluesky", "en", True, at(5))
    news = posts["Our autumn release is out"]
    assert news.id.startswith(f"at://{ACME}/app.bsky.feed.post/") and news.conversation_id == news.id
    thread = posts["and a thread of our own"]
    assert (thread.in_reply_to, thread.in_reply_to_author, thread.lang) == (news.id, "acme.bsky.social", None)
    [repost] = [p for p in activity.posts if p.is_repost]
    assert (repost.id.split("/")[3], repost.repost_of, repost.text) == (
        "app.bsky.feed.repost", f"at://{ERIN}/app.bsky.feed.post/3ke", "")
    # erin is never written in a post: she stays her DID (a Bluesky handle), and the link opens her post
    assert repost.link == f"{BSKY}/{ERIN}/post/3ke"
    assert posts["This, from our docs team"].quote_of == f"at://{ERIN}/app.bsky.feed.post/3kq"
    [info] = activity.sources
    assert (info.kind, info.channels, info.dm_accounts, info.skipped) == ("bluesky-car", (), frozenset(), 0)
    assert info.notes == [
        "a Bluesky repository export holds its owner's own posts and reposts: no mentions of them or replies to them "
        "by others, and no DMs (chats are not part of a repository)",
        "the repository of did:plc:acme is @acme.bsky.social's"]


def test_the_sdks_own_car_reader_reads_the_fixture(repo, tmp_path):
    from atproto import CAR

    data = repo.export()
    car = CAR.from_bytes(data)
    root, blocks = repo.blocks()
    assert str(car.root) == str(CAR.from_bytes(data).root)
    assert car.blocks[car.root]["did"] == ACME
    assert len(car.blocks) == len(blocks)


def test_an_owner_nobody_names_is_refused_with_the_way_to_name_it(repo, tmp_path):
    path = repo.write(tmp_path / "repo.car")
    with pytest.raises(DataError) as caught:
        read_source(path)
    assert str(caught.value) == (
        f"{path}: a Bluesky repository names its owner only by DID: whose is did:plc:acme (Acme Support)? Give "
        "the roster account `did: did:plc:acme`, or import it with --did did:plc:acme=HANDLE")


def test_a_did_given_for_someone_else_names_them_and_wins_over_the_text(repo, tmp_path):
    path = repo.write(tmp_path / "repo.car")
    activity = read_bluesky_car(path, handles={**OWNER, ERIN: "erin.example.com", CAROL: "carol.example.com"})
    [repost] = [p for p in activity.posts if p.is_repost]
    assert repost.link == f"{BSKY}/erin.example.com/post/3ke"
    answer = by_text(activity)["@carol.bsky.social sorry! We'll get back to you"]
    assert (answer.in_reply_to_author, answer.mentions) == ("carol.example.com", ("carol.example.com",))


def test_a_changed_handle_is_the_one_the_latest_post_wrote(tmp_path):
    repo = Repository(ACME)
    repo.post("@carol.old.social hi", at(2), mentions={"carol.old.social": CAROL})
    repo.post("@carol.new.social hello again", at(9), mentions={"carol.new.social": CAROL})
    repo.post("@carol.old.social replying late", at(5), reply_to=(f"at://{CAROL}/app.bsky.feed.post/1", FAKE_CID))
    activity = read_bluesky_car(repo.write(tmp_path / "r.car"), handles=OWNER)
    assert {p.text: (p.in_reply_to_author, p.mentions) for p in activity.posts} == {
        "@carol.old.social hi": (None, ("carol.new.social",)),
        "@carol.new.social hello again": (None, ("carol.new.social",)),
        "@carol.old.social replying late": ("carol.new.social", ()),  # no facet: the text alone names nobody
    }


def test_a_window_keeps_its_events_and_the_older_posts_replies_in_it_answer(repo, tmp_path):
    path = repo.write(tmp_path / "repo.car")
    activity = read_source(path, roster_ids=OWNER, window=(at(6), at(9)))
    assert sorted(p.text for p in activity.posts) == [
        "", "Our autumn release is out", "This, from our docs team", "and a thread of our own"]
    assert activity.sources[0].events == 4


def test_a_record_that_does_not_fit_the_sdks_model_is_skipped_with_its_key(tmp_path):
    repo = Repository(ACME)
    repo.post("fine", at(3))
    repo.records["app.bsky.feed.post/3lbad"] = {"$type": "app.bsky.feed.post", "text": 5, "createdAt": "2026-10-03T00:00:00Z"}
    repo.records["app.bsky.feed.post/3lnotime"] = {"$type": "app.bsky.feed.post", "text": "x", "createdAt": "yesterday"}
    repo.records["app.bsky.feed.post/3lwrong"] = {"$type": "app.bsky.feed.like", "subject": {"uri": "at://x", "cid": FAKE_CID},
                                                  "createdAt": "2026-10-03T00:00:00Z"}
    repo.records["app.bsky.feed.repost/3lrp"] = {"$type": "app.bsky.feed.repost", "createdAt": "2026-10-03T00:00:00Z",
                                                 "subject": {"uri": "https://evil.example/x", "cid": FAKE_CID}}
    activity = read_bluesky_car(repo.write(tmp_path / "r.car"), handles=OWNER)
    assert [p.text for p in activity.posts] == ["fine"]
    assert [(s.source, s.line, s.reason) for s in activity.skipped] == [
        (str(tmp_path / "r.car"), 2, "app.bsky.feed.post/3lbad: text: Input should be a valid string"),
        (str(tmp_path / "r.car"), 3, "app.bsky.feed.post/3lnotime: createdAt is not an ISO 8601 time: 'yesterday'"),
        (str(tmp_path / "r.car"), 4, "app.bsky.feed.post/3lwrong: its $type is 'app.bsky.feed.like', not "
                                     "app.bsky.feed.post"),
        (str(tmp_path / "r.car"), 5, "app.bsky.feed.repost/3lrp: subject.uri is not an at:// uri"),
    ]
    assert activity.sources[0].skipped == 4


def test_a_missing_or_damaged_record_block_is_skipped_with_its_key(tmp_path):
    repo = Repository(ACME)
    keys = [repo.post(f"post {day}", at(day)).split("/", 3)[3] for day in range(1, 21)]
    first, second = (cid_of(libipld.encode_dag_cbor(repo.records[key])) for key in keys[:2])
    _, blocks = repo.blocks()
    path = repo.write(tmp_path / "r.car", drop=(first,), replace={second: blocks[second].replace(b"post", b"p0st")})
    activity = read_bluesky_car(path, handles=OWNER)
    assert [(s.line, s.reason) for s in activity.skipped] == [
        (1, f"{keys[0]}: its block is not in the file"),
        (2, f"{keys[1]}: its block does not match its CID (damaged)")]
    assert len(activity.posts) == 18


def test_a_missing_branch_of_the_tree_is_noted(tmp_path):
    repo = Repository(ACME)
    for day in range(1, 21):
        repo.post(f"post {day}", at(day))
    root, blocks = repo.blocks()
    top = libipld.decode_dag_cbor(blocks[root])["data"]
    branch = next(cid for cid, block in blocks.items() if block[:3] == b"\xa2ae" and cid != top)
    activity = read_bluesky_car(repo.write(tmp_path / "r.car", drop=(branch,)), handles=OWNER)
    assert activity.sources[0].notes[-1] == ("1 parts of the repository's tree are not in the file (a partial "
                                             "export): the records under them are not read")
    assert 0 < len(activity.posts) < 20
    with pytest.raises(DataError, match="the repository's records tree is not in the file"):
        read_bluesky_car(repo.write(tmp_path / "r.car", drop=(top,)), handles=OWNER)


@pytest.mark.parametrize("name, data, message", [
    ("empty.car", b"", "empty: not a repository export (a .car file)"),
    ("text.car", b'{"type": "post"}\n', "not a repository export (a .car file): it ends before its header does"),
    ("cbor.car", b"\x03\x82\x01\x02junk", "not a repository export (a .car file): no CAR header"),
    ("bad.car", b"\x02\xff\xff", "not a repository export (a .car file): its header is not DAG-CBOR"),
    ("v2.car", bytes.fromhex("0aa16776657273696f6e02") + b"\x00" * 40,
     "a CAR version 2 file: export the repository again as a plain .car"),
])
def test_a_file_that_is_not_a_repository_export_is_one_line(tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(DataError) as caught:
        read_source(tmp_path / name, roster_ids=OWNER)
    assert str(caught.value).startswith(f"{tmp_path / name}: {message}")
    assert len(str(caught.value).splitlines()) == 1


def test_a_file_cut_short_names_the_section(repo, tmp_path):
    data = repo.export()
    (tmp_path / "cut.car").write_bytes(data[:-10])
    with pytest.raises(DataError, match=r"cut.car: byte [\d,]+: the file ends inside section 12 \(\d+ bytes announced\)"):
        read_source(tmp_path / "cut.car", roster_ids=OWNER)


def test_a_car_is_found_by_its_suffix_or_its_header(repo, tmp_path):
    repo.write(tmp_path / "export")  # no suffix: the header says it
    assert source_kind(tmp_path / "export") == "bluesky-car"
    assert source_kind(repo.write(tmp_path / "repo.CAR")) == "bluesky-car"
    (tmp_path / "a.jsonl").write_text('{"type": "post"}\n')
    assert source_kind(tmp_path / "a.jsonl") == "jsonl"
    assert len(read_source(tmp_path / "export", roster_ids=OWNER).posts) == 5


def test_import_names_the_owner_with_did_and_links_other_sources(repo, tmp_path):
    path = repo.write(tmp_path / "repo.car")
    store = tmp_path / "s.db"
    runner = CliRunner()
    refused = runner.invoke(app, ["import", str(path), "--store", str(store)])
    assert refused.exit_code == 2
    assert refused.output.strip().splitlines() == [
        f"{path}: a Bluesky repository names its owner only by DID: whose is did:plc:acme (Acme Support)? "
        "Give the roster account `did: did:plc:acme`, or import it with --did did:plc:acme=HANDLE"]
    bad = runner.invoke(app, ["import", str(path), "--store", str(store), "--did", "acme.bsky.social"])
    assert bad.exit_code == 2
    assert "--did 'acme.bsky.social': expected DID=HANDLE" in bad.output
    done = runner.invoke(app, ["import", str(path), "--store", str(store), "--did", "did:plc:acme=@Acme.bsky.social"])
    assert done.exit_code == 0, done.output
    assert f"{path} (bluesky-car): 5 events read, 0 skipped; store: 5 new, 0 updated, 0 already there" in done.output
    # the store now knows whose DID it is: the next export needs no --did
    again = runner.invoke(app, ["import", str(path), "--store", str(store)])
    assert again.exit_code == 0, again.output
    assert "store: 0 new, 0 updated, 5 already there" in again.output
    assert {p.author for p in read_store(store).posts} == {"acme.bsky.social"}


def test_the_roster_did_names_the_owner_for_audit(repo, tmp_path):
    path = repo.write(tmp_path / "repo.car")
    (tmp_path / "policy.yaml").write_text(
        "name: P\ntimezone: UTC\naccounts:\n  - {handle: acme.bsky.social, platform: bluesky, did: 'did:plc:acme', "
        "kind: brand}\nrules:\n  - {id: tone, type: tone, severity: medium, checks: {banned: ['get back to you']}}\n")
    result = CliRunner().invoke(app, ["audit", "--policy", str(tmp_path / "policy.yaml"), "--data", str(path),
                                      "--period", "2026-10", "--format", "json", "--out", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    import json

    report = json.loads((tmp_path / "r.json").read_text())
    assert [(f["rule"], f["account"], f["platform"]) for f in report["findings"]] == [
        ("tone", "acme.bsky.social", "bluesky")]


def test_a_fetched_post_and_the_same_post_from_an_export_are_one_event(tmp_path):
    """The fetcher's mapping and the export's agree field by field on the account's own posts."""
    from tests.activity.ingest.fake_bluesky import scenario
    from tests.activity.ingest.test_bluesky_fetch import ACCOUNTS, run
    from tests.factories import policy

    sky = scenario()
    loaded = policy(tmp_path, [{"id": "answer", "type": "response_time", "severity": "high", "within": "4h"}],
                    accounts=ACCOUNTS)
    store = tmp_path / "s.db"
    run(loaded, store, sky)
    repo = Repository(ACME)
    for view in sky.posts:
        if view["author"]["did"] == ACME:
            repo.add("app.bsky.feed.post", {k: v for k, v in view["record"].items() if k != "$type"},
                     rkey=view["uri"].rsplit("/", 1)[1])
    fetched = {p.id: p for p in read_store(store).posts if p.author == "acme.bsky.social"}
    [result] = import_sources([repo.write(tmp_path / "repo.car")], store)  # no --did: the store knows acme
    assert (result.counts.added, result.counts.updated, result.counts.unchanged) == (0, 0, 2)
    exported = {p.id: p for p in read_bluesky_car(tmp_path / "repo.car", handles={ACME: "acme.bsky.social",
                                                                                     CAROL: "carol.bsky.social"}).posts}
    assert exported == fetched


def test_a_did_one_source_leaves_is_named_by_the_handle_another_gives(tmp_path):
    import json

    repo = Repository(ACME)
    repo.post("sorry, fixing it now", at(5, 14), reply_to=(f"at://{CAROL}/app.bsky.feed.post/3kc", FAKE_CID))
    (tmp_path / "carol.jsonl").write_text(json.dumps({
        "type": "post", "id": f"at://{CAROL}/app.bsky.feed.post/3kc", "author": "carol.bsky.social",
        "platform": "bluesky", "created_at": "2026-10-05T12:00:00Z", "text": "@acme.bsky.social it broke",
        "mentions": ["acme.bsky.social"]}) + "\n")
    activity = read_sources([repo.write(tmp_path / "repo.car"), tmp_path / "carol.jsonl"], roster_ids=OWNER)
    [answer] = [p for p in activity.posts if p.author == "acme.bsky.social"]
    assert answer.in_reply_to_author == "carol.bsky.social"
    alone = read_source(tmp_path / "repo.car", roster_ids=OWNER)
    assert alone.posts[0].in_reply_to_author == CAROL


def test_a_forged_block_under_a_records_cid_is_not_read(tmp_path):
    """A block whose bytes do not hash to its CID is not what the repository signed: it is skipped."""
    repo = Repository(ACME)
    uri = repo.post("we never said this", at(5))
    root, blocks = repo.blocks()
    cid = next(c for c, b in blocks.items() if b"we never said this" in b)
    forged = blocks[cid].replace(b"we never said this", b"we always said it!")
    assert hashlib.sha256(forged).digest() != cid[4:]
    activity = read_bluesky_car(repo.write(tmp_path / "r.car", replace={cid: forged}), handles=OWNER)
    assert activity.posts == []
    assert [s.reason for s in activity.skipped] == [
        f"{uri.split('/', 3)[3]}: its block does not match its CID (damaged)"]


def test_extra_blocks_and_a_section_with_an_unknown_cid_are_left_alone(repo, tmp_path):
    repo.extra_blocks.append((bytes([1, 0x55, 0x12, 0x20]) + b"\x00" * 32, b"raw blob bytes"))
    assert len(read_bluesky_car(repo.write(tmp_path / "r.car"), handles=OWNER).posts) == 5
    data = repo.export() + varint(3) + b"\x02\x00\x00"
    (tmp_path / "bad.car").write_bytes(data)
    with pytest.raises(DataError, match=r"section \d+ \(byte [\d,]+\): its CID cannot be read"):
        read_bluesky_car(tmp_path / "bad.car", handles=OWNER)


def test_the_roster_maps_dids_given_and_accounts_named_by_their_did(tmp_path):
    from tests.factories import policy

    loaded = policy(tmp_path, [], accounts=[
        {"handle": "acme.bsky.social", "platform": "bluesky", "did": "DID:PLC:ACME"},
        {"handle": "did:plc:jdoe", "platform": "bluesky"},
        {"handle": "acme_support"}])
    assert loaded.policy.roster_dids == {"did:plc:acme": "acme.bsky.social", "did:plc:jdoe": "did:plc:jdoe"}


@pytest.mark.parametrize("embed, quoted", [
    ({"$type": "app.bsky.embed.record", "record": {"uri": f"at://{ERIN}/app.bsky.feed.post/3kq", "cid": FAKE_CID}},
     f"at://{ERIN}/app.bsky.feed.post/3kq"),
    ({"$type": "app.bsky.embed.recordWithMedia",
      "record": {"$type": "app.bsky.embed.record", "record": {"uri": f"at://{ERIN}/app.bsky.feed.post/3km", "cid": FAKE_CID}},
      "media": {"$type": "app.bsky.embed.external", "external": {"uri": "https://example.com", "title": "t",
                                                                  "description": "d"}}},
     f"at://{ERIN}/app.bsky.feed.post/3km"),
    ({"$type": "app.bsky.embed.record", "record": {"uri": f"at://{ERIN}/app.bsky.feed.generator/news", "cid": FAKE_CID}},
     None),  # a feed shared is no quoted post
])
def test_the_fetch_and_the_export_read_a_quote_alike(tmp_path, embed, quoted):
    from atproto_client import models

    from auditor.activity.ingest.bluesky_api import BlueskyAdapter
    from tests.activity.ingest.test_bluesky_fetch import ENV

    repo = Repository(ACME)
    uri = repo.add("app.bsky.feed.post", {"text": "look", "createdAt": "2026-10-05T12:00:00.000Z", "embed": embed})
    [exported] = read_bluesky_car(repo.write(tmp_path / "r.car"), handles=OWNER).posts
    adapter = BlueskyAdapter([], env=ENV, client_factory=lambda service: None)
    adapter.handles[ACME] = "acme.bsky.social"
    fetched = adapter.record_post(uri, ACME, models.AppBskyFeedPost.Record.model_validate(repo.records[uri.split("/", 3)[3]]))
    assert exported.quote_of == fetched.quote_of == quoted
    assert exported == fetched
