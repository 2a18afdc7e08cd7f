"""Generate the bundled sample: a month of X activity for the fictional company Acme.

Acme (time zone America/Toronto) sells "Acme Cloud" and "Acme Sync". Its brand
accounts and six employees talk to about 300 customers during October 2026; the
data also holds the last week of September (a previous period to compare
against) and the first two days of November (answers that come after the
period). Output is canonical JSONL as PRODUCT.md describes it.

Two kinds of activity are mixed:

* the *story*: scripted scenes on fixed dates, each built to show one thing a
  rule finds (the sales rep who says "DM me and we can talk off air" and never
  answers the DM, a profane reply, a public back-and-forth that never moves to
  DM, a brand account repeating one promo, ...). See ``auditor/sample/README.md``.
  The story is the same whatever the size asked for.
* *filler*: ordinary conversations (questions, complaints, praise, DMs,
  broadcasts, reposts) drawn day by day from templates. ``scale`` (or
  ``events``) sets how many, so the same code writes the ~2,000-event demo
  and million-event benchmark files.

Everything comes from ``random.Random`` seeded with ``seed`` (one stream per
day, one for the story, one for the customer list): no wall clock, no hash
randomisation, so the same arguments give the same bytes. Events are generated
day by day and sorted per day (by ``created_at``, then ``id``); only the
activity that spills into later days (late answers) is held in memory.

    python -m auditor.sample.generate --out demo.jsonl
    python -m auditor.sample.generate --out big.jsonl --events 1000000 --roster-out big-roster.yaml
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta, timezone
from operator import itemgetter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

try:  # a dependency of the auditor, but the generator runs on the standard library too
    import orjson as _orjson
except ImportError:  # pragma: no cover - exercised only without orjson
    _orjson = None

TIMEZONE = "America/Toronto"
DEFAULT_START = date(2026, 9, 24)  # first local day generated
DEFAULT_END = date(2026, 11, 3)  # first local day NOT generated (so 2026-11-02 is the last)
DEFAULT_CUSTOMERS = 300
DEFAULT_DM_SHARE = 0.2
DEFAULT_COMPLAINT_SHARE = 0.35
DEFAULT_PROMISE_SHARE = 0.5

_TZ = ZoneInfo(TIMEZONE)
_ORD0 = date(1970, 1, 1).toordinal()
_DAY = 86_400
_HOUR = 3_600
_MIN = 60
_OPEN, _CLOSE = 9 * _HOUR, 17 * _HOUR  # business hours, local
_X_EPOCH_MS = 1_288_834_974_657  # X ("Twitter") snowflake epoch
# Ontario statutory holidays and Acme's own closures (the generator's idea of
# business hours; the policy's calendar uses the `holidays` package).
_CLOSED_DAYS = {
    date(2026, 1, 1), date(2026, 2, 16), date(2026, 4, 3), date(2026, 5, 18), date(2026, 7, 1),
    date(2026, 9, 7), date(2026, 10, 12), date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26),
    date(2027, 1, 1),
}
# "@handle" not preceded by a word character or "@" (so not an e-mail address);
# the look-behind sits after the "@" so the regex engine can scan for "@" fast.
_MENTION_RE = re.compile(r"@(?<![\w@]@)(\w{1,15})\b")

# --------------------------------------------------------------------------
# The company
# --------------------------------------------------------------------------

# handle, name, kind, team, manager
ROSTER: tuple[tuple[str, str, str, str, str], ...] = (
    ("acme_support", "Acme Support", "brand", "support", "Dana Reyes"),
    ("acme", "Acme", "brand", "marketing", "Olivia Grant"),
    ("jdoe", "Jane Doe", "employee", "sales", "Marcus Bell"),
    ("mkhan", "Mo Khan", "employee", "sales", "Marcus Bell"),
    ("lchen", "Lily Chen", "employee", "support", "Dana Reyes"),
    ("rpatel", "Raj Patel", "employee", "support", "Dana Reyes"),
    ("tnguyen", "Tam Nguyen", "employee", "support", "Dana Reyes"),
    ("bsmith", "Ben Smith", "employee", "marketing", "Olivia Grant"),
)
_MANAGERS = {"support": "Dana Reyes", "sales": "Marcus Bell", "marketing": "Olivia Grant"}

# Customers with a part in the story; filler never uses them, so their
# findings are the same at every size.
STORY_CUSTOMERS: dict[str, str] = {
    "northwind_cto": "Alex", "dev_owen42": "Owen", "maria_g": "Maria", "kate_builds": "Kate",
    "carlos_dev": "Carlos", "priya_s": "Priya", "tom_h": "Tom", "ana_paula": "Ana",
    "wei_zhang88": "Wei", "omar_k": "Omar", "liam_ot": "Liam", "sam_rivera_": "Sam",
    "lucy_m": "Lucy", "kofi_a": "Kofi", "jen_w": "Jen", "emma_l": "Emma", "sofia_mtl": "Sofia",
    "hiro_t": "Hiro", "ines_r": "Ines", "nora_b": "Nora", "gus_w": "Gus",
}

_FIRST = (
    "maria", "owen", "sam", "lucy", "kofi", "ana", "wei", "omar", "priya", "carlos", "kate", "tom",
    "liam", "emma", "noah", "olivia", "ava", "mia", "leo", "zoe", "ethan", "isla", "amir", "fatima",
    "diego", "sofia", "hiro", "yuki", "ines", "jonas", "lena", "max", "nina", "arjun", "chloe",
    "mateo", "grace", "felix", "hannah", "ivan", "julia", "kenji", "laura", "marco", "nadia", "oscar",
    "paula", "quinn", "rosa", "sean", "tara", "umar", "vera", "will", "ximena", "yara", "zack",
    "aisha", "ben", "clara", "dev", "elena", "frank", "gabe", "helen", "ike", "jamal", "kim", "luca",
    "maya", "nico", "olga", "pete", "rania", "sara", "theo", "ugo", "val", "wes",
)
_LAST = (
    "garcia", "owens", "kim", "martin", "nguyen", "lopez", "smith", "brown", "wilson", "tremblay",
    "roy", "gagnon", "cote", "bouchard", "singh", "ali", "wong", "chen", "patel", "khan", "silva",
    "rossi", "muller", "novak", "ivanova", "sato", "tanaka", "park", "lee", "cohen", "haddad",
    "mensah", "okafor", "diaz", "reyes", "santos", "moreau", "dubois", "larsen", "berg", "kowalski",
    "murphy", "kelly", "walsh", "fraser", "hughes", "price", "ortiz", "castro", "ramos",
)
_HANDLE_WORDS = ("builds", "codes", "ops", "designs", "writes", "dev", "data", "pm", "studio", "makes")
_CITIES = ("to", "mtl", "yyc", "van", "ott", "nyc", "ldn", "yeg")


def _customer_pool(seed: int, n: int, taken: set[str]) -> list[tuple[str, str]]:
    """``n`` plausible, unique X handles with a first name each."""
    rng = _Rng(f"{seed}:customers")
    out: list[tuple[str, str]] = []
    seen = set(taken)
    attempts = 0
    while len(out) < n:
        attempts += 1
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        form = rng.randrange(10)
        if form == 0:
            handle = f"{first}_{last[0]}"
        elif form == 1:
            handle = f"dev_{first}{rng.randrange(10, 100)}"
        elif form == 2:
            handle = f"{first}{last}"
        elif form == 3:
            handle = f"{first}_{last}"
        elif form == 4:
            handle = f"the{first}{last[0]}"
        elif form == 5:
            handle = f"{first}_{rng.choice(_HANDLE_WORDS)}"
        elif form == 6:
            handle = f"{first}_in_{rng.choice(_CITIES)}"
        elif form == 7:
            handle = f"{last}{first[0]}{rng.randrange(1, 1000)}"
        elif form == 8:
            handle = f"{first}{rng.randrange(1980, 2006)}"
        else:
            handle = f"{first[0]}{last}_{rng.randrange(1, 100)}"
        handle = handle[:15]
        if handle in seen:  # the short forms run out in big pools: fall back to a numbered one
            handle = f"{last[:8]}{first[0]}{rng.randrange(1, 100_000)}"
            if attempts > 50 * n + 1000:
                handle = f"{first[:5]}{len(out)}"  # unique by construction
            if handle in seen:
                continue
        seen.add(handle)
        out.append((handle, first.capitalize()))
    return out


def _extra_accounts(n: int) -> list[tuple[str, str, str, str, str]]:
    """``n`` generated employees beyond the named ones, alternating support and sales."""
    rng = _Rng("accounts")
    taken = {r[0] for r in ROSTER} | set(STORY_CUSTOMERS)
    out: list[tuple[str, str, str, str, str]] = []
    attempts = 0
    while len(out) < n:
        attempts += 1
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        handle = f"{first[0]}{last}"
        if attempts > 20 * n + 100:  # many accounts: number them
            handle = f"{first[0]}{last}{len(out)}"
        if handle in taken:
            continue
        taken.add(handle)
        team = "support" if len(out) % 2 == 0 else "sales"
        out.append((handle, f"{first.capitalize()} {last.capitalize()}", "employee", team, _MANAGERS[team]))
    return out


def roster(accounts: int = 0) -> list[dict[str, str]]:
    """The roster of the sample company (as in ``policies/roster.yaml``), plus ``accounts`` generated employees."""
    rows = list(ROSTER) + _extra_accounts(accounts)
    return [dict(zip(("handle", "name", "kind", "team", "manager"), row, strict=True)) for row in rows]


def roster_yaml(accounts: int = 0) -> str:
    """The roster as YAML, in the form of ``policies/roster.yaml``."""
    lines = ["# Roster of the sample company Acme (written by auditor.sample.generate).", "accounts:"]
    for row in roster(accounts):
        lines.append(f"  - handle: {row['handle']}")
        for key in ("name", "kind", "team", "manager"):
            lines.append(f"    {key}: {row[key]}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# Text templates (filler). Brand and employee texts avoid promise phrases
# unless the conversation keeps the promise, avoid the word "Acme" in
# employees' posts unless disclosed, and stay clear of profanity.
# --------------------------------------------------------------------------

_PRODUCTS = ("Acme Cloud", "Acme Sync")
_TASKS = (  # (what a customer wants to do, where it is)
    ("export my data to CSV", "Settings > Export"), ("add a teammate to my workspace", "Settings > Workspace > Members"),
    ("change the billing email", "Billing > Details"), ("turn on two-factor authentication", "Settings > Security"),
    ("restore a folder I deleted yesterday", "Files > Trash"), ("move my workspace to the Canada region", "Admin > Data region"),
    ("connect it to Google Drive", "Settings > Integrations"), ("download last month's invoice", "Billing > Invoices"),
    ("set up SSO with Okta", "Admin > Single sign-on"), ("upgrade from the free plan", "Billing > Plans"),
    ("sync only on Wi-Fi", "Settings > Sync"), ("share a folder as read-only", "the folder menu > Share"),
    ("change my username", "Account > Profile"), ("see who edited a file", "Files > Activity"),
    ("get back an older version of a file", "Files > Version history"), ("switch my trial to a paid plan", "Billing > Plans"),
    ("transfer ownership of a workspace", "Admin > Ownership"), ("keep one folder off my laptop", "Sync > Selective sync"),
    ("work offline on a plane", "the folder menu > Make available offline"),
    ("add our VAT number to receipts", "Billing > Details"), ("limit sync bandwidth during the day", "Settings > Network"),
    ("pin a folder to my phone", "the folder menu > Star"),
    ("invite a guest without a paid seat", "Settings > Workspace > Guests"),
    ("rename a shared folder without breaking links", "the folder menu > Rename"),
)
_QUESTION_FORMS = (
    "{h} how do I {task} in {p}?",
    "{h} quick question: how do I {task}?",
    "{h} is there a way to {task}? Can't find it in the settings.",
    "Hi {h}! What's the easiest way to {task} in {p}?",
    "{h} can I {task} from the mobile app or only on the web?",
    "{h} does {p} let you {task}? Asking for my team 🙏",
    "Hey {h}, where do I go to {task}? Thanks in advance!",
    "{h} any chance you can tell me how to {task}?",
    "New to {p}. How can I {task}? {h}",
    "{h} is it possible to {task} on the Team plan?",
    "Anyone know how to {task} in {p}? {h}",
    "{h} hello! Which plan do I need to {task}?",
)
_PROBLEMS = (
    "{p} has been down for two hours", "sync has been stuck at 99% all morning",
    "the desktop app crashes every time I open it", "I got charged twice this month",
    "my shared folder just disappeared", "login keeps failing with error 503", "uploads keep timing out",
    "I was billed after cancelling my plan", "the latest update wiped my settings",
    "files I saved yesterday are lost", "the mobile app logs me out every five minutes",
    "{p} is eating 100% CPU on my laptop", "my invoice shows the wrong amount",
    "half my photos failed to upload", "the share link I sent a client is broken",
    "{p} keeps duplicating my files", "the password reset is broken for me",
)
_COMPLAINT_FORMS = (
    "{h} {problem} and nobody is helping. This is ridiculous, awful service.",
    "{h} {problem}. Really disappointed and angry, this is unacceptable.",
    "Seriously {h}? {problem}. Terrible, terrible experience so far 😡",
    "{h} {problem}. I'm losing work because of this. Horrible.",
    "{h} third time this week: {problem}. So frustrating, I'm angry.",
    "{h} {problem}. Worst week with {p} ever, awful.",
    "Not happy {h}. {problem} and I have a deadline today. Awful.",
    "{h} {problem}?! Awful, I hate this. Thinking about switching to WidgetCo.",
    "{h} {problem}. This is a disaster for my team, really bad.",
    "Honestly fed up {h}, {problem}. Terrible, useless service.",
    "{h} {problem}. Pathetic and disappointing, and I pay for this.",
    "{h} {problem}. Worst support ever, so frustrating.",
)
_NUDGES = (
    "{h} hello? anyone there?", "{h} still waiting on this...", "{h} any update on this?", "{h} ping 🙃",
    "{h} bumping this",
)
_PRAISE = (
    "Shoutout to {h}, sorted out my sync issue in ten minutes 🙌",
    "{h} love the new dark mode in {p}!", "Big thanks to {h} for the quick refund, great service.",
    "{h} the new {p} release is so good 🔥", "Switched the whole studio to {p} this week, so far so good {h}",
    "{h} you folks are great, thanks for the help yesterday!",
)
_THANKS = (
    "thanks, that worked! 🙌", "perfect, found it. Thank you!", "great, thanks for the quick answer",
    "that did it, appreciate it", "got it, thanks!", "brilliant, thank you 🙏", "works now, cheers!",
)
_FOLLOW_UP_Q = (
    "thanks! I don't see that option though. Is it on my plan?", "ok, and does that also work on Windows?",
    "thanks! Is there a limit on how many I can add?", "and can I undo it later if I change my mind?",
    "does that need admin rights?",
)
_FOLLOW_UP_A = ("It's on every plan, including Free.", "Yes, same menu on Windows and Mac.",
                "There's no limit on Business; Team has 50.", "Yes, you can undo it any time.",
                "You need to be a workspace admin for that one.")
_STILL_BROKEN = (
    "still not working, same error. Really annoying and frustrating.", "tried that already, no luck. This is a mess.",
    "still broken after the update. Awful, I'm wasting hours on this.", "restarted twice, same problem. Frustrating.",
)
_HELLO = ("Hi {first}!", "Hey {first}!", "Thanks for asking, {first}!", "Good question!", "Hi there!",
          "Hello {first} 👋", "Hi {first}.")
_ANSWER = (
    "You can do that under {area}.", "Head to {area} and it's the first option.",
    "That's in {area}; admins can change it in a couple of clicks.", "Yes! Every plan has it, under {area}.",
    "Open the web app, go to {area} and pick the option there.",
    "On desktop it's under {area}, and the mobile app gets it next month.",
)
_BRAND_CLOSE = ("Guide: https://help.acme.example/a/{n}", "Hope that helps!", "More here: https://help.acme.example/a/{n}",
                "Happy syncing!", "Let us know how it goes.", "")
_STAFF_CLOSE = ("Hope that helps!", "Shout if it doesn't work.", "Should take a minute.", "")
_SIGN = (" ^LC", " ^RP", " ^TN", " ^DR", "", "", "")
_APOLOGY = ("So sorry about this, {first}.", "We're sorry for the trouble, {first}.", "Sorry to hear that, {first}.",
            "Apologies, {first}, that shouldn't happen.", "That's not the experience we want for you, {first}.")
_OFFER_DM = ("Please DM us your account email and we'll look into it right away.",
             "Can you send us a DM with your workspace ID? We'll check the logs.",
             "DM us the order number and we'll sort it out today.")
_OFFER_EMAIL = ("Could you email support@acme.example with your order number so our billing team can check?",
                "Please write to support@acme.example with a screenshot and your workspace ID.")
_OFFER_PHONE = ("Please call us at 1-800-555-0199 (Mon-Fri 9-5 ET) and ask for priority support.",
                "Our phone team can fix this fastest: 1-800-555-0199, option 2.")
_OFFER_URL = ("We're aware of the issue and working on a fix. Live updates: https://status.acme.example",
              "There's a workaround here while we fix it: https://help.acme.example/a/{n}")
_TROUBLESHOOT = ("Could you try signing out and back in?",
                 "Which version of the app are you on? You'll see it under Help > About.",
                 "Does the same thing happen in the web app, or only on desktop?")
_CLOSING = ("Glad it's working again, {first}! 🙌", "Great to hear! Thanks for your patience.", "Anytime! Have a good one.",
            "Happy to help, {first}!", "You're welcome! 💙")
_PRAISE_REPLY = ("Thank you, {first}! 💙", "That made our day, thanks {first}!", "Thanks for the kind words, {first} 🙌",
                 "So glad it helped, {first}!")
_DM_CUSTOMER_INFO = ("Hi, account email is {handle}@mail.example. Thanks for looking into it.",
                     "Here's my workspace ID: ws-{n}. Thanks!", "Order number is #{n}, charged on the 3rd.",
                     "Hi! It's {handle}@mail.example, workspace ws-{n}.")
_DM_BRAND_FIX = ("Thanks {first}! We found the problem and fixed it on our side; you should be good now.",
                 "Got it. The duplicate charge is refunded, you'll see it in 3-5 business days.",
                 "Thanks! Your workspace is unlocked; try logging in again.",
                 "All set, {first}: the folder is restored from last night's snapshot.")
_DM_BRAND_FIRST = ("Hi {first}, following up on your post: can you share the email on your account so we can check?",
                   "Hi {first}! Thanks for your patience. Which workspace is affected?")
_DM_QUESTIONS = ("Hi, can you help me change the card on file? The site errors out.",
                 "Hello, I'd like copies of my 2026 invoices for our accountant.",
                 "Hi there, how do I close the account of an employee who left?",
                 "Quick one: can I switch from monthly to annual billing mid-cycle?",
                 "Hi! Is there a student discount for {p}?", "Hey, my referral credit never showed up. Can you check?")
_DM_ANSWERS = ("Hi {first}! Sure, that's done from Billing > Payment method; if it errors again send us a screenshot here.",
               "Hi {first}, of course: the invoices are all under Billing > Invoices, and there's a download-all button.",
               "Hi {first}! An admin can remove them under Workspace > Members; their files stay with the workspace.",
               "Yes, you can switch any time and we prorate the rest of the month.",
               "Hi {first}! Students get 50% off with a school email address.",
               "Thanks {first}, we found it and the credit is on your account now.")
_DM_THANKS = ("Thanks!", "Perfect, thank you 🙏", "Great, appreciate it.", "Thanks a lot!")
_DM_BYE = ("Anytime, {first}!", "You're welcome! Have a great day.", "Happy to help 💙")
_SALES_Q = ("{h} does the Business plan include SSO?", "{h} can we get a quote for {seats} seats?",
            "{h} is there a nonprofit discount?", "{h} do you offer annual billing in CAD?",
            "{h} can we host our data in Canada?", "{h} what's the difference between Team and Business?",
            "{h} is there a free trial for the Enterprise plan?", "{h} do you support SCIM provisioning?",
            "Hi {h}, who should I talk to about a pilot for {seats} people?")
_SALES_A = ("Yes, SSO is included from Business up.", "We do! Nonprofits get 30% off on every plan.",
            "Annual billing in CAD is available, and it comes with two months free.",
            "Yes, Canadian data residency is available on Business and Enterprise.",
            "Team is for small groups; Business adds SSO, audit logs and admin controls.",
            "Yes, 30 days free for up to 50 seats.", "SCIM is supported with Okta and Azure AD.",
            "Happy to help with that. For {seats} seats the volume pricing kicks in.")
_SALES_PROMISE = ("Send me a DM with your team size and I'll put a quote together.",
                  "Happy to help! DM me and we can set up a call this week.")
_SALES_DM_IN = ("Hi! We're {seats} people, mostly engineers. Budget is approved for Q4.",
                "Thanks! {seats} seats, and we need SSO. When could we talk?")
_SALES_DM_OUT = ("Thanks {first}! Quote attached: {seats} seats on Business with SSO. Does Thursday 2pm work for a call?",
                 "Great, {first}. I've booked a call for tomorrow 11am, invite is in your inbox.")
_STAFF_ANSWERS = ("that's a known issue with the 4.2 desktop build; updating to 4.3 fixes it.",
                  "try Settings > Sync > Reset index, it rebuilds in a few minutes.",
                  "you need to be a workspace admin for that one; your admin can switch it on.",
                  "the mobile app only does that on Wi-Fi by default, you can change it in Settings.",
                  "yes, it works on Windows too, same menu.")
_ACME_BROADCAST = (
    "New on the blog: {blog} https://acme.example/blog/{n}",
    "Webinar this {day}: {webinar}. Save your seat: https://acme.example/events/{n}",
    "Tip of the week: {tip}",
    "{p} {ver} is rolling out today with {feature}. https://acme.example/releases/{ver}",
    "We're hiring a {role} in Toronto. Come build with us: https://acme.example/careers/{n}",
    "Customer story: how {company} {story} with {p}. https://acme.example/customers/{n}",
)
_BLOGS = ("5 ways to speed up file sharing", "How we cut sync latency in half", "A practical guide to SSO",
          "What data residency means for Canadian teams", "Remote work: keeping files in order",
          "Inside our incident reviews", "Designing for offline first", "Security checklist for small teams")
_WEBINARS = ("Getting started with shared folders", "Admin controls deep dive", "Migrating from WidgetCo",
             "Automating backups", "Q&A with our product team")
_TIPS = ("press Ctrl+K to search every folder at once.", "star a folder to keep it on your phone offline.",
         "drag a file onto a teammate's avatar to share it.", "use selective sync to save laptop space.",
         "version history keeps 180 days on Business plans.")
_FEATURES = ("faster uploads", "offline folders", "a new activity feed", "shared drives", "smarter conflict handling")
_ROLES = ("senior backend developer", "support specialist", "product designer", "account executive", "SRE")
_COMPANIES = ("Maple Bakery", "Lakeside Clinic", "Northbeam Studio", "Harbour Legal", "Cedar Robotics", "Pine & Co")
_STORIES = ("moved 20 TB to the cloud in a weekend", "cut onboarding time by half", "stopped emailing files around",
            "kept working through a power outage")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
_BSMITH_POSTS = (
    "Fresh from our team: {blog} https://acme.example/blog/{n} #employee",
    "Had a great time at the {city} product meetup tonight, thanks for the questions about {p}! #employee",
    "Working on something fun for {p} with the design team. More soon #employee",
    "Our {p} webinar had {people} people today, thank you all! #employee",
    "If you missed the release notes for {p}, here they are: https://acme.example/releases/{n} #employee",
    "New case study out today, it's a good one: https://acme.example/customers/{n} #employee",
    "Hiring! Our marketing team in {city} is looking for a writer: https://acme.example/careers/{n} #employee",
    "Shoutout to my colleagues at @acme_support: {people} customers helped this week alone #employee",
)
_MEETUP_CITIES = ("Toronto", "Ottawa", "Montreal", "Waterloo", "Vancouver", "Calgary")
_BROADCAST_QUESTIONS = ("will there be a recording?", "is this available on the Team plan too?",
                        "does this work on Linux?", "any plans for an Android widget?", "when does it reach Canada?")
_BROADCAST_ANSWERS = ("Hi {first}! Yes, we'll post the recording on the blog.", "Yes, every plan gets it, {first}.",
                      "Good question, {first}: Linux support is in beta now.", "It's on the roadmap, {first}!")
_STAFF_POSTS = (
    "Long day, great team. Coffee number four ☕", "Anyone going to the Ottawa tech meetup next week?",
    "Reading list for the weekend: three books on customer service. Recommendations welcome!",
    "Finally fixed my home office chair. Life is good.", "First snow of the season? Not yet, thankfully.",
    "Great chat with a customer today about how they organise their files. Learned a lot.",
)
_SUPPORT_NOTICES = (
    "Scheduled maintenance: {p} will be read-only tonight from 22:00 to 22:30 ET.",
    "Heads-up: some users see slow uploads in {p}. We're on it, updates at https://status.acme.example",
    "All clear: uploads in {p} are back to normal speed. Thanks for bearing with us!",
)

_PROMO = ("🚀 Acme Sync 3.0 is here: faster sync, offline folders and end-to-end encryption. "
          "Try it free for 30 days: https://acme.example/sync")


class _Rng(random.Random):
    """``random.Random`` with cheaper ``choice``/``randrange``/``randint`` (one ``random()`` call each).

    The standard versions draw bits until they land in range, which is exact
    but several times slower; a sample needs speed (a million events) more
    than unbiased choices among a few dozen templates.
    """

    def choice(self, seq):  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randrange(self, start, stop=None):  # type: ignore[override]
        if stop is None:
            return int(self.random() * start)
        return start + int(self.random() * (stop - start))

    def randint(self, a, b):  # type: ignore[override]
        return a + int(self.random() * (b - a + 1))


_TWO = tuple(f"{i:02d}" for i in range(60))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------

class _Gen:
    def __init__(self, *, seed: int, customers: int, accounts: int, scale: float, dm_share: float,
                 complaint_share: float, promise_share: float, start: date, end: date) -> None:
        self.seed = seed
        self.scale = scale
        self.dm_share = dm_share
        self.complaint_share = complaint_share
        self.promise_share = promise_share
        self.start_idx = start.toordinal() - _ORD0
        self.end_idx = end.toordinal() - _ORD0
        self.seq = 0
        self.dm_seq = 0
        self.buckets: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
        self.marks: dict[str, str] = {}  # story event name -> id
        self._hours: dict[int, tuple[int, str | None]] = {}
        self._open_days: dict[int, bool] = {}
        taken = {r[0] for r in ROSTER} | set(STORY_CUSTOMERS)
        extra = _extra_accounts(accounts)
        self.support_staff = ["lchen", "rpatel", "tnguyen"] + [a[0] for a in extra if a[3] == "support"]
        self.sales = ["jdoe", "mkhan"] + [a[0] for a in extra if a[3] == "sales"]
        taken |= {a[0] for a in extra}
        pool = _customer_pool(seed, max(1, customers - len(STORY_CUSTOMERS)), taken)
        self.customers = [h for h, _ in pool]
        self.first = {h: f for h, f in pool}
        self.first.update(STORY_CUSTOMERS)
        self.first.update({r[0]: r[1].split()[0] for r in ROSTER})
        self.first.update({a[0]: a[1].split()[0] for a in extra})
        self.broadcast_texts: defaultdict[tuple[str, str], int] = defaultdict(int)
        self.exhausted: set[str] = set()  # authors whose broadcast variants are all used twice
        self.rng: random.Random = _Rng(f"{seed}:story")
        _story(self)

    # ---- time --------------------------------------------------------------
    def clock(self, lt: int) -> tuple[int, str]:
        """Local wall time (seconds since 1970-01-01, local) to UTC epoch seconds and its ISO text."""
        hour, rem = divmod(lt, _HOUR)
        cached = self._hours.get(hour)
        if cached is None:
            naive = datetime(1970, 1, 1) + timedelta(hours=hour)
            off = int(naive.replace(tzinfo=_TZ).utcoffset().total_seconds())
            u_day, u_hour = divmod((hour * _HOUR - off) // _HOUR, 24)
            # "2026-10-05T14:" for the UTC hour, usable when the offset is whole hours
            prefix = f"{date.fromordinal(_ORD0 + u_day).isoformat()}T{u_hour:02d}:" if off % _HOUR == 0 else None
            cached = self._hours[hour] = (off, prefix)
        off, prefix = cached
        utc = lt - off
        if prefix is None:
            return utc, datetime.fromtimestamp(utc, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        m, s = divmod(rem, _MIN)
        return utc, f"{prefix}{_TWO[m]}:{_TWO[s]}Z"

    def is_open_day(self, idx: int) -> bool:
        ok = self._open_days.get(idx)
        if ok is None:
            d = date.fromordinal(_ORD0 + idx)
            ok = self._open_days[idx] = d.weekday() < 5 and d not in _CLOSED_DAYS
        return ok

    def is_open(self, lt: int) -> bool:
        idx, sod = divmod(lt, _DAY)
        return _OPEN <= sod < _CLOSE and self.is_open_day(idx)

    def add_business(self, lt: int, secs: int) -> int:
        """``secs`` of business time (Mon-Fri 09-17, holidays closed) after ``lt``."""
        idx, sod = divmod(lt, _DAY)
        while True:
            if self.is_open_day(idx):
                if sod < _OPEN:
                    sod = _OPEN
                if sod < _CLOSE:
                    avail = _CLOSE - sod
                    if secs <= avail:
                        return idx * _DAY + sod + secs
                    secs -= avail
            idx += 1
            sod = 0

    # ---- events ------------------------------------------------------------
    def post(self, author: str, lt: int, text: str, parent: dict[str, Any] | None = None,
             repost: dict[str, Any] | None = None) -> dict[str, Any]:
        """A post at local time ``lt``; a reply to ``parent`` starts with "@author" as on X."""
        # (hot path: ~60% of a large run; written for speed)
        hour, rem = divmod(lt, _HOUR)
        cached = self._hours.get(hour)
        if cached is None or cached[1] is None:
            utc, created_at = self.clock(lt)
        else:
            utc = lt - cached[0]
            m, s = divmod(rem, _MIN)
            created_at = f"{cached[1]}{_TWO[m]}:{_TWO[s]}Z"
        seq = self.seq
        self.seq = seq + 1
        pid = str(((utc * 1000 + int(self.rng.random() * 1000) - _X_EPOCH_MS) << 22) | (seq & 0x3FFFFF))
        if "@" not in text:  # the common case needs no regex
            mentions = []
            if parent is not None:
                mentions = [parent["author"]]
                text = f"@{parent['author']} {text}"
        else:
            if parent is not None and text[0] != "@":
                text = f"@{parent['author']} {text}"
            mentions = _MENTION_RE.findall(text)  # handles here are lower case already
            if len(mentions) > 1:
                mentions = list(dict.fromkeys(mentions))
        if parent is None:
            reply_to = reply_author = None
            conversation = pid
        else:
            reply_to, reply_author, conversation = parent["id"], parent["author"], parent["conversation_id"]
        ev = {
            "type": "post", "id": pid, "author": author, "created_at": created_at, "text": text,
            "in_reply_to": reply_to, "in_reply_to_author": reply_author, "conversation_id": conversation,
            "mentions": mentions, "repost_of": None if repost is None else repost["id"], "quote_of": None,
            "url": f"https://x.com/{author}/status/{pid}", "platform": "x",
        }
        self.buckets[lt // _DAY].append(ev)
        return ev

    reply = post  # g.reply(author, lt, text, parent): reads better at call sites

    def repost(self, author: str, lt: int, original: dict[str, Any]) -> dict[str, Any]:
        return self.post(author, lt, f"RT @{original['author']}: {original['text']}", repost=original)

    def dm(self, sender: str, recipient: str, lt: int, text: str) -> dict[str, Any]:
        self.dm_seq += 1
        ev = {
            "type": "dm", "id": f"d-{self.dm_seq}",
            "conversation_id": f"{sender}:{recipient}" if sender < recipient else f"{recipient}:{sender}",
            "sender": sender, "recipients": [recipient], "created_at": self.clock(lt)[1], "text": text,
            "platform": "x",
        }
        self.buckets[lt // _DAY].append(ev)
        return ev

    # ---- output ------------------------------------------------------------
    def days(self) -> Iterator[list[dict[str, Any]]]:
        """Each local day's events, sorted by created_at then id."""
        for idx in range(self.start_idx, self.end_idx):
            self.rng = _Rng(f"{self.seed}:{date.fromordinal(_ORD0 + idx).isoformat()}")
            _filler_day(self, idx)
            events = self.buckets.pop(idx, [])
            events.sort(key=_sort_key)
            yield events
        self.buckets.clear()


