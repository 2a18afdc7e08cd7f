"""Hostile Bluesky repository exports and Mastodon archives: refused in one line or read safely, within bounds.

A file from outside is attacker-controlled: lengths that lie, blocks that do not match their CIDs, a tree
that names one branch twice or runs deep, keys that would climb out of a link, names that carry terminal
escapes, zip bombs, and records past the caps. Memory follows what is kept, not the file's size.
"""

from __future__ import annotations

import json
import tracemalloc
import zipfile
from datetime import datetime, timezone

import libipld
import pytest
from typer.testing import CliRunner

from auditor.activity.sources import archive_records, car_blocks, read_source
from auditor.activity.sources.bluesky_car import read_bluesky_car
from auditor.cli import app
from auditor.errors import DataError
from tests.activity.sources.car_builder import FAKE_CID, Repository, cid_of, varint
from tests.activity.ingest.fake_mastodon import FakeMastodon
from tests.activity.sources.mastodon_archive_builder import CONTEXT, activity, write_archive

OWNER = {"did:plc:acme": "acme.bsky.social"}
WHEN = datetime(2026, 10, 5, 14, tzinfo=timezone.utc)
runner = CliRunner()


def traced(read):
    """What `read()` returns, and the peak of memory Python allocated meanwhile."""
    tracemalloc.start()
    try:
        found = read()
        return found, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def car_file(root: bytes, blocks: dict[bytes, bytes]) -> bytes:
    header = libipld.encode_dag_cbor({"version": 1, "roots": [root]})
    out = bytearray(varint(len(header)) + header)
    for cid, block in blocks.items():
        out += varint(len(cid) + len(block)) + cid + block
    return bytes(out)


def block(value) -> tuple[bytes, bytes]:
    data = libipld.encode_dag_cbor(value)
    return cid_of(data), data


def commit(data_cid: bytes) -> tuple[bytes, bytes]:
    return block({"did": "did:plc:acme", "version": 3, "data": data_cid, "rev": "3l", "prev": None,
                  "sig": b"\x00" * 64})


POST = {"$type": "app.bsky.feed.post", "text": "hello", "createdAt": "2026-10-05T14:00:00Z"}


def test_a_section_announcing_gigabytes_is_refused_before_reading(tmp_path):
    data = Repository("did:plc:acme").export() + varint(3 << 30) + b"\x01\x71"
    (tmp_path / "r.car").write_bytes(data)
    with pytest.raises(DataError, match=r"r.car: section 3 \(byte [\d,]+\): a section of 3,221,225,472 bytes, more "
                                        r"than any repository block \(4,194,304\): refusing"):
        read_source(tmp_path / "r.car", roster_ids=OWNER)


def test_a_file_past_the_cap_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(car_blocks, "MAX_FILE_BYTES", 100)
    (tmp_path / "r.car").write_bytes(Repository("did:plc:acme").export() + b"\x00" * 200)
    with pytest.raises(DataError, match=r"r.car: [\d,]+ bytes, more than the 100 read from a repository export"):
        read_source(tmp_path / "r.car", roster_ids=OWNER)


def test_a_branch_named_twice_is_read_once_and_a_deep_tree_needs_no_recursion(tmp_path):
    record_cid, record = block(POST)
    leaf_cid, leaf = block({"l": None, "e": [{"p": 0, "k": b"app.bsky.feed.post/3a", "v": record_cid, "t": None}]})
    # the same branch on the left and to the right of an entry: a forged tree, not a repository's
    top_cid, top = block({"l": leaf_cid, "e": [{"p": 0, "k": b"app.bsky.feed.post/3b", "v": record_cid, "t": leaf_cid}]})
    root, signed = commit(top_cid)
    (tmp_path / "twice.car").write_bytes(car_file(root, {root: signed, top_cid: top, leaf_cid: leaf, record_cid: record}))
    activity_read = read_bluesky_car(tmp_path / "twice.car", handles=OWNER)
    assert sorted(p.id.rsplit("/", 1)[1] for p in activity_read.posts) == ["3a", "3b"]
    # 20,000 nodes, each the only child of the one above
    blocks: dict[bytes, bytes] = {record_cid: record}
    below = None
    for depth in range(20_000):
        below, data = block({"l": below, "e": [] if depth else [{"p": 0, "k": b"app.bsky.feed.post/3c",
                                                                 "v": record_cid, "t": None}]})
        blocks[below] = data
    root, signed = commit(below)
    (tmp_path / "deep.car").write_bytes(car_file(root, {root: signed, **blocks}))
    assert [p.text for p in read_bluesky_car(tmp_path / "deep.car", handles=OWNER).posts] == ["hello"]


