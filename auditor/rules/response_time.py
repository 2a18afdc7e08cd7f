"""`response_time`: people who write to an audited account get an answer within the SLA.

```yaml
- id: answer-customers
  type: response_time
  severity: high
  description: Customers who mention us or write to us get an answer within 4 business hours.
  applies_to: {teams: [support]}
  inbound: [mention, reply, dm]
  within: 4h
  clock: support-hours
  responders: account
  needs_answer: auto
  only: [question, complaint]
  complaint_below: -0.3
  target: 95%
```

Inbound item: a counterpart's post that replies to an audited account's post
(`reply`) or mentions it (`mention`), or a counterpart's DM to it (`dm`).
Reposts are not inbound, and nor is anything written by a roster account or by
an account the policy's `ignore_accounts` sets aside.

Needs an answer (`needs_answer: auto`, the default): an item addressed to the
account (a reply to its post, its handle among the @mentions that open the
text, a DM; under another customer's post, a reply that speaks only to that
customer opens with the handles X carried over from it: "@carol @acme congrats!"
answers carol, "@carol @acme mine too" waits as carol does), or a passing
mention that is a question or whose sentence naming
the account is a complaint. An acknowledgement ("thanks!", "ok, will do", "DM
sent", 👍) never needs one, and nor can be told to need one an item whose text the
data does not hold (an X archive's DM headers: times and people, no words). Items
set aside are counted in the metrics by reason. `needs_answer: always` checks every inbound item; `only:` narrows to
questions and/or complaints. Complaints are read in English only: a post in
another language (the source's `lang`, else the detector's guess when it is at least 0.7 sure)
is never a complaint, whatever its sentiment; a question counts in any language.

Response: the audited account's post replying to the item or to another post of
the same counterpart in the same conversation, sent after the item (a reply answers
all they wrote before it there), or a DM from it to the
counterpart sent after the item (taking the conversation private answers it);
for DMs, its next DM in that DM conversation. With `responders: team` any
audited account of the same team answers (a DM item: by a DM to the counterpart
in any DM conversation). A DM item late or unanswered as far as the data shows,
where no source holds the DMs of an account that may answer it, is "cannot
tell": listed, counted in the metrics as `DMs not held`, never breached; so is a public
item in a conversation the account took to DM by its deadline ("Send us a DM please") where no
source holds its DMs, and a public item the source says was replied to by a post the data does not hold (a CSV slice of a
larger export naming its replies: `reply not in the data`). Waiting episode: the items of one
counterpart in one conversation that wait for the same response; the clock
runs from the first of them.
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_right
from collections import Counter, defaultdict
from functools import cached_property
from itertools import compress, repeat
from operator import attrgetter, eq
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np
from pydantic import Field

from auditor.time.instants import utc_iso
from auditor.types import share_of
from auditor.activity.model import DirectMessage, Post
from auditor.time.durations import Duration, format_duration
from auditor.time.open_time import open_micros_between, to_micros
from auditor.result import Moment, Timing, Wait
from auditor.rules._shared import dm_to_a_number, dms_to_numbers, measured_wait, per_text, quote, responder_groups
from auditor.rules.base import Check, Draft, EvidenceRef, RuleBase
from auditor.rules.episodes import Episodes, Inbound, find_episodes
from auditor.text.acknowledgements import is_acknowledgement
from auditor.text.addressing import is_addressed, opening_mentions, said_about, speaks_for_itself, without_added_handles
from auditor.text.offers import find_channels, their_dm_to_us
from auditor.text.language import load_detector, reads_as_english
from auditor.text.questions import is_question
from auditor.text.sentiment import is_complaint, load_sentiment

if TYPE_CHECKING:
    from auditor.rules.context import RuleContext

Channel = Literal["mention", "reply", "dm"]

# Upper bounds of the response-time histogram, as multiples of the limit (the limit itself is one).
_HISTOGRAM_FACTORS = (0.25, 0.5, 1, 2, 3, 6, 12, 24)
# Why an inbound item was not checked, in the order they are tested (the metrics' words).
SET_ASIDE_REASONS = ("ignored account", "acknowledgement", "passing mention", "not a question or complaint",
                     "no text in the data")
# A DM item past its limit where no source holds the DMs of every account that may answer it: the answer,
# a DM, may be there unseen. Listed as "cannot tell", counted in the metrics beside the items set aside.
DMS_NOT_HELD = "DMs not held"
# A public item late or unanswered as far as the data shows, that the source says was replied to by a post
# it does not hold (a slice of a larger export): the answer may be that reply.
REPLY_NOT_HELD = "reply not in the data"
# A public item late or unanswered as far as the named DMs show, while a responder wrote by DM to an account
# the data knows only by numeric id (an X archive's DM with someone it never names): that may be the answer.
DM_TO_A_NUMBER = "DM to an account known by number"
NOT_COUNTED_REASONS = (*SET_ASIDE_REASONS, DMS_NOT_HELD, REPLY_NOT_HELD, DM_TO_A_NUMBER)
_MICROSECOND = timedelta(microseconds=1)
# A hand-off to DM this long before an episode may still be where it is answered.
_HANDOFF_BEFORE = timedelta(days=1)
# Episodes judged a slice at a time (`_checks`).
_SLICE = 16_384
# Joins an account and a text into one key for the per-text detectors.
_KEY_SEPARATOR = "\x1f"


class ResponseTimeRule(RuleBase):
    meaning: ClassVar[str] = (
        "People who mention, reply to or message an audited account get an answer within the time limit."
    )
    item_name: ClassVar[str] = "waiting episodes"

    type: Literal["response_time"]
    inbound: list[Channel] = Field(default_factory=lambda: ["mention", "reply", "dm"], min_length=1)
    within: Duration
    clock: str | None = Field(default=None, description="a calendar of the policy; default: wall clock (24/7)")
    responders: Literal["account", "team"] = "account"
    needs_answer: Literal["auto", "always"] = Field(
        default="auto",
        description="auto: only items that need an answer (addressed, or a question or complaint in passing; "
                    "never an acknowledgement); always: every inbound item")
    only: list[Literal["question", "complaint"]] | None = None
    complaint_below: float = Field(default=-0.3, ge=-1, le=1)

    def prepare(self) -> None:
        # Loaded once, before the workers fork, rather than once in each: which passing mentions and
        # `only` items are complaints, in English.
        if self.needs_answer == "auto" or "complaint" in (self.only or ()):
            load_sentiment()
            load_detector()

    def evaluate(self, ctx: "RuleContext") -> list[Check]:
        return self.evaluate_periods(ctx, None)[0]

    def evaluate_periods(self, ctx: "RuleContext", previous: "RuleContext | None"
                         ) -> tuple[list[Check], list[Check] | None]:
        """The checks of the period and of the previous one. What needs an answer, and the episodes with
        their answers, are worked out over the whole window once: only which episodes and set-aside items
        each period counts (those that start in it) differs."""
        audited = ctx.audited(self.id)
        if not audited:
            return [], [] if previous is not None else None
        groups = responder_groups(audited, self.responders)
        inbound, set_aside = self._inbound_items(ctx, audited, groups)
        episodes = find_episodes(ctx, groups, inbound)
        del inbound  # its keys and positions (a few hundred thousand of each) are not needed to judge episodes
        # Per audited account, the accounts that may answer its DMs whose DMs no source holds (worked out
        # once a group: a team can have a thousand accounts).
        unseen_in = {group: sorted(h for h in members if not ctx.holds_dms(h))
                     for group, members in groups.members.items()}
        unseen = {handle: unseen_in[group] for handle, group in groups.group_of.items()}
        to_numbers = dms_to_numbers(ctx, groups.members)
        unnamed = {handle: to_numbers[group] for handle, group in groups.group_of.items() if group in to_numbers}
        checks = self._checks(ctx, episodes, set_aside, (unseen, unnamed))
        return checks, (self._checks(previous, episodes, set_aside, (unseen, unnamed), counted_only=True)
                        if previous is not None else None)

    def _checks(self, ctx: "RuleContext", episodes: Episodes, set_aside: list[tuple[str, str, datetime]],
                unseen: "OutOfSight", *, counted_only: bool = False) -> list[Check]:
        """The period's episodes judged, and what it set aside per account."""
        contains = ctx.period.contains
        # Episodes belong to the period they start in; answers may come later.
        lo, hi = to_micros((ctx.period.start, ctx.period.end), 2).tolist()
        chosen = np.flatnonzero((episodes.started >= lo) & (episodes.started < hi))
        # Every answered episode's time on the clock at once (time/open_time.py); -1: not answered.
        answered = chosen[np.array([episodes.responses[e] is not None for e in chosen.tolist()], dtype=bool)]
        elapsed = np.full(len(episodes.started), -1, dtype=np.int64)
        elapsed[answered] = open_micros_between(ctx.clock(self.clock), episodes.started[answered],
                                                episodes.answered[answered])
        within = self.within // _MICROSECOND
        checks = []
        entries, bounds, counterparts = episodes.entries, episodes.bounds, episodes.counterparts
        # A slice of the episodes at a time: the whole period's as Python ints were 20 MB at a million events.
        for at in range(0, len(chosen), _SLICE):
            some = chosen[at:at + _SLICE]
            for e, taken in zip(some.tolist(), elapsed[some].tolist()):
                if 0 <= taken <= within:  # most episodes are met: they need no evidence or wording
                    account, first, _ = entries[bounds[e]]
                    checks.append(Check(account, first.created_at, "passed", counterparts[e], taken / 1_000_000))
                else:
                    checks.append(self._judge(ctx, (episodes.waiting(e), episodes.responses[e]), counterparts[e],
                                              episodes.is_dm[e], timedelta(microseconds=taken) if taken >= 0 else None,
                                              unseen, counted_only))
        # What was set aside, per account: counted in the metrics, never in the share.
        by_account: dict[str, Counter] = defaultdict(Counter)
        for handle, reason, moment in set_aside:
            if contains(moment):
                by_account[handle][reason] += 1
        start = ctx.period.start
        for handle, reasons in sorted(by_account.items()):
            checks.append(Check(handle, start, "uncounted", counts=dict(reasons)))
        return checks

    def _inbound_items(self, ctx, audited, groups):
        """Inbound items that need an answer, each with its key (responder group, counterpart, conversation,
        is_dm), and the items set aside: (account, reason, time) each."""
        index = ctx.index
        wanted = set(self.inbound)
        candidates = []  # (account, group, event, channel)
        seen: set[tuple[str, str]] = set()  # with team responders, a post to two teammates counts once
        # An account's inbound posts hold each post once, so when each account answers for itself
        # (one account a group) no post can come twice, and the common case keeps no set of them.
        posts_can_repeat = self.responders == "team"
        for account in audited:
            handle = account.handle
            group = groups.group_of[handle]
            if wanted & {"mention", "reply"}:
                for post in index.inbound_posts.get(handle, ()):
                    channel = "reply" if post.in_reply_to_author == handle else "mention"
                    if channel not in wanted:
                        continue
                    if posts_can_repeat:
                        if (group, post.id) in seen:
                            continue
                        seen.add((group, post.id))
                    candidates.append((handle, group, post, channel))
            if "dm" in wanted:
                for dm in index.dms_to.get(handle, ()):
                    if dm.sender not in index.roster and (group, dm.id) not in seen:
                        seen.add((group, dm.id))
                        candidates.append((handle, group, dm, "dm"))
        reasons = self._reasons(ctx, candidates)
        keys: dict[tuple[str, str, str, bool], int] = {}
        inbound = Inbound([], [], [])
        set_aside = []
        for (handle, group, event, channel), reason in zip(candidates, reasons):
            if reason is None:
                is_dm = channel == "dm"
                key = (group, event.sender if is_dm else event.author, event.conversation_id, is_dm)
                position = keys.get(key)
                if position is None:
                    position = keys[key] = len(keys)
                inbound.key_of.append(position)
                inbound.entries.append((handle, event, channel))
            else:
                set_aside.append((handle, reason, event.created_at))
        inbound.keys = list(keys)
        return inbound, set_aside

    def _reasons(self, ctx, candidates) -> list[str | None]:
        """Why each candidate item needs no answer (one of SET_ASIDE_REASONS), or None when it needs one."""
        reasons: list[str | None] = [None] * len(candidates)
        open_items = []
        judged = self.needs_answer == "auto" or bool(self.only)  # by what the item says
        for n, (_, _, event, _) in enumerate(candidates):
            author = event.sender if type(event) is DirectMessage else event.author
            if ctx.is_ignored(author):
                reasons[n] = "ignored account"
            elif judged and not event.text.strip():
                # A DM header (times and people, no words): whether it asked for anything cannot be told.
                reasons[n] = "no text in the data"
            else:
                open_items.append(n)
        if self.needs_answer == "auto":
            # Each distinct text read once, on every CPU: acknowledgement, and who the post opens with.
            traits = per_text(_traits, (candidates[n][2].text for n in open_items))
            passing = []
            for n in open_items:
                handle, _, event, channel = candidates[n]
                acknowledgement, opening = traits[event.text]
                if acknowledgement:
                    reasons[n] = "acknowledgement"
                elif channel == "mention" and not _speaks_to(ctx, handle, event, opening):
                    passing.append(n)
            # A passing mention needs an answer only as a question, or when the sentence naming the account complains.
            keys = [candidates[n][0] + _KEY_SEPARATOR + candidates[n][2].text for n in passing]
            wanting = per_text(_passing_needs_answer, keys, self.complaint_below)
            why = [wanting[key] for key in keys]
            for n, wanted in zip(passing, _english_complaints(candidates, passing, why)):
                if not wanted:
                    reasons[n] = "passing mention"
        if self.only:
            still = [n for n in open_items if reasons[n] is None]
            selected = per_text(_selected, (candidates[n][2].text for n in still), tuple(self.only),
                                self.complaint_below)
            why = [selected[candidates[n][2].text] for n in still]
            for n, wanted in zip(still, _english_complaints(candidates, still, why)):
                if not wanted:
                    reasons[n] = "not a question or complaint"
        return reasons

    def _judge(self, ctx: "RuleContext", episode, counterpart: str, is_dm: bool, elapsed: timedelta | None,
               out_of_sight: "OutOfSight", counted_only: bool = False) -> Check:
        """An episode of the period, not met, with its time on the rule's clock when it was answered;
        `counted_only` leaves out the finding (the trend's period is counted, never reported)."""
        waiting, response = episode
        account, first, channel = waiting[0]
        start = first.created_at
        clock = ctx.clock(self.clock)
        deadline = overdue = None
        if response is None:
            deadline = clock.deadline(start, self.within)
            # Past due once more open time than the limit has gone by: an answer at the limit itself is met, and
            # on a calendar the limit can run out at closing time and hold until the next opening.
            overdue = deadline is not None and ctx.as_of > deadline and _open_after(clock, deadline, ctx.as_of)
        if response is not None or overdue:
            # Late or unanswered as far as the data shows, but an earlier answer might not be in it: a DM
            # where no source holds the DMs, a reply the source says exists and does not hold, a DM to
            # someone the data knows only by number.
            unseen, unnamed = out_of_sight
            if is_dm:
                why = (DMS_NOT_HELD, _dms_not_held(unseen[account])) if unseen[account] else None
            else:
                why = _reply_not_held(counterpart, waiting, ctx.index.replied_unseen)
                to_numbers = unnamed.get(account)
                if why is None and (unseen[account] or to_numbers):
                    due = deadline if response is None else clock.deadline(start, self.within)
                if why is None and unseen[account]:
                    # The account took the conversation to DM before the deadline, or the counterpart says they
                    # wrote to it there: the answer may be a DM.
                    why = (_moved_to_dm(ctx, first.conversation_id, counterpart, unseen[account],
                                        (start - _HANDOFF_BEFORE, due or ctx.as_of))
                           or _wrote_by_dm(counterpart, waiting, unseen[account], due or ctx.as_of))
                if why is None and to_numbers:
                    # Only a DM before the deadline could have been an answer in time.
                    end = min(e for e in (due, response.created_at if response else ctx.as_of) if e is not None)
                    said = dm_to_a_number(to_numbers, counterpart, start, end)
                    why = (DM_TO_A_NUMBER, said) if said is not None else None
            if why is not None:
                return self._cannot_tell(account, start, counterpart, waiting, why, is_dm, counted_only)
        if counted_only:
            answered = response is not None
            return Check(account, start, "failed" if answered or overdue else "pending", counterpart,
                         elapsed.total_seconds() if answered else None)
        # A breach or a pending episode: a finding, its measure and its clock story, each string made once.
        clock_name = self.clock or "wall clock"
        kind = "dm" if is_dm else "post"
        evidence = tuple(EvidenceRef(item.id, kind, "inbound") for _, item, _ in waiting)
        within_seconds = int(self.within.total_seconds())
        started_at = utc_iso(start)
        measure: dict[str, Any] = {
            "channel": channel,
            "items": len(waiting),
            "clock": clock_name,
            "within_seconds": within_seconds,
            "started_at": started_at,
        }
        who = f"@{counterpart}"
        limit = self._limit_text
        told = ("channel", "items", "clock", "within_seconds", "started_at")
        started = Moment("started", started_at)
        if response is not None:
            answered_at, answered_by = utc_iso(response.created_at), _author(response)
            elapsed_seconds = int(elapsed.total_seconds())
            wait = self._wait(start, response.created_at, elapsed, answered=True)
            measure.update(elapsed_seconds=elapsed_seconds, answered_at=answered_at, response_id=response.id,
                           answered_by=answered_by)
            if type(response) is DirectMessage and not is_dm:
                measure["answered_by_dm"] = True
            timing = Timing((started, Moment("answered", answered_at, answered_by)), within_seconds, clock_name,
                            elapsed_seconds=elapsed_seconds, items=len(waiting), channel=channel,
                            measure_keys=told + ("elapsed_seconds", "answered_at", "answered_by"))
            evidence += (EvidenceRef(response.id, "dm" if type(response) is DirectMessage else "post", "response"),)
            message = f"{who} waited {wait.text} for an answer ({limit})"
            return Check(account, start, "failed", counterpart, elapsed.total_seconds(),
                         (Draft("breached", message, evidence, measure, wait=wait, timing=timing),))
        measure["deadline"] = utc_iso(deadline) if deadline else None
        waited = clock.open_between(start, ctx.as_of) if ctx.as_of > start else timedelta(0)
        wait = self._wait(start, max(ctx.as_of, start), waited, answered=False)
        told += ("deadline",) if deadline else ()
        if overdue:
            measure["elapsed_seconds"] = int(waited.total_seconds())
            timing = Timing((started,), within_seconds, clock_name, measure["deadline"],
                            measure["elapsed_seconds"], len(waiting), channel, unanswered=True,
                            measure_keys=told + ("elapsed_seconds",))
            other = _answered_by_someone_else(ctx, first, counterpart, is_dm, account)
            if other is None:
                message = f"{who} got no answer: waited {wait.text} by {ctx.data_end} ({limit})"
            else:  # true of the account, not of the customer: say who answered them
                message = (f"{who} got no answer from @{account}: waited {wait.text} by {ctx.data_end} "
                           f"({limit}; @{other} answered, not one of this rule's responders)")
            return Check(account, start, "failed", counterpart, None,
                         (Draft("breached", message, evidence, measure, wait=wait, timing=timing),))
        timing = Timing((started,), within_seconds, clock_name, measure["deadline"], items=len(waiting),
                        channel=channel, unanswered=True, measure_keys=told)
        if deadline is None:
            due = "no open hours ahead on the calendar"
        elif ctx.as_of > deadline:  # the limit ran out at closing time, and the clock has not run since
            due = f"the limit ran out at closing, {ctx.local(deadline)}: late once {self.clock} opens again"
        else:
            due = f"due {ctx.local(deadline)}"
        message = f"{who} is still waiting for an answer ({due})"
        return Check(account, start, "pending", counterpart, None,
                     (Draft("pending", message, evidence, measure, wait=wait, timing=timing),))

    def _cannot_tell(self, account: str, start: datetime, counterpart: str, waiting, reason_why: tuple[str, str],
                     is_dm: bool, counted_only: bool) -> Check:
        reason, why = reason_why
        counts = {reason: 1}
        if counted_only:
            return Check(account, start, "uncounted", counterpart, counts=counts)
        channel = waiting[0][2]
        measure = {"channel": channel, "items": len(waiting), "clock": self.clock or "wall clock",
                   "within_seconds": int(self.within.total_seconds()), "started_at": utc_iso(start), "reason": why}
        kind = "dm" if is_dm else "post"
        evidence = tuple(EvidenceRef(item.id, kind, "inbound") for _, item, _ in waiting)
        what = f"@{counterpart}'s DM" if is_dm else f"@{counterpart}"
        message = f"cannot tell whether {what} was answered in time: {why}"
        return Check(account, start, "uncounted", counterpart, None,
                     (Draft("cannot_tell", message, evidence, measure),), counts=counts)

    @cached_property
    def _limit_text(self) -> str:
        if self.clock is None:
            return f"limit {format_duration(self.within)} on wall clock"
        return f"limit {format_duration(self.within)} of open hours on {self.clock}"

    def _wait(self, start: datetime, end: datetime, on_clock, *, answered: bool) -> Wait:
        return measured_wait(start, end, on_clock, self.within, answered=answered, clock=self.clock)

    def metrics(self, checks: list[Check]) -> dict[str, Any]:
        # A month holds hundreds of thousands of checks (332,645 for the benchmark's customer rule), and each
        # account's are counted again: passes in C where they can be.
        statuses = Counter(map(_status, checks))
        times = [value for value in map(_value, checks) if value is not None]
        times.sort()
        met, breached = statuses["passed"], statuses["failed"]
        set_aside: Counter = Counter()
        if statuses["uncounted"]:
            for check in compress(checks, map(eq, map(_status, checks), repeat("uncounted"))):
                set_aside.update(check.counts)
        return {
            "episodes": len(checks) - statuses["uncounted"],
            "answered": len(times),
            "met": met,
            "breached": breached,
            "pending": statuses["pending"],
            "median_response_seconds": round(statistics.median(times)) if times else None,
            "p90_response_seconds": round(_nearest_rank(times, 0.9)) if times else None,
            "share_met": share_of(met, met + breached),  # rounded toward the truth, as every share
            "histogram": self._histogram(times),
            # Inbound items of the period that needed no answer, by reason (docs/contract.md: "set aside").
            "not_counted": {reason: set_aside[reason] for reason in NOT_COUNTED_REASONS if set_aside[reason]},
        }

    def _histogram(self, times: list[float]) -> dict[str, Any]:
        """Answered episodes by response time (`times` sorted), in bins that are multiples of the limit (for
        the report's chart): a bin holds the times above the edge before it, up to its own edge."""
        limit = self.within.total_seconds()
        edges = [limit * factor for factor in _HISTOGRAM_FACTORS]
        up_to = [bisect_right(times, edge) for edge in edges] + [len(times)]
        counts = [up_to[0]] + [high - low for low, high in zip(up_to, up_to[1:])]
        return {
            "limit_seconds": int(limit),
            "bins": [[int(edge), count] for edge, count in zip(edges, counts)] + [[None, counts[-1]]],
        }


