"""follow_through, clause by clause, on small hand-made timelines (times in UTC unless an offset is given)."""

from __future__ import annotations

from msgspec.structs import replace

import pytest

from auditor.errors import PolicyError
from auditor.result import LISTED_ONLY
from tests.factories import dm, policy, post, run


def rule(**options):
    base = {"id": "promises", "type": "follow_through", "severity": "critical", "within": "24h"}
    base.update(options)
    return base


def outcome(result, rule_id="promises"):
    return next(r for r in result.rules if r.id == rule_id)


def figures(result):
    figures = outcome(result).figures
    return figures.checked, figures.passed, figures.failed, figures.pending


def outcomes(result):
    """The rule's outcome counts, the zero ones left out."""
    metrics = outcome(result).figures.metrics
    return {key: metrics[key] for key in ("kept", "broken", "pending", "not_taken_up", "cannot_tell") if metrics[key]}


# -- invitations ---------------------------------------------------------------------------------


def test_the_story_dm_me_then_silence_is_a_broken_promise(tmp_path):
    question = post("northwind_cto", "2026-10-06 14:14", "@jdoe we're evaluating Acme for 400 seats. Who can help?",
                    mentions=("jdoe",))
    promise = post("jdoe", "2026-10-06 14:41", "@northwind_cto Great to hear from you! DM me and we can talk off air",
                   reply_to=question)
    details = dm("northwind_cto", "jdoe", "2026-10-06 15:02", "Alex here: cell 416-555-0142, alex@northwind.example")
    much_later = post("carol", "2026-10-20 10:00", "unrelated")
    result = run(policy(tmp_path, [rule()]), question, promise, details, much_later)
    assert figures(result) == (1, 0, 1, 0)
    [finding] = result.findings
    assert (finding.status, finding.severity, finding.is_failure) == ("broken", "critical", True)
    assert (finding.account, finding.counterpart) == ("jdoe", "northwind_cto")
    assert finding.message == ('@northwind_cto wrote by DM after the invitation "DM me" and got no answer: '
                               'waited 13d 18h58m by the end of the data (limit 1d)')
    assert finding.wait.text == '13d 18h58m' and not finding.wait.answered
    assert [(e.id, e.role) for e in finding.evidence] == [(promise.id, "promise"), (details.id, "unanswered-dm")]
    assert finding.measure["kind"] == "invitation"
    assert finding.measure["counterpart_wrote_at"] == "2026-10-06T15:02:00Z"
    assert finding.measure["deadline"] == "2026-10-07T15:02:00Z"
    assert outcome(result).figures.metrics == {
        "promises": 1, "invitations": 1, "commitments": 0, "kept": 0, "broken": 1, "pending": 0,
        "not_taken_up": 0, "cannot_tell": 0, "median_seconds_to_keep": None,
    }
    assert result.summary["findings_by_severity"]["critical"] == 1


def test_an_invitation_nobody_takes_up_is_no_failure_and_no_finding(tmp_path):
    promise = post("jdoe", "2026-10-06 10:00", "@bob shoot me a DM", mentions=("bob",))
    result = run(policy(tmp_path, [rule()]), promise, as_of="2026-10-30 00:00")
    assert figures(result) == (0, 0, 0, 0)
    assert result.findings == ()
    assert outcomes(result) == {"not_taken_up": 1}
    assert outcome(result).figures.metrics["promises"] == 1
    assert outcome(result).status == "no_data"
    assert result.summary["score"] is None


def test_answering_the_counterparts_dm_in_time_keeps_the_invitation(tmp_path):
    promise = post("jdoe", "2026-10-06 10:00", "@bob send me a DM with your team size", mentions=("bob",))
    asked = dm("bob", "jdoe", "2026-10-06 10:30", "25 people")
    answer = dm("jdoe", "bob", "2026-10-06 12:00", "quote attached")
    result = run(policy(tmp_path, [rule()]), promise, asked, answer)
    assert figures(result) == (1, 1, 0, 0)
    assert result.findings == ()
    assert outcome(result).figures.metrics["median_seconds_to_keep"] == 90 * 60  # from the counterpart's DM


def test_an_invitation_taken_up_days_later_is_judged_from_that_dm(tmp_path):
    promise = post("jdoe", "2026-10-06 10:00", "@bob DM me", mentions=("bob",))
    asked = dm("bob", "jdoe", "2026-10-09 09:00", "hi Jane")
    answer = dm("jdoe", "bob", "2026-10-10 09:00", "hi Bob")  # the limit itself included
    assert figures(run(policy(tmp_path, [rule()]), promise, asked, answer)) == (1, 1, 0, 0)
    late = dm("jdoe", "bob", "2026-10-10 09:00:01", "hi Bob")
    result = run(policy(tmp_path, [rule()]), promise, asked, late)
    [finding] = result.findings
    assert finding.message == '@bob wrote by DM after the invitation "DM me" and was answered only after 1d 1m (limit 1d)'
    assert [e.role for e in finding.evidence] == ["promise", "unanswered-dm", "late-answer"]
    assert finding.measure["waited_seconds"] == 86401


def test_a_late_answer_to_the_counterparts_dm_is_a_broken_promise(tmp_path):
    promise = post("acme_support", "2026-10-08 14:20", "@priya Please DM us the email on the account",
                   mentions=("priya",))
    asked = dm("priya", "acme_support", "2026-10-08 14:25", "priya@mail.example")
    again = dm("priya", "acme_support", "2026-10-09 09:00", "hello?")
    answer = dm("acme_support", "priya", "2026-10-09 16:41", "unlocked now")
    result = run(policy(tmp_path, [rule()]), promise, asked, again, answer)
    [finding] = result.findings
    assert finding.message == ('@priya wrote by DM after the invitation "Please DM" and was answered only after '
                               "1d 2h16m (limit 1d)")
    assert [(e.id, e.role) for e in finding.evidence] == [
        (promise.id, "promise"), (asked.id, "unanswered-dm"), (again.id, "unanswered-dm"), (answer.id, "late-answer"),
    ]


