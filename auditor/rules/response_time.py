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
  only: [question, complaint]
  complaint_below: -0.3
  target: 95%
```

Inbound item: a counterpart's post that replies to an audited account's post
(`reply`) or mentions it (`mention`), or a counterpart's DM to it (`dm`).
Reposts are not inbound, and nor is anything written by a roster account.
Response: the audited account's post replying to the item or to a later post of
the same counterpart in the same conversation; for DMs, its next DM in that DM
conversation. Waiting episode: the items of one counterpart in one conversation
that wait for the same response; the clock runs from the first of them.
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_left
from collections import defaultdict
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from auditor.activity.model import DirectMessage, Post
from auditor.policy.durations import format_duration, format_elapsed
from auditor.policy.types import Duration
from auditor.activity.events import utc_iso
from auditor.rules._shared import per_text, responder_groups
from auditor.rules.base import Check, Draft, EvidenceRef, RuleBase
from auditor.text.questions import is_question
from auditor.text.sentiment import is_complaint

if TYPE_CHECKING:
    from auditor.audit_context import RuleContext

Channel = Literal["mention", "reply", "dm"]

# Upper bounds of the response-time histogram, as multiples of the limit (the limit itself is one).
_HISTOGRAM_FACTORS = (0.25, 0.5, 1, 2, 3, 6, 12, 24)


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
    only: list[Literal["question", "complaint"]] | None = None
    complaint_below: float = Field(default=-0.3, ge=-1, le=1)

    def evaluate(self, ctx: "RuleContext") -> list[Check]:
        audited = ctx.audited(self)
        if not audited:
            return []
        groups = responder_groups(audited, self.responders)
        items = self._inbound_items(ctx, audited, groups)
        checks = []
        for (group, counterpart, conversation, is_dm), waiting in items.items():
            waiting.sort(key=lambda entry: (entry[1].created_at, entry[1].id))
            responders = groups.members[group]
            if is_dm:
                answer = _dm_answers(ctx.index.dm_conversations[conversation], responders)
            else:
                answer = _post_answers(ctx, conversation, counterpart, responders)
            for episode in _episodes(waiting, answer):
                check = self._judge(ctx, episode, counterpart, is_dm)
                if check is not None:
                    checks.append(check)
        return checks

    def _inbound_items(self, ctx, audited, groups) -> dict[tuple, list[tuple[str, Post | DirectMessage, str]]]:
        """Inbound items keyed by (responder group, counterpart, conversation, is_dm)."""
        index = ctx.index
        wanted = set(self.inbound)
        selected = self._selection(index, audited, wanted)
        items: dict[tuple, list] = defaultdict(list)
        seen: set[tuple[str, str]] = set()  # with team responders, a post to two teammates counts once
        for account in audited:
            handle = account.handle
            group = groups.group_of[handle]
            if wanted & {"mention", "reply"}:
                for post in index.inbound_posts.get(handle, ()):
                    channel = "reply" if post.in_reply_to_author == handle else "mention"
                    if channel not in wanted or (group, post.id) in seen or (selected and not selected[post.text]):
                        continue
                    seen.add((group, post.id))
                    items[(group, post.author, post.conversation_id, False)].append((handle, post, channel))
            if "dm" in wanted:
                for dm in index.dms_to.get(handle, ()):
                    if dm.sender in index.roster or (group, dm.id) in seen or (selected and not selected[dm.text]):
                        continue
                    seen.add((group, dm.id))
                    items[(group, dm.sender, dm.conversation_id, True)].append((handle, dm, "dm"))
        return items

    def _selection(self, index, audited, wanted) -> dict[str, bool] | None:
        """With `only`, whether each inbound text is a question or complaint (None: every item counts)."""
        if not self.only:
            return None
        texts = []
        for account in audited:
            if wanted & {"mention", "reply"}:
                texts += [post.text for post in index.inbound_posts.get(account.handle, ())]
            if "dm" in wanted:
                texts += [dm.text for dm in index.dms_to.get(account.handle, ())]
        return per_text(_selected, texts, tuple(self.only), self.complaint_below)

    def _judge(self, ctx: "RuleContext", episode, counterpart: str, is_dm: bool) -> Check | None:
        waiting, response = episode
        account, first, channel = waiting[0]
        start = first.created_at
        if not ctx.period.contains(start):
            return None  # episodes belong to the period they start in; answers may come later
        clock = ctx.clock(self.clock)
        elapsed = clock.open_between(start, response.created_at) if response is not None else None
        if elapsed is not None and elapsed <= self.within:
            # Most episodes are met: they need no evidence or wording, and a large month has a million.
            return Check(account, start, "passed", counterpart, elapsed.total_seconds())
        clock_name = self.clock or "wall clock"
        kind = "dm" if is_dm else "post"
        evidence = tuple(EvidenceRef(item.id, kind, "inbound") for _, item, _ in waiting)
        measure: dict[str, Any] = {
            "channel": channel,
            "items": len(waiting),
            "clock": clock_name,
            "within_seconds": int(self.within.total_seconds()),
            "started_at": utc_iso(start),
        }
        who = f"@{counterpart}"
        limit = f"limit {format_duration(self.within)} on {clock_name}"
        if response is not None:
            measure.update(
                elapsed_seconds=int(elapsed.total_seconds()),
                answered_at=utc_iso(response.created_at),
                response_id=response.id,
                answered_by=_author(response),
            )
            evidence += (EvidenceRef(response.id, kind, "response"),)
            message = f"{who} waited {self._waited(elapsed)} for an answer ({limit})"
            return Check(account, start, "failed", counterpart, elapsed.total_seconds(),
                         (Draft("breached", message, evidence, measure),))
        deadline = clock.deadline(start, self.within)
        measure["deadline"] = utc_iso(deadline) if deadline else None
        if deadline is not None and ctx.as_of > deadline:
            waited = clock.open_between(start, ctx.as_of)
            measure["elapsed_seconds"] = int(waited.total_seconds())
            message = f"{who} got no answer: waited {self._waited(waited)} by the end of the data ({limit})"
            return Check(account, start, "failed", counterpart, None, (Draft("breached", message, evidence, measure),))
        due = f"due {ctx.local(deadline)}" if deadline else "no open hours ahead on the calendar"
        message = f"{who} is still waiting for an answer ({due})"
        return Check(account, start, "pending", counterpart, None, (Draft("pending", message, evidence, measure),))

    def _waited(self, elapsed) -> str:
        # On a business-hours clock "7d" would read as a week; say open hours instead.
        if self.clock is None:
            return format_elapsed(elapsed)
        minutes = math.ceil(elapsed.total_seconds() / 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}h{minutes:02d}m of open hours" if minutes else f"{hours}h of open hours"

    def metrics(self, checks: list[Check]) -> dict[str, Any]:
        times = sorted(c.value for c in checks if c.value is not None)
        met = sum(1 for c in checks if c.status == "passed")
        breached = sum(1 for c in checks if c.status == "failed")
        return {
            "episodes": len(checks),
            "answered": len(times),
            "met": met,
            "breached": breached,
            "pending": sum(1 for c in checks if c.status == "pending"),
            "median_response_seconds": round(statistics.median(times)) if times else None,
            "p90_response_seconds": round(_nearest_rank(times, 0.9)) if times else None,
            "share_met": round(met / (met + breached), 4) if met + breached else None,
            "histogram": self._histogram(times),
        }

    def _histogram(self, times: list[float]) -> dict[str, Any]:
        """Answered episodes by response time, in bins that are multiples of the limit (for the report's chart)."""
        limit = self.within.total_seconds()
        edges = [limit * factor for factor in _HISTOGRAM_FACTORS]
        counts = [0] * (len(edges) + 1)
        for value in times:
            counts[bisect_left(edges, value)] += 1
        return {
            "limit_seconds": int(limit),
            "bins": [[int(edge), count] for edge, count in zip(edges, counts)] + [[None, counts[-1]]],
        }


def _selected(text: str, only: tuple[str, ...], complaint_below: float) -> bool:
    return ("question" in only and is_question(text)) or ("complaint" in only and is_complaint(text, complaint_below))


def _post_answers(ctx: "RuleContext", conversation: str, counterpart: str, responders: frozenset[str]):
    """A function giving, for an inbound time, the first responder reply to that post or a later one of the counterpart."""
    index = ctx.index
    candidates = []
    for reply in index.replies.get((conversation, counterpart), ()):
        if reply.author not in responders:
            continue
        parent = index.post_by_id.get(reply.in_reply_to)
        if parent is None or parent.author != counterpart:
            continue
        candidates.append((parent.created_at, reply.created_at, reply.id, reply))
    return _first_after(candidates)


def _dm_answers(conversation: list[DirectMessage], responders: frozenset[str]):
    candidates = [(dm.created_at, dm.created_at, dm.id, dm) for dm in conversation if dm.sender in responders]
    return _first_after(candidates)


def _first_after(candidates):
    """Earliest answer whose trigger is at or after a time, in O(log n) per question."""
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


def _episodes(waiting, answer):
    """Group consecutive items that wait for the same answer."""
    episodes: list[tuple[list, Any]] = []
    for entry in waiting:
        response = answer(entry[1].created_at)
        if episodes and episodes[-1][1] is response:
            episodes[-1][0].append(entry)
        else:
            episodes.append(([entry], response))
    return episodes


def _author(event: Post | DirectMessage) -> str:
    return event.author if isinstance(event, Post) else event.sender


def _nearest_rank(values: list[float], share: float) -> float:
    return values[max(0, math.ceil(share * len(values)) - 1)]
