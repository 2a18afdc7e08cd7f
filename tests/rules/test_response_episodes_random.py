"""response_time on random months with follow-ups and DM answers: the bulk path equals the reference.

With the shortcuts on, the rule times every answered episode at once (time/open_time.py:
a subtraction on the wall clock, one cumulative column of open time on a calendar) and
builds a check without wording for each episode met; with `AUDITOR_SPEEDUPS=off` each
episode is asked of the clock and judged alone. Months here reach what the simple months
of the other random tests do not: a customer who writes again in the same conversation
(replying to their own post, or to the roster's answer), answers by DM to public posts,
DMs to two counterparts at once, several events in the same second, replies whose parent
is not in the data, a post addressed to two teammates, and business hours across the
daylight-saving changes and holidays. Both ways must give the same checks, in the same
order, and the same report.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.activity.model import DirectMessage, Post
from tests.factories import activity, policy, run_activity
from tests.rules.random_conversations import shortcuts

ROSTER = ("acme_support", "lchen", "jdoe")  # acme_support and lchen are one team (tests/factories.py)
CUSTOMERS = ("bob", "carol", "dan")
CALENDARS = {"support-hours": {"weekdays": ["mon", "tue", "wed", "thu", "fri"], "hours": "09:00-12:00, 13:00-17:30",
                               "holidays": {"country": "CA", "subdivision": "ON"}, "closed": ["2026-10-13"]}}
RULES = [
    {"id": "wall", "type": "response_time", "severity": "high", "within": "2h", "needs_answer": "always"},
    {"id": "team-hours", "type": "response_time", "severity": "medium", "within": "90m", "clock": "support-hours",
     "responders": "team", "needs_answer": "always"},
    {"id": "auto-dms", "type": "response_time", "severity": "low", "within": "30m", "inbound": ["dm", "reply"]},
]
MONTHS = {"2026-03": datetime(2026, 3, 1, 5, tzinfo=timezone.utc), "2026-10": datetime(2026, 10, 1, 4, tzinfo=timezone.utc)}
TEXTS = ("@{to} where is my order?", "@{to} thanks!", "@{to} hello", "@{to} @{other} anyone there?")


@st.composite
def months(draw):
    """A month of conversations; times on a coarse grid, so that many events share a second."""
    period = draw(st.sampled_from(sorted(MONTHS)))
    start = MONTHS[period]
    moment = st.integers(-2 * 86400 // 600, 34 * 86400 // 600).map(lambda k: start + timedelta(seconds=600 * k))
    events: list = []
    posts: list[Post] = []
    for n in range(draw(st.integers(1, 30))):
        kind = draw(st.sampled_from(("post", "post", "follow-up", "answer", "dm", "dm-answer", "orphan")))
        customer = draw(st.sampled_from(CUSTOMERS))
        account = draw(st.sampled_from(ROSTER))
        when = draw(moment)
        if kind == "post" or (kind in ("follow-up", "answer") and not posts):
            other = draw(st.sampled_from(ROSTER))
            text = draw(st.sampled_from(TEXTS)).format(to=account, other=other)
            mentions = (account, other) if "{other}" in text and other != account else (account,)
            posts.append(Post(f"p{n}", customer, when, text, mentions=mentions, conversation_id=f"p{n}"))
            events.append(posts[-1])
        elif kind == "follow-up":  # somebody writes again in a conversation, replying to any post of it
            parent = draw(st.sampled_from(posts))
            author = draw(st.sampled_from(CUSTOMERS + (parent.author,)))
            posts.append(Post(f"p{n}", author, when, f"@{parent.author} still waiting", in_reply_to=parent.id,
                              in_reply_to_author=parent.author, conversation_id=parent.conversation_id,
                              mentions=(parent.author,)))
            events.append(posts[-1])
        elif kind == "answer":  # a roster account replies to a post of the conversation
            parent = draw(st.sampled_from(posts))
            posts.append(Post(f"p{n}", account, when, f"@{parent.author} on it", in_reply_to=parent.id,
                              in_reply_to_author=parent.author, conversation_id=parent.conversation_id,
                              mentions=(parent.author,)))
            events.append(posts[-1])
        elif kind == "orphan":  # a reply to a post the data does not hold
            events.append(Post(f"p{n}", draw(st.sampled_from(CUSTOMERS + ROSTER)), when, f"@{account} and?",
                               in_reply_to=f"gone{n}", in_reply_to_author=account, conversation_id=f"gone{n}",
                               mentions=(account,)))
        elif kind == "dm":
            thread = ":".join(sorted((customer, account)))
            events.append(DirectMessage(f"d{n}", thread, customer, (account,), when, "hello?"))
        else:  # a roster DM, perhaps to two customers at once
            others = draw(st.lists(st.sampled_from(CUSTOMERS), min_size=1, max_size=2, unique=True))
            thread = ":".join(sorted((account, *others)))
            events.append(DirectMessage(f"d{n}", thread, account, tuple(others), when, "sent you a DM"))
    return period, events


def _audited(loaded, period, events):
    result = run_activity(loaded, activity(*events), period=period)
    return [rule.checks for rule in result.rules], orjson.dumps(result.as_dict())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(month=months())
def test_a_random_month_is_judged_the_same_in_bulk_and_alone(tmp_path, month):
    period, events = month
    loaded = policy(tmp_path, RULES, calendars=CALENDARS)
    with shortcuts(True):
        bulk = _audited(loaded, period, events)
    with shortcuts(False):
        reference = _audited(loaded, period, events)
    assert bulk == reference


def test_one_answer_to_two_posts_of_a_conversation_makes_one_episode(tmp_path):
    """Two posts of bob's, then acme's reply to the later one: one episode of two items, answered."""
    loaded = policy(tmp_path, RULES[:1])
    first = Post("1", "bob", datetime(2026, 10, 5, 12, tzinfo=timezone.utc), "@acme_support hello",
                 mentions=("acme_support",), conversation_id="1")
    second = Post("2", "bob", first.created_at + timedelta(minutes=5), "@acme_support ??", in_reply_to="1",
                  in_reply_to_author="bob", conversation_id="1", mentions=("bob",))
    answer = Post("3", "acme_support", first.created_at + timedelta(minutes=30), "@bob sorry", in_reply_to="2",
                  in_reply_to_author="bob", conversation_id="1", mentions=("bob",))
    with shortcuts(True):
        checks, _ = _audited(loaded, "2026-10", [first, second, answer])
    assert [(c.account, c.status, c.counterpart, c.value) for c in checks[0]] == [
        ("acme_support", "passed", "bob", 1800.0)]


# `_first_after`, the first answer an item waiting since a time gets, against its definition: of the
# candidates triggered at or after that time, the one answered first (then by id), else none.
_MINUTES = st.integers(0, 6)
# The instants those minutes name.
_AT = [datetime(2026, 10, 1, tzinfo=timezone.utc) + timedelta(minutes=m) for m in range(7)]


@settings(max_examples=400, deadline=None)
@given(candidates=st.lists(st.tuples(_MINUTES, _MINUTES, st.sampled_from("abcd")), max_size=5),
       asked=st.lists(_MINUTES, min_size=1, max_size=8))
def test_the_first_answer_after_a_time_is_the_earliest_one_triggered_then(candidates, asked):
    from auditor.rules.episodes import _first_after

    at = _AT
    # An id names one answer: its times and the event go with it.
    by_id = {key: (at[trigger], at[answered], key, f"answer {key}") for trigger, answered, key in candidates}
    built = list(by_id.values())
    answer = _first_after(list(built))
    for minute in asked:
        moment = at[minute]
        eligible = [c for c in built if c[0] >= moment]
        expected = min(eligible, key=lambda c: (c[1], c[2]))[3] if eligible else None
        assert answer(moment) == expected


# `_first_answer` answers one question without `_first_after`'s table: the same answer for any candidates,
# ties included (two answers with the same time and id, as a post and a DM "17" may be).
@settings(max_examples=400, deadline=None)
@given(candidates=st.lists(st.tuples(_MINUTES, _MINUTES, st.sampled_from("ab")), max_size=6),
       asked=st.lists(_MINUTES, min_size=1, max_size=8))
def test_one_question_gets_the_answer_the_table_gives(candidates, asked):
    from auditor.rules.episodes import _first_after, _first_answer

    at = _AT
    # Each candidate its own answer object, so a tie resolved the other way gives another answer.
    built = [(at[trigger], at[answered], key, object()) for trigger, answered, key in candidates]
    table = _first_after(list(built))
    for minute in asked:
        assert _first_answer(built, at[minute]) is table(at[minute])
