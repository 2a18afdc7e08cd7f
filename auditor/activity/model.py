"""Posts and direct messages: what every source turns its input into.

Events are msgspec Structs rather than pydantic models or dataclasses: a month of
a large company is about a million of them, and validation happens once, in the
source that reads them. A Struct is built in C: a million posts took 0.12 s where
slotted dataclasses took 1.0-1.3 s (their `__init__` is Python), and msgspec writes
them for the data's hash (`audit._data_sha256`) faster and to the same bytes. They
are not tracked by the garbage collector (`gc=False`): an event refers only to
strings, tuples of them and a time, never back to anything that could make a cycle,
so a collection has no reason to walk a million of them. They are not `frozen`
(a frozen Struct builds as fast; the dataclasses before them were not frozen
either), but nothing changes an event after its source has built it: use
`msgspec.structs.replace` to derive one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import msgspec

# Channels an inbound item can arrive on; a source says which of them its data can show.
CHANNELS = ("mention", "reply", "dm")
# In `SourceInfo.dm_accounts`: the source holds the DMs of every account it names.
EVERY_ACCOUNT = "*"


# Every reader keeps the reasons of the first records it skips and counts all of them.
MAX_SKIPPED_KEPT = 1000

class Post(msgspec.Struct, gc=False):
    id: str
    author: str  # normalized handle
    created_at: datetime  # aware, UTC
    text: str
    in_reply_to: str | None = None
    in_reply_to_author: str | None = None
    conversation_id: str | None = None
    mentions: tuple[str, ...] = ()
    repost_of: str | None = None
    quote_of: str | None = None
    url: str | None = None
    platform: str = "x"
    lang: str | None = None
    # The id is the platform's own post id (X API, X archive, a canonical line with a `url`), so the
    # address built from it is the real post. Anonymised ids (TWCS-style CSV) are not: a link built
    # from one would point at a stranger's post.
    real_id: bool = False

    @property
    def link(self) -> str | None:
        """The post's address: its own `url`, or, for a real X id, the one every post on X has
        (sources leave that one out: a million copies cost 100 MB)."""
        if self.url is None and self.real_id and self.platform == "x":
            return f"https://x.com/{self.author}/status/{self.id}"
        return self.url

    @property
    def is_repost(self) -> bool:
        return self.repost_of is not None


class DirectMessage(msgspec.Struct, gc=False):
    id: str
    conversation_id: str
    sender: str  # normalized handle
    recipients: tuple[str, ...]
    created_at: datetime  # aware, UTC
    text: str
    platform: str = "x"


@dataclass(frozen=True, slots=True)
class Skipped:
    """A line or record a source could not read, and why."""

    source: str
    line: int
    reason: str


@dataclass
class SourceInfo:
    """What one source contributed, for the report's data-coverage section."""

    name: str
    kind: str  # jsonl | csv | archive | store | x-api
    events: int = 0
    skipped: int = 0
    # Inbound channels this source can show. An archive holds the owner's own posts
    # and DMs but not other people's mentions of them: the report must say so.
    channels: tuple[str, ...] = CHANNELS
    notes: list[str] = field(default_factory=list)
    # Accounts whose DMs this source holds (both directions, complete for the span it covers), or
    # EVERY_ACCOUNT. A promise kept or an answer given by DM can only be seen for these accounts.
    dm_accounts: frozenset[str] = frozenset()
    # The last instant those DMs are held to, when the source ends before the data may (an X archive:
    # the day it was made). Data that runs past it cannot show their later DMs (`Activity.dm_accounts`).
    dms_until: datetime | None = None
    # Posts the source says were replied to by posts it does not hold (post id -> those replies' ids): a
    # CSV slice of a larger export. What such a post waited for cannot be seen (`response_time`).
    replies_not_held: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The end of the window read, when the source holds events after it: the data runs on past what the audit
    # read, so it is complete up to this instant (an item unanswered then is judged then, not at the last event read).
    read_until: datetime | None = None


@dataclass
class Activity:
    """Everything read from the sources of one audit."""

    posts: list[Post] = field(default_factory=list)
    dms: list[DirectMessage] = field(default_factory=list)
    sources: list[SourceInfo] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    skipped_count: int = 0

    def dm_accounts(self, through: datetime | None = None) -> frozenset[str]:
        """Accounts whose DMs some source holds (EVERY_ACCOUNT among them when one holds all), through
        `through` (the end of the data) when given: a source whose DMs end before it holds none."""
        held = [source.dm_accounts for source in self.sources
                if through is None or source.dms_until is None or source.dms_until >= through]
        # One source, the common case, gives its own set rather than a copy: a month's file names every
        # account in its DMs (135,000 at a million events, 4 MB).
        if len(held) == 1 and type(held[0]) is frozenset:
            return held[0]
        return frozenset().union(*held)

    def read_until(self) -> datetime | None:
        """The end of the window read, when some source runs on past it."""
        return max((s.read_until for s in self.sources if s.read_until is not None), default=None)

    def as_one_source(self, name: str) -> SourceInfo:
        """The source this activity came from; another store's several sources are taken as that one store."""
        if len(self.sources) == 1:
            return self.sources[0]
        channels = {c for s in self.sources for c in s.channels}
        return SourceInfo(
            name=name, kind="store", events=len(self.posts) + len(self.dms), skipped=self.skipped_count,
            channels=tuple(c for c in ("mention", "reply", "dm") if c in channels),
            notes=[f"{s.name} ({s.kind}): {note}" for s in self.sources for note in s.notes],
            dm_accounts=self.dm_accounts(),
            # Taken as one source, all its DMs end where the first of theirs does.
            dms_until=min((s.dms_until for s in self.sources if s.dms_until is not None), default=None),
            replies_not_held={post: ids for s in self.sources for post, ids in s.replies_not_held.items()},
            read_until=self.read_until())

    def extend(self, other: "Activity") -> None:
        self.posts.extend(other.posts)
        self.dms.extend(other.dms)
        self.sources.extend(other.sources)
        self.skipped.extend(other.skipped)
        self.skipped_count += other.skipped_count

