"""audit() itself: every enabled rule once, checks counted one way, findings with stable fingerprints,
the trend only when the data reaches back over the previous period. Pure: same input, same result."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from auditor.audit import _period_events
from auditor.index import ActivityIndex
from auditor.render import RenderOptions
from auditor.render.json_report import render
from auditor.time.period import parse_period
from tests.factories import activity, at, dm, policy, post, run

ANSWER = {"id": "answer", "type": "response_time", "severity": "high", "within": "4h", "target": 0.9,
          "applies_to": {"accounts": ["acme_support"]}}
OFF = {"id": "off", "type": "response_time", "severity": "low", "within": "1h", "enabled": False}


def answered(when: str, after_hours: int, name: str):
    """A customer's question to acme_support at `when`, answered `after_hours` later."""
    asked = post(name, when, "@acme_support where is my order?", mentions=("acme_support",))
    hour = int(when[11:13]) + after_hours
    reply = post("acme_support", f"{when[:11]}{hour:02d}{when[13:]}", f"@{name} on its way", reply_to=asked)
    return asked, reply


def october(tmp_path, *rules):
    loaded = policy(tmp_path, list(rules))
    on_time = answered("2026-10-05 14:00", 1, "bob")
    late = answered("2026-10-06 10:00", 6, "carol")
    never = post("dave", "2026-10-07 10:00", "@acme_support hello? anyone there?", mentions=("acme_support",))
    return loaded, (*on_time, *late, never)


def test_each_item_is_one_check_and_the_share_is_passed_over_checked(tmp_path):
    loaded, events = october(tmp_path, ANSWER)
    result = run(loaded, *events, as_of="2026-10-31 12:00")
    [rule] = result.rules
    assert (rule.figures.checked, rule.figures.passed, rule.figures.failed, rule.figures.pending) == (3, 1, 2, 0)
    assert rule.figures.compliance == 0.3333  # passed / checked, to four places
    assert rule.status == "fail"  # 33 % against a target of 90 %
    assert result.summary["score"] == 33.3
    assert (result.summary["rules_failed"], result.summary["findings"]) == (1, 2)
    assert result.summary["findings_by_severity"]["high"] == 2


def test_a_failed_check_is_a_finding_about_the_account_with_its_evidence(tmp_path):
    loaded, events = october(tmp_path, ANSWER)
    result = run(loaded, *events, as_of="2026-10-31 12:00")
    assert [(f.rule, f.account, f.counterpart, f.severity) for f in result.findings] == [
        ("answer", "acme_support", "carol", "high"), ("answer", "acme_support", "dave", "high")]
    late, never = result.findings
    assert late.evidence[0].id == events[2].id and never.evidence[0].id == events[4].id
    assert len({f.fingerprint for f in result.findings}) == 2
    assert all(len(f.fingerprint) == 20 for f in result.findings)


def test_a_fingerprint_does_not_move_when_later_events_are_added(tmp_path):
    loaded, events = october(tmp_path, ANSWER)
    before = run(loaded, *events, as_of="2026-10-31 12:00")
    later = post("erin", "2026-10-20 10:00", "@acme_support is the shop open?", mentions=("acme_support",))
    after = run(loaded, *events, later, as_of="2026-10-31 12:00")
    assert {f.fingerprint for f in before.findings} < {f.fingerprint for f in after.findings}


def test_a_disabled_rule_is_not_run(tmp_path):
    loaded, events = october(tmp_path, ANSWER, OFF)
    assert [r.id for r in run(loaded, *events, as_of="2026-10-31 12:00").rules] == ["answer"]


def test_a_rule_with_nothing_to_check_has_no_data_never_a_pass(tmp_path):
    loaded = policy(tmp_path, [ANSWER])
    result = run(loaded, post("acme_support", "2026-10-05 14:00", "New range out today"), as_of="2026-10-31 12:00")
    [rule] = result.rules
    assert (rule.status, rule.figures.checked, rule.figures.compliance) == ("no_data", 0, None)
    assert result.summary["score"] is None and result.summary["rules_no_data"] == 1


