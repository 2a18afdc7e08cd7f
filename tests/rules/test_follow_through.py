"""follow_through, clause by clause, on small hand-made timelines (times in UTC unless an offset is given)."""

from __future__ import annotations

import pytest

from auditor.errors import PolicyError
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
    assert finding.status == "broken"
    assert (finding.account, finding.counterpart) == ("jdoe", "northwind_cto")
    assert finding.message == '@northwind_cto wrote by DM after the promise "DM me" and got no answer (limit 1d)'
    assert [(e.id, e.role) for e in finding.evidence] == [(promise.id, "promise"), (details.id, "unanswered-dm")]
    assert finding.measure["counterpart_wrote_at"] == "2026-10-06T15:02:00Z"
    assert finding.measure["deadline"] == "2026-10-07T15:02:00Z"
    assert outcome(result).figures.metrics == {
        "promises": 1, "kept": 0, "broken": 1, "pending": 0, "median_seconds_to_keep": None,
    }


def test_answering_the_counterparts_dm_in_time_keeps_the_promise(tmp_path):
    promise = post("jdoe", "2026-10-06 10:00", "@bob send me a DM with your team size", mentions=("bob",))
    asked = dm("bob", "jdoe", "2026-10-06 10:30", "25 people")
    answer = dm("jdoe", "bob", "2026-10-06 12:00", "quote attached")
    result = run(policy(tmp_path, [rule()]), promise, asked, answer)
    assert figures(result) == (1, 1, 0, 0)
    assert result.findings == ()
    assert outcome(result).figures.metrics["median_seconds_to_keep"] == 2 * 3600


def test_a_dm_the_account_sends_first_keeps_the_promise(tmp_path):
    promise = post("acme_support", "2026-10-06 10:00", "@bob we'll get back to you shortly", mentions=("bob",))
    first = dm("acme_support", "bob", "2026-10-07 10:00", "here is what we found")
    assert figures(run(policy(tmp_path, [rule()]), promise, first)) == (1, 1, 0, 0)  # the limit itself included
    late = dm("acme_support", "bob", "2026-10-07 10:00:01", "here is what we found")
    result = run(policy(tmp_path, [rule()]), promise, late)
    assert figures(result) == (1, 0, 1, 0)
    [finding] = result.findings
    assert finding.message == ("the promise \"we'll get back to you\" to @bob was followed by a DM only after 1d 1s "
                               "(limit 1d)")
    assert [e.role for e in finding.evidence] == ["promise", "late-answer"]


def test_a_counterpart_who_writes_in_time_is_owed_an_answer_within_the_limit_of_writing(tmp_path):
    promise = post("jdoe", "2026-10-06 10:00", "@bob DM me", mentions=("bob",))
    asked = dm("bob", "jdoe", "2026-10-07 09:00", "hi Jane")
    answer = dm("jdoe", "bob", "2026-10-08 08:00", "hi Bob")  # 46h after the promise, 23h after Bob wrote
    assert figures(run(policy(tmp_path, [rule()]), promise, asked, answer)) == (1, 1, 0, 0)


def test_a_late_answer_to_the_counterparts_dm_is_a_broken_promise(tmp_path):
    promise = post("acme_support", "2026-10-08 14:20", "@priya Please DM us the email on the account",
                   mentions=("priya",))
    asked = dm("priya", "acme_support", "2026-10-08 14:25", "priya@mail.example")
    answer = dm("acme_support", "priya", "2026-10-09 16:41", "unlocked now")
    result = run(policy(tmp_path, [rule()]), promise, asked, answer)
    [finding] = result.findings
    assert finding.message == ('@priya wrote by DM after the promise "Please DM" and was answered only after '
                               "1d 2h16m (limit 1d)")
    assert [(e.id, e.role) for e in finding.evidence] == [
        (promise.id, "promise"), (asked.id, "unanswered-dm"), (answer.id, "late-answer"),
    ]
    assert finding.measure["waited_seconds"] == 26 * 3600 + 16 * 60


