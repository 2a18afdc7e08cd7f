"""engagement: reply share and duplicate broadcasts, per account and period."""

from __future__ import annotations

from msgspec.structs import replace

from tests.factories import policy, post, run


def rule(**options):
    base = {"id": "listen", "type": "engagement", "severity": "low", "applies_to": {"accounts": ["jdoe"]}}
    base.update(options)
    return base


def outcome(result):
    return next(r for r in result.rules if r.id == "listen")


def figures(result):
    figures = outcome(result).figures
    return figures.checked, figures.passed, figures.failed, figures.pending


def replies(n, author="jdoe", day="2026-10-05"):
    out = []
    for i in range(n):
        question = post(f"customer{i}", f"{day} 09:{i:02d}", f"@{author} question {i}?", mentions=(author,))
        out += [question, post(author, f"{day} 10:{i:02d}", f"@customer{i} answer {i}", reply_to=question)]
    return out


def broadcasts(n, author="jdoe", day="2026-10-06", text="News number {i}"):
    return [post(author, f"{day} 11:{i:02d}", text.format(i=i)) for i in range(n)]


def test_the_reply_share_is_rounded_toward_the_truth():
    from datetime import datetime, timezone

    from auditor.rules.base import Check
    from auditor.rules.engagement import EngagementRule

    kind = EngagementRule(id="listen", type="engagement", severity="low")
    moment = datetime(2026, 10, 5, tzinfo=timezone.utc)
    check = Check("jdoe", moment, "failed", counts={"posts": 20_001, "replies": 1, "duplicate_groups": 0})
    assert kind.metrics([check])["reply_share"] == 0.0001


def test_reply_share_at_the_minimum_passes_and_below_fails(tmp_path):
    loaded = policy(tmp_path, [rule()])
    result = run(loaded, *replies(3), *broadcasts(7))
    assert figures(result) == (1, 1, 0, 0)
    assert outcome(result).figures.metrics == {
        "accounts": 1, "posts": 10, "replies": 3, "reply_share": 0.3, "duplicate_groups": 0,
    }
    result = run(loaded, *replies(2), *broadcasts(7))
    assert figures(result) == (1, 0, 1, 0)
    [finding] = result.findings
    assert (finding.account, finding.status, finding.check) == ("jdoe", "low-engagement", "reply-share")
    assert finding.message == "only 22.2% of 9 posts were replies to people (2 replies; min 30%)"
    assert [e.role for e in finding.evidence] == ["broadcast"] * 5
    assert finding.measure["reply_share"] == 0.2222
    assert finding.occurred_at == "2026-10-01T04:00:00Z"  # the period's start


def test_replies_to_colleagues_or_to_itself_are_not_replies_to_people(tmp_path):
    colleague = post("lchen", "2026-10-05 09:00", "team lunch?")
    to_colleague = post("jdoe", "2026-10-05 09:30", "@lchen yes!", reply_to=colleague)
    thread_start = post("jdoe", "2026-10-05 10:00", "A thread on pricing 1/2")
    thread_more = post("jdoe", "2026-10-05 10:01", "2/2", reply_to=thread_start)
    result = run(policy(tmp_path, [rule(min_reply_share="1%")]), colleague, to_colleague, thread_start, thread_more)
    assert outcome(result).figures.metrics["replies"] == 0
    assert figures(result) == (1, 0, 1, 0)


def test_a_reply_whose_parent_is_missing_counts_when_it_mentions_a_counterpart(tmp_path):
    orphan = replace(post("jdoe", "2026-10-05 10:00", "@bob thanks!", mentions=("bob",)), in_reply_to="999")
    result = run(policy(tmp_path, [rule()]), orphan)
    assert outcome(result).figures.metrics["replies"] == 1


def test_reposts_do_not_count_and_an_account_without_posts_is_not_checked(tmp_path):
    original = post("bob", "2026-10-05 09:00", "big news")
    repost = post("jdoe", "2026-10-05 10:00", "RT @bob: big news", repost_of=original.id, mentions=("bob",))
    result = run(policy(tmp_path, [rule()]), original, repost)
    assert figures(result) == (0, 0, 0, 0)
    assert outcome(result).status == "no_data"


def test_a_text_broadcast_more_than_max_duplicates_times_is_automation(tmp_path):
    promo = [post("jdoe", f"2026-10-{day:02d} 10:00", text) for day, text in
             [(1, "Acme Sync 3.0 is here! https://acme.example/sync"),
              (8, "acme sync 3.0 is HERE!  https://acme.example/sync"),
              (15, "Acme Sync 3.0 is here!\nhttps://acme.example/sync")]]
    other = post("jdoe", "2026-10-22 10:00", "Acme Sync 3.0 is here! https://acme.example/sync?ref=x")  # another link
    result = run(policy(tmp_path, [rule(min_reply_share="0%")]), *promo, other, *replies(1))
    assert figures(result) == (1, 0, 1, 0)
    [finding] = result.findings
    assert (finding.status, finding.check) == ("automation", "duplicates")
    assert finding.message == ('posted the same text 3 times (max 2): "Acme Sync 3.0 is here! '
                               'https://acme.example/sync"')
    assert [(e.id, e.role) for e in finding.evidence] == [(p.id, "duplicate") for p in promo]
    assert finding.measure["copies"] == 3
    assert outcome(result).figures.metrics["duplicate_groups"] == 1
    assert figures(run(policy(tmp_path, [rule(min_reply_share="0%", max_duplicates=3)]), *promo)) == (1, 1, 0, 0)


