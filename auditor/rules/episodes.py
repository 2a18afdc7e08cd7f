"""Waiting episodes (`response_time`): which inbound items wait for which answer.

Every item that needs an answer waits under a key: (responder group, counterpart,
conversation, DM or not). Its answer is, of the responses whose trigger is at or after
the item's time, the earliest (then the lowest id):

* for a public item, a responder's reply to a post of the counterpart in the
  conversation (or to someone else's there, opening by addressing the counterpart too:
  "@dave @carol sorry to you both"), or a responder's DM to the counterpart (taking the
  conversation private);
  either answers what the counterpart wrote before it: its trigger is its own time (a reply
  to their first post answers the "hello??" they added before it);
* for a DM, a responder's DM in that DM conversation, or with `responders: team` a teammate's DM
  to the counterpart in any conversation (a teammate is not in theirs with the account).

Consecutive items of one key with the same answer (or with none) are one episode; its
clock runs from the first of them. The episodes come back as columns (`Episodes`): the
rule times all answered ones at once and builds a finding's wording only for a breach.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

import numpy as np

from auditor.activity.model import DirectMessage, Post
from auditor.time.open_time import to_micros

from auditor.rules._shared import TEAM_GROUP
from auditor.text.addressing import is_addressed, opening_mentions

if TYPE_CHECKING:
    from auditor.rules._shared import ResponderGroups
    from auditor.rules.context import RuleContext

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

Entry = tuple[str, Post | DirectMessage, str]  # (audited account, inbound event, channel)
# (trigger: the latest item time it answers, its own time, its id, the answer)
Candidate = tuple[datetime, datetime, str, "Post | DirectMessage"]


@dataclass
class Inbound:
    """The window's items that need an answer, in the order found, and the key each waits under."""

    keys: list[tuple[str, str, str, bool]]  # (group, counterpart, conversation, is_dm), in first-seen order
    key_of: list[int]  # per item: its key's position in `keys`
    entries: list[Entry]  # per item


@dataclass
class Episodes:
    """The window's episodes as columns: keys in first-seen order, then by time (and id) within a key."""

    entries: list[Entry]  # every item, each episode's together and in time order
    bounds: list[int]  # episode e holds entries[bounds[e]:bounds[e + 1]]
    responses: list[Post | DirectMessage | None]  # per episode
    counterparts: list[str]
    is_dm: list[bool]
    started: np.ndarray  # per episode: its first item's time, UTC microseconds
    answered: np.ndarray  # per episode: its answer's time, UTC microseconds (0 when there is none)

    def waiting(self, episode: int) -> list[Entry]:
        return self.entries[self.bounds[episode]:self.bounds[episode + 1]]


def find_episodes(ctx: "RuleContext", groups: "ResponderGroups", inbound: Inbound) -> Episodes:
    """The window's episodes: each key's items in time order, split where the answer changes."""
    waiting_by_key: list[list[Entry] | None] = [[] for _ in inbound.keys]
    for key, entry in zip(inbound.key_of, inbound.entries):
        waiting_by_key[key].append(entry)
    # A responder's DM to the counterpart answers a public item, and with `responders: team` a teammate's
    # DM answers a DM item too (no teammate is in the counterpart's conversation with the account).
    dms_sent = (_dms_sent(ctx, groups)
                if any(not key[3] or key[0].startswith(TEAM_GROUP) for key in inbound.keys) else {})
    # Built straight into columns: a list and a tuple per episode on the way were a third of the
    # rule's memory at its peak (350,000 episodes at a million events).
    entries: list[Entry] = []
    starts: list[int] = []  # where each episode's entries start
    responses: list[Post | DirectMessage | None] = []
    counterparts: list[str] = []
    is_dms: list[bool] = []
    for position, (group, counterpart, conversation, is_dm) in enumerate(inbound.keys):
        waiting = waiting_by_key[position]
        waiting_by_key[position] = None  # its entries go on in `entries`
        responders = groups.members[group]
        if is_dm:
            candidates = _dm_candidates(ctx.index.dm_conversations[conversation], responders,
                                        dms_sent.get((group, counterpart), ()) if group.startswith(TEAM_GROUP) else ())
        else:
            candidates = _post_candidates(ctx, conversation, counterpart, responders,
                                          dms_sent.get((group, counterpart), ()))
        if len(waiting) == 1:
            # Most keys hold one item (258,000 of 348,000 items at a million events): one scan of the
            # candidates answers it, with no sort and no table.
            entry = waiting[0]
            starts.append(len(entries))
            responses.append(_first_answer(candidates, entry[1].created_at))
            counterparts.append(counterpart)
            is_dms.append(is_dm)
            entries.append(entry)
            continue
        waiting.sort(key=_entry_order)
        answer = _first_after(candidates)
        # Consecutive items waiting for the same answer (or for none) are one episode.
        for n, entry in enumerate(waiting):
            response = answer(entry[1].created_at)
            if n == 0 or response is not responses[-1]:
                starts.append(len(entries))
                responses.append(response)
                counterparts.append(counterpart)
                is_dms.append(is_dm)
            entries.append(entry)
    return Episodes(
        entries=entries,
        bounds=starts + [len(entries)] if starts else [0],
        responses=responses,
        counterparts=counterparts,
        is_dm=is_dms,
        started=to_micros((entries[start][1].created_at for start in starts), len(starts)),
        answered=to_micros((r.created_at if r is not None else _EPOCH for r in responses), len(responses)),
    )