_sort_key = itemgetter("created_at", "id")


# --------------------------------------------------------------------------
# Filler: ordinary days
# --------------------------------------------------------------------------

def _minutes(rng: random.Random, lo: int, hi: int) -> int:
    """Seconds for a delay between ``lo`` and ``hi`` minutes, skewed short."""
    r = rng.random
    x = r()
    return (lo + int((hi - lo) * x * x)) * _MIN + int(r() * 60)


def _support_answer_time(g: _Gen, t: int, late_share: float = 0.06, never_share: float = 0.03) -> int | None:
    """When a support account answers an inbound item posted at ``t`` (None: never)."""
    rng = g.rng
    r = rng.random()
    if r < never_share:
        return None
    if r < never_share + late_share:
        return g.add_business(t, _minutes(rng, 250, 900))
    if not g.is_open(t) and rng.random() < 0.3:
        return t + _minutes(rng, 5, 90)  # the evening / weekend shift
    return g.add_business(t, _minutes(rng, 3, 200))


def _follow_up_time(g: _Gen, t: int) -> int:
    """A quick answer to a follow-up in a conversation already going."""
    if not g.is_open(t) and g.rng.random() < 0.5:
        return t + _minutes(g.rng, 2, 60)
    return g.add_business(t, _minutes(g.rng, 2, 90))