_status = attrgetter("status")
_value = attrgetter("value")


def _open_after(clock, deadline: datetime, end: datetime) -> bool:
    """Is the clock open at some time after `deadline` (when the limit's open time ran out) up to `end`?"""
    beyond = clock.deadline(deadline, _MICROSECOND)  # from the deadline, not the start: a day or two to look at
    return beyond is not None and end >= beyond


def _dms_not_held(unseen: list[str]) -> str:
    return "no source holds the DMs of " + ", ".join(f"@{handle}" for handle in unseen)


# Per audited account: the responders whose DMs no source holds, and the group's DMs to accounts known only
# by number.
OutOfSight = tuple[dict[str, list[str]], dict[str, list[DirectMessage]]]


def _answered_by_someone_else(ctx: "RuleContext", first: Post | DirectMessage, counterpart: str, is_dm: bool,
                              account: str) -> str | None:
    """Another roster account that answered the counterpart after the item, in its conversation (a reply to them,
    or a DM in that DM conversation), when the rule's responders did not: named in the finding."""
    index = ctx.index
    if is_dm:
        return next((dm.sender for dm in index.dm_conversations.get(first.conversation_id, ())
                     if dm.created_at >= first.created_at and dm.sender in index.roster and dm.sender != account), None)
    if first.conversation_id is None:
        return None
    return next((reply.author for reply in index.replies_to(first.conversation_id, counterpart)
                 if reply.created_at >= first.created_at and reply.author != account), None)