@pytest.mark.parametrize("key, why", [
    (b"app.bsky.feed.post/../../evil", "its record key is not one a repository may hold"),
    (b"app.bsky.feed.post/a?b=1#x", "its record key is not one a repository may hold"),
    (b"app.bsky.feed.post/..", "its record key is not one a repository may hold"),
])
def test_a_record_key_that_would_change_the_link_is_skipped(tmp_path, key, why):
    record_cid, record = block(POST)
    node_cid, node = block({"l": None, "e": [{"p": 0, "k": key, "v": record_cid, "t": None}]})
    root, signed = commit(node_cid)
    (tmp_path / "r.car").write_bytes(car_file(root, {root: signed, node_cid: node, record_cid: record}))
    activity_read = read_bluesky_car(tmp_path / "r.car", handles=OWNER)
    assert activity_read.posts == []
    assert [s.reason for s in activity_read.skipped] == [f"{key.decode()}: {why}"]


def test_a_key_that_is_not_text_or_a_node_that_lies_is_one_line(tmp_path):
    record_cid, record = block(POST)
    for entry, message in (({"p": 0, "k": b"app.bsky.feed.post/\xff", "v": record_cid, "t": None},
                             "a key of the repository's tree is not text"),
                           ({"p": 9, "k": b"x", "v": record_cid, "t": None}, "an entry of the repository's tree is "
                                                                             "malformed")):
        node_cid, node = block({"l": None, "e": [entry]})
        root, signed = commit(node_cid)
        (tmp_path / "r.car").write_bytes(car_file(root, {root: signed, node_cid: node, record_cid: record}))
        with pytest.raises(DataError, match=message):
            read_bluesky_car(tmp_path / "r.car", handles=OWNER)


def test_terminal_escapes_in_a_display_name_never_reach_the_terminal(tmp_path):
    repo = Repository("did:plc:acme")
    repo.add("app.bsky.actor.profile", {"displayName": "\x1b]0;pwned\x07\x1b[2J Acme"}, rkey="self")
    repo.post("hi", WHEN)
    result = runner.invoke(app, ["import", str(repo.write(tmp_path / "r.car")), "--store", str(tmp_path / "s.db")])
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "whose is did:plc:acme (\\x1b]0;pwned\\x07\\x1b[2J Acme)?" in result.output


def test_car_memory_follows_the_posts_kept_not_the_likes(tmp_path):
    """A repository of 30,000 likes and 30 posts: the likes' blocks are passed over as they are read; what
    stays is the tree (about 45 bytes a record) until it is walked, and the posts."""
    import atproto_client.models  # noqa: F401 - imported before measuring: the SDK's models are not the file's

    repo = Repository("did:plc:acme")
    for n in range(30_000):
        subject = {"uri": f"at://did:plc:erin{n % 97}/app.bsky.feed.post/3e{n:09d}", "cid": FAKE_CID}
        repo.records[f"app.bsky.feed.like/3k{n:011d}"] = {"$type": "app.bsky.feed.like", "subject": subject,
                                                          "createdAt": f"2026-10-01T00:{n // 60 % 60:02d}:{n % 60:02d}Z"}
    for n in range(30):
        repo.post(f"post {n}", WHEN)
    path = repo.write(tmp_path / "r.car")
    size = path.stat().st_size
    activity_read, peak = traced(lambda: read_bluesky_car(path, handles=OWNER))
    assert len(activity_read.posts) == 30
    # about 2 MB of it is the read buffer (a 1 MiB chunk, and the next joined to what is left of it)
    assert size > 8_000_000 and peak < size * 0.6, (size, peak)


