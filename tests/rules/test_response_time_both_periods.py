"""response_time works out the window once for the period and the previous one (the trend):
each period's checks must be what evaluating that period alone gives (the previous period's
without their findings: it is counted, never reported).

Random months of customers' posts (questions, complaints, thanks, passing mentions), replies and
DMs from mid-August to mid-November 2026 in Toronto, audited for October, so episodes start in
September, in October, around both month ends and the November clock change, and answers come
in the next month. Several rules: needs_answer auto and always, team responders, a business
clock, DMs only, an ignored account.
"""

from __future__ import annotations

from msgspec.structs import replace
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.audit import rule_context
from auditor.index import ActivityIndex
from auditor.time.period import parse_period
from tests.factories import activity, policy
from tests.rules.random_conversations import RESPONDERS, conversation

CUSTOMERS = ("bob", "carol", "dan", "newsbot")
TEXTS = ("@{account} where is my order?", "@{account} thanks!", "@{account} this is the worst service ever",
         "loved the talk by @{account} today", "@{account} ok", "@{account} my parcel from you is two weeks late")
CALENDARS = {"support-hours": {"weekdays": ["mon", "tue", "wed", "thu", "fri"], "hours": "09:00-17:00",
                               "holidays": {"country": "CA", "subdivision": "ON"}}}
RULES = [
    {"id": "auto", "type": "response_time", "severity": "high", "within": "4h"},
    {"id": "always-team", "type": "response_time", "severity": "medium", "within": "2h", "responders": "team",
     "needs_answer": "always"},
    {"id": "in-hours", "type": "response_time", "severity": "low", "within": "3h", "clock": "support-hours"},
    {"id": "dms", "type": "response_time", "severity": "low", "within": "1h", "inbound": ["dm"]},
    {"id": "questions", "type": "response_time", "severity": "low", "within": "1h", "only": ["question"],
     "inbound": ["mention"]},
]
START = datetime(2026, 8, 15, tzinfo=timezone.utc)


@st.composite
def months(draw):
    events: list = []
    for n in range(draw(st.integers(1, 50))):
        customer = draw(st.sampled_from(CUSTOMERS))
        account = draw(st.sampled_from(RESPONDERS))
        asked = START + timedelta(seconds=draw(st.integers(0, 90 * 86400)))
        public = draw(st.integers(0, 2)) != 0
        text = draw(st.sampled_from(TEXTS)).format(account=account) if public else ""
        events += conversation(draw, n, customer, account, asked, text, public, 40 * 86400)
    return events


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=months())
def test_each_period_gets_the_checks_it_gets_alone(tmp_path, events):
    loaded = policy(tmp_path, RULES, calendars=CALENDARS, ignore_accounts=["newsbot"])
    index = ActivityIndex(activity(*events), set(loaded.policy.roster_by_handle))
    period = parse_period("2026-10", loaded.policy.zone, datetime(2026, 11, 23).date())
    ctx = rule_context(loaded.policy, index, period, index.last_event or period.end)
    previous = ctx.for_period(period.previous())
    for rule in loaded.policy.rules:
        now, before = rule.evaluate_periods(ctx, previous)
        assert now == rule.evaluate(ctx)
        # the previous period is counted for the trend, never reported: its checks come without findings
        assert before == [replace(check, findings=()) for check in rule.evaluate(previous)]
        assert rule.evaluate_periods(ctx, None) == (now, None)