def _moved_to_dm(ctx: "RuleContext", conversation: str | None, counterpart: str, unseen: list[str],
                 between: tuple[datetime, datetime]) -> tuple[str, str] | None:
    """Why an episode's answer may be a DM the data does not hold: a responder whose DMs no source holds asked
    the counterpart for a DM or spoke of one, in the conversation `between` a day before the episode and its
    deadline, in a reply to them or one that opens by addressing them ("We have received your DM and will
    follow up with you there", "Send us a DM please"). None when none did: a hand-off weeks before is
    another matter."""
    if conversation is None:
        return None
    since, until = between
    for reply in ctx.index.replies_in(conversation):
        if (reply.author in unseen and since <= reply.created_at <= until
                and (reply.in_reply_to_author == counterpart
                     or is_addressed(counterpart, opening_mentions(reply.text)))):
            offered = find_channels(reply.text).get("dm")
            if offered is not None:
                return DMS_NOT_HELD, (f"the account took the conversation to DM ({quote(offered.text)}), and "
                                      f"{_dms_not_held(unseen)}")
    return None


def _wrote_by_dm(counterpart: str, waiting, unseen: list[str], due: datetime) -> tuple[str, str] | None:
    """Why an episode's answer may be a DM the data does not hold: one of its posts before the deadline says the
    counterpart sent the account a DM ("Just DM'd you with a screenshot"): an answer there in time was possible.
    None when none says so before the deadline ("I DMed you yesterday, still nothing" four days after it: no DM
    sent then could have been answered in time)."""
    for _, item, _ in waiting:
        if item.created_at > due:
            break
        said = their_dm_to_us(item.text)
        if said is not None:
            return DMS_NOT_HELD, (f"@{counterpart} says they sent the account a DM ({quote(said.text)}), and "
                                  f"{_dms_not_held(unseen)}")
    return None