def test_the_trend_needs_the_data_to_reach_back_over_the_previous_period(tmp_path):
    loaded, events = october(tmp_path, ANSWER)
    assert run(loaded, *events, as_of="2026-10-31 12:00").rules[0].previous_compliance is None
    september = answered("2026-09-01 14:00", 1, "frank")
    [rule] = run(loaded, *september, *events, as_of="2026-10-31 12:00").rules
    assert (rule.previous_checked, rule.previous_compliance) == (1, 1.0)


def test_the_end_of_the_data_decides_what_is_still_pending(tmp_path):
    loaded, events = october(tmp_path, ANSWER)
    # Read two hours after dave asked: his question may still be answered in time.
    [rule] = run(loaded, *events, as_of="2026-10-07 12:00").rules
    assert (rule.figures.checked, rule.figures.pending) == (2, 1)


def test_the_same_input_gives_the_same_report_bytes(tmp_path):
    loaded, events = october(tmp_path, ANSWER)
    hello = dm("bob", "acme_support", "2026-10-08 09:00", "hi")
    first = render(run(loaded, *events, hello, as_of="2026-10-31 12:00"), RenderOptions())
    again = render(run(loaded, hello, *reversed(events), as_of="2026-10-31 12:00"), RenderOptions())
    assert first == again


def _weeks_check_by_check(checks, zone):
    """How the weekly trend was always counted: each item's Monday in the policy's zone, one by one."""
    from datetime import timedelta

    from auditor.result import WeekFigures

    weeks: dict[str, list[int]] = {}
    for check in checks:
        if check.status not in ("passed", "failed"):
            continue
        local = check.occurred_at.astimezone(zone).date()
        entry = weeks.setdefault((local - timedelta(days=local.weekday())).isoformat(), [0, 0])
        entry[0] += 1
        entry[1] += check.status == "passed"
    return tuple(WeekFigures(week, checked, passed) for week, (checked, passed) in sorted(weeks.items()))


def test_weeks_counted_by_local_day_are_the_weeks_counted_item_by_item():
    """Across a Monday midnight in the zone but not in UTC, and the end of daylight saving time."""
    from datetime import datetime, timedelta, timezone
    from zoneinfo import ZoneInfo

    from auditor.audit import _weeks
    from auditor.rules.base import Check

    zone = ZoneInfo("America/Toronto")
    start = datetime(2026, 9, 27, 2, 0, tzinfo=timezone.utc)
    statuses = ("passed", "failed", "pending", "uncounted", "passed")
    checks = [Check(f"a{n % 3}", start + n * timedelta(hours=1, minutes=7), statuses[n % 5]) for n in range(1200)]
    weeks = _weeks(checks, zone)
    assert weeks == _weeks_check_by_check(checks, zone)
    assert weeks[0].week_start == "2026-09-21"  # 2026-09-27 02:00 UTC is Saturday evening in Toronto
    assert sum(w.checked for w in weeks) == sum(1 for c in checks if c.status in ("passed", "failed"))
    assert _weeks([], zone) == ()


def test_events_of_the_period_count_mentions_and_recipients_of_the_roster(tmp_path):
    loaded = policy(tmp_path, [ANSWER])
    events = [
        post("bob", "2026-10-05 14:00", "@lchen @nobody hi", mentions=("nobody", "lchen")),  # a roster mention, not first
        post("bob", "2026-10-05 15:00", "@nobody hi", mentions=("nobody",)),  # no one of the roster
        post("carol", "2026-10-05 16:00", "no mentions"),
        dm("dave", "jdoe", "2026-10-06 09:00"),  # to the roster
        dm("dave", "erin", "2026-10-06 10:00"),  # between strangers
        dm("jdoe", "erin", "2026-10-06 11:00"),  # from the roster
    ]
    assert run(loaded, *events).data.period_events == 3


