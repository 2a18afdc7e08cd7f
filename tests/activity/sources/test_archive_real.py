"""Real X archives (shared/data/x-archive, never copied into the repository) read whole, with the right counts."""

from __future__ import annotations

import zipfile
from collections import Counter

from auditor.activity.sources.archive import read_archive
from tests.shared_data import shared


def test_andreruffert_tweets_replies_and_retweets():
    activity = read_archive(shared("x-archive", "andreruffert"))
    assert len(activity.posts) == 1986
    assert sum(p.is_repost for p in activity.posts) == 643
    assert sum(p.in_reply_to is not None for p in activity.posts) == 485
    assert activity.skipped_count == 0 and activity.dms == []
    assert {p.author for p in activity.posts} == {"andreruffert"}
    [info] = activity.sources
    # Its DM files were emptied before it was shared ("[ ]"), and his posts say DMs were sent: it vouches for none.
    assert info.channels == () and info.dm_accounts == frozenset()
    assert any(note.startswith("its direct-messages files hold no message") for note in info.notes)
    assert "mentions and replies by others are not in an archive" in info.notes[0]
    times = sorted(p.created_at for p in activity.posts)
    assert (times[0].year, times[-1].year) == (2010, 2022)
    # Replies name whom they answer, by the handle the text opens with where the owner removed the screen
    # name (15 replies), never by a numeric id; text is unescaped.
    assert all(p.in_reply_to_author for p in activity.posts if p.in_reply_to)
    assert sum(p.in_reply_to_author.isdigit() for p in activity.posts if p.in_reply_to) == 0
    assert not any("&amp;" in p.text for p in activity.posts)


def test_andreruffert_zip_reads_the_same_as_the_folder(tmp_path):
    folder = shared("x-archive", "andreruffert")
    with zipfile.ZipFile(tmp_path / "archive.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for path in folder.iterdir():
            archive.write(path, f"data/{path.name}")
    zipped, unpacked = read_archive(tmp_path / "archive.zip"), read_archive(folder)
    assert zipped.posts == unpacked.posts and zipped.dms == unpacked.dms


def test_alrocar_long_posts_and_edits():
    activity = read_archive(shared("x-archive", "alrocar"))  # no account.js: the owner comes from manifest.js
    assert {p.author for p in activity.posts} == {"alrocar"}
    assert len(activity.posts) == 1223 - 5  # five posts were edited: only their latest version is kept
    assert sum(p.in_reply_to is not None for p in activity.posts) == 819
    info = activity.sources[0]
    # Honest counts: ten posts already held their text; three cut posts whose raw text ends in a
    # link (longer than the note, shorter than what was cut) are completed too.
    assert "31 of 41 long posts completed from note-tweet.js; 10 already held their full text" in info.notes
    assert not any(p.text.endswith(("turra con… https://t.co/o3zp3vd4kw", "Check… https://t.co/yJcplUtlpa"))
                   for p in activity.posts)
    assert info.channels == ()  # this copy has no DM files at all
    longest = max(activity.posts, key=lambda p: len(p.text))
    assert len(longest.text) > 280 and not longest.text.endswith("…")
    # A long reply keeps the @mentions X shows before the text.
    reply = next(p for p in activity.posts if p.id == "1760611342728208575")
    assert reply.text.startswith("@borlanco @Longor A tope con lo declarativo") and len(reply.text) > 280


def test_larsbrinkhoff_dm_headers():
    activity = read_archive(shared("x-archive", "larsbrinkhoff"))
    assert len(activity.dms) == 900 and activity.posts == [] and activity.skipped_count == 0
    assert all(d.text == "" for d in activity.dms)
    assert len({d.conversation_id for d in activity.dms}) == 72
    # No account.js: the owner is the one id in every conversation; nobody else is named.
    owner = Counter(p for d in activity.dms for p in (d.sender, *d.recipients)).most_common(1)[0][0]
    assert owner == "3128746474"
    assert "an X archive holds user 3128746474's posts" in activity.sources[0].notes[0]
    named = read_archive(shared("x-archive", "larsbrinkhoff"), roster_ids={"3128746474": "larsbrinkhoff"})
    assert all("larsbrinkhoff" in (d.sender, *d.recipients) for d in named.dms)
    assert named.sources[0].notes[0].startswith("an X archive holds @larsbrinkhoff's posts")