def _reply_not_held(counterpart: str, waiting, replied_unseen: frozenset[str]) -> tuple[str, str] | None:
    """Why an episode's answer may be out of sight: the source says one of its items was replied to by a
    post the data does not hold. None when it says no such thing."""
    if not replied_unseen or not any(item.id in replied_unseen for _, item, _ in waiting):
        return None
    return REPLY_NOT_HELD, f"the source says a reply to @{counterpart}'s post exists, and the data does not hold it"


def _english_complaints(candidates, chosen: list[int], why: list[str | None]) -> list[str | None]:
    """`why` (each chosen item's "question", "complaint" or None) with the complaints in other languages taken back:
    sentiment reads English (the source's `lang`, else the detector's guess when at least 0.7 sure; docs/contract.md)."""
    complaints = [(candidates[n][2].text, _lang(candidates[n][2])) for n, wanted in zip(chosen, why)
                  if wanted == "complaint"]
    if not complaints:
        return why
    english = reads_as_english(complaints)
    return [None if wanted == "complaint" and not english[(candidates[n][2].text, _lang(candidates[n][2]))]
            else wanted for n, wanted in zip(chosen, why)]


def _lang(event: Post | DirectMessage) -> str | None:
    return event.lang if type(event) is Post else None


def _selected(text: str, only: tuple[str, ...], complaint_below: float) -> str | None:
    """Why an item is one `only` keeps: "question", "complaint", or None."""
    if "question" in only and is_question(text):
        return "question"
    return "complaint" if "complaint" in only and is_complaint(text, complaint_below) else None