def test_the_account_writing_first_by_dm_keeps_the_invitation(tmp_path):
    promise = post("jdoe", "2026-10-06 10:00", "@bob let's take this offline", mentions=("bob",))
    ours = dm("jdoe", "bob", "2026-10-06 11:00", "Hi Bob, Jane here. When suits you?")
    thanks = dm("bob", "jdoe", "2026-10-06 11:05", "thanks!")
    result = run(policy(tmp_path, [rule()]), promise, ours, thanks, as_of="2026-10-30 00:00")
    assert figures(result) == (1, 1, 0, 0)
    assert outcome(result).figures.metrics["median_seconds_to_keep"] == 3600


def test_a_public_reply_after_the_counterparts_dm_answers_it(tmp_path):
    promise = post("acme_support", "2026-10-06 10:00", "@bob DM us your order number", mentions=("bob",))
    asked = dm("bob", "acme_support", "2026-10-06 10:10", "order 5531")
    public = post("acme_support", "2026-10-06 11:00", "@bob got it, the refund is on its way", mentions=("bob",))
    assert figures(run(policy(tmp_path, [rule()]), promise, asked, public)) == (1, 1, 0, 0)


def test_taken_up_and_not_yet_due_is_pending_then_broken(tmp_path):
    promise = post("jdoe", "2026-10-06 10:00", "@bob DM me", mentions=("bob",))
    asked = dm("bob", "jdoe", "2026-10-06 20:00", "hi")
    pending = run(policy(tmp_path, [rule()]), promise, asked, as_of="2026-10-07 12:00")
    assert figures(pending) == (0, 0, 0, 1)
    [finding] = pending.findings
    assert (finding.status, finding.is_failure) == ("pending", False)
    assert finding.message == '@bob wrote by DM after the invitation "DM me"; the answer is due 2026-10-07 16:00 EDT'
    assert finding.measure["deadline"] == "2026-10-07T20:00:00Z"
    broken = run(policy(tmp_path, [rule()]), promise, asked, as_of="2026-10-07 20:00:01")
    assert figures(broken) == (1, 0, 1, 0)


def test_a_dm_to_someone_else_takes_nothing_up(tmp_path):
    promise = post("jdoe", "2026-10-06 10:00", "@bob DM me", mentions=("bob",))
    other = dm("carol", "jdoe", "2026-10-06 11:00", "hi Jane")
    result = run(policy(tmp_path, [rule()]), promise, other, as_of="2026-10-30 00:00")
    assert outcomes(result) == {"not_taken_up": 1}


@pytest.mark.parametrize(("text", "elsewhere"), [
    ("@bob Please reach out to us here: https://acme.example/help", "through a link"),
    ("@bob sorry! Please email us at help@acme.example", "by e-mail"),
    ("@bob Please contact us by phone or chat", "by phone"),
    ("@bob You'd need to contact our Aftersales team on 0344 556 5650", "with another desk"),
])
def test_an_invitation_to_a_channel_no_data_shows_cannot_be_told(tmp_path, text, elsewhere):
    promise = post("acme_support", "2026-10-06 10:00", text, mentions=("bob",))
    result = run(policy(tmp_path, [rule()]), promise, as_of="2026-10-30 00:00")
    assert figures(result) == (0, 0, 0, 0)
    assert outcomes(result) == {"cannot_tell": 1}
    [finding] = result.findings
    assert (finding.status, finding.is_failure) == ("cannot_tell", False)
    assert finding.message.startswith("cannot tell whether @bob took up the invitation ")
    assert finding.message.endswith(f": it asks for contact {elsewhere}, which the data cannot show, "
                                    "and they did not write by DM within 1d")
    assert finding.measure["reason"] in finding.message
    assert [e.role for e in finding.evidence] == ["promise"]
    assert result.summary["cannot_tell"] == 1 and result.summary["findings"] == 0


def test_an_invitation_elsewhere_taken_up_by_dm_anyway_is_judged(tmp_path):
    promise = post("acme_support", "2026-10-06 10:00", "@bob please email us at help@acme.example", mentions=("bob",))
    asked = dm("bob", "acme_support", "2026-10-06 10:30", "I'd rather write here: order 5531")
    result = run(policy(tmp_path, [rule()]), promise, asked, as_of="2026-10-30 00:00")
    assert [f.status for f in result.findings] == ["broken"]
    answer = dm("acme_support", "bob", "2026-10-06 11:00", "no problem, looking")
    assert figures(run(policy(tmp_path, [rule()]), promise, asked, answer)) == (1, 1, 0, 0)


# -- commitments ---------------------------------------------------------------------------------


def test_a_commitment_is_kept_by_a_dm_within_the_limit(tmp_path):
    promise = post("acme_support", "2026-10-06 10:00", "@bob we'll get back to you shortly", mentions=("bob",))
    first = dm("acme_support", "bob", "2026-10-07 10:00", "here is what we found")
    result = run(policy(tmp_path, [rule()]), promise, first)
    assert figures(result) == (1, 1, 0, 0)  # the limit itself included
    assert outcome(result).figures.metrics["commitments"] == 1
    late = dm("acme_support", "bob", "2026-10-07 10:00:01", "here is what we found")
    result = run(policy(tmp_path, [rule()]), promise, late)
    assert figures(result) == (1, 0, 1, 0)
    [finding] = result.findings
    assert finding.message == ("the promise \"we'll get back to you\" to @bob was followed by contact only after 1d 1m "
                               "(limit 1d)")
    assert [e.role for e in finding.evidence] == ["promise", "late-answer"]
    assert finding.measure["kind"] == "commitment"


def test_a_commitment_is_kept_by_a_public_reply_or_mention(tmp_path):
    question = post("bob", "2026-10-06 09:00", "@acme_support my order is late", mentions=("acme_support",))
    promise = post("acme_support", "2026-10-06 10:00", "@bob We'll look into it and get back to you", reply_to=question)
    later = post("bob", "2026-10-06 12:00", "@acme_support any news?", mentions=("acme_support",))
    reply = post("acme_support", "2026-10-06 15:00", "@bob It ships today, sorry for the wait", reply_to=later)
    result = run(policy(tmp_path, [rule()]), question, promise, later, reply)
    assert figures(result) == (1, 1, 0, 0)
    assert outcome(result).figures.metrics["median_seconds_to_keep"] == 5 * 3600
    mention = post("acme_support", "2026-10-06 15:00", "Shout-out to @bob for the patience!", mentions=("bob",))
    assert figures(run(policy(tmp_path, [rule()]), question, promise, mention)) == (1, 1, 0, 0)


