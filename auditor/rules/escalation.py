"""`escalation`: a complaint made in public moves to DM, e-mail, phone or a web page within a couple of replies.

```yaml
- id: take-it-private
  type: escalation
  severity: medium
  description: Complaints move off the public timeline by our second reply; no long public back-and-forth.
  offer: [dm, email, phone, url]
  within_replies: 2
  max_public_replies: 4
  complaint_below: -0.3
  company_domains: [acme.example]
```

Thread: an audited account, a public conversation and a counterpart who
complains in it, i.e. posts in that conversation (mentioning or replying to
the account) with a sentiment below `complaint_below` (a post that names the
account in passing beside other accounts: a sentence naming the account). Sentiment reads English:
a post in another language (the source's `lang`, else the language detector's
guess when it is at least 0.7 sure) is not a complaint, whatever it scores. The thread starts at
the counterpart's first complaint there and belongs to the period of that
complaint. The account's replies in the thread are its posts in that
conversation replying to that counterpart, or replying to someone else and
opening with the counterpart's handle ("@carol @bob please both DM us"), from
the complaint on (replies that come after the period count); a post with no word
of two letters once its handles go ("@bob H", sent cut short before the real
reply; "👍") is no reply. A reply and the
account's own posts that continue it ("(1/2)", "(2/2)") are one reply, and so are numbered pieces
that each reply to the counterpart, posted within half an hour ("...1/2", "...2/2^ML").

Outcome of a thread (one checked item):

- `no-offer`: none of the account's first `within_replies` replies offers one
  of the `offer` channels: an invitation to DM ("DM us", "check your DMs") or
  the counterpart's DM or the account's spoken of ("we've received your DM and
  will continue there", "did you get our DM?": the thread is already private),
  an e-mail address or contact by e-mail made, promised or asked for ("we have
  emailed you", "drop us an email"), a phone number or a call ("a technician will
  phone you", "give us a call"), or a link (with `company_domains`, only a link to
  one of those domains or their subdomains). With `dm` among the channels, a DM
  the account sent them after the complaint, before the reply that had to hold
  the offer, took it private as surely; so did a DM, an e-mail address or a phone number offered to them in
  the conversation before they complained (`offer_reply` 0; a link there answered a question).
- `too-many-public-replies`: the account replied to them in public more than
  `max_public_replies` times in the thread, offer or not: replies to them (a reply to someone else that X
  opened with their handle answers that one), but not pleasantries said back to theirs ("Glad we could
  help!" to their "thank you!").
- `cannot_tell` (listed, not counted): no public reply offered a channel, no source holds the account's DMs,
  and the counterpart spoke of a DM from it after the complaint ("thanks, got your message"): the thread may
  have gone private where the data cannot show it.
- Settled in public: no offer is due when, after the complaint and before the reply that had to hold it, the
  counterpart's last word (thanks aside) says the problem is settled ("Came back on this morning", "I got my
  bowls without issue"; auditor/text/settled.py): nothing was left to take private. The thread passes unless its back-and-forth ran
  too long; the metrics count it as `settled_in_public`.
- Both can be found in one thread; a thread with neither passes.
- Pending: the account has replied, fewer than `within_replies` times, without
  an offer yet. The thread may go on, and the next reply must offer a channel;
  it is listed, not counted.
- A complaint the account never replied to is not an item here (answering at
  all is `response_time`'s job).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping, Sequence
from datetime import timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field, model_validator

from auditor.activity.model import DirectMessage, Post
from auditor.time.instants import utc_iso
from auditor.rules._shared import (
    PARTS_APART, dms_sent_to, first_at_or_after, numbered_part, per_text, period_slice, quote,
)
from auditor.rules.base import Check, Draft, EvidenceRef, RuleBase
from auditor.text.acknowledgements import is_acknowledgement
from auditor.text.addressing import is_addressed, opening_mentions, said_about
from auditor.text.language import load_detector, reads_as_english
from auditor.text.offers import find_channels, their_dm_spoken_of
from auditor.text.sentiment import is_complaint, load_sentiment, sentiment
from auditor.text.settled import says_settled
from auditor.text.spans import Match

if TYPE_CHECKING:
    from auditor.rules.context import RuleContext

Channel = Literal["dm", "email", "phone", "url"]
_CHANNEL_WORDS = {"dm": "DM", "email": "e-mail", "phone": "phone", "url": "link"}
# "@acme_support @lchen " in front of a reply's words: the quote starts after them. Bluesky's handles have
# dots ("@acme.bsky.social") and Mastodon's a server ("@carol@mastodon.social").
_LEADING_HANDLES = re.compile(r"^(?:\s*@\w[\w.-]*(?:@[\w-]+(?:\.[\w-]+)+)?)+\s*")
# Replies cited as evidence of one thread, at most.
_EVIDENCE_REPLIES = 10
# Posts of the account's own that continue one reply ("(2/2)"), read at most.
_MAX_PARTS = 10
_ANY_HANDLE_RE = re.compile(r"[@＠][\w-]+(?:[.@][\w-]+)*")
_TWO_LETTERS_RE = re.compile(r"[^\W\d_]{2}")


class EscalationRule(RuleBase):
    meaning: ClassVar[str] = (
        "When someone complains in public, the account offers a private channel (DM, e-mail, phone or a link) "
        "within its first replies and keeps the public back-and-forth short."
    )
    item_name: ClassVar[str] = "complaint threads"
    scores_texts_in_workers: ClassVar[bool] = True  # the sentiment of inbound posts, the channels replies offer

    type: Literal["escalation"]
    offer: list[Channel] = Field(default_factory=lambda: ["dm", "email", "phone", "url"], min_length=1)
    within_replies: int = Field(default=2, ge=1, le=100)
    max_public_replies: int = Field(default=4, ge=1, le=1000)
    complaint_below: float = Field(default=-0.3, ge=-1, le=1)
    company_domains: list[str] = Field(default_factory=list, description="links count as an offer only to these")

    @model_validator(mode="after")
    def _consistent(self) -> "EscalationRule":
        if self.within_replies > self.max_public_replies:
            raise ValueError(
                f"within_replies ({self.within_replies}) cannot be more than max_public_replies "
                f"({self.max_public_replies}): the offer would be due after the thread is already too long"
            )
        return self

    def prepare(self) -> None:
        # Loaded once, before the workers fork, rather than once in each: who complains, in English.
        load_sentiment()
        load_detector()

    def evaluate(self, ctx: "RuleContext") -> list[Check]:
        candidates = {account.handle: self._candidates(ctx, account.handle) for account in ctx.audited(self.id)}
        # A post addressed to the account (a reply to it, opening with its handle, or naming no one else)
        # complains when its sentiment is low; one that names it in passing beside other accounts, when a
        # sentence naming it is ("I am switching to @acme, they rock!" after a rant at another airline is
        # no complaint to @acme).
        keys = {(handle, post.text): _complaint_key(handle, post) for handle, posts in candidates.items()
                for post in posts}
        # Sentiment for every candidate post at once, so it can be spread over the CPUs.
        is_complaint = per_text(_complains, keys.values(), self.complaint_below)
        # Sentiment reads English: a post in another language is no complaint here, whatever it scores.
        english = reads_as_english([(post.text, post.lang) for handle, posts in candidates.items() for post in posts
                                    if is_complaint[keys[(handle, post.text)]]])
        complaints = []  # (account, complaint, the account's public replies after it)
        for handle, posts in candidates.items():
            first: dict[tuple, Post] = {}
            for post in posts:
                key = (post.conversation_id, post.author)
                if (key not in first and is_complaint[keys[(handle, post.text)]]
                        and english[(post.text, post.lang)]):
                    first[key] = post
            # The first complaint of each (conversation, counterpart), for threads starting in the period.
            for complaint in first.values():
                if ctx.period.contains(complaint.created_at):
                    replies = self._replies_to(ctx, handle, complaint)
                    if replies:  # a complaint not answered in public cannot be judged
                        complaints.append((handle, complaint, replies))
        # An offer made to them in the conversation before they complained ("Please DM us your order number",
        # then "You charged me twice. Unacceptable.") was made in time.
        before = {id(complaint): earlier for handle, complaint, _ in complaints
                  if (earlier := self._replies_before(ctx, handle, complaint))}  # most have none: no list kept
        # The channels each reply that may hold the offer names, every distinct text at once.
        offers = per_text(find_channels, [*(part.text for _, _, replies in complaints
                                            for parts in replies[: self.within_replies] for part in parts),
                                          *(reply.text for replies in before.values() for reply in replies)],
                          tuple(self.company_domains))
        moods = per_text(sentiment, (complaint.text for _, complaint, _ in complaints))
        # The account's DMs, and what the counterpart said since, matter only to threads whose replies offered
        # nothing in time.
        unoffered = [thread for thread in complaints if not self._offered(thread[2], offers)]
        by_dm = [(handle, complaint) for handle, complaint, _ in unoffered] if "dm" in self.offer else []
        wanted = {(handle, complaint.author) for handle, complaint in by_dm}
        dms = dms_sent_to(ctx, {handle: frozenset((handle,)) for handle, _ in wanted}, wanted)
        unseen = self._dm_unseen(ctx, by_dm)
        settled = self._settled(ctx, unoffered)
        return [self._judge(handle, complaint, replies, offers, moods[complaint.text],
                            first_at_or_after(dms.get((handle, complaint.author), ()), complaint.created_at),
                            self._pleasantries(ctx, complaint.author, replies), before.get(id(complaint), ()),
                            unseen.get(id(complaint)), settled.get(id(complaint)))
                for handle, complaint, replies in complaints]

    def _settled(self, ctx: "RuleContext", unoffered: list[tuple[str, Post, list[list[Post]]]]
                 ) -> dict[int, tuple[Post, Match]]:
        """Of the threads whose replies offered nothing in time, those whose counterpart said in public that the
        problem is settled ("Came back on this morning") after the complaint and before the reply that had to hold
        the offer (before the end of the data, when that reply has not come): nothing was left to take private.
        By the complaint: that post and its words."""
        due = {}
        for handle, complaint, replies in unoffered:
            # before that reply; or up to the end of the data, its last instant included
            due[id(complaint)] = (replies[self.within_replies - 1][0].created_at if len(replies) >= self.within_replies
                                  else ctx.as_of + _INSTANT)
        said = [(complaint, post) for complaint, post in _said_since(ctx, [(h, c) for h, c, _ in unoffered])
                if post.created_at < due[id(complaint)]]
        read = per_text(_settling, (post.text for _, post in said))
        # Their last word before the offer was due, thanks aside: "it's back up", then "down again. useless", is not
        # settled; "Came back on this morning", then "Thank you", is.
        last: dict[int, Post] = {}
        for complaint, post in said:
            words, closing = read[post.text]
            if (words is not None or not closing) and (
                    id(complaint) not in last or post.created_at >= last[id(complaint)].created_at):
                last[id(complaint)] = post
        return {key: (post, read[post.text][0]) for key, post in last.items() if read[post.text][0] is not None}

    @staticmethod
    def _dm_unseen(ctx: "RuleContext", unoffered: list[tuple[str, Post]]) -> dict[int, tuple[Post, Match]]:
        """Of the threads that offered nothing in public, those of an account whose DMs no source holds where the
        counterpart spoke of a DM from it after the complaint ("thanks, got your message"): it may have taken the
        thread private where the data cannot show it. By the complaint: that post and its words."""
        found: dict[int, tuple[Post, Match]] = {}
        for complaint, post in _said_since(ctx, [(handle, complaint) for handle, complaint in unoffered
                                                 if not ctx.holds_dms(handle)]):
            if id(complaint) not in found:
                words = their_dm_spoken_of(post.text)
                if words is not None:
                    found[id(complaint)] = (post, words)
        return found

    @staticmethod
    def _replies_before(ctx: "RuleContext", handle: str, complaint: Post) -> list[Post]:
        """The account's replies to the complaint's author in its conversation before the complaint."""
        counterpart, since = complaint.author, complaint.created_at
        return [post for post in ctx.index.replies_in(complaint.conversation_id)
                if post.author == handle and post.created_at < since and post.in_reply_to_author == counterpart]

    def _pleasantries(self, ctx: "RuleContext", counterpart: str, threads: list[list[Post]]) -> frozenset[str]:
        """The replies that only close back to the counterpart's own closing words ("Glad we could help!" to their
        "thank you!", "😊" to "you too!"): no back-and-forth. Read only where the count could pass the limit."""
        direct = [parts for parts in threads if parts[0].in_reply_to_author == counterpart]
        if len(direct) <= self.max_public_replies:
            return frozenset()
        closing = set()
        for parts in direct:
            parent = ctx.index.parent(parts[0])
            if (parent is not None and parent.author == counterpart and is_acknowledgement(parent.text)
                    and all(is_acknowledgement(part.text) for part in parts)):
                closing.add(parts[0].id)
        return frozenset(closing)

    def _candidates(self, ctx: "RuleContext", handle: str) -> list[Post]:
        """Inbound posts, up to the period's end, of threads with a post in the period that `handle` answered
        in public (a thread it never answered cannot be judged): the posts whose sentiment matters."""
        inbound = ctx.index.inbound_posts.get(handle, [])
        period = period_slice(ctx, inbound)
        replies_to = ctx.index.replies_to
        threads = {
            key for key in {(post.conversation_id, post.author) for post in inbound[period]}
            if not ctx.is_ignored(key[1]) and any(reply.author == handle for reply in replies_to(*key))
        }
        return [post for post in inbound[: period.stop] if (post.conversation_id, post.author) in threads]

    @staticmethod
    def _replies_to(ctx: "RuleContext", handle: str, complaint: Post) -> list[list[Post]]:
        """The account's public replies to the complaint's author in its conversation, from the complaint on:
        each a reply to them, or to someone else that opens by addressing them ("@carol @bob please both DM
        us"), with the account's own posts that continue it ("(2/2)"), in order."""
        counterpart, since = complaint.author, complaint.created_at
        own = [post for post in ctx.index.replies_in(complaint.conversation_id)
               if post.author == handle and post.created_at >= since]
        continued: dict[str, list[Post]] = {}
        for post in own:
            if post.in_reply_to_author == handle:
                continued.setdefault(post.in_reply_to, []).append(post)
        replies = []
        for post in own:
            if _no_words(post.text):
                continue  # "@115797 H": a stray post sent before the real reply, no reply of its own
            if post.in_reply_to_author == counterpart or (
                    post.in_reply_to_author != handle and is_addressed(counterpart, opening_mentions(post.text))):
                parts, at = [post], 0
                while at < len(parts) and len(parts) < _MAX_PARTS:  # its thread of own posts, "(1/3)" to "(3/3)"
                    parts += continued.get(parts[at].id, ())
                    at += 1
                replies.append(parts)
        return _numbered_parts_joined(replies)

    def _offered(self, threads: list[list[Post]], offers: dict[str, dict[str, Match]]) -> bool:
        return any(kind in offers[part.text] for parts in threads[: self.within_replies] for part in parts
                   for kind in self.offer)

    def _judge(self, handle: str, complaint: Post, threads: list[list[Post]], offers: dict[str, dict[str, Match]],
               mood: float, dm: DirectMessage | None = None, pleasantries: frozenset[str] = frozenset(),
               before: Sequence[Post] = (), dm_unseen: tuple[Post, Match] | None = None,
               settled: tuple[Post, Match] | None = None) -> Check:
        counterpart = complaint.author
        offered, offer_at = None, None
        for reply in before:
            # A DM, an e-mail address or a phone number offered before they complained; a link there answered a
            # question ("Business and up: <pricing page>") and offered no channel for the complaint to come.
            offered = next(((kind, offers[reply.text][kind]) for kind in self.offer
                            if kind != "url" and kind in offers[reply.text]), None)
            if offered:
                offer_at = 0  # before the complaint
                break
        for number, parts in enumerate(threads[: self.within_replies] if offered is None else (), start=1):
            offered = next(((kind, offers[part.text][kind]) for part in parts for kind in self.offer
                            if kind in offers[part.text]), None)
            if offered:
                offer_at = number
                break
        if offered is None and dm is not None and (len(threads) < self.within_replies
                                                   or dm.created_at < threads[self.within_replies - 1][0].created_at):
            # The account wrote to them by DM before the reply that had to hold the offer: it went private.
            offered = ("dm", Match(0, 0, "a DM sent " + utc_iso(dm.created_at)))
            offer_at = sum(1 for parts in threads if parts[0].created_at <= dm.created_at) + 1
        replies = [parts[0] for parts in threads]  # a reply and its continuation are one reply
        # The back-and-forth with them: their replies (a reply to someone else that X opened with their handle
        # answers that one), but for pleasantries said back to theirs ("Glad we could help!" to "thank you!").
        exchanged = [parts[0] for parts in threads
                     if parts[0].in_reply_to_author == counterpart and parts[0].id not in pleasantries]
        measure: dict[str, Any] = {
            "conversation": complaint.conversation_id,
            "complaint_sentiment": mood,
            "complained_at": utc_iso(complaint.created_at),
            "public_replies": len(exchanged),
            "within_replies": self.within_replies,
            "max_public_replies": self.max_public_replies,
            "offered": offered[0] if offered else None,
            "offered_words": offered[1].text if offered else None,
            "offer_reply": offer_at,
        }
        said = quote(_LEADING_HANDLES.sub("", complaint.text), 60)
        who = f"@{counterpart}"
        channels = _either([_CHANNEL_WORDS[kind] for kind in self.offer])
        start = complaint.created_at
        value = float(len(exchanged))
        if offered is None and settled is not None:
            # They said it is settled before the offer was due ("Came back on this morning"): nothing left to take
            # private. Too long a back-and-forth in public is still one.
            measure["settled_words"] = settled[1].text
            drafts = self._too_many(handle, complaint, exchanged, measure, said)
            return Check(handle, start, "failed" if drafts else "passed", counterpart, value, drafts, _SETTLED)
        if offered is None and len(replies) < self.within_replies:
            evidence = _evidence(complaint, replies)
            message = (f"{who} complained in public ({said}); {len(replies)} public "
                       f"{_replies(len(replies))} so far and no {channels} offered yet "
                       f"(due by reply {self.within_replies})")
            return Check(handle, start, "pending", counterpart, value, (Draft("pending", message, evidence, measure),))
        if (offered is None and dm_unseen is not None and len(replies) >= self.within_replies
                and len(exchanged) <= self.max_public_replies):  # too long in public is so whatever the DMs
            said_dm, words = dm_unseen
            measure["reason"] = f"no source holds the DMs of @{handle}"
            message = (f"cannot tell whether the thread with {who} went private: no public reply offered a channel, "
                       f"but they wrote {quote(words.text)} after the complaint {said}, and no source holds the DMs "
                       f"of @{handle}")
            return Check(handle, start, "uncounted", counterpart, value,
                         (Draft("cannot_tell", message, _evidence(complaint, replies[: self.within_replies])
                                + (EvidenceRef(said_dm.id, "post", "dm-spoken-of"),), measure),))
        drafts = []
        if offered is None and dm_unseen is None:
            first = replies[: self.within_replies]
            first_replies = "the first public reply" if len(first) == 1 else f"the first {len(first)} public replies"
            message = f"{who} complained in public ({said}) and {first_replies} offered no {channels}"
            drafts.append(Draft("no-offer", message, _evidence(complaint, first), measure, check="no-offer"))
        drafts += self._too_many(handle, complaint, exchanged, measure, said)
        return Check(handle, start, "failed" if drafts else "passed", counterpart, value, tuple(drafts))

    def _too_many(self, handle: str, complaint: Post, exchanged: list[Post], measure: dict[str, Any], said: str
                  ) -> tuple[Draft, ...]:
        if len(exchanged) <= self.max_public_replies:
            return ()
        message = (f"public back-and-forth with @{complaint.author} ran to {len(exchanged)} replies "
                   f"(max {self.max_public_replies}) after the complaint {said}")
        return (Draft("too-many-public-replies", message, _evidence(complaint, exchanged), measure,
                      check="too-many-public-replies"),)

    def metrics(self, checks: list[Check]) -> dict[str, Any]:
        found = [draft.check for check in checks for draft in check.findings]
        judged = sorted(c.value for c in checks if c.status != "pending" and c.value is not None)
        return {
            "threads": len(checks),
            "offered_in_time": sum(
                1 for c in checks if c.status not in ("pending", "uncounted") and c.counts is not _SETTLED
                and all(d.check != "no-offer" for d in c.findings)
            ),
            "settled_in_public": sum(c.counts is _SETTLED for c in checks),
            "cannot_tell": sum(1 for c in checks if c.status == "uncounted"),
            "no_offer": found.count("no-offer"),
            "too_many_public_replies": found.count("too-many-public-replies"),
            "pending": sum(1 for c in checks if c.status == "pending"),
            "median_public_replies": statistics.median(judged) if judged else None,
        }


_INSTANT = timedelta(microseconds=1)
# The counts of a thread its counterpart said was settled before the offer was due (shared, read only).
_SETTLED: Mapping[str, int] = MappingProxyType({"settled_in_public": 1})
# Joins an account and a text that names it in passing into one key for `_complains`.
_PASSING = "\x1f"


def _complaint_key(handle: str, post: Post) -> str:
    """The text to judge, or "handle\x1ftext" for a post that names the account in passing beside others
    (whose complaint may be about one of them)."""
    if (post.in_reply_to_author == handle or all(named == handle for named in post.mentions)
            or is_addressed(handle, opening_mentions(post.text))):
        return post.text
    return handle + _PASSING + post.text


def _complains(key: str, below: float) -> bool:
    if _PASSING not in key:
        return is_complaint(key, below)
    handle, text = key.split(_PASSING, 1)
    return any(is_complaint(sentence, below) for sentence in said_about(text, handle))


def _said_since(ctx: "RuleContext", threads: list[tuple[str, Post]]) -> list[tuple[Post, Post]]:
    """(complaint, post) for each post of the complaint's author in its conversation, addressed to the account,
    after the complaint: what the counterpart said since, in the order the account received it."""
    wanted = {(handle, complaint.author, complaint.conversation_id): complaint for handle, complaint in threads}
    return [(complaint, post) for handle in {key[0] for key in wanted}
            for post in ctx.index.inbound_posts.get(handle, ())
            if (complaint := wanted.get((handle, post.author, post.conversation_id))) is not None
            and post.created_at > complaint.created_at]


def _settling(text: str) -> tuple[Match | None, bool]:
    """The words of a post that say its problem is settled, and whether it only thanks or closes."""
    return says_settled(text), is_acknowledgement(text)


def _no_words(text: str) -> bool:
    """No word of two letters once its handles go: a stray post, cut short ("@115797 H"), or only a mark ("👍")."""
    return _TWO_LETTERS_RE.search(_ANY_HANDLE_RE.sub(" ", text)) is None


def _numbered_parts_joined(replies: list[list[Post]]) -> list[list[Post]]:
    """Replies that are numbered pieces of one ("...1/2" then "...2/2", each replying to the customer) as one."""
    joined: list[list[Post]] = []
    for parts in replies:
        if joined:
            before, now = numbered_part(joined[-1][-1].text), numbered_part(parts[0].text)
            if (before and now and before[1] == now[1] and now[0] == before[0] + 1
                    and parts[0].created_at - joined[-1][-1].created_at <= PARTS_APART):
                joined[-1] = joined[-1] + parts
                continue
        joined.append(parts)
    return joined


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _replies(count: int) -> str:
    return "reply" if count == 1 else "replies"


def _evidence(complaint: Post, replies: list[Post]) -> tuple[EvidenceRef, ...]:
    return (EvidenceRef(complaint.id, "post", "complaint"),) + tuple(
        EvidenceRef(reply.id, "post", "reply") for reply in replies[:_EVIDENCE_REPLIES]
    )
