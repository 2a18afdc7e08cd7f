"""Small helpers the rule kinds share: the period's slice of a time-sorted list, phrase lists, quoting."""

from __future__ import annotations

from bisect import bisect_left
import re
from collections import Counter, defaultdict
import math
from datetime import datetime, timedelta, timezone
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from pydantic import AfterValidator, Field

from auditor.activity.model import DirectMessage, Post
from auditor.result import Wait
from auditor.speedups import parallel_map
from auditor.text.patterns import Matcher, compile_phrases
from auditor.time.durations import format_wait
from auditor.time.instants import utc_iso

if TYPE_CHECKING:
    from auditor.rules.context import RuleContext

Event = TypeVar("Event", Post, DirectMessage)
R = TypeVar("R")


def period_slice(ctx: "RuleContext", events: list[Post] | list[DirectMessage]) -> slice:
    """Where the period lies in a time-sorted index list (by_author, inbound_posts, dms_from...): two bisections."""
    start = ctx.period.start.astimezone(timezone.utc)
    end = ctx.period.end.astimezone(timezone.utc)
    return slice(bisect_left(events, start, key=created_at), bisect_left(events, end, key=created_at))


def in_period(ctx: "RuleContext", events: list[Event]) -> list[Event]:
    """The events of a time-sorted index list that fall in the period."""
    return events[period_slice(ctx, events)]


def created_at(event: Post | DirectMessage) -> datetime:
    return event.created_at


def first_at_or_after(events: Sequence[Event], moment: datetime) -> Event | None:
    """The first of time-sorted `events` at or after `moment`, or None."""
    position = bisect_left(events, moment, key=created_at)
    return events[position] if position < len(events) else None


def dms_sent_to(ctx: "RuleContext", members: dict[str, frozenset[str]], wanted: set[tuple[str, str]]
                ) -> dict[tuple[str, str], list[DirectMessage]]:
    """The DMs each responder group sent to each counterpart of `wanted` ((group, counterpart) pairs), member
    by member: one account's come in time order."""
    sent: dict[tuple[str, str], list[DirectMessage]] = defaultdict(list)
    for group in {group for group, _ in wanted}:
        for handle in members[group]:
            for dm in ctx.index.dms_from.get(handle, ()):
                for recipient in dm.recipients:
                    if (group, recipient) in wanted:
                        sent[(group, recipient)].append(dm)
    return sent


def own_posts(ctx: "RuleContext", handle: str) -> list[Post]:
    """An account's posts in the period, reposts left out (a repost is someone else's words)."""
    return [post for post in in_period(ctx, ctx.index.by_author.get(handle, [])) if not post.is_repost]


def per_text(function: Callable[..., R], texts: Iterable[str], *args: Any) -> dict[str, R]:
    """``function(text, *args)`` once per distinct text, spread over the CPUs (auditor/speedups.py).

    ``function`` is a module-level detector (workers are forked processes and
    receive it by name); the result maps each text to its answer.
    """
    distinct = list(dict.fromkeys(texts))
    return dict(zip(distinct, parallel_map(partial(_each_text, function, args), distinct)))


def _each_text(function: Callable[..., R], args: tuple, texts: Sequence[str]) -> list[R]:
    return [function(text, *args) for text in texts]


def _valid_phrases(entries: list[str]) -> list[str]:
    matcher(tuple(entries))  # a bad /regex/ is a policy error, reported at load time with its position
    return entries


# Phrases (whole words, any case) or /regex/ (RE2), as written in a policy.
PhraseList = Annotated[
    list[str],
    Field(min_length=1),
    AfterValidator(_valid_phrases),
]


@lru_cache(maxsize=128)
def matcher(entries: tuple[str, ...]) -> Matcher:
    """One compiled matcher per phrase list: rules are evaluated per period, the list compiles once."""
    return compile_phrases(entries)


