"""`follow_through`: a public "DM us" is answered once taken up, a public "we'll get back to you" is kept.

```yaml
- id: keep-dm-promises
  type: follow_through
  severity: critical
  description: A promise of private contact made in public is kept within a day.
  within: 24h
  responders: account
  promises: {extend: ["I'll ping you"]}        # commitments; or {replace: [...]}
  invitations: {extend: ["ping me"]}           # invitations; same forms
```

Promise: a post (not a repost) of an audited account, in the period, with a
promise phrase (auditor/text/promises.py; the built-in sets and what is not a
promise are in docs/detectors.md). It is made to the counterpart the post
replies to and to the counterparts whose handles open it (whom it addresses), never to a roster
account nor to one the policy's `ignore_accounts` sets aside: one post to two counterparts is two
promises. An account named further on is talked about ("we've asked @FedEx to check and we'll get back
to you"); a post that addresses no counterpart promises every one it mentions, and one that continues
the account's own reply ("(2/2)") or answers a colleague, whom that thread answers. `promises:` extends or replaces
the built-in commitments, `invitations:` the built-in invitations.

**Invitation** ("DM us your order number", "our DMs are open", "feel free to
contact us"): the counterpart takes it up by a DM to the account (with
`responders: team`, to any audited account of its team) within two weeks after the invitation (`TAKE_UP`; a
DM weeks later is another conversation) and before the group invites them again (the later invitation
is judged with it: one DM never breaks two), one that does more than thank or close ("thanks!" is an
acknowledgement, as `response_time` reads them) or say no contact is needed ("never mind, it arrived").
- `kept`: their first DM is answered within `within` by a DM to them, or by a
  public post replying to or mentioning them; or the account wrote to them by
  DM first, within `within` of the invitation, and they wrote nothing after it that was left waiting.
- `broken`: taken up and not answered within `within`; the unanswered DMs are
  the evidence. `pending`: taken up, and the answer not yet due.
- `not_taken_up`: no DM from the counterpart by the end of the data. Nobody
  broke anything: counted in the metrics, not in the share, no finding.

**Commitment** ("I'll DM you", "we'll look into it and get back to you", "I've
sent you a DM"): `kept` when, within `within`, the account (or its team)
contacts the counterpart: a DM to them, or a public post replying to or
mentioning them. A DM sent up to five minutes before keeps it too (sent and announced together), up to an
hour before one announced as it goes ("Sending you a DM now!"), up to a week before a claim of contact already made ("check your DMs", "we DM'd you
the tracking number last week"); a DM before a promise of contact to come ("we'll DM you tomorrow") does
not. Else `broken` once `within` has passed before the end of
the data, `pending` before; but `not_taken_up` when the counterpart told the group, in public or by DM, after the
promise and by its deadline, that no contact is needed any more (`is_release`: "all sorted now, thanks!").

**What the data can show.** An outcome that depends on DMs the data does not
hold (`ctx.holds_dms`: a CSV export without DMs, a fetch without the account's
user tokens, an archive that is not the account's own; with `responders: team`
every teammate's DMs are needed) is `cannot_tell`, never `broken`: listed with
its reason, not counted. So is an invitation to a channel no data shows (an
e-mail address, a phone number, a link to a web form, another desk) that the
counterpart did not take up by DM anyway, within `within` (a DM days later is
another conversation), and a commitment to contact them that way that was not
kept in sight. A commitment kept in public is `kept` whatever the
DMs. Promises count in the period they are made in; the contact may come later.

Metrics: promises, invitations, commitments, each outcome, and the median time
to keep (from the counterpart's DM to the answer for an invitation, from the
promise to the contact for a commitment).
"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from types import MappingProxyType
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field, model_validator

from auditor.time.instants import utc_iso
from auditor.activity.model import DirectMessage, Post
from auditor.result import Moment, Timing, Wait
from auditor.time.durations import Duration, format_duration
from auditor.types import Strict
from auditor.rules._shared import (
    PARTS_APART, PhraseList, created_at, dm_to_a_number, dms_sent_to, dms_to_numbers, first_at_or_after, measured_wait,
    numbered_part, own_posts, per_text, quote, responder_groups,
)
from auditor.rules.base import Check, Draft, EvidenceRef, RuleBase
from auditor.text.acknowledgements import is_acknowledgement, is_release
from auditor.text.addressing import is_addressed, opening_mentions
from auditor.text.promises import COMMITMENT, INVITATION, Promise, find_promise

if TYPE_CHECKING:
    from auditor.rules.context import RuleContext

OUTCOMES = ("kept", "broken", "pending", "not_taken_up", "cannot_tell")
# A check's counts for the metrics: one read-only mapping per kind and outcome, shared by every promise's check.
_COUNTS = {(kind, outcome): MappingProxyType({kind: 1, outcome: 1})
           for kind in (INVITATION, COMMITMENT) for outcome in OUTCOMES}
# A DM sent this long before a commitment still keeps it: sent and announced together; an hour before one that
# announces it as it goes ("Sending you a DM now!", "DMing you").
SENT_WITH = timedelta(minutes=5)
ANNOUNCED_DM = timedelta(hours=1)
_ANNOUNCING = re.compile(r"(?i)\b(?:sending|dming|dm'ing|pming|messaging|reaching\s+out)\b")
# ...not one still to come: "we'll be sending you a DM tomorrow", "we will be reaching out".
_TO_COME = re.compile(r"(?i)(?:\b(?:will|shall|gonna|going\s+to)|'ll)\s+be\s+\S*$")


def _announces(text: str, found: Promise) -> bool:
    said = _ANNOUNCING.search(found.text)
    return said is not None and _TO_COME.search(text[max(0, found.start - 30):found.start + said.start()]) is None


# An invitation is taken up by a DM within this long of it; a DM weeks later is another conversation.
TAKE_UP = timedelta(days=14)
# A DM sent this long before a claim of contact already made ("we DM'd you the tracking number last week") keeps it.
CLAIMED_DM = timedelta(days=7)
# Counterpart DMs quoted as evidence of one promise, at most.
_EVIDENCE_DMS = 5
# How a finding names the channel a promise asks for that no data shows.
_BY = {"e-mail": "by e-mail", "phone": "by phone", "chat": "by chat", "a web form": "through a web form",
       "a link": "through a link", "the app": "in the app", "another desk": "with another desk"}
_STATUS = {"kept": "passed", "broken": "failed", "pending": "pending"}


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
        "A public promise of private contact is kept: an invitation (\"DM us\") that the person takes up by DM "
        "gets an answer, and a commitment (\"we'll get back to you\") is followed by a DM or a reply, within "
        "the time limit."
    )
    item_name: ClassVar[str] = "promises"
    scores_texts_in_workers: ClassVar[bool] = True  # finding promises in every addressed post

    type: Literal["follow_through"]
    within: Duration
    responders: Literal["account", "team"] = "account"
    promises: PromisePhrases | None = Field(
        None, description="commitments: phrases by which the account promises to make contact (\"I'll ping you\"); "
                          "extend or replace the built-in set")
    invitations: PromisePhrases | None = Field(
        None, description="invitations: phrases that ask the counterpart to write privately (\"ping me\"); "
                          "extend or replace the built-in set")

    def evaluate(self, ctx: "RuleContext") -> list[Check]:
        audited = ctx.audited(self.id)
        if not audited:
            return []
        groups = responder_groups(audited, self.responders)
        promises = self._promises(ctx, audited)
        if not promises:
            return []
        wanted = {(groups.group_of[post.author], counterpart) for post, counterpart, _ in promises}
        sent, received = _dms_between(ctx, groups.members, wanted)
        public = _public_contacts(ctx, groups.members, wanted)
        not_held = {group: sorted(h for h in members if not ctx.holds_dms(h))
                    for group, members in groups.members.items()}
        # What they said to the group in public, for a promise they may have released ("all sorted now, thanks!"):
        # a commitment, or an invitation whose take-up the data may not show (by phone, or DMs not held).
        said = _their_posts(ctx, groups.members, {
            (groups.group_of[post.author], counterpart) for post, counterpart, found in promises
            if found.kind == COMMITMENT or found.elsewhere or not_held[groups.group_of[post.author]]})
        unnamed = dms_to_numbers(ctx, {group: groups.members[group] for group, _ in wanted})
        invited = _invitation_times(promises, groups.group_of)
        checks = []
        for post, counterpart, found in promises:
            group = groups.group_of[post.author]
            key = (group, counterpart)
            judge = _Judgement(self, ctx, post, counterpart, found, not_held[group], unnamed.get(group, ()),
                               groups.members[group])
            if found.kind == INVITATION:
                times = invited.get(key, ())
                later = times[bisect_right(times, post.created_at):]  # a later invitation takes over from this one
                checks.append(judge.invitation(sent.get(key, []), received.get(key, []), public.get(key, []),
                                               later[0] if later else None, said.get(key, [])))
            else:
                checks.append(judge.commitment(sent.get(key, []), received.get(key, []), public.get(key, []),
                                               said.get(key, [])))
        return checks

    def _promises(self, ctx: "RuleContext", audited) -> list[tuple[Post, str, Promise]]:
        """(promise post, counterpart, the promise found), one per counterpart."""
        # A promise to nobody needs no reading. Whom a post addresses is worked out again for the few
        # that promise something, rather than kept for every post (a list each: 48 MB at a million events).
        addressed_posts = [post for account in audited for post in own_posts(ctx, account.handle)
                           if _named_counterparts(ctx, post) or post.in_reply_to_author in ctx.index.roster]
        matches = per_text(find_promise, (post.text for post in addressed_posts), *self._phrases())
        found = []
        for post in addressed_posts:
            match = matches[post.text]
            if match is not None:
                found += [(post, counterpart, match) for counterpart in _counterparts(ctx, post)]
        return found

    def _phrases(self) -> tuple:
        """`find_promise`'s policy arguments: commitments extra and replace, invitations extra and replace."""
        args: list = []
        for phrases in (self.promises, self.invitations):
            args.append(tuple(phrases.extend or ()) if phrases else ())
            args.append(tuple(phrases.replace) if phrases and phrases.replace else None)
        return tuple(args)

    def metrics(self, checks: list[Check]) -> dict[str, Any]:
        counts: Counter[str] = Counter()
        for check in checks:
            counts.update(check.counts)
        times = sorted(c.value for c in checks if c.status == "passed" and c.value is not None)
        return {
            "promises": len(checks),
            "invitations": counts[INVITATION],
            "commitments": counts[COMMITMENT],
            **{outcome: counts[outcome] for outcome in OUTCOMES},
            "median_seconds_to_keep": round(statistics.median(times)) if times else None,
        }


