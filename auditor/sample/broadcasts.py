"""Broadcasts: the posts of a day that answer nobody.

@acme's marketing (blog posts, webinars, releases, customer stories), bsmith's
#employee posts, the staff's small talk and @acme_support's service notices,
plus what they draw: customers' reposts of @acme and the odd question in
reply. They are what the engagement rule measures, so @acme and bsmith post
far more of them than anyone else, and ``_fresh`` keeps an account from
posting the same text more than twice (until, in big runs, the variants run
out): in the demo, the story's weekly promo is the only duplicate the rule
finds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from auditor.sample.events import DAY, HOUR, count, minutes
from auditor.sample.texts import (
    ACME_BROADCAST, BLOGS, BROADCAST_ANSWERS, BROADCAST_QUESTIONS, BSMITH_POSTS, COMPANIES, FEATURES, MEETUP_CITIES,
    PRODUCTS, ROLES, STAFF_POSTS, STORIES, SUPPORT_NOTICES, TIPS, WEBINARS, WEEKDAYS,
)

if TYPE_CHECKING:
    from auditor.sample.cast import Cast

# The demo's staff (lchen, rpatel, tnguyen, jdoe, mkhan): 0.05 small-talk posts a day each, times scale.
_NAMED_STAFF = 5


def _fresh(g: Cast, author: str, make: Any) -> str:
    """A broadcast text ``author`` has not already posted twice (only @acme's promo repeats on purpose)."""
    used = g.broadcast_texts
    if author in g.exhausted:  # big runs: every variant is taken, stop trying
        return make()
    for _ in range(6):
        text = make()
        if used[(author, text)] < 2:
            break
    else:
        g.exhausted.add(author)
    used[(author, text)] += 1
    return text


def broadcast_day(g: Cast, idx: int, open_day: bool) -> None:
    """Posts that answer nobody: @acme's marketing, bsmith's, staff chatter, support notices."""
    rng = g.rng
    scale = g.scale
    base = idx * DAY

    def acme_text() -> str:
        return rng.choice(ACME_BROADCAST).format(
            blog=rng.choice(BLOGS), n=rng.randrange(1000, 9999), day=rng.choice(WEEKDAYS),
            webinar=rng.choice(WEBINARS), tip=rng.choice(TIPS), p=rng.choice(PRODUCTS),
            ver=f"{rng.randint(3, 4)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}", feature=rng.choice(FEATURES),
            role=rng.choice(ROLES), company=rng.choice(COMPANIES), story=rng.choice(STORIES))

    def bsmith_text() -> str:
        return rng.choice(BSMITH_POSTS).format(blog=rng.choice(BLOGS), n=rng.randrange(1000, 9999),
                                                p=rng.choice(PRODUCTS), city=rng.choice(MEETUP_CITIES),
                                                people=rng.choice((120, 180, 250, 300, 420)))

    for _ in range(count(rng, (0.8 if open_day else 0.1) * scale)):
        t = base + rng.randint(10 * HOUR, 15 * HOUR)
        post = g.post("acme", t, _fresh(g, "acme", acme_text))
        _reposts(g, post, t, rng.randint(0, 3))
        _broadcast_question(g, post, t, "acme", 0.05)
    for _ in range(count(rng, (0.6 if open_day else 0.05) * scale)):
        t = base + rng.randint(8 * HOUR, 20 * HOUR)
        post = g.post("bsmith", t, _fresh(g, "bsmith", bsmith_text))
        _broadcast_question(g, post, t, "bsmith", 0.4)
    staff = g.support_staff + g.sales
    # The staff's small talk is the company's, shared among its people: with
    # --accounts, more people post it, each less often. (A rate per person
    # times scale grew with scale x accounts: with 2,000 generated
    # accounts, 70% of the events were small talk.) 5/5 is exactly 1.0, so the
    # demo's draws are unchanged.
    rate = 0.05 * scale * (_NAMED_STAFF / len(staff))
    for who in staff:
        for _ in range(count(rng, rate)):
            g.post(who, base + rng.randint(7 * HOUR, 22 * HOUR), _fresh(g, who, lambda: rng.choice(STAFF_POSTS)))
    for _ in range(count(rng, 0.12 * scale)):
        g.post("acme_support", base + rng.randint(9 * HOUR, 18 * HOUR),
               _fresh(g, "acme_support", lambda: rng.choice(SUPPORT_NOTICES).format(p=rng.choice(PRODUCTS))))


def _broadcast_question(g: Cast, post: dict[str, Any], t: int, author: str, answer_share: float) -> None:
    """Sometimes a customer replies to a broadcast with a question; sometimes the author answers."""
    rng = g.rng
    if rng.random() < 0.3:
        customer = rng.choice(g.customers)
        t2 = t + minutes(rng, 5, 240)
        q = g.reply(customer, t2, rng.choice(BROADCAST_QUESTIONS), post)
        if rng.random() < answer_share:
            g.reply(author, t2 + minutes(rng, 10, 300),
                    rng.choice(BROADCAST_ANSWERS).format(first=g.first.get(customer, "there")), q)


def _reposts(g: Cast, post: dict[str, Any], t: int, n: int) -> None:
    """Customers (and sometimes a colleague) repost a broadcast: posts that mention @acme but are not inbound."""
    rng = g.rng
    for _ in range(n):
        g.repost(rng.choice(g.customers), t + minutes(rng, 5, 600), post)
    if rng.random() < 0.3:
        g.repost(rng.choice(("bsmith", "acme_support")), t + minutes(rng, 5, 120), post)