def _customer_time(g: _Gen, idx: int) -> int:
    """A local time on day ``idx`` when a customer posts (mostly daytime)."""
    rng = g.rng
    hour = rng.choice((7, 8, 9, 9, 10, 10, 11, 11, 12, 13, 13, 14, 14, 15, 15, 16, 16, 17, 18, 19, 20, 21, 22, 23, 0))
    return idx * _DAY + hour * _HOUR + rng.randrange(_HOUR)


def _keep_promise_dm(g: _Gen, brand: str, customer: str, promise_t: int) -> None:
    """After a "DM us": the customer writes by DM (or the account writes first) and gets an answer within a day."""
    rng, first = g.rng, g.first.get(customer, "there")
    t = promise_t + _minutes(rng, 2, 60)
    if rng.random() < 0.25:
        g.dm(brand, customer, promise_t + _minutes(rng, 1, 30), rng.choice(_DM_BRAND_FIRST).format(first=first))
        t += 30 * _MIN
    g.dm(customer, brand, t, rng.choice(_DM_CUSTOMER_INFO).format(handle=customer, n=rng.randrange(1000, 99999)))
    ans = _follow_up_time(g, t)
    if ans - promise_t > 20 * _HOUR:  # someone on call picks it up rather than breaking the promise
        ans = t + _minutes(rng, 10, 120)
    g.dm(brand, customer, ans, rng.choice(_DM_BRAND_FIX).format(first=first))
    if rng.random() < 0.4:
        t2 = ans + _minutes(rng, 1, 120)
        g.dm(customer, brand, t2, rng.choice(_DM_THANKS))
        if rng.random() < 0.95:
            g.dm(brand, customer, _follow_up_time(g, t2), rng.choice(_DM_BYE).format(first=first))