def test_the_same_comment_on_different_quoted_posts_is_not_automation(tmp_path):
    # "Congrats, well done!" quoting three colleagues' news is three posts about three things.
    quotes = [replace(post("jdoe", f"2026-10-{day:02d} 10:00", "Congrats, well done!"), quote_of=f"90{day}")
              for day in (1, 8, 15)]
    assert figures(run(policy(tmp_path, [rule(min_reply_share="0%")]), *quotes, *replies(1))) == (1, 1, 0, 0)
    # The same comment quoting the same post three times is a repeat.
    same = [replace(q, quote_of="901") for q in quotes]
    assert figures(run(policy(tmp_path, [rule(min_reply_share="0%")]), *same, *replies(1))) == (1, 0, 1, 0)


def test_identical_replies_are_not_broadcasts(tmp_path):
    thanks = []
    for i in range(5):
        question = post(f"c{i}", f"2026-10-05 09:{i:02d}", "@jdoe love it", mentions=("jdoe",))
        thanks += [question, post("jdoe", f"2026-10-05 10:{i:02d}", "Thanks!", reply_to=question)]
    assert figures(run(policy(tmp_path, [rule()]), *thanks)) == (1, 1, 0, 0)


def test_duplicate_evidence_is_capped_and_both_findings_can_come_together(tmp_path):
    spam = broadcasts(12, text="Buy now")
    result = run(policy(tmp_path, [rule()]), *spam)
    by_check = {f.check: f for f in result.findings}
    assert sorted(by_check) == ["duplicates", "reply-share"]
    assert len(by_check["duplicates"].evidence) == 10
    assert figures(result) == (1, 0, 1, 0)


def test_one_item_per_account_and_period(tmp_path):
    loaded = policy(tmp_path, [rule(applies_to={"accounts": ["jdoe", "lchen"]})])
    october = replies(1) + replies(1, author="lchen") + broadcasts(1, day="2026-10-31")
    november = broadcasts(5, day="2026-11-02", text="November {i}")
    result = run(loaded, *october, *november)
    assert figures(result) == (2, 2, 0, 0)
    lchen = next(a for a in result.accounts if a.handle == "lchen")
    assert lchen.rules["listen"].metrics["reply_share"] == 1.0


def test_a_reply_under_a_colleague_that_opens_by_addressing_a_customer_answers_them(tmp_path):
    question = post("bob_t", "2026-10-05 09:00", "@lchen @jdoe where is the import guide?", mentions=("lchen", "jdoe"))
    colleague = post("jdoe", "2026-10-05 09:10", "@bob_t Lily knows best!", reply_to=question)
    answer = post("lchen", "2026-10-05 09:20", "@bob_t @jdoe Here you go Bob: the guide", reply_to=colleague,
                  mentions=("bob_t", "jdoe"))
    news = post("lchen", "2026-10-05 11:00", "Our new guide is out")
    result = run(policy(tmp_path, [rule(applies_to={"accounts": ["lchen"]})]), question, colleague, answer, news)
    assert outcome(result).figures.metrics["replies"] == 1
    # a colleague addressed alone is still no person answered
    to_colleague = post("lchen", "2026-10-05 09:30", "@jdoe thanks Jane", reply_to=colleague)
    result = run(policy(tmp_path, [rule(applies_to={"accounts": ["lchen"]})]), question, colleague, to_colleague)
    assert outcome(result).figures.metrics["replies"] == 0


def test_the_message_says_posts_were_replies_not_that_nobody_was_answered(tmp_path):
    result = run(policy(tmp_path, [rule()]), *broadcasts(2))
    [finding] = result.findings
    assert finding.message == "only 0% of 2 posts were replies to people (0 replies; min 30%)"


def test_a_thread_of_its_own_posts_is_one_post(tmp_path):
    # shared/data/x-archive (alrocar): an 8-post thread counted as 8 broadcasts took a 44.6% reply share to 25.1%.
    thread = [post("jdoe", "2026-10-05 10:00", "A thread on pricing 1/8")]
    for n in range(2, 9):
        thread.append(post("jdoe", f"2026-10-05 10:0{n}", f"{n}/8", reply_to=thread[-1]))
    result = run(policy(tmp_path, [rule(min_reply_share="40%")]), *thread, *replies(1))
    [check_figures] = [outcome(result).figures]
    assert (check_figures.passed, check_figures.failed) == (1, 0)
    assert check_figures.metrics["posts"] == 2 and check_figures.metrics["replies"] == 1
    # One that answers someone in its own thread is a reply, and counts as a post.
    question = post("bob", "2026-10-05 10:30", "@jdoe how much for 5 seats?", reply_to=thread[0], mentions=("jdoe",))
    answered = post("jdoe", "2026-10-05 10:40", "@bob $50 a month", reply_to=question)
    result = run(policy(tmp_path, [rule(min_reply_share="40%")]), *thread, question, answered)
    assert outcome(result).figures.metrics["posts"] == 2 and outcome(result).figures.metrics["replies"] == 1


def test_an_account_whose_only_posts_continue_a_thread_begun_before_the_period_is_not_checked(tmp_path):
    # Divided by zero posts: an internal error, and no report.
    start = post("jdoe", "2026-09-30 10:00", "A thread on pricing 1/3")
    more = post("jdoe", "2026-10-01 10:00", "2/3", reply_to=start)
    result = run(policy(tmp_path, [rule()]), start, more)
    assert outcome(result).figures.checked == 0 and result.findings == ()
