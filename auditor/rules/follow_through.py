"""`follow_through`: a public "DM me" or "we'll get back to you" is followed by a DM in time.

```yaml
- id: keep-dm-promises
  type: follow_through
  severity: critical
  description: A promise of private contact made in public is kept by DM within a day.
  within: 24h
  responders: account
  promises: {extend: ["ping me", "/call me (today|tomorrow)/"]}
```

Promise: a post (not a repost) of an audited account, in the period, that
matches a promise phrase (built-in: "DM me/us", "check your DMs", "take this
offline", "talk off air", "I'll get back to you", "we'll reach out"...;
`promises: {extend: [...]}` adds phrases, `{replace: [...]}` uses only the
policy's; refusals such as "please don't DM me" are not promises). It is made
to the counterpart the post replies to and to every counterpart it mentions,
never to a roster account: one post to two counterparts is two promises.

Deadline: `within` after the promise. When the counterpart writes to the
account by DM after the promise and before that deadline, they are owed an
answer within `within` of their first such DM, so the deadline moves to then.

Kept: the account (or, with `responders: team`, an audited account of its
team) sends the counterpart a DM at or before the deadline, whether it answers
the counterpart's DM or writes first. A DM sent up to one hour before the
promise keeps it too: "check your DMs" is posted after the DM it announces.
Broken: no such DM and the deadline passed before the end of the data; the
counterpart's unanswered DMs are the evidence. Pending: the deadline is still
ahead. Promises count in the period they are made in; the DM may come later.
"""

from __future__ import annotations

import statistics
from bisect import bisect_left
from collections import defaultdict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import model_validator

from auditor.activity.model import DirectMessage, Post
from auditor.policy.durations import format_duration
from auditor.policy.types import Duration, Strict
from auditor.activity.events import utc_iso
from auditor.rules._shared import PhraseList, created_at, own_posts, per_text, quote, responder_groups
from auditor.rules.base import Check, Draft, EvidenceRef, RuleBase
from auditor.text.promises import find_promise

if TYPE_CHECKING:
    from auditor.audit_context import RuleContext

# A DM sent this long before the promise post still keeps it ("I've sent you a DM", "check your DMs").
ANNOUNCED_DM = timedelta(hours=1)
# Unanswered DMs quoted as evidence of one broken promise, at most.
_EVIDENCE_DMS = 5


class PromisePhrases(Strict):
    """Phrases that make a post a promise: added to the built-in set, or replacing it."""

    extend: PhraseList | None = None
    replace: PhraseList | None = None

    @model_validator(mode="after")
    def _one_of(self) -> "PromisePhrases":
        if (self.extend is None) == (self.replace is None):
            raise ValueError(
                "give either extend: [...] (add to the built-in phrases) or replace: [...] (use only yours)"
            )
        return self


