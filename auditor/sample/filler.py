"""Filler: the ordinary conversations of one day, drawn from templates.

``filler_day`` is called once per local day with that day's random stream
(``g.rng``). It starts about 17 conversations on a business day and 7 on a
closed one (times ``g.scale``), each with a random customer:

* by DM, a share ``g.dm_share`` of them (``_dm_thread``);
* otherwise in public: a question or complaint to @acme_support (64%), a
  question to a support employee (10%) or to a sales rep (12%), praise (14%).

and then adds the day's broadcasts (``broadcasts.py``). A conversation is
written in one go, answers and all, even when the answer falls on a later
day: ``Feed`` files each event under its own day.

The shares are tuned so the demo lands where ``README.md`` says (about 91%
of support episodes answered within 4 business hours, a few never), and every
"DM us" or "DM me" here is kept by DM within a day: the broken promises are
the story's alone. The draws happen in a fixed order; changing any of them,
even one ``rng.random()``, changes everything generated after it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from auditor.sample.broadcasts import broadcast_day
from auditor.sample.events import DAY, HOUR, MINUTE, count, minutes
from auditor.sample.texts import (
    ANSWER, APOLOGY, BRAND_CLOSE, CLOSING, COMPLAINT_FORMS, DM_ANSWERS, DM_BRAND_FIRST, DM_BRAND_FIX, DM_BYE,
    DM_CUSTOMER_INFO, DM_QUESTIONS, DM_THANKS, FOLLOW_UP_A, FOLLOW_UP_Q, HELLO, NUDGES, OFFER_DM, OFFER_EMAIL,
    OFFER_PHONE, OFFER_URL, PRAISE, PRAISE_REPLY, PROBLEMS, PRODUCTS, QUESTION_FORMS, SALES_A, SALES_DM_IN,
    SALES_DM_OUT, SALES_PROMISE, SALES_Q, SIGN, STAFF_ANSWERS, STAFF_CLOSE, STILL_BROKEN, TASKS, THANKS,
    TROUBLESHOOT,
)

if TYPE_CHECKING:
    from auditor.sample.cast import Cast


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---- when people post and answer ----------------------------------------------

def _support_answer_time(g: Cast, t: int, late_share: float = 0.06, never_share: float = 0.03) -> int | None:
    """When a support account answers an inbound item posted at ``t`` (None: never)."""
    rng = g.rng
    r = rng.random()
    if r < never_share:
        return None
    if r < never_share + late_share:
        return g.add_business(t, minutes(rng, 250, 900))
    if not g.is_open(t) and rng.random() < 0.3:
        return t + minutes(rng, 5, 90)  # the evening / weekend shift
    return g.add_business(t, minutes(rng, 3, 200))


def _follow_up_time(g: Cast, t: int) -> int:
    """A quick answer to a follow-up in a conversation already going."""
    if not g.is_open(t) and g.rng.random() < 0.5:
        return t + minutes(g.rng, 2, 60)
    return g.add_business(t, minutes(g.rng, 2, 90))


def _customer_time(g: Cast, idx: int) -> int:
    """A local time on day ``idx`` when a customer posts (mostly daytime)."""
    rng = g.rng
    hour = rng.choice((7, 8, 9, 9, 10, 10, 11, 11, 12, 13, 13, 14, 14, 15, 15, 16, 16, 17, 18, 19, 20, 21, 22, 23, 0))
    return idx * DAY + hour * HOUR + rng.randrange(HOUR)


# ---- conversations -----------------------------------------------------------

def _keep_promise_dm(g: Cast, brand: str, customer: str, promise_t: int) -> None:
    """After a "DM us": the customer writes by DM (or the account writes first) and gets an answer within a day."""
    rng, first = g.rng, g.first.get(customer, "there")
    t = promise_t + minutes(rng, 2, 60)
    if rng.random() < 0.25:
        g.dm(brand, customer, promise_t + minutes(rng, 1, 30), rng.choice(DM_BRAND_FIRST).format(first=first))
        t += 30 * MINUTE
    g.dm(customer, brand, t, rng.choice(DM_CUSTOMER_INFO).format(handle=customer, n=rng.randrange(1000, 99999)))
    ans = _follow_up_time(g, t)
    if ans - promise_t > 20 * HOUR:  # someone on call picks it up rather than breaking the promise
        ans = t + minutes(rng, 10, 120)
    g.dm(brand, customer, ans, rng.choice(DM_BRAND_FIX).format(first=first))
    if rng.random() < 0.4:
        t2 = ans + minutes(rng, 1, 120)
        g.dm(customer, brand, t2, rng.choice(DM_THANKS))
        if rng.random() < 0.95:
            g.dm(brand, customer, _follow_up_time(g, t2), rng.choice(DM_BYE).format(first=first))


def _support_thread(g: Cast, idx: int, customer: str) -> None:
    """A question or complaint to @acme_support in public, maybe nudged, usually answered."""
    rng, h = g.rng, "@acme_support"
    first = g.first.get(customer, "there")
    t = _customer_time(g, idx)
    p = rng.choice(PRODUCTS)
    complaint = rng.random() < g.complaint_share
    if complaint:
        problem = rng.choice(PROBLEMS).format(p=p)
        text = rng.choice(COMPLAINT_FORMS).format(h=h, problem=problem, p=p)
    else:
        task, area = rng.choice(TASKS)
        text = rng.choice(QUESTION_FORMS).format(h=h, task=task, p=p)
    last = g.post(customer, t, _cap(text))
    ans = _support_answer_time(g, t)
    # Several posts before the one answer: one waiting episode.
    if rng.random() < 0.08:
        tn = t
        for _ in range(rng.randint(1, 2)):
            tn += minutes(rng, 20, 120)
            if ans is not None and tn >= ans:
                break
            last = g.post(customer, tn, rng.choice(NUDGES).format(h=h), parent=last)
    if ans is None:
        return
    sign = rng.choice(SIGN)
    if not complaint:
        body = (f"{rng.choice(HELLO)} {rng.choice(ANSWER)} {rng.choice(BRAND_CLOSE)}"
                .format(first=first, area=area, n=rng.randrange(100, 999)).rstrip())
        reply = g.reply("acme_support", ans, body + sign, last)
        if rng.random() < 0.25:
            t2 = ans + minutes(rng, 2, 120)
            q = g.reply(customer, t2, rng.choice(FOLLOW_UP_Q), reply)
            ans = _follow_up_time(g, t2)
            reply = g.reply("acme_support", ans,
                            f"{rng.choice(FOLLOW_UP_A)} {rng.choice(BRAND_CLOSE)}".format(
                                n=rng.randrange(100, 999)).rstrip() + sign, q)
        _maybe_thanks(g, customer, reply, ans, first, sign)
        return
    # A complaint: offer another channel in the first reply, or in the second
    # after one round of troubleshooting.
    apology = rng.choice(APOLOGY).format(first=first)
    if rng.random() < 0.75:
        offer_t, parent = ans, last
    else:
        reply = g.reply("acme_support", ans, f"{apology} {rng.choice(TROUBLESHOOT)}{sign}", last)
        t2 = ans + minutes(rng, 5, 90)
        parent = g.reply(customer, t2, rng.choice(STILL_BROKEN), reply)
        offer_t, apology = _follow_up_time(g, t2), "Thanks for trying that."
    r = rng.random()
    if r < g.promise_share:
        g.reply("acme_support", offer_t, f"{apology} {rng.choice(OFFER_DM)}{sign}", parent)
        _keep_promise_dm(g, "acme_support", customer, offer_t)
        return
    # the rest of the draw picks e-mail, phone or link evenly
    third = int((r - g.promise_share) / max(1e-9, 1 - g.promise_share) * 3) % 3
    offers = (OFFER_EMAIL, OFFER_PHONE, OFFER_URL)[third]
    reply = g.reply("acme_support", offer_t,
                    f"{apology} {rng.choice(offers)}".format(n=rng.randrange(100, 999)) + sign, parent)
    _maybe_thanks(g, customer, reply, offer_t, first, sign, share=0.3)


def _maybe_thanks(g: Cast, customer: str, reply: dict[str, Any], reply_t: int, first: str, sign: str,
                  share: float = 0.4, by: str = "acme_support") -> None:
    """The customer sometimes thanks publicly (an inbound reply); usually the account closes the thread."""
    rng = g.rng
    if rng.random() < share:
        t = reply_t + minutes(rng, 2, 180)
        thanks = g.reply(customer, t, rng.choice(THANKS), reply)
        if rng.random() < 0.95:
            g.reply(by, _follow_up_time(g, t), rng.choice(CLOSING).format(first=first) + sign, thanks)


def _staff_thread(g: Cast, idx: int, customer: str) -> None:
    """A question to one support employee by name, answered by them (or a kept "DM me")."""
    rng = g.rng
    staff = rng.choice(g.support_staff)
    first = g.first.get(customer, "there")
    t = _customer_time(g, idx)
    text = rng.choice(("@{s} hi {n}! how do I {task}?", "@{s} thanks for the help last week! One more: can I {task}?",
                       "@{s} hey {n}, is it normal that I can't {task}?"))
    root = g.post(customer, t, text.format(s=staff, n=g.first[staff], task=rng.choice(TASKS)[0]))
    ans = _support_answer_time(g, t, late_share=0.06, never_share=0.05)
    if ans is None:
        return
    if rng.random() < 0.15:  # "DM me", kept
        g.reply(staff, ans, f"Hi {first}, easier to look at your account directly. DM me your workspace ID?", root)
        _keep_promise_dm(g, staff, customer, ans)
        return
    reply = g.reply(staff, ans, f"Hi {first}, {rng.choice(STAFF_ANSWERS)} {rng.choice(STAFF_CLOSE)}".rstrip(), root)
    _maybe_thanks(g, customer, reply, ans, first, "", share=0.35, by=staff)


def _sales_thread(g: Cast, idx: int, customer: str) -> None:
    """A plan or pricing question to a sales rep: answered by them or a teammate, or taken to DM."""
    rng = g.rng
    rep = rng.choice(g.sales)
    first = g.first.get(customer, "there")
    seats = rng.choice((12, 25, 40, 60, 80, 150, 250))
    t = _customer_time(g, idx)
    root = g.post(customer, t, rng.choice(SALES_Q).format(h=f"@{rep}", seats=seats))
    r = rng.random()
    if r < 0.07:
        return  # never answered
    if r < 0.13:
        ans = t + rng.randrange(25 * HOUR, 50 * HOUR)  # answered, but after a day
    else:
        ans = t + minutes(rng, 5, 360)
    answerer = rep if rng.random() < 0.9 else rng.choice(g.sales)
    if answerer == rep and rng.random() < g.promise_share * 0.5:
        g.reply(rep, ans, rng.choice(SALES_PROMISE), root)
        t2 = ans + minutes(rng, 3, 90)
        g.dm(customer, rep, t2, rng.choice(SALES_DM_IN).format(seats=seats))
        g.dm(rep, customer, t2 + minutes(rng, 10, 300), rng.choice(SALES_DM_OUT).format(first=first, seats=seats))
        return
    reply = g.reply(answerer, ans, f"Hi {first}! {rng.choice(SALES_A)}".format(seats=seats), root)
    _maybe_thanks(g, customer, reply, ans, first, "", share=0.3, by=answerer)


def _dm_thread(g: Cast, idx: int, customer: str) -> None:
    """A question by DM, mostly to @acme_support; the answer matches the question (same index)."""
    rng = g.rng
    to = "acme_support" if rng.random() < 0.8 else rng.choice(g.support_staff + g.sales)
    first = g.first.get(customer, "there")
    t = _customer_time(g, idx)
    k = rng.randrange(len(DM_QUESTIONS))
    g.dm(customer, to, t, DM_QUESTIONS[k].format(p=rng.choice(PRODUCTS)))
    ans = _support_answer_time(g, t, late_share=0.06, never_share=0.05)
    if rng.random() < 0.1:  # a second message before the answer: one waiting episode
        t2 = t + minutes(rng, 10, 240)
        if ans is None or t2 < ans:
            g.dm(customer, to, t2, rng.choice(("Hello?", "Any news on this?", "Still need help with this, thanks.")))
    if ans is None:
        return
    g.dm(to, customer, ans, DM_ANSWERS[k].format(first=first))
    if rng.random() < 0.4:
        t3 = ans + minutes(rng, 1, 120)
        g.dm(customer, to, t3, rng.choice(DM_THANKS))
        if rng.random() < 0.95:
            g.dm(to, customer, _follow_up_time(g, t3), rng.choice(DM_BYE).format(first=first))


def _praise_thread(g: Cast, idx: int, customer: str) -> None:
    """Praise for @acme_support (which thanks back) or @acme (which seldom does)."""
    rng = g.rng
    to = "acme_support" if rng.random() < 0.7 else "acme"
    t = _customer_time(g, idx)
    root = g.post(customer, t, rng.choice(PRAISE).format(h=f"@{to}", p=rng.choice(PRODUCTS)))
    if to == "acme_support":
        ans = _support_answer_time(g, t, late_share=0.05, never_share=0.08)
        if ans is not None:
            g.reply(to, ans, rng.choice(PRAISE_REPLY).format(first=g.first.get(customer, "friend")), root)
    elif rng.random() < 0.15:
        text = rng.choice(PRAISE_REPLY).format(first=g.first.get(customer, "friend"))
        g.reply(to, t + minutes(rng, 10, 300), text, root)


# ---- the day -----------------------------------------------------------------

# Public conversations and their shares (they add up to 1).
_KINDS = (_support_thread, _staff_thread, _sales_thread, _praise_thread)
_PUBLIC_WEIGHTS = (0.64, 0.10, 0.12, 0.14)


def filler_day(g: Cast, idx: int) -> None:
    """Day ``idx``'s conversations and broadcasts, drawn from ``g.rng``."""
    rng = g.rng
    open_day = g.is_open_day(idx)
    n = count(rng, (17.0 if open_day else 7.0) * g.scale)
    customers = g.customers
    for _ in range(n):
        customer = rng.choice(customers)
        if rng.random() < g.dm_share:
            _dm_thread(g, idx, customer)
            continue
        r = rng.random()
        for kind, w in zip(_KINDS, _PUBLIC_WEIGHTS, strict=True):
            if r < w:
                kind(g, idx, customer)
                break
            r -= w
        else:  # r landed past the last weight by rounding
            _support_thread(g, idx, customer)
    broadcast_day(g, idx, open_day)
