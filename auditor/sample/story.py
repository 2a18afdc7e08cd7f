"""The story: scripted scenes on fixed dates, each written to show one thing a rule finds.

``play_story`` writes every scene once, before any filler day, with the
story's own random stream ("<seed>:story"). That is why the story's ids are
the same whatever size is asked for: its posts take the first sequence
numbers and its DMs are ``d-1``, ``d-2``, ... (filler comes after), and only
the story's stream decides their milliseconds. ``README.md`` quotes these
ids, so adding, removing or reordering a scene means updating it (and
regenerating ``demo.jsonl``).

Each scene records the events a reader or a test needs in ``g.marks``
(name -> id), which is what ``story_ids()`` returns. Scenes use only the
customers in ``people.STORY_CUSTOMERS``, whom filler never speaks for, so
their findings stay the same at every size.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from auditor.sample.events import DAY, HOUR, MINUTE, ORD0

if TYPE_CHECKING:
    from auditor.sample.cast import Cast

# Posted word for word every Thursday by @acme: the one duplicate broadcast.
_PROMO = ("🚀 Acme Sync 3.0 is here: faster sync, offline folders and end-to-end encryption. "
          "Try it free for 30 days: https://acme.example/sync")


def _at(day: str, hm: str) -> int:
    """Local wall time for ``YYYY-MM-DD`` and ``HH:MM[:SS]``."""
    d = date.fromisoformat(day)
    parts = [int(x) for x in hm.split(":")] + [0]
    return (d.toordinal() - ORD0) * DAY + parts[0] * HOUR + parts[1] * MINUTE + parts[2]


def play_story(g: Cast) -> None:
    """Write every scene into ``g`` and name its key events in ``g.marks``."""
    m = g.marks
    P, R, D = g.post, g.reply, g.dm

    # The promo that @acme posts every Thursday, word for word (engagement: automation).
    for i, day in enumerate(("2026-10-01", "2026-10-08", "2026-10-15", "2026-10-22", "2026-10-29")):
        promo = P("acme", _at(day, "10:00:07"), _PROMO)
        m[f"promo_{i + 1}"] = promo["id"]
        for j, who in enumerate(("gus_w", "hiro_t", "bsmith")[: 2 + (i % 2)]):
            rp = g.repost(who, _at(day, f"1{j}:4{i}"), promo)
            m.setdefault("repost", rp["id"])

    # THE story: a big prospect, a sales rep, "DM me", and silence.
    q = P("northwind_cto", _at("2026-10-06", "10:14:22"),
          "@jdoe Hi Jane, we're evaluating Acme Cloud for about 400 seats across three offices. "
          "Who can walk us through enterprise pricing and data residency in Canada?")
    m["northwind_question"] = q["id"]
    promise = R("jdoe", _at("2026-10-06", "10:41:05"), "Great to hear from you! DM me and we can talk off air 🙂", q)
    m["jdoe_promise"] = promise["id"]
    m["northwind_dm"] = D("northwind_cto", "jdoe", _at("2026-10-06", "11:02:40"),
                          "Hi Jane, Alex Rivera here, CTO at Northwind Logistics. Easiest is my cell 416-555-0142 "
                          "or alex.rivera@northwind.example. We need to decide by the end of the month. "
                          "Can we talk this week?")["id"]
    m["northwind_dm_2"] = D("northwind_cto", "jdoe", _at("2026-10-08", "09:31:10"),
                            "Hi Jane, just following up. Are you free for a call today or tomorrow?")["id"]
    m["northwind_dm_3"] = D("northwind_cto", "jdoe", _at("2026-10-13", "16:20:55"),
                            "Jane, we're about to sign with another vendor. Last chance to get Acme on the shortlist.")["id"]
    m["northwind_lost"] = P("northwind_cto", _at("2026-10-19", "11:05:12"),
                            "Went with WidgetCo for our 400 seats. Sent my number to a sales rep at @acme by DM two "
                            "weeks ago and never heard back. Shame.")["id"]

    # A promise jdoe did keep, the week before.
    q = P("emma_l", _at("2026-10-01", "13:02:18"), "@jdoe hi! Can we get a quote for 25 seats on the Business plan?")
    pr = R("jdoe", _at("2026-10-01", "13:20:41"), "Send me a DM with your team size and I'll put a quote together.", q)
    m["jdoe_kept_promise"] = pr["id"]
    D("emma_l", "jdoe", _at("2026-10-01", "13:34:09"), "Hi Jane! 25 people, we need SSO and Canadian hosting. Thanks!")
    m["jdoe_kept_dm"] = D("jdoe", "emma_l", _at("2026-10-01", "15:48:30"),
                          "Thanks Emma! Quote attached: 25 seats on Business with SSO, hosted in Canada. "
                          "Does Thursday 2pm work for a call?")["id"]

    # "Check your DMs", kept within minutes.
    q = P("jen_w", _at("2026-10-07", "11:10:03"),
          "@acme_support my invoice charges us for 12 seats but we only have 8. Not impressed, this is the second "
          "billing mistake this year. Awful.")
    m["jen_complaint"] = q["id"]
    m["jen_promise"] = R("acme_support", _at("2026-10-07", "11:32:47"),
                         "Sorry about that, Jen! Check your DMs, we'll fix the seat count there. ^LC", q)["id"]
    m["jen_dm_kept"] = D("acme_support", "jen_w", _at("2026-10-07", "11:34:15"),
                         "Hi Jen, I can see 12 seats on the October invoice. Can you confirm 8 is right?")["id"]
    D("jen_w", "acme_support", _at("2026-10-07", "11:50:30"), "Yes, 8. We removed 4 people in September.")
    D("acme_support", "jen_w", _at("2026-10-07", "12:05:12"),
      "Done: 4 seats refunded, you'll see it in 3-5 business days. Sorry for the hassle!")

    # A promise kept late: the DM answer comes 26 hours after it.
    q = P("priya_s", _at("2026-10-08", "14:00:31"),
          "@acme_support my account got locked after the password reset and I have a client demo tomorrow "
          "morning. This is a disaster, please help!")
    m["priya_complaint"] = q["id"]
    m["priya_promise"] = R("acme_support", _at("2026-10-08", "14:20:02"),
                           "So sorry, Priya. Please DM us the email on the account and we'll unlock it. ^RP", q)["id"]
    m["priya_dm"] = D("priya_s", "acme_support", _at("2026-10-08", "14:25:44"),
                      "It's priya.s@mail.example. Demo is at 9am tomorrow!")["id"]
    m["priya_dm_late_answer"] = D("acme_support", "priya_s", _at("2026-10-09", "16:41:19"),
                                  "Hi Priya, your account is unlocked now. Very sorry this took so long.")["id"]

    # A question to jdoe, answered by her teammate (responders: team).
    q = P("liam_ot", _at("2026-10-09", "13:20:10"), "@jdoe does the Business plan include audit logs?")
    m["liam_question"] = q["id"]
    m["mkhan_team_answer"] = R("mkhan", _at("2026-10-09", "14:05:36"),
                               "Hi Liam! Yes, audit logs are in Business and Enterprise. Jane is out today, "
                               "happy to answer anything else.", q)["id"]

    # Thanksgiving (Monday 2026-10-12): closed; answered Tuesday morning, within 4 business hours.
    q = P("sofia_mtl", _at("2026-10-12", "10:30:18"), "@acme_support how do I add a second admin to our workspace?")
    m["thanksgiving_question"] = q["id"]
    m["thanksgiving_answer"] = R("acme_support", _at("2026-10-13", "09:25:50"),
                                 "Hi Sofia, happy belated Thanksgiving! Go to Settings > Workspace > Members, "
                                 "open the person's menu and choose Make admin. ^TN", q)["id"]

    # The rude reply (tone: profanity, banned phrase), and the brand repairing it.
    q = P("dev_owen42", _at("2026-10-14", "15:12:03"),
          "@mkhan hey, your API docs say the rate limit is 100/min but I get 429s at 20/min. Which one is right?")
    m["owen_question"] = q["id"]
    rude = R("mkhan", _at("2026-10-14", "15:40:27"), "not my problem, read the f***ing docs", q)
    m["mkhan_rude"] = rude["id"]
    back = R("dev_owen42", _at("2026-10-14", "15:52:48"), "wow. Is that how Acme treats paying customers?", rude)
    m["owen_reply_unanswered"] = back["id"]
    fix = R("acme_support", _at("2026-10-14", "16:21:09"),
            "@dev_owen42 That's not the answer you should have gotten, Owen, and we're sorry. The limit is "
            "100 requests/min per token. DM us your app ID and we'll check those 429s. ^DR", back)
    m["owen_promise"] = fix["id"]
    D("dev_owen42", "acme_support", _at("2026-10-14", "16:30:12"), "App ID is app_7731. Thanks.")
    m["owen_dm_kept"] = D("acme_support", "dev_owen42", _at("2026-10-14", "16:58:40"),
                          "Thanks Owen. Your token was on the legacy 20/min tier; it's on 100/min now. "
                          "Sorry again about earlier.")["id"]

    # Disparaging a competitor, without saying he works for Acme (tone: competitors; disclosure).
    m["mkhan_widgetco"] = P("mkhan", _at("2026-10-16", "12:05:44"),
                            "WidgetCo's sync is garbage and their support is awful. Stop wasting your time "
                            "and switch to Acme.")["id"]

    # Saturday: answered outside business hours (met on the business clock).
    q = P("hiro_t", _at("2026-10-17", "11:20:35"), "@acme_support is there a way to pause Acme Sync for an hour?")
    m["weekend_question"] = q["id"]
    m["weekend_answer"] = R("acme_support", _at("2026-10-17", "11:46:02"),
                            "Hi Hiro! Click the tray icon and choose Pause, then pick 1 hour. Have a good weekend! ^TN",
                            q)["id"]

    # A long public back-and-forth that never moves to DM/e-mail/phone/link (escalation).
    kate = [
        ("kate_builds", "10:02:11", "@acme_support I was charged twice for Acme Cloud this month, $240 taken twice "
                                    "from my account. This is awful and not ok."),
        ("acme_support", "10:15:40", "Sorry to hear that, Kate! Which plan are you on?"),
        ("kate_builds", "10:21:02", "Business plan, annual."),
        ("acme_support", "10:33:27", "Thanks. Did you change your payment method recently?"),
        ("kate_builds", "10:40:55", "No. Same card for two years."),
        ("acme_support", "10:52:10", "Got it. Do both charges show the same amount?"),
        ("kate_builds", "11:03:48", "Yes, both $240. Can someone just refund one?"),
        ("acme_support", "11:17:33", "Understood. Could you check whether you have two workspaces under the same email?"),
        ("kate_builds", "11:30:06", "One workspace. I've answered four questions in public now. This is ridiculous "
                                    "and embarrassing."),
        ("acme_support", "11:48:51", "We hear you, Kate. Our billing team is looking at duplicate charges this week."),
        ("kate_builds", "12:10:19", "Still no refund. Terrible, awful support."),
        ("acme_support", "12:26:44", "We're sorry for the wait. The duplicate charge will be reversed within 5-7 "
                                     "business days."),
    ]
    parent = None
    for i, (who, hm, text) in enumerate(kate):
        parent = P(who, _at("2026-10-20", hm), text, parent)
        if i == 0:
            m["kate_complaint"] = parent["id"]
    m["kate_sixth_reply"] = parent["id"]

    # Sam asks tnguyen twice; the second time tnguyen shouts.
    q = P("sam_rivera_", _at("2026-10-20", "10:10:40"),
          "@tnguyen hey Tam, the app says 'session expired' every morning. What should I do?")
    R("tnguyen", _at("2026-10-20", "10:41:13"), "Hi Sam, clearing the app cache and logging in again should fix it.", q)
    q = P("sam_rivera_", _at("2026-10-22", "14:00:09"), "@tnguyen still getting 'session expired' every morning. Any other idea?")
    shout = R("tnguyen", _at("2026-10-22", "14:20:31"), "I ALREADY EXPLAINED THIS TWICE. CLEAR YOUR CACHE AND LOG IN AGAIN.", q)
    m["tnguyen_shouting"] = shout["id"]
    m["sam_unanswered"] = R("sam_rivera_", _at("2026-10-22", "14:31:02"), "wow, ok. No need to yell.", shout)["id"]

    # Three posts from one customer, one late answer: one waiting episode, breached.
    q = P("maria_g", _at("2026-10-21", "09:05:14"),
          "@acme_support Acme Sync is stuck on 'preparing' on all three of our laptops since this morning. Anyone?")
    m["maria_first"] = q["id"]
    q = R("maria_g", _at("2026-10-21", "09:50:37"), "@acme_support hello?", q)
    q = R("maria_g", _at("2026-10-21", "11:30:20"), "@acme_support still stuck, the whole team is blocked 😩", q)
    m["maria_third"] = q["id"]
    m["maria_answer"] = R("acme_support", _at("2026-10-21", "13:41:58"),
                          "Sorry for the wait, Maria! We found the issue and the fix is rolling out now: "
                          "https://status.acme.example ^LC", q)["id"]

    # Arabic, answered.
    q = P("omar_k", _at("2026-10-21", "12:00:45"),
          "@acme_support مرحبا، لا أستطيع تسجيل الدخول إلى Acme Cloud منذ الصباح. هل يمكنكم المساعدة؟")
    m["arabic_question"] = q["id"]
    R("acme_support", _at("2026-10-21", "12:35:17"),
      "Hi Omar, sorry about that! Please try the reset link at https://acme.example/reset and tell us if it still "
      "fails. ^RP", q)

    # Never answered at all.
    m["tom_unanswered"] = P("tom_h", _at("2026-10-23", "15:30:26"),
                            "@acme_support Acme Sync deleted half my photo library after the update. Nobody answers "
                            "my emails either. Disgusting, horrible service.")["id"]

    # The channel offered only in the third reply (escalation: later than within_replies).
    q = P("carlos_dev", _at("2026-10-23", "16:10:51"),
          "@acme_support the desktop app crashes on startup since this morning's update. Terrible, I can't work.")
    m["carlos_complaint"] = q["id"]
    r1 = R("acme_support", _at("2026-10-23", "16:30:04"), "Sorry about that, Carlos. Could you try restarting your "
                                                          "computer and opening the app again? ^TN", q)
    c2 = R("carlos_dev", _at("2026-10-23", "16:45:29"), "Restarted, still crashes. Awful.", r1)
    r2 = R("acme_support", _at("2026-10-26", "09:20:16"), "Thanks for trying. Which version is it? You'll find it "
                                                          "under Help > About. ^LC", c2)
    c3 = R("carlos_dev", _at("2026-10-26", "09:40:38"), "4.3.1. Nope, this is getting really annoying and stupid.", r2)
    m["carlos_third_reply"] = R("acme_support", _at("2026-10-26", "10:05:59"),
                                "Thanks, Carlos. DM us your workspace ID and we'll get you a fixed build. ^LC", c3)["id"]
    D("carlos_dev", "acme_support", _at("2026-10-26", "10:12:08"), "ws-88120")
    D("acme_support", "carlos_dev", _at("2026-10-26", "10:50:47"),
      "Here's the 4.3.2 build with the fix: https://acme.example/download/4.3.2. Sorry for the trouble!")

    # An unanswered DM.
    m["ana_dm_unanswered"] = D("ana_paula", "acme_support", _at("2026-10-26", "09:15:33"),
                               "Hello, our accountant needs all our 2026 invoices in one PDF. Can you send them? "
                               "Thanks")["id"]

    # Banned phrases: "not my problem" and "whatever".
    q = P("lucy_m", _at("2026-10-26", "10:00:02"),
          "@rpatel hi Raj, who do I talk to about a refund for the annual plan? Support sent me to you.")
    m["rpatel_not_my_problem"] = R("rpatel", _at("2026-10-26", "10:25:18"),
                                   "honestly that's not my problem, refunds are a billing thing. Try them.", q)["id"]
    q = P("kofi_a", _at("2026-10-27", "13:00:37"), "@rpatel quick one: the Windows installer stops with code 0x80070005. Any idea?")
    m["rpatel_whatever"] = R("rpatel", _at("2026-10-27", "13:30:06"), "run it as admin or whatever, should work", q)["id"]

    # Disclosure: undisclosed (jdoe) and disclosed (lchen, tnguyen, bsmith) mentions of Acme and WidgetCo.
    m["jdoe_undisclosed"] = P("jdoe", _at("2026-10-27", "09:12:25"),
                              "Acme Cloud just passed its SOC 2 Type II audit. Big deal if you're buying for an "
                              "enterprise.")["id"]
    m["lchen_disclosed"] = P("lchen", _at("2026-10-28", "12:15:49"),
                             "I work at Acme, and the new offline folders in Acme Sync are my favourite thing we "
                             "shipped this year.")["id"]
    m["tnguyen_disclosed"] = P("tnguyen", _at("2026-10-28", "15:02:11"),
                               "#employee Acme Cloud now has a Canadian region! Data residency questions welcome.")["id"]
    m["lchen_widgetco_fair"] = P("lchen", _at("2026-10-29", "11:40:03"),
                                 "#employee We published an honest comparison of Acme Sync and WidgetCo, pros and "
                                 "cons included: https://acme.example/compare")["id"]

    # Roster accounts mentioning each other: not customers, not inbound.
    ben = P("bsmith", _at("2026-10-30", "10:30:27"),
            "So proud of @acme_support: median first reply under 30 minutes this month! #employee")
    m["bsmith_mentions_brand"] = ben["id"]
    m["acme_support_thanks_ben"] = R("acme_support", _at("2026-10-30", "10:52:40"), "Thanks Ben! 💙", ben)["id"]

    # bsmith mostly broadcasts; now and then he answers someone.
    web = P("bsmith", _at("2026-10-15", "14:05:31"),
            "Our Acme Sync 3.0 webinar is live in 10 minutes: https://acme.example/events/3-0 #employee")
    q = R("gus_w", _at("2026-10-15", "14:30:12"), "will there be a recording?", web)
    m["bsmith_reply"] = R("bsmith", _at("2026-10-15", "15:02:45"),
                          "Hi Gus! Yes, we'll post the recording on the blog tomorrow.", q)["id"]

    # CJK, on a Saturday; answered Monday morning.
    q = P("wei_zhang88", _at("2026-10-31", "21:40:12"), "@acme_support 你好，Acme Sync 在我的 Mac 上一直显示“正在准备”，请问怎么解决？")
    m["cjk_question"] = q["id"]
    R("acme_support", _at("2026-11-02", "09:18:30"),
      "Hi Wei! 请更新到 4.3.2 版本 (please update to 4.3.2): it fixes the stuck 'preparing' state. ^LC", q)

    # Friday 16:40 in the period, answered Monday 2 November: after the period, still on time.
    q = P("ines_r", _at("2026-10-30", "16:40:20"), "@acme_support can I move files between two workspaces I own?")
    m["after_period_question"] = q["id"]
    m["after_period_answer"] = R("acme_support", _at("2026-11-02", "09:35:02"),
                                 "Hi Ines! Yes: select the files, choose Move, and pick the other workspace. ^RP", q)["id"]

    # The last afternoon of the data: still pending.
    m["pending_question"] = P("nora_b", _at("2026-11-02", "16:31:45"),
                              "@acme_support does Acme Cloud keep deleted files for 30 or 90 days?")["id"]