def test_a_commitment_with_no_contact_is_broken_once_due_and_pending_before(tmp_path):
    promise = post("jdoe", "2026-10-06 10:00", "@bob I'll reach out tomorrow", mentions=("bob",))
    asked = dm("bob", "jdoe", "2026-10-06 18:00", "still waiting")
    broken = run(policy(tmp_path, [rule()]), promise, asked, as_of="2026-10-07 10:00:01")
    assert figures(broken) == (1, 0, 1, 0)
    [finding] = broken.findings
    assert finding.message == ("the promise \"I'll reach out\" to @bob was not followed by a DM or a public reply "
                               "(limit 1d)")
    assert [(e.id, e.role) for e in finding.evidence] == [(promise.id, "promise"), (asked.id, "counterpart-dm")]
    pending = run(policy(tmp_path, [rule()]), promise, as_of="2026-10-07 10:00")
    assert figures(pending) == (0, 0, 0, 1)
    [finding] = pending.findings
    assert finding.status == "pending"
    assert finding.message == 'the promise "I\'ll reach out" to @bob is still open (due 2026-10-07 06:00 EDT)'


def test_check_your_dms_is_kept_by_the_dm_sent_just_before_it(tmp_path):
    sent = dm("acme_support", "jen", "2026-10-07 11:30", "Hi Jen, can you confirm 8 seats?")
    promise = post("acme_support", "2026-10-07 11:32", "@jen Sorry about that! Check your DMs", mentions=("jen",))
    result = run(policy(tmp_path, [rule()]), sent, promise)
    assert figures(result) == (1, 1, 0, 0)
    assert outcome(result).figures.metrics["median_seconds_to_keep"] == 0
    # A claim of contact already made is kept by a DM to them in the week before it: it says when it was sent
    # no more than "check your DMs" does, and "we DM'd you last week" reaches back further than the limit.
    earlier = dm("acme_support", "jen", "2026-10-06 18:00", "Hi Jen")
    assert figures(run(policy(tmp_path, [rule()]), earlier, promise, as_of="2026-10-20 00:00")) == (1, 1, 0, 0)
    old = dm("acme_support", "jen", "2026-10-06 11:30", "Hi Jen")
    assert figures(run(policy(tmp_path, [rule()]), old, promise, as_of="2026-10-20 00:00")) == (1, 1, 0, 0)
    # A DM of months before is another conversation, whatever stretch of the data the audit reads.
    months = dm("acme_support", "jen", "2026-05-06 11:30", "Hi Jen")
    assert figures(run(policy(tmp_path, [rule()]), months, promise, as_of="2026-10-20 00:00")) == (1, 0, 1, 0)


def test_a_claim_of_a_dm_sent_last_week_is_kept_by_that_dm(tmp_path):
    sent = dm("acme_support", "jen", "2026-10-03 09:00", "Your tracking number is 1Z999")
    claim = post("acme_support", "2026-10-07 18:00", "@jen we DM'd you the tracking number last week",
                 mentions=("jen",))
    result = run(policy(tmp_path, [rule()]), sent, claim, as_of="2026-10-20 00:00")
    assert figures(result) == (1, 1, 0, 0) and result.findings == ()
    # With no DM to them at all, the claim is still broken.
    assert figures(run(policy(tmp_path, [rule()]), dm("jen", "acme_support", "2026-10-03 09:00", "hi"), claim,
                       as_of="2026-10-20 00:00")) == (1, 0, 1, 0)


def test_a_promise_to_dm_is_not_kept_by_a_dm_long_before_it(tmp_path):
    old = dm("jdoe", "bob", "2026-10-06 07:00", "Hi Bob")
    promise = post("jdoe", "2026-10-06 10:00", "@bob I'll DM you the details", mentions=("bob",))
    assert figures(run(policy(tmp_path, [rule()]), old, promise, as_of="2026-10-20 00:00")) == (1, 0, 1, 0)


def test_a_commitment_by_a_channel_no_data_shows_cannot_be_told_unless_kept_in_sight(tmp_path):
    promise = post("acme_support", "2026-10-06 10:00", "@bob Thanks, we'll call you shortly", mentions=("bob",))
    result = run(policy(tmp_path, [rule()]), promise, as_of="2026-10-30 00:00")
    [finding] = result.findings
    assert finding.status == "cannot_tell"
    assert finding.message == ("cannot tell whether the promise \"we'll call you\" to @bob was kept: it promises "
                               "contact by phone, which the data cannot show, and no DM or public reply followed "
                               "within 1d")
    kept = dm("acme_support", "bob", "2026-10-06 12:00", "tried to call, no answer")
    assert figures(run(policy(tmp_path, [rule()]), promise, kept)) == (1, 1, 0, 0)


# -- what the data can show ----------------------------------------------------------------------


def test_without_the_accounts_dms_an_invitation_cannot_be_told(tmp_path):
    # A CSV export without DMs (TWCS): no account's DMs are held.
    promise = post("acme_support", "2026-10-06 10:00", "@bob DM us your order number", mentions=("bob",))
    result = run(policy(tmp_path, [rule()]), promise, as_of="2026-10-30 00:00", dms_of=())
    assert figures(result) == (0, 0, 0, 0)
    assert outcomes(result) == {"cannot_tell": 1}
    [finding] = result.findings
    assert finding.message == ('cannot tell whether @bob took up the invitation "DM us": '
                               "no source holds the DMs of @acme_support")
    assert not finding.is_failure
    assert outcome(result).status == "no_data"