def _support_thread(g: _Gen, idx: int, customer: str) -> None:
    rng, h = g.rng, "@acme_support"
    first = g.first.get(customer, "there")
    t = _customer_time(g, idx)
    p = rng.choice(_PRODUCTS)
    complaint = rng.random() < g.complaint_share
    if complaint:
        problem = rng.choice(_PROBLEMS).format(p=p)
        text = rng.choice(_COMPLAINT_FORMS).format(h=h, problem=problem, p=p)
    else:
        task, area = rng.choice(_TASKS)
        text = rng.choice(_QUESTION_FORMS).format(h=h, task=task, p=p)
    last = g.post(customer, t, _cap(text))
    ans = _support_answer_time(g, t)
    # Several posts before the one answer: one waiting episode.
    if rng.random() < 0.08:
        tn = t
        for _ in range(rng.randint(1, 2)):
            tn += _minutes(rng, 20, 120)
            if ans is not None and tn >= ans:
                break
            last = g.post(customer, tn, rng.choice(_NUDGES).format(h=h), parent=last)
    if ans is None:
        return
    sign = rng.choice(_SIGN)
    if not complaint:
        body = (f"{rng.choice(_HELLO)} {rng.choice(_ANSWER)} {rng.choice(_BRAND_CLOSE)}"
                .format(first=first, area=area, n=rng.randrange(100, 999)).rstrip())
        reply = g.reply("acme_support", ans, body + sign, last)
        if rng.random() < 0.25:
            t2 = ans + _minutes(rng, 2, 120)
            q = g.reply(customer, t2, rng.choice(_FOLLOW_UP_Q), reply)
            ans = _follow_up_time(g, t2)
            reply = g.reply("acme_support", ans,
                            f"{rng.choice(_FOLLOW_UP_A)} {rng.choice(_BRAND_CLOSE)}".format(
                                n=rng.randrange(100, 999)).rstrip() + sign, q)
        _maybe_thanks(g, customer, reply, ans, first, sign)
        return
    # A complaint: offer another channel in the first reply, or in the second
    # after one round of troubleshooting.
    apology = rng.choice(_APOLOGY).format(first=first)
    if rng.random() < 0.75:
        offer_t, parent = ans, last
    else:
        reply = g.reply("acme_support", ans, f"{apology} {rng.choice(_TROUBLESHOOT)}{sign}", last)
        t2 = ans + _minutes(rng, 5, 90)
        parent = g.reply(customer, t2, rng.choice(_STILL_BROKEN), reply)
        offer_t, apology = _follow_up_time(g, t2), "Thanks for trying that."
    r = rng.random()
    if r < g.promise_share:
        g.reply("acme_support", offer_t, f"{apology} {rng.choice(_OFFER_DM)}{sign}", parent)
        _keep_promise_dm(g, "acme_support", customer, offer_t)
        return
    # the rest of the draw picks e-mail, phone or link evenly
    third = int((r - g.promise_share) / max(1e-9, 1 - g.promise_share) * 3) % 3
    offers = (_OFFER_EMAIL, _OFFER_PHONE, _OFFER_URL)[third]
    reply = g.reply("acme_support", offer_t,
                    f"{apology} {rng.choice(offers)}".format(n=rng.randrange(100, 999)) + sign, parent)
    _maybe_thanks(g, customer, reply, offer_t, first, sign, share=0.3)