class _Judgement:
    """One promise to one counterpart, judged on what the data shows."""

    def __init__(self, rule: FollowThroughRule, ctx: "RuleContext", post: Post, counterpart: str, found: Promise,
                 not_held: list[str], unnamed: Sequence[DirectMessage], members: frozenset[str]):
        self.rule, self.ctx, self.post, self.counterpart, self.found = rule, ctx, post, counterpart, found
        self.rule_members = members  # the responders who may keep it
        self.not_held = not_held  # the responders whose DMs no source holds
        self.unnamed = unnamed  # the responders' DMs to accounts known only by number, in time order
        self.made = post.created_at
        self.limit = format_duration(rule.within)
        self.wait: Wait | None = None  # how long the counterpart waited, for a broken promise
        self.words = quote(found.text)
        self.measure: dict[str, Any] = {
            "kind": found.kind,
            "promise": found.text,
            "promised_at": utc_iso(self.made),
            "within_seconds": int(rule.within.total_seconds()),
        }
        # What the reports' clock story tells, kept beside the measure as it grows.
        self.moments = [Moment("promised", self.measure["promised_at"])]
        self.deadline: str | None = None
        self.waited: int | None = None

    def invitation(self, sent: list[DirectMessage], received: list[DirectMessage], public: list[Post],
                   next_invitation: datetime | None = None, said: list[Post] = ()) -> Check:
        made, within, cp = self.made, self.rule.within, self.counterpart
        # Taken up by their first DM within two weeks, before the group invites them again (that invitation is
        # judged with it). A DM that only thanks or closes ("thanks!", "ok") asks nothing, and one that says no
        # contact is needed any more ("never mind, it arrived") declines: neither takes it up.
        until = made + (within if self.found.elsewhere else TAKE_UP)  # asked to call or e-mail, they did not write
        if next_invitation is not None:
            until = min(until, next_invitation)
        wrote = None
        for dm in received[bisect_left(received, made, key=created_at):]:
            if dm.created_at > until or dm.created_at == next_invitation:
                break
            if not is_acknowledgement(dm.text) and not is_release(dm.text):
                wrote = dm
                break
        ours = first_at_or_after(sent, made)
        if ours is not None and ours.created_at <= made + within and wrote is None:
            # The account took it private itself, and the counterpart wrote nothing it left waiting.
            self._answered(ours.created_at, ours.sender)
            return self._check("kept", seconds=(ours.created_at - made).total_seconds())
        if wrote is None:
            if (self.not_held or self.found.elsewhere) and _released((), said, made, until):
                return self._check("not_taken_up")  # "perfect, found it. Thank you!": nothing left to take up
            if self.not_held:
                return self._cannot_tell(f"whether @{cp} took up the invitation {self.words}", self._no_dms())
            if self.found.elsewhere:
                return self._cannot_tell(f"whether @{cp} took up the invitation {self.words}",
                                         f"it asks for contact {_BY[self.found.elsewhere]}, which the data cannot "
                                         f"show, and they did not write by DM within {self.limit}")
            return self._check("not_taken_up")
        deadline = wrote.created_at + within
        answer = _first_contact(sent, public, wrote.created_at, wrote.created_at, self.post)
        self.measure.update(counterpart_wrote_at=utc_iso(wrote.created_at), deadline=utc_iso(deadline))
        self.moments.append(Moment("counterpart_wrote", self.measure["counterpart_wrote_at"]))
        self.deadline = self.measure["deadline"]
        evidence = (EvidenceRef(self.post.id, "post", "promise"),) + _their_dms(received, wrote.created_at, answer,
                                                                               "unanswered-dm")
        if answer is not None:
            self._answered(answer.created_at, _author(answer))
            if answer.created_at <= deadline:
                return self._check("kept", seconds=(answer.created_at - wrote.created_at).total_seconds())
        waited = (answer.created_at if answer else self.ctx.as_of) - wrote.created_at
        if answer is None and deadline >= self.ctx.as_of:  # as in response_time: broken once the deadline is past
            return self._check("pending", f"@{cp} wrote by DM after the invitation {self.words}; the answer is due "
                                          f"{self.ctx.local(deadline)}", evidence)
        if self.not_held:
            return self._cannot_tell(f"whether @{cp}'s DM after the invitation {self.words} was answered in time",
                                     self._no_dms(), evidence)
        unnamed = dm_to_a_number(self.unnamed, cp, wrote.created_at, deadline)
        if unnamed is not None:
            return self._cannot_tell(f"whether @{cp}'s DM after the invitation {self.words} was answered in time",
                                     unnamed, evidence)
        self.measure["waited_seconds"] = self.waited = int(waited.total_seconds())
        self.wait = measured_wait(wrote.created_at, wrote.created_at + waited, waited, within, answered=answer is not None)
        limit = self.limit
        if answer is not None:
            evidence += (_ref(answer, "late-answer"),)
            outcome = f"was answered only after {self.wait.text}"
        else:
            outcome = f"got no answer: waited {self.wait.text} by {self.ctx.data_end}"
            # As response_time says it: the verdict stands, and the report does not say nobody answered.
            other = _colleague_dm(self.ctx, self.rule_members, cp, wrote.created_at)
            if other is not None:
                outcome = (f"got no answer from {', '.join(f'@{h}' for h in sorted(self.rule_members))}: waited "
                           f"{self.wait.text} by {self.ctx.data_end}")
                limit = f"{limit}; @{other} answered, not one of this rule's responders"
        return self._check("broken", f"@{cp} wrote by DM after the invitation {self.words} and {outcome} "
                                     f"(limit {limit})", evidence)

    def commitment(self, sent: list[DirectMessage], received: list[DirectMessage], public: list[Post],
                   said: list[Post]) -> Check:
        made, within, cp = self.made, self.rule.within, self.counterpart
        deadline = made + within
        # A claim of contact already made ("check your DMs", "we DM'd you the tracking number last week") is
        # kept by a DM to them in the week before it: it does not say when that was. A week, whatever stretch
        # of data the audit reads (it reads a week before the period it needs).
        earliest = made - (CLAIMED_DM if self.found.claim else ANNOUNCED_DM if _announces(self.post.text, self.found)
                           else SENT_WITH)
        contact = _first_contact(sent, public, earliest, made, self.post)
        self.measure["deadline"] = self.deadline = utc_iso(deadline)
        if contact is not None:
            self._answered(contact.created_at, _author(contact))
            if contact.created_at <= deadline:
                return self._check("kept", seconds=max(0.0, (contact.created_at - made).total_seconds()))
        if _released(received, said, made, deadline):
            # "All sorted now, thanks!" before it was due: they need no contact, and nobody broke anything.
            return self._check("not_taken_up")
        evidence = (EvidenceRef(self.post.id, "post", "promise"),) + _their_dms(received, made, contact,
                                                                               "counterpart-dm")
        promised = f"the promise {self.words} to @{cp}"
        if contact is None and deadline >= self.ctx.as_of:
            return self._check("pending", f"{promised} is still open (due {self.ctx.local(deadline)})", evidence)
        late = f"only after {format_duration(contact.created_at - made)}" if contact else None
        public_seen = f"a public reply came {late}" if isinstance(contact, Post) else f"no public reply within {self.limit}"
        if self.not_held:
            return self._cannot_tell(f"whether {promised} was kept", f"{public_seen}, and {self._no_dms()}", evidence)
        unnamed = dm_to_a_number(self.unnamed, cp, earliest, deadline)
        if unnamed is not None:
            return self._cannot_tell(f"whether {promised} was kept", f"{public_seen}, and {unnamed}", evidence)
        if self.found.elsewhere:
            return self._cannot_tell(f"whether {promised} was kept",
                                     f"it promises contact {_BY[self.found.elsewhere]}, which the data cannot show, "
                                     f"and no DM or public reply followed within {self.limit}", evidence)
        end = contact.created_at if contact else self.ctx.as_of
        self.measure["waited_seconds"] = self.waited = int((end - made).total_seconds())
        self.wait = measured_wait(made, end, end - made, within, answered=contact is not None)
        if contact is not None:
            evidence += (_ref(contact, "late-answer"),)
            return self._check("broken", f"{promised} was followed by contact only after {self.wait.text} "
                                         f"(limit {self.limit})", evidence)
        return self._check("broken", f"{promised} was not followed by a DM or a public reply (limit {self.limit})",
                           evidence)

    def _no_dms(self) -> str:
        named = ", ".join(f"@{handle}" for handle in self.not_held)
        return f"no source holds the DMs of {named}"

    def _cannot_tell(self, what: str, why: str, evidence: tuple[EvidenceRef, ...] | None = None) -> Check:
        self.measure["reason"] = why
        for key in ("deadline", "answered_at", "answered_by"):  # no clock story for what cannot be judged
            self.measure.pop(key, None)
        self.deadline = None
        self.moments = [moment for moment in self.moments if moment.what != "answered"]
        return self._check("cannot_tell", f"cannot tell {what}: {why}",
                           evidence or (EvidenceRef(self.post.id, "post", "promise"),))

    def _answered(self, moment: datetime, by: str) -> None:
        self.measure.update(answered_at=utc_iso(moment), answered_by=by)
        self.moments.append(Moment("answered", self.measure["answered_at"], by))

    def _timing(self) -> Timing:
        answered = any(moment.what == "answered" for moment in self.moments)
        keys = ("promised_at", "within_seconds")
        keys += ("counterpart_wrote_at",) if any(moment.what == "counterpart_wrote" for moment in self.moments) else ()
        keys += ("answered_at", "answered_by") if answered else ()
        keys += (("deadline",) if self.deadline else ()) + (("waited_seconds",) if self.waited is not None else ())
        return Timing(tuple(self.moments), self.measure["within_seconds"], deadline=self.deadline,
                      elapsed_seconds=self.waited, unanswered=self.deadline is not None and not answered,
                      measure_keys=keys)

    def _check(self, outcome: str, message: str = "", evidence: tuple[EvidenceRef, ...] = (),
               seconds: float | None = None) -> Check:
        """Kept and not taken up are no finding; the other outcomes are one, under the outcome's name."""
        drafts = () if outcome in ("kept", "not_taken_up") else (
            Draft(outcome, message, evidence, self.measure, wait=self.wait if outcome == "broken" else None,
                  timing=self._timing()),)
        return Check(self.post.author, self.made, _STATUS.get(outcome, "uncounted"), self.counterpart, seconds,
                     drafts, counts=_COUNTS[(self.found.kind, outcome)])