def test_a_counterpart_writing_after_the_deadline_does_not_reopen_it(tmp_path):
    promise = post("jdoe", "2026-10-06 10:00", "@bob DM me", mentions=("bob",))
    asked = dm("bob", "jdoe", "2026-10-08 10:00", "hi Jane")
    answer = dm("jdoe", "bob", "2026-10-08 10:05", "hi Bob")
    result = run(policy(tmp_path, [rule()]), promise, asked, answer)
    [finding] = result.findings
    assert finding.message == 'the promise "DM me" to @bob was followed by a DM only after 2d 5m (limit 1d)'
    assert [e.role for e in finding.evidence] == ["promise", "unanswered-dm", "late-answer"]


def test_no_dm_at_all_is_broken_once_the_deadline_passed_and_pending_before(tmp_path):
    promise = post("jdoe", "2026-10-06 10:00", "@bob let's take this offline", mentions=("bob",))
    broken = run(policy(tmp_path, [rule()]), promise, as_of="2026-10-07 10:00:01")
    assert figures(broken) == (1, 0, 1, 0)
    assert broken.findings[0].message == 'the promise "take this offline" to @bob was not followed by any DM (limit 1d)'
    assert [e.role for e in broken.findings[0].evidence] == ["promise"]
    pending = run(policy(tmp_path, [rule()]), promise, as_of="2026-10-07 10:00")
    assert figures(pending) == (0, 0, 0, 1)
    [finding] = pending.findings
    assert finding.status == "pending"
    assert finding.message == 'the promise "take this offline" to @bob is still open (due 2026-10-07 06:00 EDT)'


def test_a_counterpart_dm_moves_a_pending_deadline(tmp_path):
    promise = post("jdoe", "2026-10-06 10:00", "@bob DM me", mentions=("bob",))
    asked = dm("bob", "jdoe", "2026-10-06 20:00", "hi")
    result = run(policy(tmp_path, [rule()]), promise, asked, as_of="2026-10-07 12:00")
    [finding] = result.findings
    assert finding.status == "pending"
    assert finding.measure["deadline"] == "2026-10-07T20:00:00Z"
    assert [e.role for e in finding.evidence] == ["promise", "unanswered-dm"]


def test_check_your_dms_is_kept_by_the_dm_sent_just_before_it(tmp_path):
    sent = dm("acme_support", "jen", "2026-10-07 11:30", "Hi Jen, can you confirm 8 seats?")
    promise = post("acme_support", "2026-10-07 11:32", "@jen Sorry about that! Check your DMs", mentions=("jen",))
    result = run(policy(tmp_path, [rule()]), sent, promise)
    assert figures(result) == (1, 1, 0, 0)
    assert outcome(result).figures.metrics["median_seconds_to_keep"] == 0
    # A DM from the day before is another conversation, not the one announced.
    old = dm("acme_support", "jen", "2026-10-06 11:30", "Hi Jen")
    assert figures(run(policy(tmp_path, [rule()]), old, promise, as_of="2026-10-20 00:00")) == (1, 0, 1, 0)


@pytest.mark.parametrize("text", [
    "@bob thanks for the follow!",
    "@bob please don't DM me, I only answer here",
    "@bob we can't discuss this by DM",
])
def test_posts_without_a_promise_are_not_checked(tmp_path, text):
    result = run(policy(tmp_path, [rule()]), post("jdoe", "2026-10-06 10:00", text, mentions=("bob",)),
                 as_of="2026-10-30 00:00")
    assert figures(result) == (0, 0, 0, 0)
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
    answer = dm("lchen", "bob", "2026-10-07 12:00", "hi Bob")  # after the 24h, within 24h of Bob's DM
    team = rule(responders="team", applies_to={"teams": ["support"]})
    assert figures(run(policy(tmp_path, [team]), promise, asked, answer)) == (1, 1, 0, 0)


