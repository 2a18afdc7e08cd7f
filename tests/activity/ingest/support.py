"""Shared by the fetch tests: fake tokens, a fake X scenario, a recorder for sleeps and progress."""

from __future__ import annotations

from datetime import timedelta

from auditor.activity.ingest.x_api import fetch
from tests.activity.ingest.fake_x import NOW, FakeX


BEARER = "AAAAfakeBEARERtoken%2Bwith%2Fsigns0123456789"
USER_KEYS = {
    "X_CONSUMER_KEY": "fakeConsumerKey0123456789",
    "X_CONSUMER_SECRET": "fakeConsumerSecret0123456789abcdef",
    "X_ACCESS_TOKEN": "100-fakeAccessToken0123456789",
    "X_ACCESS_TOKEN_SECRET": "fakeAccessTokenSecret0123456789",
}
APP_ENV = {"X_BEARER_TOKEN": BEARER}
FULL_ENV = {**APP_ENV, **USER_KEYS}
SECRETS = [BEARER, *USER_KEYS.values()]


def scenario() -> FakeX:
    """acme_support (brand) and jdoe (employee); bob and carol are customers."""
    x = FakeX()
    for user_id, name in (("100", "acme_support"), ("101", "jdoe"), ("200", "bob"), ("300", "carol")):
        x.user(user_id, name)
    x.me = "100"
    x.tweet("acme_support", "Big news: our spring range is here", NOW - timedelta(days=3))
    complaint = x.tweet("bob", "@acme_support my order 5531 is late &amp; nobody answers", NOW - timedelta(days=2))
    answer = x.tweet("acme_support", "@bob sorry about that, DM us your order number", NOW - timedelta(days=2, hours=-1),
                     reply_to=complaint)
    x.tweet("carol", "same here, three weeks now", NOW - timedelta(days=1, hours=20), reply_to=answer)
    carol_post = x.tweet("carol", "Lovely shop", NOW - timedelta(days=1, hours=12))
    x.tweet("acme_support", "RT @carol: Lovely shop", NOW - timedelta(days=1, hours=11), retweet_of=carol_post)
    x.tweet("jdoe", "Proud of the team at @acme_support #employee", NOW - timedelta(days=1))
    x.tweet("bob", "@jdoe any news?", NOW - timedelta(hours=20))
    x.dm("bob", "acme_support", "order 5531, phone 555-0100", NOW - timedelta(days=1, hours=22))
    x.dm("acme_support", "bob", "Thanks Bob, refund on its way", NOW - timedelta(days=1, hours=21))
    x.dm("carol", "acme_support", "hello?", NOW - timedelta(hours=5))
    return x


class Recorder:
    """Stands in for fetch's sleep and progress: what it was told to wait, and what it said."""

    def __init__(self):
        self.sleeps: list[float] = []
        self.lines: list[str] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def progress(self, line: str) -> None:
        self.lines.append(line)


def run_fetch(policy, store_path, env=FULL_ENV, recorder=None, now=NOW, **kwargs):
    """`fetch` on the fake X at `now`, its sleeps and progress lines kept by `recorder`."""
    recorder = recorder or Recorder()
    return fetch(policy, store_path, env=env, clock=lambda: now.timestamp(), sleep=recorder.sleep,
                 progress=recorder.progress, **kwargs)


def requests_to(fake: FakeX, fragment: str) -> list[dict]:
    """The query of each request the fake X received on a path containing `fragment`."""
    return [query for _, path, query in fake.calls if fragment in path]