def test_an_archive_of_another_account_cannot_show_this_ones_dms(tmp_path):
    promise = post("jdoe", "2026-10-06 10:00", "@bob DM me", mentions=("bob",))
    asked = dm("bob", "jdoe", "2026-10-06 10:30", "hi Jane")  # the account's inbox, seen from bob's side
    result = run(policy(tmp_path, [rule()]), promise, asked, as_of="2026-10-30 00:00", dms_of=("acme_support",))
    [finding] = result.findings
    assert finding.status == "cannot_tell"
    assert finding.message == ('cannot tell whether @bob\'s DM after the invitation "DM me" was answered in time: '
                               "no source holds the DMs of @jdoe")
    assert [e.role for e in finding.evidence] == ["promise", "unanswered-dm"]
    # What the data does show is still kept.
    answer = dm("jdoe", "bob", "2026-10-06 11:00", "hi Bob")
    assert figures(run(policy(tmp_path, [rule()]), promise, asked, answer, dms_of=("acme_support",))) == (1, 1, 0, 0)


def test_without_the_accounts_dms_a_commitment_is_kept_in_public_or_cannot_be_told(tmp_path):
    promise = post("acme_support", "2026-10-06 10:00", "@bob we'll DM you the tracking link", mentions=("bob",))
    public = post("acme_support", "2026-10-06 11:00", "@bob sent, let us know if it works", mentions=("bob",))
    kept = run(policy(tmp_path, [rule()]), promise, public, dms_of=())
    assert figures(kept) == (1, 1, 0, 0)
    silent = run(policy(tmp_path, [rule()]), promise, as_of="2026-10-30 00:00", dms_of=())
    [finding] = silent.findings
    assert finding.message == ("cannot tell whether the promise \"we'll DM you\" to @bob was kept: no public reply "
                               "within 1d, and no source holds the DMs of @acme_support")
    late = post("acme_support", "2026-10-09 11:00", "@bob sorry for the wait", mentions=("bob",))
    [finding] = run(policy(tmp_path, [rule()]), promise, late, dms_of=()).findings
    assert finding.message == ("cannot tell whether the promise \"we'll DM you\" to @bob was kept: a public reply "
                               "came only after 3d 1h, and no source holds the DMs of @acme_support")
    # Before the deadline it is pending, whatever the DMs.
    early = run(policy(tmp_path, [rule()]), promise, as_of="2026-10-06 12:00", dms_of=())
    assert [f.status for f in early.findings] == ["pending"]


def test_with_team_responders_every_teammates_dms_are_needed(tmp_path):
    promise = post("acme_support", "2026-10-06 10:00", "@bob DM us", mentions=("bob",))
    team = rule(responders="team", applies_to={"teams": ["support"]})
    result = run(policy(tmp_path, [team]), promise, as_of="2026-10-30 00:00", dms_of=("acme_support",))
    [finding] = result.findings
    assert finding.message == 'cannot tell whether @bob took up the invitation "DM us": no source holds the DMs of @lchen'
    both = run(policy(tmp_path, [team]), promise, as_of="2026-10-30 00:00", dms_of=("acme_support", "lchen"))
    assert outcomes(both) == {"not_taken_up": 1}


def test_what_cannot_be_told_never_counts(tmp_path):
    promise = post("acme_support", "2026-10-06 10:00", "@bob DM us", mentions=("bob",))
    broken = post("jdoe", "2026-10-06 10:00", "@carol I'll DM you", mentions=("carol",))
    result = run(policy(tmp_path, [rule()]), promise, broken, as_of="2026-10-30 00:00", dms_of=("jdoe",))
    assert sorted(f.status for f in result.findings) == ["broken", "cannot_tell"]
    assert figures(result) == (1, 0, 1, 0)
    assert result.summary["findings"] == 1 and result.summary["cannot_tell"] == 1
    assert {a.handle: a.findings for a in result.accounts}["acme_support"] == 0
    assert outcome(result).figures.compliance == 0.0
    assert "cannot_tell" in LISTED_ONLY


# -- who and what --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "@bob thanks for the follow!",
    "@bob please don't DM me, I only answer here",
    "@bob we can't discuss this by DM",
    "@bob Sorry, we haven't replied to your DM yet",
    "@bob the courier will contact you tomorrow",
])
def test_posts_without_a_promise_are_not_checked(tmp_path, text):
    result = run(policy(tmp_path, [rule()]), post("jdoe", "2026-10-06 10:00", text, mentions=("bob",)),
                 as_of="2026-10-30 00:00")
    assert outcome(result).figures.metrics["promises"] == 0
    assert outcome(result).status == "no_data"


def test_a_teammate_keeps_the_promise_only_with_team_responders(tmp_path):
    promise = post("acme_support", "2026-10-06 10:00", "@bob DM us your order number", mentions=("bob",))
    asked = dm("bob", "acme_support", "2026-10-06 10:10", "order 5531")
    teammate = dm("lchen", "bob", "2026-10-06 11:00", "Li from Acme here, looking at 5531")
    alone = run(policy(tmp_path, [rule()]), promise, asked, teammate, as_of="2026-10-30 00:00")
    assert figures(alone) == (1, 0, 1, 0)
    team = rule(responders="team", applies_to={"teams": ["support"]})
    together = run(policy(tmp_path, [team]), promise, asked, teammate, as_of="2026-10-30 00:00")
    assert figures(together) == (1, 1, 0, 0)


def test_with_team_responders_a_dm_to_a_teammate_is_writing_to_the_team(tmp_path):
    promise = post("acme_support", "2026-10-06 10:00", "@bob DM us", mentions=("bob",))
    asked = dm("bob", "lchen", "2026-10-07 09:00", "hi")
    answer = dm("lchen", "bob", "2026-10-07 12:00", "hi Bob")
    team = rule(responders="team", applies_to={"teams": ["support"]})
    assert figures(run(policy(tmp_path, [team]), promise, asked, answer)) == (1, 1, 0, 0)


def test_a_dm_to_two_teammates_is_one_dm_of_the_evidence(tmp_path):
    promise = post("acme_support", "2026-10-06 10:00", "@bob DM us", mentions=("bob",))
    to_both = replace(dm("bob", "acme_support", "2026-10-06 10:10", "order 5531", id="d1"),
                      recipients=("acme_support", "lchen"), conversation_id="acme_support:bob:lchen")
    team = rule(responders="team", applies_to={"teams": ["support"]})
    [finding] = run(policy(tmp_path, [team]), promise, to_both, as_of="2026-10-30 00:00").findings
    assert finding.status == "broken"
    assert [(e.id, e.role) for e in finding.evidence] == [(promise.id, "promise"), ("d1", "unanswered-dm")]