def _counterparts(ctx: "RuleContext", post: Post) -> list[str]:
    """Whom a post's promise is made to, in order: the author it replies to and the handles that open it
    (whom it addresses). An account named further on is talked about, not to ("we've asked @FedEx to check
    and we'll get back to you"); a post that addresses no counterpart promises every one it names
    ("Hey @dan, we'll DM you"). Never a roster account, nor an account the policy ignores (a bot is no person)."""
    return _promised(ctx, post, _MAX_THREAD)


def _promised(ctx: "RuleContext", post: Post, depth: int) -> list[str]:
    reply_to = post.in_reply_to_author
    if reply_to is not None and reply_to in ctx.index.roster:
        # A reply to our own post ("(2/2)") or a colleague's: to the counterparts it opens by addressing, else
        # to whom that thread answers.
        opening = opening_mentions(post.text)
        addressed = _people(ctx, [handle for handle in post.mentions if is_addressed(handle, opening)])
        if addressed or depth == 0:
            return addressed
        parent = ctx.index.parent(post)
        return _promised(ctx, parent, depth - 1) if parent is not None else []
    named = _named_counterparts(ctx, post)
    if len(named) < 2:
        return named  # one counterpart or none: nothing to tell apart (most posts)
    addressed = [reply_to] if reply_to else []
    opening = opening_mentions(post.text)
    addressed += [handle for handle in post.mentions if is_addressed(handle, opening)]
    return _people(ctx, addressed) or named


