"""The activity indexed once for every rule: reply chains, conversations, DM conversations, inbound items.

Rules never scan the whole activity per item; they look things up here. Built in
one pass over the events (plus a sort), so a million events index in seconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from msgspec.structs import asdict, replace
from datetime import datetime
from operator import attrgetter

import orjson

from auditor.activity.model import EVERY_ACCOUNT, Activity, DirectMessage, Post
from auditor.speedups import no_gc


# (time, id) through C: a Python key function would be called a million times.
_time_key = attrgetter("created_at", "id")
_author = attrgetter("author")
_sender = attrgetter("sender")
# A conversation's roster replies up to this many are searched one by one (`replies_to`).
_SEARCHED_ONE_BY_ONE = 16


class ActivityIndex:
    def __init__(self, activity: Activity, roster: set[str]):
        self.roster = roster
        with no_gc():  # a million events and their lists: see no_gc
            self._build(activity, roster)

    def _build(self, activity: Activity, roster: set[str]) -> None:
        # Each event once, keyed by `_key`: a Mastodon post "17" is not the X post "17". The same
        # dictionaries are the lookups by id (building them again cost a sixth of the index).
        by_id, post_conflicts = _dedupe(activity.posts)
        dm_by_id, dm_conflicts = _dedupe(activity.dms)
        # Ids that named two people's events: one of each was kept, the other is not audited (a report says so).
        self.conflicting_ids = post_conflicts + dm_conflicts
        posts = list(by_id.values())
        dms = list(dm_by_id.values())
        posts.sort(key=_time_key)
        dms.sort(key=_time_key)

        # Fill what the canonical format lets sources leave out: the replied-to author
        # and the conversation (the root of the reply chain). Chains are walked over the
        # posts as read, so the order of completion cannot change a root.
        completed = {}
        for i, post in enumerate(posts):
            if post.conversation_id is None or (post.in_reply_to is not None and post.in_reply_to_author is None):
                posts[i] = completed[_key(post)] = self._complete(post, by_id)
        by_id.update(completed)
        self.posts: list[Post] = posts
        self.post_by_id: dict[str, Post] = by_id
        self.dms: list[DirectMessage] = dms
        self.dm_by_id: dict[str, DirectMessage] = dm_by_id

        # Posts by author and replies are the roster accounts' only: no rule looks a customer's posts
        # up by author (they are found by whom they address), and only a roster account's reply answers
        # someone. Every author's took the index to about 100 MB of RSS instead of 66 MB at a million events.
        self.by_author: dict[str, list[Post]] = defaultdict(list)
        self.inbound_posts: dict[str, list[Post]] = defaultdict(list)  # counterpart posts addressing a roster account
        # The roster accounts' replies by conversation (`replies_to`): the reply itself when it is the
        # conversation's only one, as most are, a tuple of them when there are a few, and by the author
        # they answer when there are many. A key tuple and a list for each (conversation, author) were
        # 40 MB at a million events.
        self._replies: dict[str, Post | list[Post] | tuple[Post, ...] | dict[str, list[Post]]] = {}
        by_author, inbound, replies = self.by_author, self.inbound_posts, self._replies
        for post in posts:
            author = post.author
            reply_author = post.in_reply_to_author
            if author in roster:
                by_author[author].append(post)
                if reply_author is not None and post.in_reply_to is not None:
                    _add_reply(replies, post)
            elif post.repost_of is None:
                mentions = post.mentions
                if len(mentions) == 1 and (reply_author is None or reply_author == mentions[0]):
                    if mentions[0] in roster:  # the common case, without building a set
                        inbound[mentions[0]].append(post)
                    continue
                addressed = set(mentions)
                if reply_author is not None:
                    addressed.add(reply_author)
                for handle in addressed & roster:
                    inbound[handle].append(post)

        _settle_replies(replies)

        # DMs by conversation; by sender and by recipient for the roster accounts only, as posts by
        # author are: a customer's DMs are found through the account's and their conversation.
        self.dm_conversations: dict[str, list[DirectMessage]] = defaultdict(list)
        self.dms_to: dict[str, list[DirectMessage]] = defaultdict(list)  # recipient -> DMs received
        self.dms_from: dict[str, list[DirectMessage]] = defaultdict(list)
        conversations, dms_to, dms_from = self.dm_conversations, self.dms_to, self.dms_from
        for dm in dms:
            conversations[dm.conversation_id].append(dm)
            if dm.sender in roster:
                dms_from[dm.sender].append(dm)
            for recipient in dm.recipients:
                if recipient in roster:
                    dms_to[recipient].append(dm)

        times = [e.created_at for e in (posts[:1] + posts[-1:] + dms[:1] + dms[-1:])]
        self.first_event: datetime | None = min(times) if times else None
        self.last_event: datetime | None = max(times) if times else None

        # Whose DMs the sources hold to the end of the data: an answer or a kept promise by DM can only be
        # seen for them (an archive made before the data ends holds none of the later DMs).
        self.dm_accounts: frozenset[str] = activity.dm_accounts(through=self.last_event)
        # Posts on X some source says were replied to by a post no source holds.
        self.replied_unseen: frozenset[str] = frozenset(
            post for source in activity.sources for post, replies in source.replies_not_held.items()
            if post in by_id and any(reply not in by_id for reply in replies))
        self.accounts: int = len(set(map(_author, posts)).union(map(_sender, dms)))  # who wrote: posts' authors, DMs' senders

    def _complete(self, post: Post, by_id: dict[str, Post]) -> Post:
        if post.conversation_id is not None and (post.in_reply_to is None or post.in_reply_to_author is not None):
            return post
        parent = by_id.get(_ref(post.platform, post.in_reply_to)) if post.in_reply_to else None
        changes = {}
        if post.in_reply_to_author is None and parent is not None:
            changes["in_reply_to_author"] = parent.author
        if post.conversation_id is None:
            changes["conversation_id"] = self._root(post, by_id)
        return replace(post, **changes) if changes else post

    @staticmethod
    def _root(post: Post, by_id: dict[str, Post]) -> str:
        # Walk up the reply chain to the first post whose parent we do not hold (or
        # that names its conversation). Iterative, and safe against cycles in bad data.
        seen = set()
        current = post
        while current.in_reply_to is not None:
            if current.id in seen:
                break
            seen.add(current.id)
            parent = by_id.get(_ref(current.platform, current.in_reply_to))
            if parent is None:
                return current.in_reply_to
            if parent.conversation_id is not None:
                return parent.conversation_id
            current = parent
        return current.id

    def replies_to(self, conversation: str, author: str) -> Sequence[Post]:
        """The roster accounts' replies in `conversation` to posts of `author`, in time order."""
        found = self._replies.get(conversation)
        if found is None:
            return ()
        kind = type(found)
        if kind is Post:
            return (found,) if found.in_reply_to_author == author else ()
        if kind is tuple:
            return tuple([reply for reply in found if reply.in_reply_to_author == author])
        return found.get(author, ())

    def replies_in(self, conversation: str) -> Sequence[Post]:
        """Every roster account's reply in `conversation`, in time order."""
        replies = self._all_replies(conversation)
        # Held by the author they answer when they are many: put back in time order.
        return sorted(replies, key=_time_key) if type(self._replies.get(conversation)) is dict else replies

    def replies_naming(self, conversation: str, handle: str) -> list[Post]:
        """The roster accounts' replies in `conversation` to someone other than `handle` that mention it,
        in no particular order (whether they address it is the caller's to read)."""
        return [reply for reply in self._all_replies(conversation)
                if reply.in_reply_to_author != handle and handle in reply.mentions]

    def _all_replies(self, conversation: str) -> Sequence[Post]:
        """The roster accounts' replies in `conversation`, in no particular order when they are many."""
        found = self._replies.get(conversation)
        if found is None:
            return ()
        kind = type(found)
        if kind is Post:
            return (found,)
        if kind is tuple:
            return found
        return [reply for replies in found.values() for reply in replies]

    def holds_dms(self, handle: str) -> bool:
        """Whether some source holds this account's DMs (so a DM it sent or missed would be seen)."""
        return handle in self.dm_accounts or EVERY_ACCOUNT in self.dm_accounts

    def event(self, kind: str, event_id: str, platform: str = "x") -> Post | DirectMessage | None:
        key = _ref(platform, event_id)
        return self.post_by_id.get(key) if kind == "post" else self.dm_by_id.get(key)

    def parent(self, post: Post) -> Post | None:
        """The post `post` replies to, on its own network, when the data holds it."""
        return self.post_by_id.get(_ref(post.platform, post.in_reply_to)) if post.in_reply_to else None


