"""The X data archive ("Download an archive of your data"), as a zip or an unpacked folder.

Read: `tweets.js` (or `tweets-part1.js`..., or the older `tweet.js`), `note-tweet.js` (the
full text of long posts), `direct-messages.js`, `direct-messages-group.js`,
`direct-message-headers.js` (times without text), `account.js` and `manifest.js` (whose
archive it is). Everything else (media, likes, ads) is left alone. Each file is JavaScript,
`window.YTD.<name>.partN = [ ... ]`, with every number as a string.

An archive holds its owner's posts and both sides of their DMs, never other people's mentions
of or replies to them: the `SourceInfo` says so, so the report does not call silence compliance.

A zip is read in memory, never extracted; declared and actual sizes are capped (zip bombs).
Data files are parsed one record at a time (`archive_records.py`): memory follows the events
kept, whatever the archive inflates to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from auditor.activity.events import mentions_in
from auditor.activity.model import DirectMessage, Post
from auditor.networks import normalize_handle
from auditor.activity.sources.archive_fields import (
    common_participant,
    conversation_people,
    edit_group,
    mention_handles,
    original_of,
    own_link,
    text_of,
    tweet_of,
)
from auditor.activity.sources.archive_files import Container, open_container, parse_js
from auditor.activity.sources.archive_notes import complete_long_posts
from auditor.activity.sources.archive_records import records
from auditor.activity.sources.common import Collector, unescape_x
from auditor.time.instants import parse_x_time, utc_iso
from auditor.speedups import no_gc
from auditor.text.addressing import opening_mentions
from auditor.errors import DataError
from auditor.progress import counted


ARCHIVE_NOTE = "an X archive holds its owner's posts and both sides of their DMs; mentions and replies by others are not in an archive"

_TWEET_FILES = ("tweets", "tweet")
_DM_FILES = ("direct-messages", "direct-messages-group", "direct-message-headers", "direct-message-group-headers")


def read_archive(path: Path, *, roster_ids: dict[str, str] | None = None, name: str | None = None,
                 window: tuple[datetime, datetime] | None = None):
    """An X archive (zip or folder) as canonical events.

    `roster_ids` maps numeric user ids to handles, for DM participants the archive names only by id.
    With `window` (start inclusive, end exclusive) only the events inside it are kept, plus the
    owner's older posts that replies inside it answer; records are parsed one at a time, so memory
    follows the events kept, not the size of the archive.
    """
    name = name or str(path)
    with open_container(path) as container:
        files = container.files()
        if not any(kind in files for kind in (*_TWEET_FILES, *_DM_FILES)):
            raise DataError(f"{name}: no tweets.js or direct-messages.js found: is this an X data archive?")
        reader = _ArchiveReader(name, container, files, roster_ids or {}, window)
        return reader.read()


@dataclass
class _Owner:
    id: str | None = None
    handle: str | None = None


class _ArchiveReader:
    def __init__(self, name: str, container: Container, files: dict[str, list[str]], roster_ids: dict[str, str],
                 window: tuple[datetime, datetime] | None = None):
        self.name = name
        self.container = container
        self.files = files
        self.window = window
        self.out = Collector(name, "archive")
        # Numeric user id -> handle, from every place the archive pairs the two.
        self.handles: dict[str, str] = {str(k): normalize_handle(v) for k, v in roster_ids.items()}
        self.owner = _Owner()
        self.made: datetime | None = None  # when X made the archive (manifest.js), if it says
        # Messages its DM files hold, whatever their time: files present but emptied (as owners do before they
        # share an archive) hold none, and the archive then vouches for no DM of its owner's.
        self.dm_messages = 0

    def read(self):
        # Hundreds of thousands of small objects and no cycles: the collector would only slow the load.
        with no_gc():
            self._read_owner()
            posts = self._read_posts()
            self._apply_notes(posts)
            for post in posts.values():
                self.out.add(post)
            del posts
            self._read_dms()
        self._describe()
        return self.out.done()

    def _inside(self, moment: datetime) -> bool:
        if self.window is None or self.window[0] <= moment < self.window[1]:
            return True
        if moment >= self.window[1]:
            self.out.info.read_until = self.window[1]  # the archive runs on past the window
        return False

    # -- owner -----------------------------------------------------------------------------

    def _read_owner(self) -> None:
        for member, records in self._load("account"):
            for record in records if isinstance(records, list) else ():
                account = record.get("account") if isinstance(record, dict) else None
                if isinstance(account, dict) and isinstance(account.get("username"), str):
                    self.owner = _Owner(text_of(account.get("accountId")), normalize_handle(account["username"]))
                    break
        for member, config in self._load("manifest"):
            info = config.get("userInfo") if isinstance(config, dict) else None
            if self.owner.handle is None and isinstance(info, dict) and isinstance(info.get("userName"), str):
                self.owner = _Owner(text_of(info.get("accountId")), normalize_handle(info["userName"]))
            made = config.get("archiveInfo") if isinstance(config, dict) else None
            if isinstance(made, dict) and made.get("generationDate") is not None:
                try:
                    self.made = parse_x_time(made["generationDate"], "manifest.js: generationDate")
                except ValueError as exc:
                    self.out.note(f"{exc}: when the archive was made is not known")
        if self.owner.id and self.owner.handle:
            self.handles[self.owner.id] = self.owner.handle

    # -- posts -----------------------------------------------------------------------------

    def _read_posts(self) -> dict[str, Post]:
        """The posts kept, by id, in one pass over the tweet files (and one more for older posts
        that kept replies answer, when the window left some out)."""
        posts: dict[str, Post] = {}
        versions: dict[str, str] = {}  # edit group -> id of the latest version read
        outside: dict[str, str | None] = {}  # posts left out by the window: id -> the post it replies to
        named_by_id: list[Post] = []  # replies whose author was known only by id when they were read
        replaced = 0
        for member, number, record in counted(self._records(_TWEET_FILES), f"reading {Path(self.name).name}", "posts"):
            tweet = tweet_of(record)
            if tweet is not None:
                self._learn_handles(tweet)
                if self.owner.handle is None:
                    self.owner.handle = own_link(tweet)
            try:
                if tweet is None:
                    raise ValueError("a record must be an object")
                post = self._post(tweet)
            except ValueError as exc:
                self.out.skip(f"{self.name}:{member}", number, str(exc))
                continue
            # Edited posts appear once per version, linked by the first version's id: keep the latest.
            group = edit_group(tweet, post.id)
            kept = versions.get(group)
            if kept is not None:
                replaced += 1
                if (len(kept), kept) > (len(post.id), post.id):  # numeric order; int() refuses 5,000 digits
                    continue
                posts.pop(kept, None)
                outside.pop(kept, None)
            versions[group] = post.id
            if self._inside(post.created_at):
                posts[post.id] = post
                if post.in_reply_to_author is not None and post.in_reply_to_author.isdigit():
                    named_by_id.append(post)
            else:
                outside[post.id] = post.in_reply_to
        if replaced:
            self.out.note(f"{replaced} earlier versions of edited posts left out (the latest version is kept)")
        if self.owner.handle is None and (posts or outside):
            raise DataError(f"{self.name}: cannot tell whose archive this is: account.js and manifest.js are missing")
        posts.update(self._older_posts(posts, outside))
        for post in posts.values():
            post.author = self.owner.handle  # the owner may have been learnt after the first posts were read
        for post in named_by_id:
            user_id = post.in_reply_to_author
            named = self.handles.get(user_id)
            if named is None:
                # Some exports drop a reply's screen name and its mention entities, but the text still
                # opens with the handle it answers (X puts the replied-to author first): name the id by it.
                opening = opening_mentions(post.text)
                if opening:
                    named = self.handles[user_id] = opening[0]
            post.in_reply_to_author = named or user_id
        return posts

    def _older_posts(self, posts: dict[str, Post], outside: dict[str, str | None]) -> dict[str, Post]:
        """The posts outside the window that kept replies answer, and theirs, up the chain: without
        them a conversation's root would depend on the window (the store and JSONL reader do the same)."""
        wanted: set[str] = set()
        todo = [p.in_reply_to for p in posts.values() if p.in_reply_to and p.in_reply_to not in posts]
        while todo:
            post_id = todo.pop()
            if post_id in outside and post_id not in wanted:
                wanted.add(post_id)
                if outside[post_id]:
                    todo.append(outside[post_id])
        found: dict[str, Post] = {}
        if not wanted:
            return found
        for _, _, record in self._records(_TWEET_FILES):
            tweet = tweet_of(record)
            post_id = (text_of(tweet.get("id_str")) or text_of(tweet.get("id"))) if tweet is not None else None
            if post_id in wanted:
                try:
                    found[post_id] = self._post(tweet)
                except ValueError:
                    continue  # reported when first read
        return found

    def _learn_handles(self, tweet: dict) -> None:
        reply_id, reply_name = tweet.get("in_reply_to_user_id_str"), tweet.get("in_reply_to_screen_name")
        if isinstance(reply_id, str) and isinstance(reply_name, str) and reply_name:
            self.handles.setdefault(reply_id, normalize_handle(reply_name))
        entities = tweet.get("entities")
        mentions = entities.get("user_mentions") if isinstance(entities, dict) else None
        if isinstance(mentions, list):
            for mention in mentions:
                if isinstance(mention, dict):
                    user_id, handle = mention.get("id_str"), mention.get("screen_name")
                    if isinstance(user_id, str) and isinstance(handle, str) and handle:
                        self.handles.setdefault(user_id, normalize_handle(handle))

    def _post(self, tweet: dict) -> Post:
        post_id = text_of(tweet.get("id_str")) or text_of(tweet.get("id"))
        if not post_id or not post_id.isdigit():
            raise ValueError("missing or non-numeric id")
        if "created_at" not in tweet:
            raise ValueError("missing created_at")
        created_at = parse_x_time(tweet["created_at"])
        raw = tweet.get("full_text", tweet.get("text"))
        if not isinstance(raw, str):
            raise ValueError("missing full_text")
        text = unescape_x(raw)
        entities = tweet.get("entities") if isinstance(tweet.get("entities"), dict) else {}
        mentions = mention_handles(entities.get("user_mentions")) or mentions_in(text)
        in_reply_to = text_of(tweet.get("in_reply_to_status_id_str")) or text_of(tweet.get("in_reply_to_status_id"))
        reply_author = None
        if in_reply_to:
            reply_name = tweet.get("in_reply_to_screen_name")
            if isinstance(reply_name, str) and reply_name:
                reply_author = normalize_handle(reply_name)
            else:
                # Some exports drop the screen name: the id names the person (a handle if we know it).
                reply_id = text_of(tweet.get("in_reply_to_user_id_str")) or text_of(tweet.get("in_reply_to_user_id"))
                reply_author = self.handles.get(reply_id) or reply_id if reply_id else None
        author = self.owner.handle
        return Post(
            id=post_id,
            author=author,
            created_at=created_at,
            text=text,
            in_reply_to=in_reply_to,
            in_reply_to_author=reply_author,
            mentions=mentions,
            repost_of=original_of(tweet, raw, entities),
            quote_of=text_of(tweet.get("quoted_status_id_str")),
            url=None,  # Post.link: every post's address on X
            real_id=True,
            lang=text_of(tweet.get("lang")) or None,  # X's guess, "und" when it could not tell
        )

    def _apply_notes(self, posts: dict[str, Post]) -> None:
        """Long posts: the full text of the cut ones, from note-tweet.js (`archive_notes.py`)."""
        if "note-tweet" not in self.files:
            return

        def skip(member: str, number: int, reason: str) -> None:
            self.out.skip(f"{self.name}:{member}", number, reason)

        self.out.note(complete_long_posts(posts, self._records(("note-tweet",)), skip, keep_all=self.window is None))

    # -- direct messages -------------------------------------------------------------------

    def _read_dms(self) -> None:
        if self.owner.id is None:  # one more pass, over conversation ids only
            self.owner.id = common_participant(record for _, _, record in self._records(_DM_FILES))
        if self.owner.handle is None and self.owner.id in self.handles:
            self.owner.handle = self.handles[self.owner.id]
        headers_only = welcome = 0
        seen: set[str] = set()  # a DM in both direct-messages.js and the headers file: keep the one with text
        for kind in _DM_FILES:
            has_text = "headers" not in kind
            for member in self.files.get(kind, ()):
                where = f"{self.name}:{member}"
                number = 0  # DMs are numbered by message across the file (a conversation holds many)
                for record in self._member_records(member):
                    conversation = record.get("dmConversation") if isinstance(record, dict) else None
                    messages = conversation.get("messages") if isinstance(conversation, dict) else None
                    if not isinstance(messages, list):
                        number += 1
                        self.out.skip(where, number, "a record must be a dmConversation with messages")
                        continue
                    conversation_id = text_of(conversation.get("conversationId")) or ""
                    participants = conversation_people(conversation_id, messages, self.owner.id)
                    for message in messages:
                        create = message.get("messageCreate") if isinstance(message, dict) else None
                        if create is None:
                            # An automated greeting X sends when a conversation opens: not a message anyone
                            # wrote, so never an answer; counted so the report says what was left out.
                            welcome += isinstance(message, dict) and "welcomeMessageCreate" in message
                            continue  # joins, leaves, renames, reactions: not messages
                        number += 1
                        self.dm_messages += 1
                        try:
                            dm = self._dm(create, conversation_id, participants, has_text)
                        except ValueError as exc:
                            self.out.skip(where, number, f"conversation {conversation_id[:60]}: {exc}")
                            continue
                        if dm.id in seen or not self._inside(dm.created_at):
                            continue
                        seen.add(dm.id)
                        self.out.add(dm)
                        headers_only += not has_text
        if headers_only:
            self.out.note(f"{headers_only} DMs from direct-message-headers files: times and people, no text")
        if welcome:
            self.out.note(f"{welcome} automated welcome messages (welcomeMessageCreate) left out: "
                          "not written by anyone, so never counted as an answer")

    def _dm(self, create: object, conversation_id: str, participants: set[str], has_text: bool) -> DirectMessage:
        if not isinstance(create, dict):
            raise ValueError("messageCreate must be an object")
        dm_id = text_of(create.get("id"))
        sender_id = text_of(create.get("senderId"))
        if not dm_id:
            raise ValueError("message has no id")
        if not sender_id:
            raise ValueError("message has no senderId")
        created_at = parse_x_time(create.get("createdAt"), "createdAt")
        text = create.get("text", "") if has_text else ""
        if not isinstance(text, str):
            raise ValueError("text must be a string")
        recipient = text_of(create.get("recipientId"))
        recipient_ids = [recipient] if recipient else sorted(participants - {sender_id})
        if not recipient_ids:
            raise ValueError("no recipient: the conversation names nobody else")
        return DirectMessage(
            id=dm_id,
            conversation_id=conversation_id or "-".join(sorted({sender_id, *recipient_ids})),
            sender=self._handle(sender_id),
            recipients=tuple(dict.fromkeys(self._handle(r) for r in recipient_ids)),
            created_at=created_at,
            text=unescape_x(text) if has_text else "",
        )

    def _handle(self, user_id: str) -> str:
        # A participant we cannot name keeps their numeric id: still a stable counterpart.
        return self.handles.get(user_id) or user_id

    # -- reading files ---------------------------------------------------------------------

    def _load(self, kind: str):
        """(member, parsed JSON) for each part of a small file kind (account, manifest), in part order."""
        for member in self.files.get(kind, ()):
            raw = self.container.read(member)
            yield member, parse_js(raw, f"{self.name}: {member}")

    def _records(self, kinds: tuple[str, ...]):
        """(member, record number, record) for every record of every part of some file kinds, streamed."""
        for kind in kinds:
            for member in self.files.get(kind, ()):
                for number, record in enumerate(self._member_records(member), start=1):
                    yield member, number, record

    def _member_records(self, member: str):
        with self.container.open(member) as handle:
            yield from records(handle, f"{self.name}: {member}")

    def _describe(self) -> None:
        dm_files = any(kind in self.files for kind in _DM_FILES)
        has_dm_files = dm_files and self.dm_messages > 0
        self.out.info.channels = ("dm",) if has_dm_files else ()
        # An archive holds both sides of every DM of its owner, and no one else's.
        owner_key = self.owner.handle or (self._handle(self.owner.id) if self.owner.id else None)
        if has_dm_files and owner_key:
            self.out.info.dm_accounts = frozenset({owner_key})
            if self.made is not None:
                # Made on that day, it holds no DM sent after it: data that runs later cannot lean on it.
                self.out.info.dms_until = self.made
                self.out.note(f"made {utc_iso(self.made)}: it holds no DM sent after that; where the data runs "
                              "later, its owner's DMs count as not held")
        owner = f"@{self.owner.handle}" if self.owner.handle else f"user {self.owner.id}" if self.owner.id else "the owner"
        note = ARCHIVE_NOTE.replace("its owner's", f"{owner}'s")
        if not has_dm_files:  # said once, below: it holds no DMs at all
            note = note.replace(" and both sides of their DMs", "")
        self.out.info.notes.insert(0, note)
        if not dm_files:
            self.out.note("this archive has no direct-messages files: DMs are not covered either")
        elif not has_dm_files:
            self.out.note("its direct-messages files hold no message (emptied, as owners do before they share an "
                          "archive): DMs are not covered either")
        unnamed = {p for dm in self.out.activity.dms for p in (dm.sender, *dm.recipients) if p.isdigit()}
        if unnamed:
            self.out.note(f"{len(unnamed)} DM participants are known only by numeric user id (no record of the archive "
                          "names them): a promise or a wait such a DM may have settled is 'cannot tell'")


