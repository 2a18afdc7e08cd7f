"""What the templates are given: times in the policy's zone, durations, shares, trends, stories, order, caps."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from auditor.render.formatting import Formatter, safe_link
from auditor.render.finding_views import finding_view
from auditor.render.story import clock_story, story_keys
from auditor.result import Moment, Timing
from auditor.render.view import build_view, trend
from tests.render import builders

fmt = Formatter("America/Toronto")


def test_times_are_shown_in_the_policy_time_zone():
    assert fmt.when("2026-10-05T14:02:00Z") == "Mon 5 Oct 2026, 10:02 EDT"
    assert fmt.when("2026-11-02T14:02:00Z") == "Mon 2 Nov 2026, 09:02 EST"  # after the clocks went back
    assert fmt.short("2026-10-05T03:30:00Z") == "4 Oct 23:30"  # the local day, not the UTC one
    assert fmt.day("2026-10-05") == "5 Oct 2026"
    assert fmt.when(None) == "–" and fmt.when("not a time") == "–"


@pytest.mark.parametrize(("seconds", "exact", "rounded"), [
    (59, "59s", "59s"),
    (4 * 3600 + 1, "4h1s", "4h1m"),  # rounded up: a late answer never reads as the limit
    (28 * 86400 + 10 * 3600 + 43 * 60 + 3, "28d 10h43m3s", "28d 11h"),
    (86400, "1d", "1d"),
])
def test_durations(seconds, exact, rounded):
    assert fmt.duration(seconds) == exact
    assert fmt.rounded(seconds) == rounded


def test_shares_and_values():
    assert (fmt.share(0.9126), fmt.share(1.0), fmt.share(0.0), fmt.share(None)) == ("91.3%", "100%", "0%", "–")
    assert fmt.value("median_response_seconds", 1522) == "25m22s"
    assert fmt.value("median_seconds_to_keep", 2688) == "44m48s"
    assert fmt.value("reply_share", 0.0417) == "4.2%"
    assert fmt.value("require_any", ["#employee", "I work at Acme"]) == "#employee, I work at Acme"
    assert fmt.value("complained_at", "2026-10-20T14:02:11Z") == "Tue 20 Oct 2026, 10:02 EDT"
    assert fmt.lines("checks", {"profanity": True, "shouting": {"caps_ratio": 0.7}}) == [
        "profanity: yes", "shouting: caps ratio: 0.7"]


def test_shares_round_toward_the_truth():
    from auditor.types import format_share, meets_target, share_of

    assert share_of(10_656, 10_658) == 0.9998 and format_share(share_of(10_656, 10_658)) == "99.9%"
    assert share_of(99_999, 100_000) == 0.9999 and format_share(share_of(99_999, 100_000)) == "99.9%"
    assert share_of(1, 100_000) == 0.0001 and format_share(share_of(1, 100_000)) == "0.1%"
    assert (format_share(share_of(5, 5)), format_share(share_of(0, 5)), share_of(0, 0)) == ("100%", "0%", None)
    assert not meets_target(99_999, 100_000, 1.0) and meets_target(95, 100, 0.95)


def test_a_share_below_its_target_never_reads_as_reaching_it():
    from auditor.types import format_share_against, format_target, share_of

    # 1,899 of 2,000 is 94.95%: "95%" beside "target 95%" and FAIL would contradict itself.
    assert format_share_against(share_of(1_899, 2_000), 0.95) == "94.95%"
    assert format_share_against(share_of(9_952, 10_000), 0.9954) == "99.5%"  # beside "target 99.54%"
    assert format_share_against(share_of(90, 100), 0.95) == "90%"  # nothing to tell apart
    assert format_share_against(share_of(96, 100), 0.95) == "96%" and format_share_against(None, 0.95) == "–"
    assert (format_target(0.95), format_target(0.9954), format_target(1.0)) == ("95%", "99.54%", "100%")


def test_the_score_rounds_toward_the_truth_too():
    from auditor.types import score_of

    # One rule at 2,000 of 2,001 (99.95%) is not a perfect score, nor is one rule of two at 0.01% a zero.
    assert score_of([0.9995]) == 99.9 and score_of([1.0, 0.9999]) == 99.9
    assert score_of([0.0001]) == 0.1 and score_of([0.0, 0.0001]) == 0.1
    assert (score_of([1.0, 1.0]), score_of([0.0]), score_of([0.5, 1.0]), score_of([])) == (100.0, 0.0, 75.0, None)


def test_a_failing_rule_at_a_share_that_rounds_to_one_does_not_score_100(tmp_path):
    from tests.factories import policy, post, run

    rule = {"id": "answer", "type": "response_time", "severity": "high", "within": "4h", "target": "100%",
            "applies_to": {"accounts": ["acme_support"]}}
    events = []
    for n in range(2001):
        ask = post(f"c{n}", "2026-10-05 14:00", "@acme_support where is my order?", mentions=("acme_support",))
        events.append(ask)
        if n:  # the first customer gets no answer
            events.append(post("acme_support", "2026-10-05 15:00", f"@c{n} on its way", reply_to=ask))
    result = run(policy(tmp_path, [rule]), *events, as_of="2026-10-30 00:00")
    assert (result.rules[0].figures.passed, result.rules[0].status) == (2000, "fail")
    assert result.summary["score"] == 99.9


def test_a_trend_needs_twenty_items_last_period_and_says_how_many():
    assert trend(0.95, 0.889, fmt, 45).text == "+6.1 pts (was 88.9%, n=45)"
    low = trend(0.715, 0.0, fmt, 2)
    assert (low.arrow, low.text) == ("", "too few items last period (2)")
    assert trend(0.9, None, fmt, 0).text == "too few items last period (0)"


def test_trend_arrows():
    assert trend(0.95, 0.9, fmt).arrow == "▲" and trend(0.95, 0.9, fmt).text == "+5 pts (was 90%)"
    assert trend(0.85, 0.9, fmt).arrow == "▼" and trend(0.85, 0.9, fmt).text == "−5 pts (was 90%)"
    assert trend(0.9, 0.9, fmt).direction == "flat"
    assert trend(0.9, None, fmt).text == "not fully in the data"
    assert trend(None, 0.9, fmt).direction == "none"


def test_only_web_links_are_links():
    assert safe_link("https://x.com/a/status/1") == "https://x.com/a/status/1"
    for url in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "", None, "//evil"):
        assert safe_link(url) is None


def test_the_clock_story_of_a_late_answer_on_business_hours():
    timing = Timing((Moment("started", "2026-10-01T13:59:20Z"), Moment("answered", "2026-10-02T14:42:34Z", "acme_support")),
                    14400, "support-hours", elapsed_seconds=31394, items=3, channel="mention",
                    measure_keys=("channel", "items", "clock", "within_seconds", "started_at", "elapsed_seconds",
                                  "answered_at", "answered_by"))
    assert clock_story(timing, fmt) == [
        "Clock started Thu 1 Oct 2026, 09:59 EDT, at the first of 3 messages (by mention).",
        "Limit: 4h on the support-hours (open hours only).",
        "Answered Fri 2 Oct 2026, 10:42 EDT by @acme_support.",
        "8h43m14s of support-hours time: 4h43m14s over the limit.",
    ]
    assert "response_id" not in story_keys(timing) and "answered_by" in story_keys(timing)


def test_the_clock_story_of_an_unanswered_item():
    timing = Timing((Moment("started", "2026-10-07T14:00:00Z"),), 14400, deadline="2026-10-07T18:00:00Z",
                    elapsed_seconds=2 * 86400, unanswered=True)
    assert clock_story(timing, fmt) == [
        "Clock started Wed 7 Oct 2026, 10:00 EDT.",
        "Limit: 4h on the wall clock.",
        "Deadline Wed 7 Oct 2026, 14:00 EDT.",
        "No answer in the data.",
        "2d on the clock: 1d 20h over the limit.",
    ]


def test_the_clock_story_puts_the_moments_in_time_order_whatever_order_the_rule_gave():
    timing = Timing((Moment("first_dm", "2026-10-09T20:41:19Z", "acme_support"),
                     Moment("counterpart_wrote", "2026-10-08T18:25:44Z"), Moment("promised", "2026-10-08T18:20:02Z")),
                    86400, deadline="2026-10-09T18:25:44Z", elapsed_seconds=94535)
    assert clock_story(timing, fmt) == [
        "Promise made Thu 8 Oct 2026, 14:20 EDT.",
        "Limit: 1d on the wall clock.",
        "Counterpart wrote Thu 8 Oct 2026, 14:25 EDT.",
        "Deadline Fri 9 Oct 2026, 14:25 EDT.",
        "First DM Fri 9 Oct 2026, 16:41 EDT by @acme_support.",
        "1d 2h15m35s on the clock: 2h15m35s over the limit.",
    ]


@pytest.mark.parametrize("key", ["waited_seconds", "elapsed_seconds", "started_at", "answered_by"])
def test_the_story_reads_the_timing_never_the_names_of_the_measure(key):
    """Renaming a measure key (`waited_seconds`) changes what report.json says, never the story."""
    finding = builders.promise_finding("keep", "acme", "bob", 1)
    renamed = replace(finding, measure={(f"x_{k}" if k == key else k): v for k, v in finding.measure.items()})
    assert (finding_view(renamed, 1, {}, fmt).story == finding_view(finding, 1, {}, fmt).story
            and finding_view(finding, 1, {}, fmt).story)


def test_a_finding_without_timing_has_no_story_and_its_measure_is_shown_as_details():
    finding = replace(builders.tone_finding("tone", "acme", 1, "text"),
                      measure={"mentioned": "Acme", "require_any": ["#employee"], "complained_at": "2026-10-20T14:02:11Z"})
    view = finding_view(finding, 1, {}, fmt)
    assert view.story == [] and [name for name, _ in view.details] == ["mentioned", "require any", "complained at"]


def test_findings_are_ordered_worst_first_and_capped():
    findings = [builders.sla_finding("answer", "agent001", f"c{n}", n) for n in range(1, 8)]
    waived = builders.sla_finding("answer", "agent001", "w", 400, waived={"reason": "ok"})
    view = build_view(builders.result(findings + [waived]), evidence_cap=3, appendix_cap=2, charts=False)
    [answer] = [r for r in view["rules"] if r.id == "answer"]
    waits = [f.waited for f in answer.evidence]
    assert waits == ["4h8m", "4h7m", "4h6m"]  # the longest waits first
    assert [f.counterpart for f in view["appendix"]] == ["c4", "c3"]
    assert view["left_out"] == 3  # c2, c1, then the waived one last
    assert answer.in_appendix == 2 and answer.not_printed == 3
    [group] = view["appendix_groups"]
    assert (group["rule"], group["first"], group["last"], group["total"]) == ("answer", 4, 5, 8)
    assert group["findings"] == view["appendix"]


def test_customers_waiting_longest_are_sorted_by_calendar_time():
    # 5 open hours over a weekend (2d 18h of calendar time) beats a day on the wall clock.
    weekend = builders.sla_finding("answer", "agent001", "weekend", 1, clock="support-hours", elapsed=5 * 3600,
                                   start=datetime(2026, 10, 2, 20, tzinfo=timezone.utc), calendar=66 * 3600)
    weekday = builders.sla_finding("answer", "agent001", "weekday", 2, elapsed=86400,
                                   start=datetime(2026, 10, 6, 13, tzinfo=timezone.utc))
    view = build_view(builders.result([weekday, weekend]), charts=False)
    waiting = view["summary"]["waiting"]
    assert [w.counterpart for w in waiting] == ["weekend", "weekday"]
    assert waiting[0].waited == "5h of open hours (2d 18h calendar time)" and waiting[0].limit == "4h (support-hours)"
    assert waiting[1].waited == "1d"


def test_a_waived_wait_is_not_among_the_customers_left_waiting():
    waived = builders.sla_finding("answer", "agent001", "waived", 1, elapsed=3 * 86400,
                                  waived={"reason": "storm", "approved_by": "Dana", "expires": "2026-12-31"})
    late = builders.sla_finding("answer", "agent001", "late", 2, elapsed=86400)
    view = build_view(builders.result([waived, late]), charts=False)
    assert [w.counterpart for w in view["summary"]["waiting"]] == ["late"]


def test_one_wait_is_said_the_same_way_in_the_summary_the_rule_section_and_the_evidence():
    finding = builders.sla_finding("answer", "agent001", "bob", 1, clock="support-hours", elapsed=142 * 3600 + 2400,
                                   calendar=6 * 86400 + 7200)
    view = build_view(builders.result([finding]), charts=False)
    [answer] = [r for r in view["rules"] if r.id == "answer"]
    text = "142h40m of open hours (6d 2h calendar time)"
    assert view["summary"]["waiting"][0].waited == answer.worst[0].waited == answer.evidence[0].waited == text
    assert f"Waited {text}: 138h40m of open hours over the limit." in answer.evidence[0].story
    assert text in answer.evidence[0].message


def test_accounts_needing_attention_come_worst_first():
    findings = [builders.sla_finding("answer", "agent002", "a", 1), builders.sla_finding("answer", "agent002", "b", 2),
                builders.sla_finding("answer", "agent001", "c", 3),
                builders.promise_finding("keep-promises", "agent001", "d", 4)]
    view = build_view(builders.result(findings, accounts=4), charts=False)
    attention = view["summary"]["attention"]
    assert [a.handle for a in attention] == ["agent001", "agent002"]
    assert attention[0].rules_below == ["answer", "keep-promises"]


def test_promises_broken_are_listed_by_kind_not_by_rule_id():
    findings = [builders.promise_finding("dm-promises", "agent001", "d", 4)]
    view = build_view(builders.result(findings), charts=False)
    assert view["summary"]["broken_shown"] and [f.counterpart for f in view["summary"]["broken"]] == ["d"]


def test_an_unknown_kind_renders_from_its_data():
    finding = builders.tone_finding("future-rule", "agent001", 1, "text")
    finding = type(finding)(**{**finding.__dict__, "type": "future_kind",
                               "measure": {"seen_at": "2026-10-05T14:02:00Z", "score": 0.5, "tags": ["a", "b"]}})
    view = build_view(builders.result([finding]), charts=False)
    [card] = [f for r in view["rules"] for f in r.evidence if r.id == "future-rule"]
    assert card.story == [] and ("seen at", ["Mon 5 Oct 2026, 10:02 EDT"]) in card.details
    assert ("tags", ["a, b"]) in card.details


def test_a_business_hours_rules_median_is_in_open_hours_and_a_wall_clocks_as_its_findings_say(tmp_path):
    from auditor.render.view import build_view
    from tests.factories import policy, post, run
    from tests.rules.test_response_time import SUPPORT_HOURS, rule

    events = []
    for day in ("05", "06"):  # Monday and Tuesday 10:00 EDT, answered Thursday and Friday 16:00 EDT: 30 open hours
        ask = post("bob", f"2026-10-{day} 14:00", "@acme_support where is my order?", mentions=("acme_support",))
        answer_day = {"05": "08", "06": "09"}[day]
        events += [ask, post("acme_support", f"2026-10-{answer_day} 20:00", "@bob sorry, here", reply_to=ask)]
    result = run(policy(tmp_path, [rule(clock="support-hours")], calendars=SUPPORT_HOURS), *events,
                 as_of="2026-10-30 00:00")
    metrics = dict(build_view(result)["rules"][0].metrics)
    assert metrics["median response"] == ["30h of open hours"]
    # on the wall clock, as the finding writes its one wait: to the minute, not to the hour past a day
    ask = post("bob", "2026-10-05 14:00", "@acme_support where is my order?", mentions=("acme_support",))
    late = post("acme_support", "2026-10-06 14:30", "@bob sorry, here", reply_to=ask)
    result = run(policy(tmp_path, [rule()]), ask, late, as_of="2026-10-30 00:00")
    [finding] = result.findings
    assert finding.message.startswith("@bob waited 1d 30m")
    assert dict(build_view(result)["rules"][0].metrics)["median response"] == ["1d 30m"]