def test_a_dm_that_names_its_recipient_twice_is_one_dm_of_the_evidence(tmp_path):
    # A CSV row's recipients are taken as written ("acme_support, acme_support").
    promise = post("acme_support", "2026-10-06 10:00", "@bob DM us", mentions=("bob",))
    twice = replace(dm("bob", "acme_support", "2026-10-06 10:10", "order 5531", id="d1"),
                    recipients=("acme_support", "acme_support"))
    [finding] = run(policy(tmp_path, [rule()]), promise, twice, as_of="2026-10-30 00:00").findings
    assert [(e.id, e.role) for e in finding.evidence] == [(promise.id, "promise"), ("d1", "unanswered-dm")]


def test_with_team_responders_the_first_dm_of_any_teammate_keeps_the_promise(tmp_path):
    # Each teammate's DMs come in time order; together they interleave.
    promise = post("acme_support", "2026-10-06 11:00", "@bob we'll DM you", mentions=("bob",))
    dms = [dm("acme_support", "bob", f"2026-10-06 {hour:02}:00", "hi Bob") for hour in (9, 15)]
    dms += [dm("lchen", "bob", f"2026-10-06 {hour}:00", "hi Bob") for hour in (12, 13)]
    team = rule(responders="team", applies_to={"teams": ["support"]})
    result = run(policy(tmp_path, [team]), promise, *dms, as_of="2026-10-30 00:00")
    assert outcomes(result) == {"kept": 1} and outcome(result).figures.metrics["median_seconds_to_keep"] == 3600


def test_one_post_to_two_counterparts_is_two_promises_and_roster_accounts_get_none(tmp_path):
    question = post("bob", "2026-10-06 09:00", "@jdoe @lchen price?", mentions=("jdoe", "lchen"))
    promise = post("jdoe", "2026-10-06 10:00", "@bob @carol @lchen I'll DM you both",
                   reply_to=question, mentions=("bob", "carol", "lchen"))
    answer = dm("jdoe", "bob", "2026-10-06 11:00", "hi Bob")
    result = run(policy(tmp_path, [rule()]), question, promise, answer, as_of="2026-10-30 00:00")
    assert figures(result) == (2, 1, 1, 0)
    assert [f.counterpart for f in result.findings] == ["carol"]
    assert outcome(result).figures.metrics["promises"] == 2


def test_an_account_named_in_passing_is_not_promised_anything(tmp_path):
    question = post("carol", "2026-10-06 09:00", "@acme_support where is my parcel?", mentions=("acme_support",))
    promise = post("acme_support", "2026-10-06 10:00",
                   "@carol Sorry! We've asked @FedEx to check and we'll get back to you shortly.",
                   reply_to=question, mentions=("carol", "fedex"))
    answer = dm("acme_support", "carol", "2026-10-06 11:00", "found it")
    result = run(policy(tmp_path, [rule()]), question, promise, answer, as_of="2026-10-30 00:00")
    assert figures(result) == (1, 1, 0, 0)
    assert result.findings == ()
    # A post that addresses nobody promises every counterpart it names.
    broadcast = post("acme_support", "2026-10-06 12:00", "Hey @dan, we'll DM you the code", mentions=("dan",))
    result = run(policy(tmp_path, [rule()]), broadcast, as_of="2026-10-30 00:00")
    assert [(f.counterpart, f.status) for f in result.findings] == [("dan", "broken")]


def test_a_continuation_of_our_own_reply_promises_whom_the_thread_answers(tmp_path):
    question = post("uma", "2026-10-06 09:00", "@acme_support where is my parcel?", mentions=("acme_support",))
    first = post("acme_support", "2026-10-06 10:00", "@uma Sorry about this! (1/2)", reply_to=question)
    second = post("acme_support", "2026-10-06 10:01",
                  "(2/2) We've asked @FedEx to check and we'll get back to you shortly.", reply_to=first,
                  mentions=("acme_support", "fedex"))
    result = run(policy(tmp_path, [rule()]), question, first, second, as_of="2026-10-30 00:00")
    assert [(f.counterpart, f.status) for f in result.findings] == [("uma", "broken")]
    kept = dm("acme_support", "uma", "2026-10-06 12:00", "found it")
    assert run(policy(tmp_path, [rule()]), question, first, second, kept, as_of="2026-10-30 00:00").findings == ()


def test_an_invitation_is_not_taken_up_by_a_dm_that_only_says_thanks(tmp_path):
    promise = post("acme_support", "2026-10-06 10:00", "@bob DM us your device model", mentions=("bob",))
    thanks = dm("bob", "acme_support", "2026-10-06 10:30", "thanks!")
    held = dm("acme_support", "zed", "2026-10-01 10:00", "hello")  # the account's DMs are in the data
    result = run(policy(tmp_path, [rule()]), held, promise, thanks, as_of="2026-10-30 00:00")
    assert outcomes(result) == {"not_taken_up": 1} and result.findings == ()
    # Their next DM with something to answer takes it up.
    model = dm("bob", "acme_support", "2026-10-06 11:00", "it's the X200")
    result = run(policy(tmp_path, [rule()]), held, promise, thanks, model, as_of="2026-10-30 00:00")
    assert outcomes(result) == {"broken": 1}
    assert [e.id for e in result.findings[0].evidence if e.role == "unanswered-dm"] == [model.id]


def test_a_repost_of_a_promise_is_not_a_promise(tmp_path):
    original = post("carol", "2026-10-06 09:00", "DM me for a discount")
    repost = post("jdoe", "2026-10-06 10:00", "RT @carol: DM me for a discount", mentions=("carol",),
                  repost_of=original.id)
    result = run(policy(tmp_path, [rule()]), original, repost, as_of="2026-10-30 00:00")
    assert outcome(result).figures.metrics["promises"] == 0