def quote(text: str, limit: int = 80) -> str:
    """Words for a message: one line, cut at `limit` characters, in double quotes."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return f'"{flat}"'


# The key of a group of a whole team's accounts (`responder_groups`); one account alone is "account:<handle>".
TEAM_GROUP = "team:"


class ResponderGroups:
    """Who may answer for whom: each audited account alone, or its whole team."""

    def __init__(self) -> None:
        self.group_of: dict[str, str] = {}
        self.members: dict[str, frozenset[str]] = {}


def responder_groups(audited, responders: str) -> ResponderGroups:
    groups = ResponderGroups()
    members: dict[str, set[str]] = defaultdict(set)
    for account in audited:
        if responders == "team" and account.team:
            key = f"{TEAM_GROUP}{account.team}"
        else:
            key = f"account:{account.handle}"
        groups.group_of[account.handle] = key
        members[key].add(account.handle)
    groups.members = {key: frozenset(handles) for key, handles in members.items()}
    return groups


def dms_to_numbers(ctx: "RuleContext", members: dict[str, frozenset[str]]) -> dict[str, list[DirectMessage]]:
    """Each responder group's DMs to an account the data knows only by numeric user id (an X archive names a
    DM's other side by id where none of its records pairs that id with a handle), in time order; no entry for
    a group that sent none (most months)."""
    found: dict[str, list[DirectMessage]] = {}
    for group, handles in members.items():
        sent = {dm.id: dm for handle in handles for dm in ctx.index.dms_from.get(handle, ())
                if any(recipient.isdigit() for recipient in dm.recipients)}
        if sent:
            found[group] = sorted(sent.values(), key=lambda dm: (dm.created_at, dm.id))
    return found


def dm_to_a_number(unnamed: Sequence[DirectMessage], counterpart: str, start: datetime, end: datetime) -> str | None:
    """Why a contact with `counterpart` may have been made out of sight: one of `unnamed` (`dms_to_numbers`)
    sent from `start` to `end` to an account known only by number, who may be them. None when there is none."""
    for dm in unnamed[bisect_left(unnamed, start, key=created_at):]:
        if dm.created_at > end:
            break
        if counterpart not in dm.recipients:
            return (f"a DM from @{dm.sender} at {utc_iso(dm.created_at)} went to an account the data knows only by "
                    "number, who may be them")
    return None


def measured_wait(start: datetime, end: datetime, on_clock: timedelta, within: timedelta, *, answered: bool,
                  clock: str | None = None) -> Wait:
    """How long somebody waited, measured once and worded once for every format: `on_clock` is the
    time on the rule's clock (open hours on the calendar `clock`, or the wall clock when None)."""
    return Wait(
        started_at=utc_iso(start), ended_at=utc_iso(end), answered=answered, clock=clock or "wall clock",
        seconds=math.ceil(on_clock.total_seconds()), calendar_seconds=math.ceil((end - start).total_seconds()),
        within_seconds=int(within.total_seconds()),
        text=format_wait(on_clock, end - start, business_hours=clock is not None),
    )

# A reply split in numbered pieces: "(1/2) ...", "...History.1/2", "... 2/2^ML", "... - Nick 3/3": the number at its
# start (after the handles) or its end (before a signature); "shipped 1/5 of the way" or "rated 3/5" in a sentence
# is no piece.
_PART_RE = re.compile(r"^\W*(?:@\w+\W+)*\(?([1-9])/([1-9])\)?(?!\w)|(?<![\d/])\(?([1-9])\s?/\s?([1-9])\)?"
                      r"\s*(?:\^\w+)?\s*$")
# Numbered pieces of one reply are posted together.
PARTS_APART = timedelta(minutes=30)


def numbered_part(text: str) -> tuple[int, int] | None:
    """(piece, pieces) of a post numbered as a piece of one reply ("(1/2)"), else None."""
    found = _PART_RE.search(text.strip())
    if found is None:
        return None
    part, parts = (int(n) for n in (found.group(1, 2) if found.group(1) else found.group(3, 4)))
    return (part, parts) if 1 <= part <= parts and parts >= 2 else None


# A check set aside for its language counts it under this key and the language's ("language:es"), beside its own.
LANGUAGE_KEY = "language:"


def not_scored_counts(language: str, **more: int) -> dict[str, int]:
    """The counts of a check not scored for its language ("es"): `not_scored_language` and `language:es`."""
    return {**more, "not_scored_language": 1, f"{LANGUAGE_KEY}{language}": 1}


def languages_said(languages: Counter) -> str:
    """Languages and how many items of each, most first: "es 3, de 1"."""
    return ", ".join(f"{lang} {n}" for lang, n in sorted(languages.items(), key=lambda kv: (-kv[1], kv[0])))