def test_checks_without_counts_share_one_read_only_mapping():
    from datetime import datetime, timezone

    import pytest

    from auditor.rules.base import NO_COUNTS, Check

    moment = datetime(2026, 10, 5, tzinfo=timezone.utc)
    first, second = Check("a", moment, "passed"), Check("b", moment, "failed")
    assert first.counts is second.counts is NO_COUNTS and dict(first.counts) == {}
    with pytest.raises(TypeError):
        first.counts["posts"] = 1  # type: ignore[index]
    assert Check("a", moment, "uncounted", counts={"posts": 2}).counts == {"posts": 2}


def test_an_audit_that_keeps_no_checks_reports_the_same_and_cannot_be_recounted(tmp_path):
    # An audit without waivers drops each rule's checks once counted (a million of them at the end
    # of a large month); only waivers count a rule again, and they need the checks.
    import pytest

    from auditor.audit import audit, recount
    from tests.factories import activity, at
    from auditor.time.period import parse_period
    from datetime import date

    loaded, events = october(tmp_path, ANSWER)
    period = parse_period("2026-10", loaded.policy.zone, date(2026, 11, 23))
    kept = audit(loaded, activity(*events), period, as_of=at("2026-10-31 12:00"))
    dropped = audit(loaded, activity(*events), period, as_of=at("2026-10-31 12:00"), keep_checks=False)
    assert render(dropped, RenderOptions()) == render(kept, RenderOptions())
    assert [len(rule.checks) for rule in kept.rules] == [3] and [rule.checks for rule in dropped.rules] == [None]
    assert recount(kept, kept.findings, loaded.policy.zone).rules == kept.rules
    with pytest.raises(ValueError, match="without its checks"):
        recount(dropped, dropped.findings, loaded.policy.zone)


def _period_events_one_by_one(index, period, as_of) -> int:
    """The definition, an event at a time: by a roster account, replying to or mentioning one, or a DM to one."""
    roster = index.roster
    count = 0
    for event in [*index.posts, *index.dms]:
        if not (period.start <= event.created_at < period.end) or event.created_at > as_of:
            continue
        if hasattr(event, "author"):
            count += (event.author in roster or event.in_reply_to_author in roster
                      or not roster.isdisjoint(event.mentions))
        else:
            count += event.sender in roster or not roster.isdisjoint(event.recipients)
    return count


_people = st.sampled_from(["acme_support", "jdoe", "bob", "carol"])
_moments = st.sampled_from(["2026-09-30 23:00", "2026-10-01 04:00", "2026-10-01 03:59", "2026-10-15 12:00",
                            "2026-10-31 23:59", "2026-11-01 04:00", "2026-11-01 03:59", "2026-11-02 10:00"])


@st.composite
def _events(draw):
    events = []
    for n in range(draw(st.integers(0, 12))):
        sender, other, when = draw(_people), draw(_people), draw(_moments)
        if draw(st.booleans()):
            mentions = tuple(draw(st.lists(_people, max_size=2, unique=True)))
            made = post(sender, when, "hi", id=str(n), mentions=mentions)
            if draw(st.booleans()):
                made = replace(made, in_reply_to="x", in_reply_to_author=other)
        else:
            made = dm(sender, other, when, "hi", id=f"d{n}")
        events.append(made)
    return events


@settings(max_examples=300, deadline=None)
@given(events=_events(), as_of=_moments)
def test_events_of_the_period_are_those_counted_one_by_one(events, as_of):
    roster = {"acme_support", "jdoe"}
    index = ActivityIndex(activity(*events), roster)
    period = parse_period("2026-10", ZoneInfo("America/Toronto"), date(2026, 12, 1))
    assert _period_events(index, period, at(as_of)) == _period_events_one_by_one(index, period, at(as_of))