def test_promises_count_in_the_period_they_are_made_in(tmp_path):
    september = post("jdoe", "2026-09-30 23:00-04:00", "@bob I'll DM you", mentions=("bob",))
    october = post("jdoe", "2026-10-31 23:00-04:00", "@carol I'll DM you", mentions=("carol",))
    answer = dm("jdoe", "carol", "2026-11-01 09:00-05:00", "hi Carol")
    result = run(policy(tmp_path, [rule()]), september, october, answer)
    assert figures(result) == (1, 1, 0, 0)  # September's promise belongs to September; the DM may come later


def test_policy_phrases_extend_or_replace_each_kind(tmp_path):
    ping = post("jdoe", "2026-10-06 10:00", "@bob ping me later", mentions=("bob",))
    dm_me = post("jdoe", "2026-10-06 10:00", "@carol DM me", mentions=("carol",))
    call = post("jdoe", "2026-10-06 10:00", "@dan I'll holler at you tonight", mentions=("dan",))
    events = (ping, dm_me, call)
    invitations = run(policy(tmp_path, [rule(invitations={"extend": ["ping me"]})]), *events, as_of="2026-10-30 00:00")
    assert outcome(invitations).figures.metrics["invitations"] == 2  # "ping me" and "DM me"
    assert outcomes(invitations) == {"not_taken_up": 2}
    commitments = run(policy(tmp_path, [rule(promises={"extend": ["holler at you"]})]), *events,
                      as_of="2026-10-30 00:00")
    assert [(f.counterpart, f.measure["kind"], f.measure["promise"]) for f in commitments.findings] == [
        ("dan", "commitment", "holler at you")]
    replaced = run(policy(tmp_path, [rule(invitations={"replace": ["/ping\\s+me/"]})]), *events,
                   as_of="2026-10-30 00:00")
    assert outcome(replaced).figures.metrics["invitations"] == 1  # "DM me" is not a built-in any more
    # Replacing the commitments keeps the built-in invitations.
    only_ours = run(policy(tmp_path, [rule(promises={"replace": ["holler at you"]})]), *events, as_of="2026-10-30 00:00")
    assert (outcome(only_ours).figures.metrics["invitations"], outcome(only_ours).figures.metrics["commitments"]) == (1, 1)


@pytest.mark.parametrize("key", ["promises", "invitations"])
@pytest.mark.parametrize(("phrases", "message"), [
    ({"extend": ["a"], "replace": ["b"]}, "give either extend: [...]"),
    ({}, "give either extend: [...]"),
    ({"extend": ["/(unclosed/"]}, "invalid regular expression '/(unclosed/'"),
    ({"replace": []}, "expected at least 1 item, got 0"),
])
def test_bad_promise_phrases_are_policy_errors(tmp_path, key, phrases, message):
    with pytest.raises(PolicyError) as caught:
        policy(tmp_path, [rule(**{key: phrases})])
    [line] = caught.value.lines()
    assert f"rules[0].{key}" in line and message in line, line


def test_every_finding_that_does_not_count_comes_from_a_check_that_does_not_count(tmp_path):
    events = [
        post("acme_support", "2026-10-06 10:00", "@bob DM us", mentions=("bob",)),
        post("acme_support", "2026-10-06 10:00", "@carol email us at help@acme.example", mentions=("carol",)),
        post("jdoe", "2026-10-06 10:00", "@dan I'll DM you", mentions=("dan",)),
        post("jdoe", "2026-10-29 10:00", "@erin I'll DM you", mentions=("erin",)),
    ]
    result = run(policy(tmp_path, [rule()]), *events, as_of="2026-10-29 12:00", dms_of=("jdoe",))
    assert sorted(f.status for f in result.findings) == ["broken", "cannot_tell", "cannot_tell", "pending"]
    metrics = outcome(result).figures.metrics
    assert figures(result) == (1, 0, 1, 1)
    assert (metrics["broken"], metrics["pending"], metrics["cannot_tell"]) == (1, 1, 2)
    assert [w.checked for w in outcome(result).weeks] == [1]


# A source that knows a DM's recipient only by numeric user id (an X archive whose records never pair that id
# with a handle) may hold the very DM that kept a promise: a promise not kept as far as the named DMs show,
# while a responder wrote to an unnamed account in that time, is "cannot tell", not broken.
def test_a_dm_to_an_account_known_only_by_number_in_that_time_makes_a_broken_promise_cannot_tell(tmp_path):
    promise = post("acme_support", "2026-10-06 10:00", "@erin we'll DM you shortly", mentions=("erin",))
    unnamed = dm("lchen", "4004", "2026-10-06 11:40", "Hi, Li from Acme about your order")
    elsewhere = dm("lchen", "4004", "2026-10-09 11:40", "A week later")
    team = rule(responders="team", applies_to={"teams": ["support"]})
    told = run(policy(tmp_path, [team]), promise, unnamed, as_of="2026-10-30 00:00")
    assert outcomes(told) == {"cannot_tell": 1}
    [finding] = told.findings
    assert "a DM from @lchen at 2026-10-06T11:40:00Z went to an account the data knows only by number" in finding.message
    # Outside the promise's time, or with no such DM, it stays broken.
    assert outcomes(run(policy(tmp_path, [team]), promise, elsewhere, as_of="2026-10-30 00:00")) == {"broken": 1}
    assert outcomes(run(policy(tmp_path, [team]), promise, as_of="2026-10-30 00:00")) == {"broken": 1}


# -- a counterpart who says no contact is needed ------------------------------------------------------


def _asked_and_promised():
    question = post("bob", "2026-10-06 09:00", "@acme_support my app keeps crashing", mentions=("acme_support",))
    return question, post("acme_support", "2026-10-06 10:00", "@bob Sorry! We'll DM you shortly", reply_to=question)


