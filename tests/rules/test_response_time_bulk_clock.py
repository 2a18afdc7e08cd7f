"""response_time timing its episodes in bulk (time/open_time.py) judges random months as the clock does itself.

Months with customers' posts, replies and DMs at random times, over a business-hours
calendar with holidays and a closed day, in March and October 2026 in Toronto: the clocks
jump forward on March 8th, Thanksgiving is October 12th, and answers to October's last
posts come after the clocks go back on November 1st. Each month is audited with the
shortcuts (every answered episode timed in one call) and without (each asked of the
clock), and the results must be the same.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import activity, policy, run_activity
from tests.rules.random_conversations import RESPONDERS, conversation, shortcuts

CUSTOMERS = ("bob", "carol", "dan", "erin")
CALENDARS = {"support-hours": {"weekdays": ["mon", "tue", "wed", "thu", "fri"], "hours": "09:00-12:00, 13:00-17:30",
                               "holidays": {"country": "CA", "subdivision": "ON"}, "closed": ["2026-10-13"]}}
RULES = [
    {"id": "answer-in-hours", "type": "response_time", "severity": "high", "within": "3h", "clock": "support-hours",
     "needs_answer": "always"},
    {"id": "answer-as-a-team", "type": "response_time", "severity": "medium", "within": "90m",
     "clock": "support-hours", "responders": "team", "needs_answer": "always"},
]
MONTHS = {"2026-03": datetime(2026, 3, 1, 5, tzinfo=timezone.utc), "2026-10": datetime(2026, 10, 1, 4, tzinfo=timezone.utc)}


@st.composite
def months(draw):
    period = draw(st.sampled_from(sorted(MONTHS)))
    start = MONTHS[period]
    events: list = []
    for n in range(draw(st.integers(1, 40))):
        customer = draw(st.sampled_from(CUSTOMERS))
        account = draw(st.sampled_from(RESPONDERS))
        asked = start + timedelta(seconds=draw(st.integers(-2 * 86400, 33 * 86400)))
        public = draw(st.booleans())
        events += conversation(draw, n, customer, account, asked, f"@{account} help?", public, 6 * 86400)
    return period, events


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(month=months())
def test_a_random_month_is_judged_the_same_in_bulk(tmp_path, month):
    period, events = month
    loaded = policy(tmp_path, RULES, calendars=CALENDARS)
    results = []
    for on in (True, False):
        with shortcuts(on):
            results.append(orjson.dumps(run_activity(loaded, activity(*events), period=period).as_dict()))
    assert results[0] == results[1]