class FollowThroughRule(RuleBase):
    meaning: ClassVar[str] = (
        "A public promise of private contact (\"DM me\", \"we'll get back to you\") is followed by a DM "
        "to that person within the time limit."
    )
    item_name: ClassVar[str] = "promises"

    type: Literal["follow_through"]
    within: Duration
    responders: Literal["account", "team"] = "account"
    promises: PromisePhrases | None = None

    def evaluate(self, ctx: "RuleContext") -> list[Check]:
        audited = ctx.audited(self)
        if not audited:
            return []
        groups = responder_groups(audited, self.responders)
        promises = self._promises(ctx, audited)
        if not promises:
            return []
        wanted = {(groups.group_of[post.author], counterpart) for post, counterpart, _ in promises}
        sent, received = _dms_between(ctx, groups.members, wanted)
        checks = []
        for post, counterpart, words in promises:
            key = (groups.group_of[post.author], counterpart)
            checks.append(self._judge(ctx, post, counterpart, words, sent.get(key, []), received.get(key, [])))
        return checks

    def _promises(self, ctx: "RuleContext", audited) -> list[tuple[Post, str, str]]:
        """(promise post, counterpart, the promise's words), one per counterpart."""
        extra = tuple(self.promises.extend or ()) if self.promises else ()
        replace = tuple(self.promises.replace) if self.promises and self.promises.replace else None
        roster = ctx.index.roster
        addressed_posts = []
        for account in audited:
            for post in own_posts(ctx, account.handle):
                addressed = [post.in_reply_to_author] if post.in_reply_to_author else []
                counterparts = [handle for handle in dict.fromkeys(addressed + list(post.mentions))
                                if handle not in roster]
                if counterparts:  # a promise to nobody: no need to read it
                    addressed_posts.append((post, counterparts))
        matches = per_text(find_promise, (post.text for post, _ in addressed_posts), extra, replace)
        found = []
        for post, counterparts in addressed_posts:
            match = matches[post.text]
            if match is not None:
                found += [(post, counterpart, match.text) for counterpart in counterparts]
        return found

    def _judge(self, ctx: "RuleContext", promise: Post, counterpart: str, words: str,
               sent: list[DirectMessage], received: list[DirectMessage]) -> Check:
        made = promise.created_at
        wrote = _first_at_or_after(received, made)
        window_end = made + self.within
        # A counterpart who took up the offer in time is owed an answer within `within` of writing.
        took_up = wrote is not None and wrote.created_at <= window_end
        deadline = wrote.created_at + self.within if took_up else window_end
        dm = _first_at_or_after(sent, made - ANNOUNCED_DM)
        account = promise.author
        limit = format_duration(self.within)
        measure: dict[str, Any] = {
            "promise": words,
            "promised_at": utc_iso(made),
            "within_seconds": int(self.within.total_seconds()),
            "deadline": utc_iso(deadline),
            "counterpart_wrote_at": utc_iso(wrote.created_at) if wrote else None,
        }
        if dm is not None and dm.created_at <= deadline:
            seconds = max(0.0, (dm.created_at - made).total_seconds())
            return Check(account, made, "passed", counterpart, seconds)
        first = bisect_left(received, made, key=created_at)
        evidence = (EvidenceRef(promise.id, "post", "promise"),) + tuple(
            EvidenceRef(item.id, "dm", "unanswered-dm")
            for item in received[first : first + _EVIDENCE_DMS]
            if dm is None or item.created_at < dm.created_at
        )
        promised = f"the promise {quote(words)}"
        if dm is None and deadline >= ctx.as_of:  # as in response_time: broken once the deadline is past
            message = f"{promised} to @{counterpart} is still open (due {ctx.local(deadline)})"
            return Check(account, made, "pending", counterpart, None, (Draft("pending", message, evidence, measure),))
        if dm is not None:
            measure.update(first_dm_at=utc_iso(dm.created_at), first_dm_by=dm.sender)
            evidence += (EvidenceRef(dm.id, "dm", "late-answer"),)
        if took_up:
            waited = (dm.created_at if dm else ctx.as_of) - wrote.created_at
            measure["waited_seconds"] = int(waited.total_seconds())
            outcome = f"was answered only after {format_duration(waited)}" if dm else "got no answer"
            message = f"@{counterpart} wrote by DM after {promised} and {outcome} (limit {limit})"
        else:
            late = f"was followed by a DM only after {format_duration(dm.created_at - made)}" if dm else None
            outcome = late or "was not followed by any DM"
            message = f"{promised} to @{counterpart} {outcome} (limit {limit})"
        return Check(account, made, "failed", counterpart, None, (Draft("broken", message, evidence, measure),))

    def metrics(self, checks: list[Check]) -> dict[str, Any]:
        times = sorted(c.value for c in checks if c.status == "passed" and c.value is not None)
        return {
            "promises": len(checks),
            "kept": sum(1 for c in checks if c.status == "passed"),
            "broken": sum(1 for c in checks if c.status == "failed"),
            "pending": sum(1 for c in checks if c.status == "pending"),
            "median_seconds_to_keep": round(statistics.median(times)) if times else None,
        }


def _dms_between(ctx: "RuleContext", members: dict[str, frozenset[str]], wanted: set[tuple[str, str]]):
    """DMs from each responder group to each promised counterpart, and back: one pass over the groups' DMs."""
    index = ctx.index
    sent: dict[tuple[str, str], dict[str, DirectMessage]] = defaultdict(dict)
    received: dict[tuple[str, str], dict[str, DirectMessage]] = defaultdict(dict)
    for group in {group for group, _ in wanted}:
        for handle in members[group]:
            for dm in index.dms_from.get(handle, ()):
                for recipient in dm.recipients:
                    if (group, recipient) in wanted:
                        sent[(group, recipient)][dm.id] = dm
            for dm in index.dms_to.get(handle, ()):
                if (group, dm.sender) in wanted:
                    received[(group, dm.sender)][dm.id] = dm  # a DM to two teammates is one DM
    return _sorted(sent), _sorted(received)


def _sorted(by_pair: dict[tuple[str, str], dict[str, DirectMessage]]) -> dict[tuple[str, str], list[DirectMessage]]:
    return {pair: sorted(dms.values(), key=lambda dm: (dm.created_at, dm.id)) for pair, dms in by_pair.items()}


def _first_at_or_after(dms: list[DirectMessage], moment: datetime) -> DirectMessage | None:
    position = bisect_left(dms, moment, key=created_at)
    return dms[position] if position < len(dms) else None
