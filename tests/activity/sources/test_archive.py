"""The X archive reader on small archives made here: zip and folder, parts, long posts, edits, DMs, bad records, bombs."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from auditor.activity.sources import archive_files
from auditor.activity.sources.archive import read_archive
from auditor.activity.sources.archive_fields import UNKNOWN_ORIGINAL
from auditor.errors import DataError

LONG = ("We changed how refunds work: " + "details " * 60).strip()


def tweet(id_: str, created_at: str, text: str, **extra) -> dict:
    return {"tweet": {"id_str": id_, "id": id_, "created_at": created_at, "full_text": text, "retweeted": False,
                      "entities": {"user_mentions": extra.pop("mentions", []), "hashtags": [], "urls": []},
                      "edit_info": extra.pop("edit_info", {"initial": {"editTweetIds": [id_], "editsRemaining": "5"}}),
                      "favorite_count": "0", "retweet_count": "0", "lang": "en", **extra}}


def mention(handle: str, user_id: str) -> dict:
    return {"screen_name": handle, "name": handle.title(), "id_str": user_id, "id": user_id, "indices": ["0", "4"]}


def message(id_: str, sender: str, recipient: str | None, at: str, text: str | None = None) -> dict:
    body = {"id": id_, "senderId": sender, "createdAt": at, "reactions": [], "urls": [], "mediaUrls": []}
    if recipient is not None:
        body["recipientId"] = recipient
    if text is not None:
        body["text"] = text
    return {"messageCreate": body}


FILES = {
    "account.js": ("account", [{"account": {"username": "Acme_Support", "accountId": "100", "email": None}}]),
    "tweets.js": ("tweets", [
        tweet("1001", "Mon Oct 05 14:02:00 +0000 2026", "Big news &amp; more: spring range"),
        tweet("1002", "Mon Oct 05 15:00:00 +0000 2026", "@bob sorry about that, DM us", in_reply_to_status_id_str="900",
              in_reply_to_user_id_str="200", in_reply_to_screen_name="bob", mentions=[mention("bob", "200")]),
        tweet("1003", "Mon Oct 05 16:00:00 +0000 2026", "RT @carol: Lovely shop", mentions=[mention("carol", "300")]),
        tweet("1004", "Tue Oct 06 09:00:00 +0000 2026", LONG[:270] + "…", truncated=False),
        tweet("1005", "Tue Oct 06 10:00:00 +0000 2026", "Typo in thsi post",
              edit_info={"initial": {"editTweetIds": ["1005", "1006"], "editsRemaining": "4"}}),
        tweet("1006", "Tue Oct 06 10:05:00 +0000 2026", "Typo in this post",
              edit_info={"edit": {"initialTweetId": "1005", "editControlInitial": {"editTweetIds": ["1005", "1006"]}}}),
        {"tweet": {"id_str": "1007", "full_text": "no time"}},
        tweet("1008", "Tue Oct 32 10:00:00 +0000 2026", "bad day"),
        "not an object",
    ]),
    "tweets-part1.js": ("tweets", [tweet("1009", "2026-10-07T08:00:00.000Z", "ISO time in a later part")]),
    "note-tweet.js": ("note_tweet", [{"noteTweet": {"noteTweetId": "5550001", "createdAt": "2026-10-06T09:00:00.000Z",
                                                    "core": {"text": LONG, "mentions": [], "urls": []}}}]),
    "direct-messages.js": ("direct_messages", [
        {"dmConversation": {"conversationId": "100-200", "messages": [
            message("d3", "100", "200", "2026-10-05T16:00:00.000Z", "Refund on its way"),
            message("d2", "200", "100", "2026-10-05T15:30:00.000Z", "order 5531, phone 555-0100"),
            {"reactionCreate": {"senderId": "200", "reactionKey": "like", "createdAt": "2026-10-05T16:01:00.000Z"}},
        ]}},
        {"dmConversation": {"conversationId": "100-999", "messages": [
            message("d4", "999", "100", "2026-10-05T17:00:00.000Z", "hello from someone unnamed"),
            message("d5", "999", "100", "yesterday", "bad time"),
        ]}},
    ]),
    "direct-messages-group.js": ("direct_messages_group", [
        {"dmConversation": {"conversationId": "g-77", "messages": [
            message("g2", "300", None, "2026-10-05T18:00:00.000Z", "group hello"),
            {"participantsJoin": {"initiatingUserId": "100", "userIds": ["200", "300"], "createdAt": "2026-10-05T17:59:00.000Z"}},
        ]}},
    ]),
    # Headers repeat a DM that has text (kept with its text) and add one without.
    "direct-message-headers.js": ("direct_message_headers", [
        {"dmConversation": {"conversationId": "100-200", "messages": [
            message("d3", "100", "200", "2026-10-05T16:00:00.000Z"),
            message("d1", "200", "100", "2026-10-05T15:00:00.000Z"),
        ]}},
    ]),
}


def write_folder(root: Path, files: dict = FILES, data_folder: bool = True) -> Path:
    folder = root / "data" if data_folder else root
    folder.mkdir(parents=True, exist_ok=True)
    for name, (ytd, records) in files.items():
        part = name.rsplit("-part", 1)[1].split(".")[0] if "-part" in name else "0"
        (folder / name).write_text(f"window.YTD.{ytd}.part{part} = {json.dumps(records, indent=2)}", encoding="utf-8")
    (folder / "README.txt").write_text("not data")
    return root


def write_zip(path: Path, files: dict = FILES, prefix: str = "data/") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (ytd, records) in files.items():
            archive.writestr(f"{prefix}{name}", f"window.YTD.{ytd}.part0 = {json.dumps(records)}")
        archive.writestr(f"{prefix}tweets_media/1001-a.jpg", b"\xff\xd8 not read")
    return path


def events(activity) -> tuple:
    return sorted(activity.posts, key=lambda p: p.id), sorted(activity.dms, key=lambda d: d.id)


@pytest.fixture
def folder_activity(tmp_path):
    return read_archive(write_folder(tmp_path / "archive"))


def test_posts_come_out_canonical(folder_activity):
    posts = {p.id: p for p in folder_activity.posts}
    assert posts["1001"].text == "Big news & more: spring range"
    assert posts["1001"].author == "acme_support"
    assert posts["1001"].created_at == datetime(2026, 10, 5, 14, 2, tzinfo=timezone.utc)
    assert posts["1001"].link == "https://x.com/acme_support/status/1001"
    reply = posts["1002"]
    assert (reply.in_reply_to, reply.in_reply_to_author, reply.mentions) == ("900", "bob", ("bob",))
    assert posts["1003"].repost_of == UNKNOWN_ORIGINAL and posts["1003"].is_repost
    assert posts["1009"].created_at == datetime(2026, 10, 7, 8, 0, tzinfo=timezone.utc)  # tweets-part1.js, ISO time


def test_long_posts_take_their_full_text_from_note_tweet(folder_activity):
    post = next(p for p in folder_activity.posts if p.id == "1004")
    assert post.text == LONG
    assert "1 of 1 long posts completed from note-tweet.js" in folder_activity.sources[0].notes


def test_edited_posts_keep_only_their_latest_version(folder_activity):
    ids = {p.id for p in folder_activity.posts}
    assert "1006" in ids and "1005" not in ids
    assert "1 earlier versions of edited posts left out (the latest version is kept)" in folder_activity.sources[0].notes


def test_dms_name_people_by_handle_where_the_archive_knows_them(folder_activity):
    dms = {d.id: d for d in folder_activity.dms}
    assert (dms["d2"].sender, dms["d2"].recipients, dms["d2"].conversation_id) == ("bob", ("acme_support",), "100-200")
    assert dms["d2"].text == "order 5531, phone 555-0100"
    assert dms["d3"].text == "Refund on its way"  # the header copy does not blank it
    assert dms["d1"].text == ""  # only in the headers file: a time without text
    assert dms["d4"].sender == "999"  # nobody names user 999: the id stays
    assert (dms["g2"].sender, dms["g2"].recipients) == ("carol", ("acme_support", "bob"))
    assert sorted(dms) == ["d1", "d2", "d3", "d4", "g2"]


def test_roster_ids_name_the_rest(tmp_path):
    activity = read_archive(write_folder(tmp_path / "a"), roster_ids={"999": "@Dave"})
    assert next(d for d in activity.dms if d.id == "d4").sender == "dave"


def test_bad_records_are_skipped_with_their_index_and_reason(folder_activity):
    assert [(s.source.rsplit(":", 1)[1], s.line, s.reason) for s in folder_activity.skipped] == [
        ("data/tweets.js", 7, "missing created_at"),
        ("data/tweets.js", 8, "created_at is not a time: 'Tue Oct 32 10:00:00 +0000 2026'"),
        ("data/tweets.js", 9, "a record must be an object"),
        ("data/direct-messages.js", 4, "conversation 100-999: createdAt is not a time: 'yesterday'"),
    ]
    assert folder_activity.skipped_count == folder_activity.sources[0].skipped == 4


def test_an_archive_says_it_cannot_show_mentions_or_replies_by_others(folder_activity):
    [info] = folder_activity.sources
    assert info.kind == "archive" and info.channels == ("dm",)
    assert info.notes[0] == ("an X archive holds @acme_support's posts and both sides of their DMs; "
                             "mentions and replies by others are not in an archive")
    assert info.events == len(folder_activity.posts) + len(folder_activity.dms) == 6 + 5


@pytest.mark.parametrize("prefix", ["data/", "", "twitter-2026-10-20-abc/data/"])
def test_zip_and_folder_give_the_same_events(tmp_path, folder_activity, prefix):
    zipped = read_archive(write_zip(tmp_path / "archive.zip", prefix=prefix))
    assert events(zipped) == events(folder_activity)
    assert zipped.sources[0].notes == folder_activity.sources[0].notes


def test_files_at_the_top_of_a_folder_or_one_folder_down_are_read_too(tmp_path, folder_activity):
    assert events(read_archive(write_folder(tmp_path / "flat", data_folder=False))) == events(folder_activity)
    write_folder(tmp_path / "unzipped" / "twitter-2026-10-20-abc")
    assert events(read_archive(tmp_path / "unzipped")) == events(folder_activity)


def test_older_archives_name_the_file_tweet_js_and_may_lack_the_wrapper_key(tmp_path):
    files = {"account.js": FILES["account.js"],
             "tweet.js": ("tweet", [tweet("1", "Mon Oct 05 14:02:00 +0000 2020", "old")["tweet"]])}
    activity = read_archive(write_folder(tmp_path / "old", files))
    assert [(p.id, p.text) for p in activity.posts] == [("1", "old")]
    assert activity.sources[0].channels == ()  # no DM files: DMs are not covered either


def test_without_account_js_the_owner_comes_from_links_to_own_media(tmp_path):
    own = tweet("7", "Mon Oct 05 14:02:00 +0000 2026", "look https://t.co/x",
                entities={"user_mentions": [], "media": [{"expanded_url": "https://twitter.com/Acme_Support/status/7/photo/1"}]})
    activity = read_archive(write_folder(tmp_path / "a", {"tweets.js": ("tweets", [own])}))
    assert activity.posts[0].author == "acme_support"
    with pytest.raises(DataError, match="cannot tell whose archive this is"):
        read_archive(write_folder(tmp_path / "b", {"tweets.js": ("tweets", [tweet("8", "Mon Oct 05 14:02:00 +0000 2026", "hi")])}))


def test_unreadable_archives_are_one_line_data_errors(tmp_path):
    (tmp_path / "fake.zip").write_text("not a zip")
    with pytest.raises(DataError, match=r"fake.zip: not a readable zip file"):
        read_archive(tmp_path / "fake.zip")
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as other:
        other.writestr("notes.txt", "hello")
    with pytest.raises(DataError, match="no tweets.js or direct-messages.js found: is this an X data archive"):
        read_archive(tmp_path / "other.zip")
    broken = write_folder(tmp_path / "broken", {"account.js": FILES["account.js"], "tweets.js": ("tweets", [])})
    (broken / "data" / "tweets.js").write_text('window.YTD.tweets.part0 = [ {"tweet": ')
    with pytest.raises(DataError) as caught:
        read_archive(broken)
    assert str(caught.value).endswith(
        "data/tweets.js: not valid JSON after the window.YTD wrapper (line 1, column 39): the list is cut short")
    (broken / "data" / "tweets.js").write_text("var x = 1;")
    with pytest.raises(DataError, match=r"not an archive data file \(expected window.YTD.<name>.part0 = \[...\]\)"):
        read_archive(broken)


def test_zip_bombs_are_refused_without_inflating_them(tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data/tweets.js", b"window.YTD.tweets.part0 = [" + b" " * (20 << 20) + b"]")
    with pytest.raises(DataError, match=r"data/tweets.js inflates [\d,]+x: refusing a zip bomb"):
        read_archive(bomb)


def test_sizes_are_capped_per_file_and_in_total(tmp_path, monkeypatch):
    path = write_zip(tmp_path / "a.zip")
    monkeypatch.setattr(archive_files, "MAX_FILE_BYTES", 1000)
    with pytest.raises(DataError, match=r"data/tweets.js is [\d,]+ bytes, more than the 1,000 read from one file"):
        read_archive(path)
    monkeypatch.setattr(archive_files, "MAX_FILE_BYTES", 1 << 30)
    monkeypatch.setattr(archive_files, "MAX_TOTAL_BYTES", 3000)
    with pytest.raises(DataError, match="the archive's data files exceed 3,000 bytes in total"):
        read_archive(path)
    monkeypatch.setattr(archive_files, "MAX_ENTRIES", 3)
    with pytest.raises(DataError, match="entries in the zip: refusing"):
        read_archive(path)


def test_a_zip_that_lies_about_a_size_is_refused(tmp_path):
    path = write_zip(tmp_path / "a.zip")
    data = bytearray(path.read_bytes())
    # Shrink the declared size of data/account.js in the central directory: inflating gives more than declared.
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("data/account.js")
    central = data.rfind(b"PK\x01\x02", 0, data.find(b"data/account.js", data.find(b"PK\x01\x02")) + 1)
    data[central + 24:central + 28] = (info.file_size - 10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(DataError, match=r"data/account.js: (cannot read from the zip \(Bad CRC|holds more bytes)"):
        read_archive(path)


def test_a_reply_without_its_screen_name_is_named_by_the_handle_its_text_opens_with(tmp_path):
    # alrocar's real archive: "in_reply_to_screen_name": null, no mention entities, "@Dr___Mario ..." as text.
    files = {"account.js": FILES["account.js"], "tweets.js": ("tweets", [
        tweet("2001", "Mon Oct 05 14:02:00 +0000 2026", "@Dr___Mario Lo digo en serio", in_reply_to_status_id_str="1999",
              in_reply_to_user_id_str="253752405", in_reply_to_screen_name=None)])}
    [post] = read_archive(write_folder(tmp_path / "archive", files)).posts
    assert post.in_reply_to_author == "dr___mario"


def test_the_real_archives_name_every_replied_to_account_by_handle():
    from tests.shared_data import shared

    for name in ("andreruffert", "alrocar"):
        posts = read_archive(shared("x-archive", name)).posts
        assert not [p.id for p in posts if p.in_reply_to_author and p.in_reply_to_author.isdigit()], name


def test_an_archive_without_dm_files_does_not_say_it_holds_dms(tmp_path):
    files = {name: value for name, value in FILES.items() if not name.startswith("direct-message")}
    [info] = read_archive(write_folder(tmp_path / "no-dms", files)).sources
    assert info.dm_accounts == frozenset() and info.channels == ()
    assert info.notes[0] == ("an X archive holds @acme_support's posts; mentions and replies by others are not in "
                             "an archive")
    assert "this archive has no direct-messages files: DMs are not covered either" in info.notes