# How far up a thread of the roster's own replies a promise looks for whom it is made to.
_MAX_THREAD = 10


def _named_counterparts(ctx: "RuleContext", post: Post) -> list[str]:
    """Every counterpart a post replies to or mentions."""
    addressed = [post.in_reply_to_author] if post.in_reply_to_author else []
    return _people(ctx, addressed + list(post.mentions))


def _people(ctx: "RuleContext", handles: list[str]) -> list[str]:
    roster = ctx.index.roster
    return [handle for handle in dict.fromkeys(handles) if handle not in roster and not ctx.is_ignored(handle)]


def _dms_between(ctx: "RuleContext", members: dict[str, frozenset[str]], wanted: set[tuple[str, str]]):
    """DMs from each responder group to each promised counterpart, and back."""
    received: dict[tuple[str, str], list[DirectMessage]] = defaultdict(list)
    for group in {group for group, _ in wanted}:
        for handle in members[group]:
            for dm in ctx.index.dms_to.get(handle, ()):
                if (group, dm.sender) in wanted:
                    received[(group, dm.sender)].append(dm)
    return _in_time_order(dms_sent_to(ctx, members, wanted), members), _in_time_order(received, members)


def _public_contacts(ctx: "RuleContext", members: dict[str, frozenset[str]],
                     wanted: set[tuple[str, str]]) -> dict[tuple[str, str], list[Post]]:
    """Posts of each responder group that reply to or mention a promised counterpart, in time order."""
    found: dict[tuple[str, str], list[Post]] = defaultdict(list)
    for group in {group for group, _ in wanted}:
        for handle in members[group]:
            for post in ctx.index.by_author.get(handle, ()):
                if post.is_repost:
                    continue
                for counterpart in {post.in_reply_to_author, *post.mentions}:
                    if (group, counterpart) in wanted:
                        found[(group, counterpart)].append(post)
    return _in_time_order(found, members)