def _maybe_thanks(g: _Gen, customer: str, reply: dict[str, Any], reply_t: int, first: str, sign: str,
                  share: float = 0.4, by: str = "acme_support") -> None:
    """The customer sometimes thanks publicly (an inbound reply); usually the account closes the thread."""
    rng = g.rng
    if rng.random() < share:
        t = reply_t + _minutes(rng, 2, 180)
        thanks = g.reply(customer, t, rng.choice(_THANKS), reply)
        if rng.random() < 0.95:
            g.reply(by, _follow_up_time(g, t), rng.choice(_CLOSING).format(first=first) + sign, thanks)


def _staff_thread(g: _Gen, idx: int, customer: str) -> None:
    rng = g.rng
    staff = rng.choice(g.support_staff)
    first = g.first.get(customer, "there")
    t = _customer_time(g, idx)
    text = rng.choice(("@{s} hi {n}! how do I {task}?", "@{s} thanks for the help last week! One more: can I {task}?",
                       "@{s} hey {n}, is it normal that I can't {task}?"))
    root = g.post(customer, t, text.format(s=staff, n=g.first[staff], task=rng.choice(_TASKS)[0]))
    ans = _support_answer_time(g, t, late_share=0.06, never_share=0.05)
    if ans is None:
        return
    if rng.random() < 0.15:  # "DM me", kept
        g.reply(staff, ans, f"Hi {first}, easier to look at your account directly. DM me your workspace ID?", root)
        _keep_promise_dm(g, staff, customer, ans)
        return
    reply = g.reply(staff, ans, f"Hi {first}, {rng.choice(_STAFF_ANSWERS)} {rng.choice(_STAFF_CLOSE)}".rstrip(), root)
    _maybe_thanks(g, customer, reply, ans, first, "", share=0.35, by=staff)


