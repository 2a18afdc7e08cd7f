"""What the random-month tests of response_time share: one customer's item and its random answers."""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import datetime, timedelta

from hypothesis import strategies as st

from auditor.activity.model import DirectMessage, Post
from auditor.time import open_time

RESPONDERS = ("acme_support", "lchen", "jdoe")


def conversation(draw, n: int, customer: str, account: str, asked: datetime, text: str, public: bool,
                 answers_within: int) -> list:
    """A post by `customer` to `account` with 0-2 replies by the roster (the account, a teammate or another
    team; one may come an hour before it), or a DM with perhaps an answer, up to `answers_within` seconds on."""
    if public:
        question = Post(f"p{n}", customer, asked, text, mentions=(account,), conversation_id=f"p{n}")
        events: list = [question]
        for k in range(draw(st.integers(0, 2))):
            replier = draw(st.sampled_from(RESPONDERS))
            answered = asked + timedelta(seconds=draw(st.integers(-3600, answers_within)))
            events.append(Post(f"p{n}r{k}", replier, answered, f"@{customer} on it", in_reply_to=question.id,
                               in_reply_to_author=customer, conversation_id=question.id, mentions=(customer,)))
        return events
    thread = ":".join(sorted((customer, account)))
    events = [DirectMessage(f"d{n}", thread, customer, (account,), asked, "hello?")]
    if draw(st.booleans()):
        answered = asked + timedelta(seconds=draw(st.integers(0, answers_within)))
        events.append(DirectMessage(f"d{n}a", thread, account, (customer,), answered, "hi"))
    return events


@contextmanager
def shortcuts(on: bool):
    """With `AUDITOR_SPEEDUPS` on (episodes timed in bulk, however few) or off (each asked of the clock)."""
    before, pairs = os.environ.get("AUDITOR_SPEEDUPS"), open_time._MIN_PAIRS
    os.environ["AUDITOR_SPEEDUPS"] = "on" if on else "off"
    open_time._MIN_PAIRS = 1  # in bulk however few the episodes
    try:
        yield
    finally:
        open_time._MIN_PAIRS = pairs
        if before is None:
            del os.environ["AUDITOR_SPEEDUPS"]
        else:
            os.environ["AUDITOR_SPEEDUPS"] = before