def _invitation_times(promises: list[tuple[Post, str, Promise]], group_of: dict[str, str]
                      ) -> dict[tuple[str, str], list[datetime]]:
    """When each responder group invited each counterpart it invited more than once, in time order (most it
    invited once: nothing kept for them)."""
    times: dict[tuple[str, str], list[datetime]] = defaultdict(list)
    for post, counterpart, found in promises:
        if found.kind == INVITATION:
            times[(group_of[post.author], counterpart)].append(post.created_at)
    return {key: sorted(each) for key, each in times.items() if len(each) > 1}


def _their_posts(ctx: "RuleContext", members: dict[str, frozenset[str]],
                 wanted: set[tuple[str, str]]) -> dict[tuple[str, str], list[Post]]:
    """Posts of each promised counterpart that address the responder group (a reply or a mention), in time order."""
    found: dict[tuple[str, str], list[Post]] = defaultdict(list)
    for group in {group for group, _ in wanted}:
        for handle in members[group]:
            for post in ctx.index.inbound_posts.get(handle, ()):
                if (group, post.author) in wanted:
                    found[(group, post.author)].append(post)
    return _in_time_order(found, members)


def _released(received: list[DirectMessage], said: list[Post], made: datetime, deadline: datetime) -> bool:
    """Did the counterpart tell the group, after the promise and by its deadline, that no contact is needed
    any more (`is_release`: "all sorted now, thanks!", "no need to DM me, it works now")?"""
    for events in (received, said):
        for event in events[bisect_left(events, made, key=created_at):]:
            if event.created_at > deadline:
                break
            if event.created_at > made and is_release(event.text):
                return True
    return False