@pytest.mark.parametrize("text", [
    "@acme_support no need, all sorted now thanks!",
    "@acme_support All sorted now, thanks!",
    "@acme_support nevermind, found it",
    "@acme_support Never mind, it's working again. Thanks",
    "@acme_support no need to DM me, it works now",
    "@acme_support No need anymore, thank you!",
    "@acme_support don't worry about it, it's fixed",
])
def test_a_commitment_the_counterpart_releases_before_it_is_due_is_not_broken(tmp_path, text):
    question, promise = _asked_and_promised()
    released = post("bob", "2026-10-06 11:00", text, reply_to=promise)
    result = run(policy(tmp_path, [rule()]), question, promise, released, as_of="2026-10-09 10:00")
    assert figures(result) == (0, 0, 0, 0)
    assert outcomes(result) == {"not_taken_up": 1}
    assert not result.findings
    # said by DM, the same
    by_dm = dm("bob", "acme_support", "2026-10-06 11:00", text.removeprefix("@acme_support "))
    result = run(policy(tmp_path, [rule()]), question, promise, by_dm, as_of="2026-10-09 10:00")
    assert outcomes(result) == {"not_taken_up": 1} and not result.findings


@pytest.mark.parametrize("text", [
    "@acme_support thanks!",  # waiting, politely
    "@acme_support no need to DM, just answer here please",  # declines the DM, not the answer
    "@acme_support still not sorted",
    "@acme_support is it fixed now?",
    "@acme_support Thanks. Nothing works.",
    "@acme_support not resolved, never mind the refund, where is my order",
])
def test_a_reply_that_does_not_release_the_commitment_leaves_it_broken(tmp_path, text):
    question, promise = _asked_and_promised()
    reply = post("bob", "2026-10-06 11:00", text, reply_to=promise)
    result = run(policy(tmp_path, [rule()]), question, promise, reply, as_of="2026-10-09 10:00")
    assert outcomes(result) == {"broken": 1}


def test_a_release_after_the_promise_was_due_does_not_mend_it(tmp_path):
    promise = post("acme_support", "2026-10-06 10:00", "@bob We'll DM you shortly", mentions=("bob",))
    late = post("bob", "2026-10-08 11:00", "@acme_support never mind, all sorted now", mentions=("acme_support",))
    result = run(policy(tmp_path, [rule()]), promise, late, as_of="2026-10-09 10:00")
    assert outcomes(result) == {"broken": 1}


def test_a_release_by_someone_else_or_to_another_account_releases_nothing(tmp_path):
    promise = post("acme_support", "2026-10-06 10:00", "@bob We'll DM you shortly", mentions=("bob",))
    other = post("carol", "2026-10-06 11:00", "@acme_support never mind, all sorted now", mentions=("acme_support",))
    elsewhere = post("bob", "2026-10-06 11:00", "@globex never mind, all sorted now", mentions=("globex",))
    result = run(policy(tmp_path, [rule()]), promise, other, elsewhere, as_of="2026-10-09 10:00")
    assert outcomes(result) == {"broken": 1}


# -- what takes an invitation up, and what keeps a commitment ----------------------------------------


@pytest.mark.parametrize("text", ["Hey, no need anymore, the parcel just turned up. All sorted now thanks!",
                                  "Never mind, it arrived this morning 🙂", "It arrived! Thanks"])
def test_a_dm_that_releases_the_invitation_takes_nothing_up(tmp_path, text):
    promise = post("acme_support", "2026-10-05 14:10", "@dave Sorry! Please DM us your order number", mentions=("dave",))
    release = dm("dave", "acme_support", "2026-10-05 16:00", text)
    result = run(policy(tmp_path, [rule()]), promise, release, as_of="2026-10-30 00:00")
    assert outcomes(result) == {"not_taken_up": 1} and not result.findings


def test_a_dm_weeks_after_the_invitation_is_another_conversation(tmp_path):
    promise = post("acme_support", "2026-10-02 14:10", "@dave Sorry! DM us your order number", mentions=("dave",))
    weeks = dm("dave", "acme_support", "2026-10-20 12:00", "Hi! Do you have the blue kettle in stock?")
    answer = dm("acme_support", "dave", "2026-10-22 12:00", "yes we do!")
    result = run(policy(tmp_path, [rule()]), promise, weeks, answer, as_of="2026-10-30 00:00")
    assert outcomes(result) == {"not_taken_up": 1} and not result.findings
    # within the week it is the take-up, and judged
    days = dm("dave", "acme_support", "2026-10-08 12:00", "order 5531")
    late = dm("acme_support", "dave", "2026-10-10 12:00", "found it")
    assert outcomes(run(policy(tmp_path, [rule()]), promise, days, late, as_of="2026-10-30 00:00")) == {"broken": 1}


def test_one_dm_after_two_invitations_takes_up_only_the_later(tmp_path):
    first = post("acme_support", "2026-10-05 14:10", "@dave Sorry Dave! DM us your order number please",
                 mentions=("dave",))
    second = post("acme_support", "2026-10-08 14:10", "@dave Please send us a DM with your order number",
                  mentions=("dave",))
    wrote = dm("dave", "acme_support", "2026-10-08 15:00", "5531")
    late = dm("acme_support", "dave", "2026-10-10 15:00", "found it, on its way")
    result = run(policy(tmp_path, [rule()]), first, second, wrote, late, as_of="2026-10-30 00:00")
    assert outcomes(result) == {"broken": 1, "not_taken_up": 1}
    [finding] = result.findings
    assert finding.evidence[0].id == second.id


@pytest.mark.parametrize("text", ["@dave Just DM'd you 🙂", "@dave We've just DM'd you the details", "@dave Just PM'd you"])
def test_a_claim_of_a_dm_just_sent_is_no_invitation(tmp_path, text):
    sent = dm("acme_support", "dave", "2026-10-05 14:05", "can you confirm the postcode?")
    claim = post("acme_support", "2026-10-05 14:10", text, mentions=("dave",))
    wrote = dm("dave", "acme_support", "2026-10-05 14:30", "M5V 2T6")
    late = dm("acme_support", "dave", "2026-10-07 14:30", "thanks, sorted")
    result = run(policy(tmp_path, [rule()]), sent, claim, wrote, late, as_of="2026-10-30 00:00")
    assert outcomes(result) == {"kept": 1}
    assert outcome(result).figures.metrics["commitments"] == 1