def _sales_thread(g: _Gen, idx: int, customer: str) -> None:
    rng = g.rng
    rep = rng.choice(g.sales)
    first = g.first.get(customer, "there")
    seats = rng.choice((12, 25, 40, 60, 80, 150, 250))
    t = _customer_time(g, idx)
    root = g.post(customer, t, rng.choice(_SALES_Q).format(h=f"@{rep}", seats=seats))
    r = rng.random()
    if r < 0.07:
        return  # never answered
    if r < 0.13:
        ans = t + rng.randrange(25 * _HOUR, 50 * _HOUR)  # answered, but after a day
    else:
        ans = t + _minutes(rng, 5, 360)
    answerer = rep if rng.random() < 0.9 else rng.choice(g.sales)
    if answerer == rep and rng.random() < g.promise_share * 0.5:
        g.reply(rep, ans, rng.choice(_SALES_PROMISE), root)
        t2 = ans + _minutes(rng, 3, 90)
        g.dm(customer, rep, t2, rng.choice(_SALES_DM_IN).format(seats=seats))
        g.dm(rep, customer, t2 + _minutes(rng, 10, 300), rng.choice(_SALES_DM_OUT).format(first=first, seats=seats))
        return
    reply = g.reply(answerer, ans, f"Hi {first}! {rng.choice(_SALES_A)}".format(seats=seats), root)
    _maybe_thanks(g, customer, reply, ans, first, "", share=0.3, by=answerer)