def _in_time_order(by_pair: dict[tuple[str, str], list[Any]], members: dict[str, frozenset[str]]
                   ) -> dict[tuple[str, str], list[Any]]:
    """Each pair's events once each, by time then id. One account's come from the index in that order
    already; a team's come member by member. A DM comes twice when it reaches two teammates, or names
    a recipient twice (a CSV row may)."""
    for (group, _), events in by_pair.items():
        if len(events) > 1:
            events[:] = {event.id: event for event in events}.values()
            if len(members[group]) > 1:
                events.sort(key=lambda e: (e.created_at, e.id))
    return by_pair


def _first_contact(sent: list[DirectMessage], public: list[Post], dm_since: datetime, post_since: datetime,
                   promise: Post) -> DirectMessage | Post | None:
    """The first DM to the counterpart from `dm_since` on, or public post to them from `post_since`
    on (not the promise itself, which also replies to them, nor its numbered pieces: "(2/2)"), whichever
    came first."""
    dm = first_at_or_after(sent, dm_since)
    pieces = {promise.id}
    post = None
    for candidate in public[bisect_left(public, post_since, key=created_at):]:
        if candidate.id in pieces:
            continue
        if _piece_of(candidate, promise, pieces):
            pieces.add(candidate.id)
            continue
        post = candidate
        break
    candidates = [event for event in (dm, post) if event is not None]
    return min(candidates, key=lambda e: e.created_at, default=None)