def test_the_accounts_first_dm_does_not_excuse_leaving_their_dm_unanswered(tmp_path):
    question = post("bigco_cto", "2026-10-05 14:00", "@jdoe we're evaluating Acme for 400 seats, who do I talk to?",
                    mentions=("jdoe",))
    promise = post("jdoe", "2026-10-05 14:10", "@bigco_cto DM me and we can talk off air!", reply_to=question)
    wave = dm("jdoe", "bigco_cto", "2026-10-05 14:11", "👋")
    details = dm("bigco_cto", "jdoe", "2026-10-05 15:00", "I'm Sam, CTO at BigCo. 400 seats, need a quote by Friday.")
    result = run(policy(tmp_path, [rule()]), question, promise, wave, details, as_of="2026-10-30 00:00")
    assert outcomes(result) == {"broken": 1}
    [finding] = result.findings
    assert "got no answer" in finding.message
    answered = dm("jdoe", "bigco_cto", "2026-10-05 16:00", "Hi Sam, a quote is on its way")
    assert outcomes(run(policy(tmp_path, [rule()]), question, promise, wave, details, answered,
                        as_of="2026-10-30 00:00")) == {"kept": 1}


def test_a_dm_sent_before_a_promise_of_contact_to_come_does_not_keep_it(tmp_path):
    before = dm("acme_support", "dave", "2026-10-05 13:30", "we've passed 5531 to our warehouse team")
    promise = post("acme_support", "2026-10-05 14:10", "@dave Sorry Dave, we'll DM you tomorrow with the refund details",
                   mentions=("dave",))
    assert outcomes(run(policy(tmp_path, [rule()]), before, promise, as_of="2026-10-30 00:00")) == {"broken": 1}
    # sent and announced together
    moment = dm("acme_support", "dave", "2026-10-05 14:09", "Hi Dave, the refund details: ...")
    assert outcomes(run(policy(tmp_path, [rule()]), moment, promise, as_of="2026-10-30 00:00")) == {"kept": 1}


def test_the_second_half_of_a_split_promise_is_not_the_contact_it_promises(tmp_path):
    question = post("dave", "2026-10-05 14:00", "@acme_support my parcel never came", mentions=("acme_support",))
    first = post("acme_support", "2026-10-05 14:10", "@dave So sorry Dave! We'll DM you shortly to get this sorted (1/2)",
                 reply_to=question)
    second = post("acme_support", "2026-10-05 14:10:30", "@dave In the meantime you can track it on our site (2/2)",
                  reply_to=first, mentions=("dave",))
    assert outcomes(run(policy(tmp_path, [rule()]), question, first, second, as_of="2026-10-30 00:00")) == {"broken": 1}
    # a real update later, in the same thread, is contact
    update = post("acme_support", "2026-10-05 18:00", "@dave Update: a new parcel left today", reply_to=second,
                  mentions=("dave",))
    assert outcomes(run(policy(tmp_path, [rule()]), question, first, second, update,
                        as_of="2026-10-30 00:00")) == {"kept": 1}


def test_a_broken_invitation_names_the_colleague_who_answered_instead(tmp_path):
    promise = post("acme_support", "2026-10-05 14:10", "@dave DM us your order number", mentions=("dave",))
    wrote = dm("dave", "acme_support", "2026-10-05 15:00", "5531")
    colleague = dm("jdoe", "dave", "2026-10-05 15:30", "Jane from Acme support here, checking 5531")
    result = run(policy(tmp_path, [rule()]), promise, wrote, colleague, as_of="2026-10-30 00:00")
    [finding] = result.findings
    assert finding.status == "broken"
    assert finding.message == ('@dave wrote by DM after the invitation "DM us" and got no answer from @acme_support: '
                               'waited 24d 9h by the end of the data (limit 1d; @jdoe answered, not one of this '
                               "rule's responders)")


def test_an_invitation_to_call_released_in_public_was_not_taken_up(tmp_path):
    promise = post("acme_support", "2026-10-05 14:10", "@cohen Please call us at 1-800-555-0199", mentions=("cohen",))
    found = post("cohen", "2026-10-05 14:58", "@acme_support perfect, found it. Thank you!", reply_to=promise)
    result = run(policy(tmp_path, [rule()]), promise, found, as_of="2026-10-30 00:00")
    assert outcomes(result) == {"not_taken_up": 1} and not result.findings
    # and so without the account's DMs
    dm_invite = post("acme_support", "2026-10-05 14:10", "@cohen Please DM us", mentions=("cohen",))
    result = run(policy(tmp_path, [rule()]), dm_invite, replace(found, in_reply_to=dm_invite.id),
                 as_of="2026-10-30 00:00", dms_of=("lchen",))
    assert outcomes(result) == {"not_taken_up": 1} and not result.findings


def test_the_order_number_sent_eight_days_after_the_invitation_takes_it_up(tmp_path):
    promise = post("acme_support", "2026-10-02 14:10", "@dave Please DM us your order number", mentions=("dave",))
    late = dm("dave", "acme_support", "2026-10-10 12:00", "Sorry for the delay, it's 5531")
    assert outcomes(run(policy(tmp_path, [rule()]), promise, late, as_of="2026-10-30 00:00")) == {"broken": 1}


def test_sending_a_dm_now_is_kept_by_the_dm_sent_just_before_it(tmp_path):
    sent = dm("acme_support", "dave", "2026-10-05 14:00", "Hi Dave, about your order")
    promise = post("acme_support", "2026-10-05 14:10", "@dave Sending you a DM now!", mentions=("dave",))
    assert outcomes(run(policy(tmp_path, [rule()]), sent, promise, as_of="2026-10-30 00:00")) == {"kept": 1}


def test_a_dm_before_we_will_be_sending_you_a_dm_tomorrow_does_not_keep_it(tmp_path):
    sent = dm("acme_support", "dave", "2026-10-05 13:30", "we've passed it on")
    promise = post("acme_support", "2026-10-05 14:10", "@dave We'll be sending you a DM tomorrow", mentions=("dave",))
    assert outcomes(run(policy(tmp_path, [rule()]), sent, promise, as_of="2026-10-30 00:00")) == {"broken": 1}
