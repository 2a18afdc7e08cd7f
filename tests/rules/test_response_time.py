"""response_time, clause by clause, on small hand-made timelines (times in UTC unless an offset is given)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.factories import dm, policy, post, run

SUPPORT_HOURS = {"support-hours": {"weekdays": ["mon", "tue", "wed", "thu", "fri"], "hours": "09:00-17:00",
                                   "holidays": {"country": "CA", "subdivision": "ON"}, "closed": ["2026-10-20"]}}


def rule(**options):
    base = {"id": "answer", "type": "response_time", "severity": "high", "within": "4h",
            "applies_to": {"accounts": ["acme_support"]}}
    base.update(options)
    return base


def outcome(result, rule_id="answer"):
    return next(r for r in result.rules if r.id == rule_id)


def findings(result, status=None):
    return [f for f in result.findings if status is None or f.status == status]


def test_mention_answered_within_the_limit_is_met(tmp_path):
    ask = post("bob", "2026-10-05 14:00", "@acme_support where is my order?", mentions=("acme_support",))
    answer = post("acme_support", "2026-10-05 15:00", "@bob on its way", reply_to=ask)
    result = run(policy(tmp_path, [rule()]), ask, answer)
    figures = outcome(result).figures
    assert (figures.checked, figures.passed, figures.failed, figures.pending) == (1, 1, 0, 0)
    assert figures.metrics["median_response_seconds"] == 3600
    assert outcome(result).status == "pass"
    assert result.findings == ()


def test_answer_exactly_at_the_limit_is_met_and_one_second_later_is_breached(tmp_path):
    loaded = policy(tmp_path, [rule()])
    ask = post("bob", "2026-10-05 10:00", "@acme_support hi", mentions=("acme_support",))
    on_time = post("acme_support", "2026-10-05 14:00:00", "@bob hi", reply_to=ask)
    assert outcome(run(loaded, ask, on_time)).figures.passed == 1
    late = post("acme_support", "2026-10-05 14:00:01", "@bob hi", reply_to=ask)
    result = run(loaded, ask, late)
    assert outcome(result).figures.failed == 1
    [finding] = findings(result)
    assert finding.status == "breached"
    assert finding.message == "@bob waited 4h1m for an answer (limit 4h on wall clock)"
    assert [e.role for e in finding.evidence] == ["inbound", "response"]
    assert finding.measure["elapsed_seconds"] == 4 * 3600 + 1


def test_reply_to_an_audited_post_is_inbound(tmp_path):
    brand = post("acme_support", "2026-10-05 09:00", "New release today!")
    reply = post("bob", "2026-10-05 10:00", "does it fix sync?", reply_to=brand, mentions=())
    answer = post("acme_support", "2026-10-05 20:00", "@bob yes", reply_to=reply)
    result = run(policy(tmp_path, [rule()]), brand, reply, answer)
    [finding] = findings(result)
    assert finding.counterpart == "bob"
    assert finding.measure["channel"] == "reply"
    assert finding.measure["elapsed_seconds"] == 10 * 3600


def test_inbound_channels_can_be_narrowed(tmp_path):
    ask = post("bob", "2026-10-05 10:00", "@acme_support hi", mentions=("acme_support",))
    message = dm("carol", "acme_support", "2026-10-05 10:00", "hello?")
    result = run(policy(tmp_path, [rule(inbound=["dm"])]), ask, message, as_of="2026-10-30 00:00")
    assert [f.counterpart for f in findings(result)] == ["carol"]


def test_reposts_and_roster_accounts_are_not_inbound(tmp_path):
    repost = post("bob", "2026-10-05 10:00", "RT @acme_support: New release", mentions=("acme_support",),
                  repost_of="999")
    colleague = post("lchen", "2026-10-05 10:00", "@acme_support can you check this?", mentions=("acme_support",))
    result = run(policy(tmp_path, [rule()]), repost, colleague, as_of="2026-10-30 00:00")
    assert outcome(result).figures.checked == 0
    assert outcome(result).status == "no_data"


def test_dm_is_answered_by_the_next_dm_of_the_account_in_that_conversation(tmp_path):
    first = dm("bob", "acme_support", "2026-10-05 10:00", "my order 5531 is late")
    answer = dm("acme_support", "bob", "2026-10-05 12:30", "looking into it")
    result = run(policy(tmp_path, [rule()]), first, answer)
    figures = outcome(result).figures
    assert (figures.checked, figures.passed) == (1, 1)
    assert figures.metrics["median_response_seconds"] == 9000


def test_several_items_of_one_counterpart_wait_for_one_answer_as_one_episode(tmp_path):
    first = post("bob", "2026-10-05 10:00", "@acme_support my sync is broken", mentions=("acme_support",))
    second = post("bob", "2026-10-05 11:00", "@acme_support hello??", reply_to=first, mentions=("acme_support",))
    third = post("bob", "2026-10-05 13:00", "@acme_support anyone?", reply_to=second, mentions=("acme_support",))
    answer = post("acme_support", "2026-10-05 15:00", "@bob sorry, fixing it", reply_to=third)
    result = run(policy(tmp_path, [rule()]), first, second, third, answer)
    figures = outcome(result).figures
    assert (figures.checked, figures.failed) == (1, 1)
    [finding] = findings(result)
    assert finding.measure["items"] == 3
    assert finding.measure["elapsed_seconds"] == 5 * 3600  # the clock starts at the first item
    assert [e.id for e in finding.evidence] == [first.id, second.id, third.id, answer.id]


def test_a_reply_answers_what_the_counterpart_wrote_before_it_whichever_post_it_replies_to(tmp_path):
    first = post("bob", "2026-10-05 10:00", "@acme_support one", mentions=("acme_support",))
    answer = post("acme_support", "2026-10-05 11:00", "@bob answer one", reply_to=first)
    second = post("bob", "2026-10-05 12:00", "@acme_support two", reply_to=answer, mentions=("acme_support",))
    answer_late = post("acme_support", "2026-10-05 20:00", "@bob two", reply_to=first)  # replies to the old post
    result = run(policy(tmp_path, [rule()]), first, answer, second, answer_late, as_of="2026-10-30 00:00")
    figures = outcome(result).figures
    assert (figures.checked, figures.passed, figures.failed) == (2, 1, 1)
    [finding] = findings(result)
    assert finding.message == "@bob waited 8h for an answer (limit 4h on wall clock)"
    assert [(e.id, e.role) for e in finding.evidence] == [(second.id, "inbound"), (answer_late.id, "response")]


def test_a_reply_that_addresses_two_customers_answers_both(tmp_path):
    dave = post("dave", "2026-10-05 10:00", "@acme_support the app is down", mentions=("acme_support",))
    carol = post("carol", "2026-10-05 10:05", "@dave @acme_support same here", reply_to=dave,
                 mentions=("dave", "acme_support"))
    both = post("acme_support", "2026-10-05 11:00", "@dave @carol sorry to you both, fixed now", reply_to=dave,
                mentions=("dave", "carol"))
    result = run(policy(tmp_path, [rule()]), dave, carol, both, as_of="2026-10-30 00:00")
    figures = outcome(result).figures
    assert (figures.checked, figures.passed, figures.failed) == (2, 2, 0)
    # Named in passing further on, she is not answered.
    passing = post("acme_support", "2026-10-05 11:00", "@dave sorry, fixed now (thanks @carol for the tip)",
                   reply_to=dave, mentions=("dave", "carol"))
    result = run(policy(tmp_path, [rule()]), dave, carol, passing, as_of="2026-10-30 00:00")
    assert [f.counterpart for f in findings(result)] == ["carol"]


def test_a_reply_stamped_a_moment_before_the_post_it_answers_still_answers_it(tmp_path):
    from datetime import timedelta

    from msgspec.structs import replace

    ask = post("bob", "2026-10-05 10:00", "@acme_support hi", mentions=("acme_support",))
    ask = replace(ask, created_at=ask.created_at + timedelta(milliseconds=600))  # the clocks disagree
    answer = post("acme_support", "2026-10-05 10:00", "@bob hello", reply_to=ask)
    result = run(policy(tmp_path, [rule()]), ask, answer, as_of="2026-10-30 00:00")
    figures = outcome(result).figures
    assert (figures.checked, figures.passed) == (1, 1)
    assert figures.metrics["median_response_seconds"] == 0


def test_after_the_account_took_the_conversation_to_dm_a_later_post_cannot_be_told_without_its_dms(tmp_path):
    # shared/data/twcs (Uber_Support): "We have received your DM and will follow up with you there", then the
    # customer posts again in the thread; the data holds no DM of the account's.
    ask = post("bob", "2026-10-05 10:00", "@acme_support I was charged twice", mentions=("acme_support",))
    moved = post("acme_support", "2026-10-05 10:30", "@bob We have received your DM and will follow up with you there",
                 reply_to=ask)
    again = post("bob", "2026-10-05 11:00", "@acme_support still nothing?", reply_to=moved, mentions=("acme_support",))
    result = run(policy(tmp_path, [rule()]), ask, moved, again, as_of="2026-10-30 00:00", dms_of=())
    [finding] = findings(result)
    assert finding.status == "cannot_tell"
    assert finding.message == ("cannot tell whether @bob was answered in time: the account took the conversation "
                               "to DM (\"your DM\"), and no source holds the DMs of @acme_support")
    assert outcome(result).figures.metrics["not_counted"] == {"DMs not held": 1}
    # With the account's DMs in the data, the post is judged.
    result = run(policy(tmp_path, [rule()]), ask, moved, again, as_of="2026-10-30 00:00")
    assert [f.status for f in findings(result)] == ["breached"]
    # A hand-off weeks before is another matter.
    september = post("bob", "2026-09-14 10:00", "@acme_support my card was declined", mentions=("acme_support",))
    old = post("acme_support", "2026-09-14 10:30", "@bob Send us a DM please", reply_to=september)
    later = post("bob", "2026-10-05 11:00", "@acme_support now the update deleted my files", reply_to=old,
                 mentions=("acme_support",))
    result = run(policy(tmp_path, [rule()]), september, old, later, as_of="2026-10-30 00:00", dms_of=())
    assert [(f.counterpart, f.status) for f in findings(result)] == [("bob", "breached")]
    # A DM asked of someone else in the thread says nothing of this customer's answer.
    other = post("carol", "2026-10-05 10:10", "@acme_support me too", reply_to=ask, mentions=("acme_support",))
    to_her = post("acme_support", "2026-10-05 10:30", "@carol Send us a DM please", reply_to=other)
    result = run(policy(tmp_path, [rule()]), ask, other, to_her, as_of="2026-10-30 00:00", dms_of=())
    assert [(f.counterpart, f.status) for f in findings(result)] == [("bob", "breached")]


def test_a_customer_who_says_they_sent_a_dm_cannot_be_told_without_the_accounts_dms(tmp_path):
    # shared/data/twcs (Delta): "Just DM'd you with a screenshot and explanation. 😊"; the answer would be a DM.
    ask = post("bob", "2026-10-05 10:00", "@acme_support my refund never came, can you look into it again?",
               mentions=("acme_support",))
    sent = post("bob", "2026-10-05 10:20", "@acme_support I sent you a DM with the booking, still no refund",
                reply_to=ask, mentions=("acme_support",))
    result = run(policy(tmp_path, [rule()]), ask, sent, as_of="2026-10-30 00:00", dms_of=())
    [finding] = findings(result)
    assert finding.status == "cannot_tell"
    assert finding.message == ("cannot tell whether @bob was answered in time: @bob says they sent the account a DM "
                               "(\"I sent you a DM\"), and no source holds the DMs of @acme_support")
    # With the account's DMs in the data, the episode is judged; and one who only offers to DM is too.
    result = run(policy(tmp_path, [rule()]), ask, sent, as_of="2026-10-30 00:00")
    assert [f.status for f in findings(result)] == ["breached"]
    offer = post("bob", "2026-10-05 10:20", "@acme_support I can DM you the booking if you want, still no refund",
                 reply_to=ask, mentions=("acme_support",))
    result = run(policy(tmp_path, [rule()]), ask, offer, as_of="2026-10-30 00:00", dms_of=())
    assert [f.status for f in findings(result)] == ["breached"]
    # "Hello?? I DMed you my account number", "I messaged you my account number": the answer may be a DM.
    for text in ("@acme_support Hello?? I DMed you my account number", "@acme_support I messaged you my account number"):
        sent = post("bob", "2026-10-05 10:20", text, reply_to=ask, mentions=("acme_support",))
        result = run(policy(tmp_path, [rule()]), ask, sent, as_of="2026-10-30 00:00", dms_of=())
        assert [f.status for f in findings(result)] == ["cannot_tell"], text
    # Said days after the deadline, by someone else, of another channel, asked or denied: judged as it stands.
    for text, when in [("@acme_support I DMed you yesterday, still nothing", "2026-10-09 10:00"),
                       ("@acme_support my friend messaged you", "2026-10-05 10:20"),
                       ("@acme_support I messaged you on Facebook", "2026-10-05 10:20"),
                       ("@acme_support I DMed you on Instagram", "2026-10-05 10:20"),
                       ("@acme_support Should I have DMed you instead?", "2026-10-05 10:20"),
                       ("@acme_support I have not yet DMed you", "2026-10-05 10:20")]:
        later = post("bob", when, text, reply_to=ask, mentions=("acme_support",))
        result = run(policy(tmp_path, [rule()]), ask, later, as_of="2026-10-30 00:00", dms_of=())
        assert [f.status for f in findings(result)] == ["breached"], text


def test_a_nudge_before_the_reply_is_answered_by_it(tmp_path):
    question = post("bob", "2026-10-05 14:00", "@acme_support my order never came", mentions=("acme_support",))
    nudge = post("bob", "2026-10-05 15:00", "@acme_support hello?? anyone?", reply_to=question,
                 mentions=("acme_support",))
    answer = post("acme_support", "2026-10-05 16:00", "@bob so sorry, it ships today", reply_to=question)
    result = run(policy(tmp_path, [rule()]), question, nudge, answer, as_of="2026-10-30 00:00")
    figures = outcome(result).figures
    assert (figures.checked, figures.passed, figures.failed) == (1, 1, 0)  # one episode, from 14:00 to 16:00
    assert figures.metrics["median_response_seconds"] == 2 * 3600
    # A later post of theirs waits for a later answer.
    again = post("bob", "2026-10-05 17:00", "@acme_support it did not ship", reply_to=answer,
                 mentions=("acme_support",))
    result = run(policy(tmp_path, [rule()]), question, nudge, answer, again, as_of="2026-10-30 00:00")
    assert [f.message[:18] for f in findings(result)] == ["@bob got no answer"]


def test_team_responders_let_a_teammate_answer(tmp_path):
    ask = post("bob", "2026-10-05 10:00", "@acme_support help", mentions=("acme_support",))
    teammate = post("lchen", "2026-10-05 11:00", "@bob on it", reply_to=ask)
    alone = run(policy(tmp_path, [rule()]), ask, teammate, as_of="2026-10-30 00:00")
    assert outcome(alone).figures.failed == 1
    team = rule(responders="team", applies_to={"teams": ["support"]})
    together = run(policy(tmp_path, [team]), ask, teammate, as_of="2026-10-30 00:00")
    assert (outcome(together).figures.checked, outcome(together).figures.passed) == (1, 1)


def test_team_responders_count_a_post_to_two_teammates_once(tmp_path):
    ask = post("bob", "2026-10-05 10:00", "@acme_support @lchen help", mentions=("acme_support", "lchen"))
    answer = post("lchen", "2026-10-05 11:00", "@bob on it", reply_to=ask)
    team = rule(responders="team", applies_to={"teams": ["support"]})
    assert outcome(run(policy(tmp_path, [team]), ask, answer)).figures.checked == 1


def test_unanswered_is_breached_once_the_deadline_passed_before_the_end_of_the_data(tmp_path):
    loaded = policy(tmp_path, [rule()])
    ask = post("bob", "2026-10-05 10:00", "@acme_support hi", mentions=("acme_support",))
    later = post("carol", "2026-10-05 14:00:01", "unrelated")
    result = run(loaded, ask, later)  # end of the data = the latest event read
    assert outcome(result).figures.failed == 1
    pending = run(loaded, ask, post("carol", "2026-10-05 14:00", "unrelated"))
    assert (outcome(pending).figures.checked, outcome(pending).figures.pending) == (0, 1)
    [finding] = findings(pending)
    assert finding.status == "pending"
    assert finding.message == "@bob is still waiting for an answer (due 2026-10-05 10:00 EDT)"


def test_as_of_sets_the_end_of_the_data(tmp_path):
    ask = post("bob", "2026-10-05 10:00", "@acme_support hi", mentions=("acme_support",))
    result = run(policy(tmp_path, [rule()]), ask, as_of="2026-10-06 00:00")
    assert outcome(result).figures.failed == 1
    assert findings(result)[0].measure["elapsed_seconds"] == 14 * 3600


def test_as_of_leaves_out_what_came_after_it(tmp_path):
    # --as-of is the end of the data: an answer that came later was not there yet, so a report re-run with
    # the same --as-of on more data says the same.
    ask = post("bob", "2026-10-05 10:00", "@acme_support hi", mentions=("acme_support",))
    later = post("acme_support", "2026-10-05 13:00", "@bob hello", reply_to=ask)
    result = run(policy(tmp_path, [rule()]), ask, later, as_of="2026-10-05 12:00")
    assert (outcome(result).figures.pending, outcome(result).figures.passed) == (1, 0)
    assert result.data.events == 1 and result.data.as_of == "2026-10-05T12:00:00Z"


def test_episodes_count_in_the_period_they_start_in(tmp_path):
    loaded = policy(tmp_path, [rule()])
    before = post("bob", "2026-09-30 23:00-04:00", "@acme_support hi", mentions=("acme_support",))
    inside = post("carol", "2026-10-31 23:00-04:00", "@acme_support hi", mentions=("acme_support",))
    answer = post("acme_support", "2026-11-01 01:00-04:00", "@carol hi", reply_to=inside)
    result = run(loaded, before, inside, answer)
    figures = outcome(result).figures
    assert (figures.checked, figures.passed) == (1, 1)  # September's episode belongs to September


def test_business_hours_skip_the_weekend(tmp_path):
    loaded = policy(tmp_path, [rule(clock="support-hours")], calendars=SUPPORT_HOURS)
    friday = post("bob", "2026-10-02 16:00-04:00", "@acme_support hi", mentions=("acme_support",))
    monday_noon = post("acme_support", "2026-10-05 12:00-04:00", "@bob hi", reply_to=friday)
    result = run(loaded, friday, monday_noon)
    figures = outcome(result).figures
    assert (figures.passed, figures.metrics["median_response_seconds"]) == (1, 4 * 3600)
    monday_late = post("acme_support", "2026-10-05 12:30-04:00", "@bob hi", reply_to=friday)
    result = run(loaded, friday, monday_late)
    [finding] = findings(result)
    assert finding.message == "@bob waited 4h30m of open hours (2d 21h calendar time) for an answer (limit 4h of open hours on support-hours)"


def test_business_hours_skip_holidays_and_closed_days(tmp_path):
    loaded = policy(tmp_path, [rule(clock="support-hours")], calendars=SUPPORT_HOURS)
    # Thanksgiving (Ontario) is Monday 2026-10-12: Friday 16:00 -> Tuesday 12:00 is 4 open hours.
    friday = post("bob", "2026-10-09 16:00-04:00", "@acme_support hi", mentions=("acme_support",))
    tuesday = post("acme_support", "2026-10-13 12:00-04:00", "@bob hi", reply_to=friday)
    assert outcome(run(loaded, friday, tuesday)).figures.passed == 1
    # 2026-10-20 is a closed date of the calendar.
    monday = post("carol", "2026-10-19 16:00-04:00", "@acme_support hi", mentions=("acme_support",))
    wednesday = post("acme_support", "2026-10-21 12:00-04:00", "@carol hi", reply_to=monday)
    assert outcome(run(loaded, monday, wednesday)).figures.passed == 1


def test_business_hours_across_the_autumn_daylight_saving_change(tmp_path):
    loaded = policy(tmp_path, [rule(clock="support-hours")], calendars=SUPPORT_HOURS)
    # Toronto falls back on Sunday 2026-11-01: Friday 16:00 EDT -> Monday 12:00 EST is 4 open hours.
    friday = post("bob", "2026-10-30 16:00-04:00", "@acme_support hi", mentions=("acme_support",))
    monday = post("acme_support", "2026-11-02 12:00-05:00", "@bob hi", reply_to=friday)
    result = run(loaded, friday, monday)
    assert outcome(result).figures.metrics["median_response_seconds"] == 4 * 3600


def test_wall_clock_across_the_daylight_saving_change_counts_real_time(tmp_path):
    loaded = policy(tmp_path, [rule()])
    # 23:00 EDT to 03:00 EST reads as 4 hours on the wall but is 5 real hours.
    ask = post("bob", "2026-10-31 23:00-04:00", "@acme_support hi", mentions=("acme_support",))
    answer = post("acme_support", "2026-11-01 03:00-05:00", "@bob hi", reply_to=ask)
    result = run(loaded, ask, answer)
    assert findings(result)[0].measure["elapsed_seconds"] == 5 * 3600


def test_a_deadline_at_closing_time_is_past_only_once_open_time_goes_on(tmp_path):
    loaded = policy(tmp_path, [rule(clock="support-hours", within="8h")], calendars=SUPPORT_HOURS)
    # Saturday: 8 open hours run out at Monday's 17:00 closing, and an answer before Tuesday's opening is met.
    saturday = post("bob", "2026-10-03 10:00-04:00", "@acme_support hi", mentions=("acme_support",))
    [finding] = findings(run(loaded, saturday, as_of="2026-10-05 22:00-04:00"))
    assert finding.status == "pending"
    assert finding.measure["deadline"] == "2026-10-05T21:00:00Z"
    assert finding.message == ("@bob is still waiting for an answer (the limit ran out at closing, 2026-10-05 17:00 "
                               "EDT: late once support-hours opens again)")
    [finding] = findings(run(loaded, saturday, as_of="2026-10-06 09:00-04:00"))
    assert finding.status == "pending"
    [finding] = findings(run(loaded, saturday, as_of="2026-10-06 09:01-04:00"))
    assert finding.status == "breached"
    tuesday_early = post("acme_support", "2026-10-06 08:30-04:00", "@bob hi", reply_to=saturday)
    assert outcome(run(loaded, saturday, tuesday_early)).figures.passed == 1


def test_unanswered_on_business_hours_is_pending_until_the_business_deadline(tmp_path):
    loaded = policy(tmp_path, [rule(clock="support-hours")], calendars=SUPPORT_HOURS)
    friday = post("bob", "2026-10-02 16:00-04:00", "@acme_support hi", mentions=("acme_support",))
    result = run(loaded, friday, as_of="2026-10-05 11:00-04:00")
    [finding] = findings(result)
    assert finding.status == "pending"
    assert finding.measure["deadline"] == "2026-10-05T16:00:00Z"


@pytest.mark.parametrize(
    ("only", "expected"),
    [
        (["question"], ["q"]),
        (["complaint"], ["c"]),
        (["question", "complaint"], ["c", "q"]),
    ],
)
def test_only_narrows_to_questions_or_complaints(tmp_path, only, expected):
    question = post("q", "2026-10-05 10:00", "@acme_support how do I export my data?", mentions=("acme_support",))
    complaint = post("c", "2026-10-05 10:00", "@acme_support this is terrible, worst service ever, I hate it",
                     mentions=("acme_support",))
    thanks = post("t", "2026-10-05 10:00", "@acme_support thanks, great job!", mentions=("acme_support",))
    result = run(policy(tmp_path, [rule(only=only)]), question, complaint, thanks, as_of="2026-10-30 00:00")
    assert sorted(f.counterpart for f in findings(result)) == expected


def test_share_met_is_rounded_toward_the_truth():
    from auditor.rules.base import Check
    from auditor.rules.response_time import ResponseTimeRule

    kind = ResponseTimeRule(id="answer", type="response_time", severity="high", within="1h")
    moment = datetime(2026, 10, 5, tzinfo=timezone.utc)
    checks = [Check("lchen", moment, "passed", "bob", 60.0)] * 20_500 + [Check("lchen", moment, "failed", "bob", 7200.0)]
    assert kind.metrics(checks)["share_met"] == 0.9999


def test_metrics_per_account_and_overall(tmp_path):
    loaded = policy(tmp_path, [rule(applies_to={"teams": ["support"]})])
    events = []
    for n, minutes in enumerate([10, 20, 30, 40, 300]):
        ask = post(f"c{n}", "2026-10-05 10:00", "@lchen hi", mentions=("lchen",))
        answer = post("lchen", f"2026-10-05 {10 + minutes // 60:02d}:{minutes % 60:02d}", "@x", reply_to=ask)
        events += [ask, answer]
    result = run(loaded, *events)
    metrics = outcome(result).figures.metrics
    assert metrics == {
        "episodes": 5, "answered": 5, "met": 4, "breached": 1, "pending": 0,
        "median_response_seconds": 1800, "p90_response_seconds": 18000, "share_met": 0.8,
        "histogram": {"limit_seconds": 14400, "bins": [
            [3600, 4], [7200, 0], [14400, 0], [28800, 1], [43200, 0], [86400, 0], [172800, 0], [345600, 0],
            [None, 0]]},
        "not_counted": {},
    }
    lchen = next(a for a in result.accounts if a.handle == "lchen")
    assert lchen.rules["answer"].checked == 5
    support = next(a for a in result.accounts if a.handle == "acme_support")
    assert support.rules["answer"].checked == 0
    assert "answer" not in next(a for a in result.accounts if a.handle == "jdoe").rules


def test_target_decides_the_rule_status(tmp_path):
    events = []
    for n, hours in enumerate([1, 1, 1, 9]):
        ask = post(f"c{n}", "2026-10-05 08:00", "@acme_support hi", mentions=("acme_support",))
        events += [ask, post("acme_support", f"2026-10-05 {8 + hours:02d}:00", "@x", reply_to=ask)]
    assert outcome(run(policy(tmp_path, [rule(target="75%")]), *events)).status == "pass"
    assert outcome(run(policy(tmp_path, [rule(target="76%")]), *events)).status == "fail"


def _metrics_check_by_check(rule_model, checks):
    """The response-time metrics as the contract words them, one check at a time (the rule counts in bulk)."""
    from bisect import bisect_left
    from collections import Counter

    times = sorted(c.value for c in checks if c.value is not None)
    edges = [rule_model.within.total_seconds() * f for f in (0.25, 0.5, 1, 2, 3, 6, 12, 24)]
    bins = [0] * (len(edges) + 1)
    for value in times:
        bins[bisect_left(edges, value)] += 1  # a time exactly at an edge belongs to the bin that edge closes
    set_aside = Counter()
    for check in checks:
        if check.status == "uncounted":
            set_aside.update(check.counts)
    return {
        "episodes": sum(1 for c in checks if c.status != "uncounted"), "answered": len(times),
        "met": sum(1 for c in checks if c.status == "passed"),
        "breached": sum(1 for c in checks if c.status == "failed"),
        "pending": sum(1 for c in checks if c.status == "pending"),
        "histogram": {"limit_seconds": int(edges[2]),
                      "bins": [[int(e), n] for e, n in zip(edges, bins)] + [[None, bins[-1]]]},
        "not_counted": dict(set_aside),
    }


@pytest.mark.parametrize("seed", range(40))
def test_metrics_count_as_check_by_check(seed):
    import random
    from datetime import datetime, timezone

    from auditor.rules.base import Check
    from auditor.rules.response_time import ResponseTimeRule

    rng = random.Random(seed)
    options = rule(within=rng.choice(["1h", "4h", "90m", "1d"]))
    del options["applies_to"]
    model = ResponseTimeRule.model_validate(options)
    limit = model.within.total_seconds()
    edges = [limit * f for f in (0.25, 0.5, 1, 2, 3, 6, 12, 24)]
    at = datetime(2026, 10, 5, tzinfo=timezone.utc)
    checks = []
    for _ in range(rng.randrange(0, 60)):
        status = rng.choice(["passed", "failed", "pending", "uncounted"])
        if status == "uncounted":
            counts = {rng.choice(["acknowledgement", "passing mention"]): rng.randrange(1, 4)}
            checks.append(Check("acme_support", at, status, counts=counts))
            continue
        # On an edge, a hair either side of one, or anywhere: the bins must split exactly where the edges are.
        value = rng.choice([rng.choice(edges), rng.choice(edges) + rng.choice([-1e-6, 1e-6]),
                            rng.uniform(0, limit * 30), 0.0])
        checks.append(Check("acme_support", at, status, "bob", None if status == "pending" else value))
    expected = _metrics_check_by_check(model, checks)
    got = model.metrics(checks)
    assert {key: got[key] for key in expected} == expected


# What the data cannot show is not judged: the answer to a DM can only be a DM, so where no source holds
# the account's DMs a DM item past its limit is "cannot tell", listed and never counted.
def test_a_dm_item_the_data_cannot_show_the_answer_to_is_cannot_tell_not_breached(tmp_path):
    asked = dm("cy", "acme_support", "2026-10-05 14:20", "hello? where is my order 5531")
    public = post("bob", "2026-10-05 14:00", "@acme_support my order is late", mentions=("acme_support",))
    end = post("acme_support", "2026-10-09 14:10", "end of the data")
    result = run(policy(tmp_path, [rule()]), asked, public, end, dms_of=("lchen",))
    figures = outcome(result).figures
    # bob's public item still stands on public replies (none): breached. cy's DM is not judged.
    assert (figures.checked, figures.failed, figures.pending) == (1, 1, 0)
    assert figures.metrics["episodes"] == 1
    assert figures.metrics["not_counted"] == {"DMs not held": 1}
    [told] = findings(result, "cannot_tell")
    assert told.counterpart == "cy" and not told.counted
    assert told.message == ("cannot tell whether @cy's DM was answered in time: "
                            "no source holds the DMs of @acme_support")
    assert [e.id for e in told.evidence] == [asked.id]
    [breached] = findings(result, "breached")
    assert breached.counterpart == "bob"


def test_a_dm_answered_in_time_is_met_even_where_the_dms_are_not_all_held(tmp_path):
    # An answer the data shows within the limit is a fact; only a late or missing one cannot be judged.
    asked = dm("cy", "acme_support", "2026-10-05 14:20", "hello? where is my order 5531")
    answer = dm("acme_support", "cy", "2026-10-05 14:30", "looking into it")
    late_ask = dm("dee", "acme_support", "2026-10-05 14:20", "and mine?")
    late = dm("acme_support", "dee", "2026-10-06 14:30", "sorry, looking")
    result = run(policy(tmp_path, [rule()]), asked, answer, late_ask, late, dms_of=("lchen",))
    figures = outcome(result).figures
    assert (figures.checked, figures.passed, figures.failed) == (1, 1, 0)
    assert [f.counterpart for f in findings(result, "cannot_tell")] == ["dee"]


def test_with_team_responders_a_dm_is_answered_by_a_teammates_dm(tmp_path):
    asked = dm("eve", "acme_support", "2026-10-05 14:00", "my card was charged twice")
    teammate = dm("lchen", "eve", "2026-10-05 14:20", "refunding the second charge now")
    team = rule(responders="team", applies_to={"teams": ["support"]})
    result = run(policy(tmp_path, [team]), asked, teammate, as_of="2026-10-30 00:00")
    figures = outcome(result).figures
    assert (figures.checked, figures.passed, figures.failed) == (1, 1, 0)
    assert figures.metrics["median_response_seconds"] == 1200
    # Each account for itself: lchen's DM is not acme_support's answer.
    alone = run(policy(tmp_path, [rule()]), asked, teammate, as_of="2026-10-30 00:00")
    assert outcome(alone).figures.failed == 1


# A slice of a larger export (TWCS) names the replies each tweet got: one the slice does not hold may be the
# answer, so an item left waiting as far as the slice shows is "cannot tell", not breached.
TWCS_ROWS = [
    # tweet_id, author_id, inbound, created_at, text, response_tweet_id, in_response_to_tweet_id
    ("10", "115001", "True", "Mon Oct 05 14:00:00 +0000 2026", "@acme_support my order is late", "11", ""),
    ("20", "115002", "True", "Mon Oct 05 14:00:00 +0000 2026", "@acme_support where is my refund?", "", ""),
    ("30", "115003", "True", "Mon Oct 05 14:00:00 +0000 2026", "@acme_support app crashes", "31", ""),
    ("31", "acme_support", "False", "Mon Oct 05 20:00:00 +0000 2026", "@115003 sorry, try again now", "", "30"),
    ("99", "acme_support", "False", "Fri Oct 09 14:00:00 +0000 2026", "Store hours this weekend", "", ""),
]


def test_a_twcs_item_replied_to_by_a_tweet_the_slice_does_not_hold_is_cannot_tell(tmp_path):
    import csv

    from auditor.activity.sources.csv_mapping import TWCS_HEADER
    from auditor.activity.sources.csv_source import read_csv
    from tests.factories import run_activity

    path = tmp_path / "twcs.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([TWCS_HEADER, *TWCS_ROWS])
    read = read_csv(path, "twcs")
    assert read.sources[0].replies_not_held == {"10": ("11",)}
    result = run_activity(policy(tmp_path, [rule(inbound=["mention", "reply"])]), read)
    figures = outcome(result).figures
    # 115002 got no reply at all, and the file says so: breached. 115003's reply is in the file: 6h, breached.
    # 115001's reply (tweet 11) is not in the file: not judged.
    assert (figures.checked, figures.failed) == (2, 2)
    assert figures.metrics["not_counted"] == {"reply not in the data": 1}
    [told] = findings(result, "cannot_tell")
    assert told.counterpart == "115001" and not told.counted
    assert told.message == ("cannot tell whether @115001 was answered in time: the source says a reply to "
                            "@115001's post exists, and the data does not hold it")


def test_the_store_keeps_the_replies_a_slice_does_not_hold(tmp_path):
    import csv
    import json

    from typer.testing import CliRunner

    from auditor.activity.sources.csv_mapping import TWCS_HEADER
    from auditor.cli import app

    path = tmp_path / "twcs.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([TWCS_HEADER, *TWCS_ROWS])
    store = tmp_path / "store.db"
    imported = CliRunner().invoke(app, ["import", "--store", str(store), "--mapping", "twcs", str(path)])
    assert imported.exit_code == 0, imported.output
    policy(tmp_path, [rule(inbound=["mention", "reply"])])
    out = tmp_path / "out"
    audited = CliRunner().invoke(app, ["audit", "--policy", str(tmp_path / "policy.yaml"), "--data", str(store),
                                       "--period", "2026-10", "--format", "json", "--out-dir", str(out)])
    assert audited.exit_code in (0, 1), audited.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [(f["counterpart"], f["status"]) for f in report["findings"] if f["status"] == "cannot_tell"] == [
        ("115001", "cannot_tell")]


def test_a_public_item_may_have_been_answered_by_a_dm_to_an_account_known_only_by_number(tmp_path):
    # An X archive names a DM's other side by numeric id where none of its records pairs it with a handle.
    ask = post("erin", "2026-10-05 10:00", "@acme_support my order is late", mentions=("acme_support",))
    unnamed = dm("acme_support", "4004", "2026-10-05 11:00", "Hi, about your order")
    late = dm("acme_support", "4004", "2026-10-12 11:00", "a week later")
    told = run(policy(tmp_path, [rule()]), ask, unnamed, as_of="2026-10-30 00:00")
    assert outcome(told).figures.checked == 0
    assert outcome(told).figures.metrics["not_counted"] == {"DM to an account known by number": 1}
    [finding] = findings(told, "cannot_tell")
    assert finding.message == ("cannot tell whether @erin was answered in time: a DM from @acme_support at "
                               "2026-10-05T11:00:00Z went to an account the data knows only by number, who may be them")
    # A DM to a number after the deadline could not have been an answer in time.
    assert outcome(run(policy(tmp_path, [rule()]), ask, late, as_of="2026-10-30 00:00")).figures.failed == 1