def _dm_thread(g: _Gen, idx: int, customer: str) -> None:
    rng = g.rng
    to = "acme_support" if rng.random() < 0.8 else rng.choice(g.support_staff + g.sales)
    first = g.first.get(customer, "there")
    t = _customer_time(g, idx)
    k = rng.randrange(len(_DM_QUESTIONS))
    g.dm(customer, to, t, _DM_QUESTIONS[k].format(p=rng.choice(_PRODUCTS)))
    ans = _support_answer_time(g, t, late_share=0.06, never_share=0.05)
    if rng.random() < 0.1:  # a second message before the answer: one waiting episode
        t2 = t + _minutes(rng, 10, 240)
        if ans is None or t2 < ans:
            g.dm(customer, to, t2, rng.choice(("Hello?", "Any news on this?", "Still need help with this, thanks.")))
    if ans is None:
        return
    g.dm(to, customer, ans, _DM_ANSWERS[k].format(first=first))
    if rng.random() < 0.4:
        t3 = ans + _minutes(rng, 1, 120)
        g.dm(customer, to, t3, rng.choice(_DM_THANKS))
        if rng.random() < 0.95:
            g.dm(to, customer, _follow_up_time(g, t3), rng.choice(_DM_BYE).format(first=first))


def _praise_thread(g: _Gen, idx: int, customer: str) -> None:
    rng = g.rng
    to = "acme_support" if rng.random() < 0.7 else "acme"
    t = _customer_time(g, idx)
    root = g.post(customer, t, rng.choice(_PRAISE).format(h=f"@{to}", p=rng.choice(_PRODUCTS)))
    if to == "acme_support":
        ans = _support_answer_time(g, t, late_share=0.05, never_share=0.08)
        if ans is not None:
            g.reply(to, ans, rng.choice(_PRAISE_REPLY).format(first=g.first.get(customer, "friend")), root)
    elif rng.random() < 0.15:
        text = rng.choice(_PRAISE_REPLY).format(first=g.first.get(customer, "friend"))
        g.reply(to, t + _minutes(rng, 10, 300), text, root)


def _fresh(g: _Gen, author: str, make: Any) -> str:
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


def _broadcasts(g: _Gen, idx: int, open_day: bool) -> None:
    """Posts that answer nobody: @acme's marketing, bsmith's, staff chatter, support notices."""
    rng = g.rng
    scale = g.scale
    base = idx * _DAY

    def acme_text() -> str:
        return rng.choice(_ACME_BROADCAST).format(
            blog=rng.choice(_BLOGS), n=rng.randrange(1000, 9999), day=rng.choice(_WEEKDAYS),
            webinar=rng.choice(_WEBINARS), tip=rng.choice(_TIPS), p=rng.choice(_PRODUCTS),
            ver=f"{rng.randint(3, 4)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}", feature=rng.choice(_FEATURES),
            role=rng.choice(_ROLES), company=rng.choice(_COMPANIES), story=rng.choice(_STORIES))

    def bsmith_text() -> str:
        return rng.choice(_BSMITH_POSTS).format(blog=rng.choice(_BLOGS), n=rng.randrange(1000, 9999),
                                                p=rng.choice(_PRODUCTS), city=rng.choice(_MEETUP_CITIES),
                                                people=rng.choice((120, 180, 250, 300, 420)))

    for _ in range(_count(rng, (0.8 if open_day else 0.1) * scale)):
        t = base + rng.randint(10 * _HOUR, 15 * _HOUR)
        post = g.post("acme", t, _fresh(g, "acme", acme_text))
        _reposts(g, post, t, rng.randint(0, 3))
        _broadcast_question(g, post, t, "acme", 0.05)
    for _ in range(_count(rng, (0.6 if open_day else 0.05) * scale)):
        t = base + rng.randint(8 * _HOUR, 20 * _HOUR)
        post = g.post("bsmith", t, _fresh(g, "bsmith", bsmith_text))
        _broadcast_question(g, post, t, "bsmith", 0.4)
    for who in g.support_staff + g.sales:
        for _ in range(_count(rng, 0.05 * scale)):
            g.post(who, base + rng.randint(7 * _HOUR, 22 * _HOUR), _fresh(g, who, lambda: rng.choice(_STAFF_POSTS)))
    for _ in range(_count(rng, 0.12 * scale)):
        g.post("acme_support", base + rng.randint(9 * _HOUR, 18 * _HOUR),
               _fresh(g, "acme_support", lambda: rng.choice(_SUPPORT_NOTICES).format(p=rng.choice(_PRODUCTS))))


def _broadcast_question(g: _Gen, post: dict[str, Any], t: int, author: str, answer_share: float) -> None:
    """Sometimes a customer replies to a broadcast with a question; sometimes the author answers."""
    rng = g.rng
    if rng.random() < 0.3:
        customer = rng.choice(g.customers)
        t2 = t + _minutes(rng, 5, 240)
        q = g.reply(customer, t2, rng.choice(_BROADCAST_QUESTIONS), post)
        if rng.random() < answer_share:
            g.reply(author, t2 + _minutes(rng, 10, 300),
                    rng.choice(_BROADCAST_ANSWERS).format(first=g.first.get(customer, "there")), q)


def _reposts(g: _Gen, post: dict[str, Any], t: int, n: int) -> None:
    """Customers (and sometimes a colleague) repost a broadcast: posts that mention @acme but are not inbound."""
    rng = g.rng
    for _ in range(n):
        g.repost(rng.choice(g.customers), t + _minutes(rng, 5, 600), post)
    if rng.random() < 0.3:
        g.repost(rng.choice(("bsmith", "acme_support")), t + _minutes(rng, 5, 120), post)


def _count(rng: random.Random, mean: float) -> int:
    n = int(mean)
    return n + (rng.random() < mean - n)


_KINDS = (_support_thread, _staff_thread, _sales_thread, _praise_thread)
_PUBLIC_WEIGHTS = (0.64, 0.10, 0.12, 0.14)


def _filler_day(g: _Gen, idx: int) -> None:
    rng = g.rng
    open_day = g.is_open_day(idx)
    n = _count(rng, (17.0 if open_day else 7.0) * g.scale)
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
        else:
            _support_thread(g, idx, customer)
    _broadcasts(g, idx, open_day)


# --------------------------------------------------------------------------
# The story: scripted scenes on fixed dates
# --------------------------------------------------------------------------

def _at(day: str, hm: str) -> int:
    """Local wall time for ``YYYY-MM-DD`` and ``HH:MM[:SS]``."""
    d = date.fromisoformat(day)
    parts = [int(x) for x in hm.split(":")] + [0]
    return (d.toordinal() - _ORD0) * _DAY + parts[0] * _HOUR + parts[1] * _MIN + parts[2]


def _story(g: _Gen) -> None:
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


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------