def _dms_sent(ctx: "RuleContext", groups: "ResponderGroups") -> dict[tuple[str, str], list[DirectMessage]]:
    """DMs each responder group sent, by counterpart: a DM after a public item answers it."""
    sent: dict[tuple[str, str], dict[str, DirectMessage]] = defaultdict(dict)
    for handle, group in groups.group_of.items():
        for dm in ctx.index.dms_from.get(handle, ()):
            for recipient in dm.recipients:
                sent[(group, recipient)][dm.id] = dm  # a DM to two counterparts answers both; one copy each
    return {key: list(dms.values()) for key, dms in sent.items()}


def _post_candidates(ctx: "RuleContext", conversation: str, counterpart: str, responders: frozenset[str],
                     dms: list[DirectMessage] | tuple = ()) -> list[Candidate]:
    """What may answer a public item of the counterpart in the conversation: a responder's reply to a post of
    the counterpart there, or a responder's DM to the counterpart. Each answers what was written before it:
    its own time is its trigger (one sent before the item does not answer it)."""
    index = ctx.index
    candidates = []
    for reply in index.replies_to(conversation, counterpart):
        if reply.author not in responders:
            continue
        parent = index.parent(reply)
        if parent is None or parent.author != counterpart:
            continue
        # What they wrote before it, and always the post it replies to, even stamped a moment after it.
        trigger = parent.created_at if parent.created_at > reply.created_at else reply.created_at
        candidates.append((trigger, reply.created_at, reply.id, reply))
    # A reply to someone else there that opens by addressing the counterpart too ("@dave @carol sorry to you
    # both") answers them as well.
    for reply in index.replies_naming(conversation, counterpart):
        if reply.author in responders and is_addressed(counterpart, opening_mentions(reply.text)):
            candidates.append((reply.created_at, reply.created_at, reply.id, reply))
    if dms:
        candidates += [(dm.created_at, dm.created_at, dm.id, dm) for dm in dms]
    return candidates


def _dm_candidates(conversation: list[DirectMessage], responders: frozenset[str],
                   to_them: list[DirectMessage] | tuple = ()) -> list[Candidate]:
    """What may answer a DM: a responder's DM in that DM conversation, or one of `to_them` (a team's DMs to
    the counterpart in any conversation), sent at or after it."""
    answers = [dm for dm in conversation if dm.sender in responders]
    if to_them:
        answers = list({dm.id: dm for dm in (*answers, *to_them)}.values())  # a DM in both counts once
    return [(dm.created_at, dm.created_at, dm.id, dm) for dm in answers]


def _first_answer(candidates: list[Candidate], moment: datetime) -> Post | DirectMessage | None:
    """The answer `_first_after(candidates)` gives at `moment`, for a single question: of the candidates
    triggered at or after it, the earliest answered (then the lowest id); of two with the same time and id,
    the one `_first_after` keeps (the later trigger, then the later in the list)."""
    best = None
    for candidate in candidates:
        if candidate[0] >= moment and (best is None or (candidate[1], candidate[2]) < (best[1], best[2])
                                       or ((candidate[1], candidate[2]) == (best[1], best[2])
                                           and candidate[0] >= best[0])):
            best = candidate
    return best[3] if best is not None else None


def _first_after(candidates: list[Candidate]):
    """Earliest answer whose trigger is at or after a time, in O(log n) per question (sorts `candidates`)."""
    # Most of a month's conversations hold no answer or one: no table to build for them.
    if not candidates:
        return _no_answer
    if len(candidates) == 1:
        trigger, _, _, only = candidates[0]
        return lambda moment: only if moment <= trigger else None
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    triggers = [c[0] for c in candidates]
    best: list = [None] * (len(candidates) + 1)
    for position in range(len(candidates) - 1, -1, -1):
        current = best[position + 1]
        candidate = candidates[position]
        if current is None or (candidate[1], candidate[2]) < (current[1], current[2]):
            current = candidate
        best[position] = current

    def answer(moment: datetime):
        found = best[bisect_left(triggers, moment)]
        return found[3] if found is not None else None

    return answer


def _no_answer(moment: datetime) -> None:
    return None


def _entry_order(entry: Entry) -> tuple[datetime, str]:
    return entry[1].created_at, entry[1].id