# -- Mastodon archives -----------------------------------------------------------------------------


def fake() -> FakeMastodon:
    instance = FakeMastodon()
    instance.add_account("1", "acme")
    instance.status("1", "hello", WHEN)
    return instance


def test_an_outbox_zip_bomb_is_refused_without_inflating_it(tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("actor.json", json.dumps({"id": "https://mastodon.social/users/acme",
                                                   "preferredUsername": "acme"}))
        archive.writestr("outbox.json", '{"orderedItems": [' + " " * 50_000_000 + "]}")
    result = runner.invoke(app, ["import", str(bomb), "--store", str(tmp_path / "s.db")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"{bomb}: outbox.json inflates {_ratio(bomb):,}x: refusing a zip bomb"]


def _ratio(path) -> int:
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("outbox.json")
    return info.file_size // info.compress_size


def test_an_activity_past_the_record_cap_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(archive_records, "MAX_RECORD", 2000)
    monkeypatch.setattr(archive_records, "CHUNK", 256)  # the cap bounds a record read across chunks
    instance = fake()
    big = activity(instance, instance.status("1", "x" * 5000, WHEN))
    path = write_archive(tmp_path / "a", instance, "1", items=[big])
    with pytest.raises(DataError, match=r"a: outbox.json: not valid JSON \(line 1, column \d+\): a record larger "
                                        r"than 64 MB"):
        read_source(path)


def test_an_outbox_linked_from_outside_the_folder_is_not_followed(tmp_path):
    outside = write_archive(tmp_path / "elsewhere", fake(), "1")
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "outbox.json").symlink_to(outside / "outbox.json")
    (folder / "inner").symlink_to(outside, target_is_directory=True)
    with pytest.raises(DataError, match="no outbox.json found"):
        from auditor.activity.sources.mastodon_archive import read_mastodon_archive

        read_mastodon_archive(folder)


def test_links_and_html_from_a_status_are_never_trusted(tmp_path):
    instance = fake()
    item = activity(instance, instance.statuses[0])
    item["object"].update(url="javascript:alert(1)", content='<p>hi <script>alert(1)</script><img src="http://x/">'
                                                              '<a href="http://evil">click</a></p>')
    [post] = read_source(write_archive(tmp_path / "a.zip", instance, "1", items=[item])).posts
    assert post.url == post.id == "https://mastodon.social/users/acme/statuses/110000000000000001"
    assert post.text == "hi alert(1)click"


def test_outbox_memory_follows_the_events_kept_not_the_file(tmp_path):
    """30 MB of statuses, one month of them audited: a record at a time, with the window."""
    instance = fake()
    template = activity(instance, instance.statuses[0])
    path = tmp_path / "archive"
    path.mkdir()
    (path / "actor.json").write_text(json.dumps({"id": "https://mastodon.social/users/acme",
                                                 "preferredUsername": "acme"}))
    kept = 0
    with open(path / "outbox.json", "w") as handle:
        handle.write('{"@context": ' + json.dumps(CONTEXT) + ', "orderedItems": [')
        written, n = 0, 0
        while written < 30_000_000:
            month = 10 if n % 30 == 0 else 9
            kept += month == 10
            note = {**template["object"], "id": f"https://mastodon.social/users/acme/statuses/{n}",
                    "published": f"2026-{month:02d}-05T14:00:00Z", "content": "<p>" + "padding " * 150 + "</p>"}
            chunk = ("," if n else "") + json.dumps({**template, "object": note})
            handle.write(chunk)
            written += len(chunk)
            n += 1
        handle.write("]}")
    window = (datetime(2026, 10, 1, tzinfo=timezone.utc), datetime(2026, 11, 1, tzinfo=timezone.utc))
    read, peak = traced(lambda: read_source(path, window=window))
    assert len(read.posts) == kept
    assert peak < 15_000_000, peak