def test_a_dm_to_someone_else_keeps_nothing(tmp_path):
    promise = post("jdoe", "2026-10-06 10:00", "@bob DM me", mentions=("bob",))
    other = dm("jdoe", "carol", "2026-10-06 11:00", "hi Carol")
    assert figures(run(policy(tmp_path, [rule()]), promise, other, as_of="2026-10-30 00:00")) == (1, 0, 1, 0)


def test_one_post_to_two_counterparts_is_two_promises_and_roster_accounts_get_none(tmp_path):
    question = post("bob", "2026-10-06 09:00", "@jdoe @lchen price?", mentions=("jdoe", "lchen"))
    promise = post("jdoe", "2026-10-06 10:00", "@bob @carol @lchen DM me, both of you",
                   reply_to=question, mentions=("bob", "carol", "lchen"))
    answer = dm("jdoe", "bob", "2026-10-06 11:00", "hi Bob")
    result = run(policy(tmp_path, [rule()]), question, promise, answer, as_of="2026-10-30 00:00")
    assert figures(result) == (2, 1, 1, 0)
    assert [f.counterpart for f in result.findings] == ["carol"]
    assert outcome(result).figures.metrics["promises"] == 2


def test_a_repost_of_a_promise_is_not_a_promise(tmp_path):
    original = post("carol", "2026-10-06 09:00", "DM me for a discount")
    repost = post("jdoe", "2026-10-06 10:00", "RT @carol: DM me for a discount", mentions=("carol",),
                  repost_of=original.id)
    assert figures(run(policy(tmp_path, [rule()]), original, repost, as_of="2026-10-30 00:00")) == (0, 0, 0, 0)


def test_promises_count_in_the_period_they_are_made_in(tmp_path):
    september = post("jdoe", "2026-09-30 23:00-04:00", "@bob DM me", mentions=("bob",))
    october = post("jdoe", "2026-10-31 23:00-04:00", "@carol DM me", mentions=("carol",))
    answer = dm("jdoe", "carol", "2026-11-01 09:00-05:00", "hi Carol")
    result = run(policy(tmp_path, [rule()]), september, october, answer)
    assert figures(result) == (1, 1, 0, 0)  # September's promise belongs to September; the answer may come later


def test_policy_phrases_extend_or_replace_the_built_in_ones(tmp_path):
    ping = post("jdoe", "2026-10-06 10:00", "@bob ping me later", mentions=("bob",))
    dm_me = post("jdoe", "2026-10-06 10:00", "@carol DM me", mentions=("carol",))
    extended = run(policy(tmp_path, [rule(promises={"extend": ["ping me"]})]), ping, dm_me, as_of="2026-10-30 00:00")
    assert sorted(f.counterpart for f in extended.findings) == ["bob", "carol"]
    assert {f.counterpart: f.measure["promise"] for f in extended.findings} == {"bob": "ping me", "carol": "DM me"}
    replaced = run(policy(tmp_path, [rule(promises={"replace": ["/ping\\s+me/"]})]), ping, dm_me,
                   as_of="2026-10-30 00:00")
    assert [f.counterpart for f in replaced.findings] == ["bob"]


@pytest.mark.parametrize(("promises", "message"), [
    ({"extend": ["a"], "replace": ["b"]}, "give either extend: [...]"),
    ({}, "give either extend: [...]"),
    ({"extend": ["/(unclosed/"]}, "invalid regular expression '/(unclosed/'"),
    ({"replace": []}, "expected a list to have at least 1 item"),
])
def test_bad_promise_phrases_are_policy_errors(tmp_path, promises, message):
    with pytest.raises(PolicyError) as caught:
        policy(tmp_path, [rule(promises=promises)])
    [line] = caught.value.lines()
    assert "rules[0].promises" in line and message in line, line