def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _make(*, seed: int = 7, customers: int = DEFAULT_CUSTOMERS, accounts: int = 0, scale: float = 1.0,
          dm_share: float = DEFAULT_DM_SHARE, complaint_share: float = DEFAULT_COMPLAINT_SHARE,
          promise_share: float = DEFAULT_PROMISE_SHARE, start: date | str = DEFAULT_START,
          end: date | str = DEFAULT_END) -> _Gen:
    for name, share in (("dm_share", dm_share), ("complaint_share", complaint_share), ("promise_share", promise_share)):
        if not 0.0 <= share <= 1.0:
            raise ValueError(f"{name} must be between 0 and 1, not {share}")
    if scale < 0:
        raise ValueError(f"scale must not be negative, not {scale}")
    start_d, end_d = _as_date(start), _as_date(end)
    if end_d <= start_d:
        raise ValueError(f"end ({end_d}) must be after start ({start_d})")
    return _Gen(seed=seed, customers=customers, accounts=accounts, scale=scale, dm_share=dm_share,
                complaint_share=complaint_share, promise_share=promise_share, start=start_d, end=end_d)


def _scale_for(events: int, **kwargs: Any) -> float:
    """The ``scale`` that gives about ``events`` events.

    Filler grows linearly with ``scale`` (in expectation), so the count is
    measured at a small scale and extrapolated from the story-only count; the
    measurement uses a scale close to the target's when that is cheap, since a
    small sample is noisy.
    """
    # The count does not depend on how many customers there are: measure with the default.
    kwargs = {**kwargs, "customers": DEFAULT_CUSTOMERS}

    def count(scale: float) -> int:
        return sum(len(day) for day in _make(**{**kwargs, "scale": scale}).days())

    story = count(0.0)
    scale = 1.0
    for _ in range(2):
        measured = count(scale)
        if measured <= story:
            return scale
        estimate = max(0.0, scale * (events - story) / (measured - story))
        if estimate <= 1.0:
            return estimate
        scale = min(estimate, 10.0)  # measure again closer to the target (at most ~20,000 events)
    return estimate


def _days(events: int | None = None, **kwargs: Any) -> Iterator[list[dict[str, Any]]]:
    if events is not None:
        kwargs["scale"] = _scale_for(events, **kwargs)
    return _make(**kwargs).days()


def generate(*, seed: int = 7, customers: int = DEFAULT_CUSTOMERS, scale: float = 1.0,
             start: date | str = DEFAULT_START, end: date | str = DEFAULT_END, accounts: int = 0,
             events: int | None = None, dm_share: float = DEFAULT_DM_SHARE,
             complaint_share: float = DEFAULT_COMPLAINT_SHARE,
             promise_share: float = DEFAULT_PROMISE_SHARE) -> Iterator[dict[str, Any]]:
    """The sample's events as canonical JSONL dicts, in time order.

    ``start`` is the first local day generated and ``end`` the first one not
    generated (America/Toronto). ``scale`` multiplies the filler activity;
    ``events`` (when given) picks the scale that yields about that many events.
    The scripted story is always included (where it falls inside the dates).
    """
    for day in _days(events=events, seed=seed, customers=customers, accounts=accounts, scale=scale,
                     dm_share=dm_share, complaint_share=complaint_share, promise_share=promise_share,
                     start=start, end=end):
        yield from day


def story_ids(seed: int = 7) -> dict[str, str]:
    """Names of the scripted story events and their ids (the same at every scale)."""
    return dict(_make(seed=seed, scale=0.0).marks)


if _orjson is not None:
    _dumps = _orjson.dumps
else:  # pragma: no cover - the same bytes as orjson for these events
    _encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def _dumps(ev: dict[str, Any]) -> bytes:
        return _encode(ev).encode("utf-8")


def write_jsonl(path: str | Path, **kwargs: Any) -> int:
    """Write the sample (arguments as for :func:`generate`) to ``path`` (``-``: stdout); returns the event count."""
    count = 0
    out = sys.stdout.buffer if str(path) == "-" else open(path, "wb")  # noqa: SIM115
    # The events hold no reference cycles; the cyclic garbage collector would
    # only rescan them (10-20% of the run time on large files).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for day in _days(**kwargs):
            for i in range(0, len(day), 4096):  # in slices: a big day's JSON never sits in memory at once
                chunk = day[i : i + 4096]
                out.write(b"\n".join(map(_dumps, chunk)) + b"\n")
            count += len(day)
    finally:
        if gc_was_enabled:
            gc.enable()
        if out is not sys.stdout.buffer:
            out.close()
        else:
            out.flush()
    return count


def _share(value: str) -> float:
    share = float(value.rstrip("%")) / (100 if value.endswith("%") else 1)
    if not 0.0 <= share <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1 (or 0% and 100%): {value}")
    return share


def _positive(value: str) -> int:
    n = int(value)
    if n < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {value}")
    return n


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m auditor.sample.generate",
        description="Write the sample company's X activity as canonical JSONL (deterministic for a given seed).")
    parser.add_argument("--out", default="-", help="output file (default: standard output)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default: 7, the bundled demo)")
    parser.add_argument("--customers", type=_positive, default=None,
                        help=f"number of customer accounts (default: {DEFAULT_CUSTOMERS}, more with --events)")
    parser.add_argument("--accounts", type=_positive, default=0,
                        help="extra generated employees beyond the named ones (see --roster-out)")
    parser.add_argument("--events", type=_positive, default=None,
                        help="target number of events; the story is kept and filler is scaled to reach it")
    parser.add_argument("--dm-share", type=_share, default=DEFAULT_DM_SHARE,
                        help=f"share of filler conversations held by DM (default: {DEFAULT_DM_SHARE})")
    parser.add_argument("--complaint-share", type=_share, default=DEFAULT_COMPLAINT_SHARE,
                        help=f"share of public support threads that start with a complaint (default: {DEFAULT_COMPLAINT_SHARE})")
    parser.add_argument("--promise-share", type=_share, default=DEFAULT_PROMISE_SHARE,
                        help=f"share of complaint answers that say 'DM us' (default: {DEFAULT_PROMISE_SHARE})")
    parser.add_argument("--roster-out", default=None,
                        help="also write the roster (named plus --accounts employees) as YAML to this file")
    args = parser.parse_args(argv)
    kwargs: dict[str, Any] = dict(seed=args.seed, accounts=args.accounts, dm_share=args.dm_share,
                                  complaint_share=args.complaint_share, promise_share=args.promise_share)
    customers = args.customers
    if args.events is not None:
        kwargs["events"] = args.events
        if customers is None:
            # keep the customers-per-conversation ratio of the demo when scaling up
            customers = max(DEFAULT_CUSTOMERS, round(DEFAULT_CUSTOMERS * args.events / 2000))
    kwargs["customers"] = DEFAULT_CUSTOMERS if customers is None else customers
    try:
        count = write_jsonl(args.out, **kwargs)
    except BrokenPipeError:  # `... | head`: the reader has seen enough
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep Python from complaining at exit
        return 0
    if args.roster_out:
        Path(args.roster_out).write_text(roster_yaml(args.accounts), encoding="utf-8")
    if args.out != "-":
        print(f"wrote {count} events to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