def _add_reply(replies: dict, reply: Post) -> None:
    """File a roster account's reply under its conversation (see `replies_to`); replies come in time order."""
    conversation = reply.conversation_id
    held = replies.get(conversation)
    if held is None:
        replies[conversation] = reply
    elif type(held) is Post:
        replies[conversation] = [held, reply]
    else:
        held.append(reply)


def _settle_replies(replies: dict) -> None:
    """Each conversation's list of replies as a tuple, searched one by one, or by the author they answer when
    it is long (a brand answering hundreds of people under its own post)."""
    for conversation, held in replies.items():
        if type(held) is list:
            if len(held) <= _SEARCHED_ONE_BY_ONE:
                replies[conversation] = tuple(held)
            else:
                by_author: dict[str, list[Post]] = defaultdict(list)
                for reply in held:
                    by_author[reply.in_reply_to_author].append(reply)
                replies[conversation] = dict(by_author)


def _key(event) -> str | tuple[str, str]:
    """An event's key: its id on X (nearly every event, and no tuple built), (platform, id) elsewhere."""
    return event.id if event.platform == "x" else (event.platform, event.id)


def _ref(platform: str, event_id: str) -> str | tuple[str, str]:
    return event_id if platform == "x" else (platform, event_id)


def _written(event: Post | DirectMessage) -> bytes:
    """An event as orjson writes its fields in order (times as `+00:00`): which of two events under one id
    is kept has always been decided on these bytes."""
    return orjson.dumps(event, default=asdict)


def _who(event) -> str:
    return event.author if type(event) is Post else event.sender


def _dedupe(events: list) -> tuple[dict, int]:
    """Events by key (`_key`): the same post read from two sources counts once. Also how many keys named
    events of two different authors."""
    # Keyed by the bare id on X (nearly every event) and by (platform, id) elsewhere: a str
    # never equals a tuple, and no tuple is built per event in the common case.
    # One lookup an event (setdefault, not get then set): at ten million events the dictionary
    # outgrows the CPU's caches, and each lookup is a trip to memory.
    kept = {}
    keep = kept.setdefault
    conflicts: set = set()
    for event in events:
        key = _key(event)
        other = keep(key, event)
        if other is not event and other != event:
            if _who(other) != _who(event):  # not one event read twice (an archive and a fetch may differ a little)
                conflicts.add(key)
            if _written(event) > _written(other):
                # Two different events under one id (a broken export): keep the same one whatever
                # order the lines came in, so reordering a file never changes a report (found by tests/fuzz).
                kept[key] = event
    return kept, len(conflicts)