def _colleague_dm(ctx: "RuleContext", members: frozenset[str], counterpart: str, since: datetime) -> str | None:
    """A roster account outside the responders that wrote to the counterpart by DM from `since` on."""
    for handle in sorted(ctx.index.roster - members):
        dms = ctx.index.dms_from.get(handle, ())
        if any(counterpart in dm.recipients for dm in dms[bisect_left(dms, since, key=created_at):]):
            return handle
    return None


def _piece_of(post: Post, promise: Post, pieces: set[str]) -> bool:
    """Is `post` a later numbered piece of the promise's own reply: its author's, replying to a piece, numbered
    after it, posted with it?"""
    if (post.author != promise.author or post.in_reply_to not in pieces
            or post.created_at - promise.created_at > PARTS_APART):
        return False
    first, this = numbered_part(promise.text), numbered_part(post.text)
    return first is not None and this is not None and this[1] == first[1] and this[0] > first[0]


def _their_dms(received: list[DirectMessage], since: datetime, answer, role: str) -> tuple[EvidenceRef, ...]:
    """The counterpart's DMs from `since` until the answer, at most a few."""
    first = bisect_left(received, since, key=created_at)
    return tuple(EvidenceRef(dm.id, "dm", role) for dm in received[first : first + _EVIDENCE_DMS]
                 if answer is None or dm.created_at < answer.created_at)


def _author(event: DirectMessage | Post) -> str:
    return event.sender if isinstance(event, DirectMessage) else event.author


def _ref(event: DirectMessage | Post, role: str) -> EvidenceRef:
    return EvidenceRef(event.id, "dm" if isinstance(event, DirectMessage) else "post", role)