def _speaks_to(ctx: "RuleContext", handle: str, post: Post, opening: tuple[str, ...]) -> bool:
    """Whether a post that mentions the account (`opening`: the handles its text opens with) is addressed to it.
    A reply under another customer's post opens with the handles X carried over from that post. One that speaks
    only to that customer ("@carol @acme congrats! enjoy it", "glad your sorted!", "😂😂🙄") answers carol: the
    account is addressed there only where its author typed the handle (`without_added_handles`); a question or a
    complaint to it still counts, as a passing mention. One that speaks for its author ("Mine too, order 5531
    never arrived", "same here") waits for the account as carol does. So does a reply under their own post, under
    a roster account's ("looping in @acme_support"), or under a post the data does not hold."""
    if not is_addressed(handle, opening):
        return False
    replied = post.in_reply_to_author
    if replied is None or replied == post.author or replied in ctx.index.roster or speaks_for_itself(post.text):
        return True
    parent = ctx.index.parent(post)
    if parent is None:
        return True
    typed = opening_mentions(without_added_handles(post.text, replied, {parent.author, *parent.mentions}))
    return is_addressed(handle, typed)


def _traits(text: str) -> tuple[bool, tuple[str, ...]]:
    """Whether a text only acknowledges, and the handles it opens with (who it is addressed to)."""
    return is_acknowledgement(text), opening_mentions(text)


def _passing_needs_answer(key: str, complaint_below: float) -> str | None:
    """Why a passing mention of an account ("account\x1ftext") needs an answer: "question", "complaint" when a
    sentence that names the account is one ("my order from @acme is two weeks late"), or None."""
    handle, text = key.split(_KEY_SEPARATOR, 1)
    if is_question(text):
        return "question"
    return "complaint" if any(is_complaint(sentence, complaint_below) for sentence in said_about(text, handle)) else None


def _author(event: Post | DirectMessage) -> str:
    return event.author if isinstance(event, Post) else event.sender


def _nearest_rank(values: list[float], share: float) -> float:
    return values[max(0, math.ceil(share * len(values)) - 1)]
