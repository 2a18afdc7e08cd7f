"""`engagement`: accounts listen and answer people, not only broadcast, and do not repeat posts like a bot.

```yaml
- id: listen-not-broadcast
  type: engagement
  severity: low
  description: At least 30% of an account's posts answer people; no post is repeated word for word more than twice.
  min_reply_share: 30%
  max_duplicates: 2
```

One checked item per audited account and period, for accounts that posted in
the period (reposts left out; an account with no posts is not checked).

- Reply share: the share of its posts that reply to a counterpart (the
  replied-to author is not in the roster, or the reply is under a colleague's or
  its own post and opens by addressing a counterpart, as X writes a reply in their
  thread; when the data does not say whom a post replies to, a reply that mentions
  a counterpart counts). Replies to colleagues are posts but not replies to
  people; a reply to its own post that answers nobody continues a thread, and
  a thread is one post ("1/8" to "8/8"). DMs are not posts.
  Below `min_reply_share` is a finding (check `reply-share`).
- Duplicates: broadcasts (posts that reply to nobody) with the same text,
  compared ignoring case and runs of white space; links are part of the text,
  and so is the post a quote quotes (the same comment on different posts is no
  repeat).
  A text posted more than `max_duplicates` times is automation: one finding
  per such text (check `duplicates`), citing the posts (at most 10).

The account's item fails when either is found.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timezone
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from auditor.activity.model import Post
from auditor.types import Share, format_share_against, share_of
from auditor.time.instants import utc_iso
from auditor.rules._shared import own_posts, quote
from auditor.rules.base import Check, Draft, EvidenceRef, RuleBase
from auditor.text.addressing import is_addressed, opening_mentions

if TYPE_CHECKING:
    from auditor.rules.context import RuleContext

# Posts cited as evidence of one finding, at most.
_EVIDENCE_POSTS = 10
# Broadcasts cited with a low reply share, to show what the account posted instead.
_EVIDENCE_BROADCASTS = 5


class EngagementRule(RuleBase):
    meaning: ClassVar[str] = (
        "Accounts answer people rather than only broadcasting, and do not post the same text over and over."
    )
    item_name: ClassVar[str] = "account-periods"

    type: Literal["engagement"]
    min_reply_share: Share = 0.3
    max_duplicates: int = Field(default=2, ge=1)

    def evaluate(self, ctx: "RuleContext") -> list[Check]:
        roster = ctx.index.roster
        start = ctx.period.start.astimezone(timezone.utc)
        checks = []
        for account in ctx.audited(self.id):
            written = own_posts(ctx, account.handle)
            if not written:
                continue
            answering = [_answers_someone(post, roster, ctx.is_ignored) for post in written]
            # A thread of its own posts is one post: "1/8" to "8/8" are not seven broadcasts more.
            posts = [post for post, answers in zip(written, answering)
                     if answers or post.in_reply_to is None or post.in_reply_to_author != account.handle]
            if not posts:  # only the rest of a thread begun before the period: its first post counted there
                continue
            replies = sum(answering)
            broadcasts = [post for post in posts if post.in_reply_to is None]
            share = replies / len(posts)
            measure: dict[str, Any] = {
                "posts": len(posts),
                "replies": replies,
                "reply_share": share_of(replies, len(posts)),
                "min_reply_share": self.min_reply_share,
                "period_start": utc_iso(start),
            }
            drafts = []
            if share + 1e-9 < self.min_reply_share:
                # As every report writes a share: never reading as the minimum itself, nor as 0% when some
                # posts did answer people.
                shown = format_share_against(share_of(replies, len(posts)), self.min_reply_share)
                message = (f"only {shown} of {len(posts)} posts were replies to people "
                           f"({replies} {'reply' if replies == 1 else 'replies'}; min {self.min_reply_share * 100:g}%)")
                evidence = tuple(EvidenceRef(p.id, "post", "broadcast") for p in broadcasts[:_EVIDENCE_BROADCASTS])
                drafts.append(Draft("low-engagement", message, evidence, measure, check="reply-share"))
            for group in self._duplicates(broadcasts):
                message = (f"posted the same text {len(group)} times (max {self.max_duplicates}): "
                           f"{quote(group[0].text)}")
                evidence = tuple(EvidenceRef(p.id, "post", "duplicate") for p in group[:_EVIDENCE_POSTS])
                drafts.append(Draft("automation", message, evidence,
                                    dict(measure, copies=len(group), max_duplicates=self.max_duplicates),
                                    check="duplicates"))
            counts = {"posts": len(posts), "replies": replies,
                      "duplicate_groups": sum(1 for d in drafts if d.check == "duplicates")}
            checks.append(Check(account.handle, start, "failed" if drafts else "passed", None, share,
                                tuple(drafts), counts))
        return checks

    def metrics(self, checks: list[Check]) -> dict[str, Any]:
        posts = sum(c.counts["posts"] for c in checks)
        replies = sum(c.counts["replies"] for c in checks)
        return {
            "accounts": len(checks),
            "posts": posts,
            "replies": replies,
            "reply_share": share_of(replies, posts),
            "duplicate_groups": sum(c.counts["duplicate_groups"] for c in checks),
        }

    def _duplicates(self, broadcasts: list[Post]) -> list[list[Post]]:
        # A quote is its comment and the post it quotes: "Congrats!" on three colleagues' news is no repeat.
        groups: dict[tuple[str, str | None], list[Post]] = defaultdict(list)
        for post in broadcasts:
            text = " ".join(post.text.casefold().split())
            if text:
                groups[(text, post.quote_of)].append(post)
        return [group for group in groups.values() if len(group) > self.max_duplicates]


def _answers_someone(post: Post, roster: set[str], is_ignored) -> bool:
    """A reply to a counterpart (a person: not an ignored account), or one under a colleague's post that opens by
    addressing a counterpart ("@bob @rpatel Here you go Bob": X put it under Raj's answer in Bob's thread); a
    reply whose parent we do not hold counts when it mentions one."""
    if post.in_reply_to is None:
        return False
    if post.in_reply_to_author is not None:
        if post.in_reply_to_author not in roster:
            return not is_ignored(post.in_reply_to_author)
        opening = opening_mentions(post.text)
        return any(handle not in roster and not is_ignored(handle) and is_addressed(handle, opening)
                   for handle in post.mentions)
    return any(handle not in roster and not is_ignored(handle) for handle in post.mentions)
