"""Text templates and word lists for the sample's filler conversations.

Only the ordinary, day-to-day activity draws from here (``filler.py``); the
scripted story writes its own texts inline (``story.py``), since each scene is
written for the one thing it shows and ``README.md`` quotes them.

The templates are written against ``policies/example.yaml``, so filler stays
clean where the story is meant to stand out:

* brand and employee texts say "DM us" / "DM me" only in templates whose
  conversation then goes on to keep the promise by DM (follow_through);
* employees' texts do not name "Acme" unless disclosed with ``#employee``
  (disclosure), and none of them swears (tone);
* customers' complaints use plainly negative words ("awful", "terrible") so
  the sentiment score marks them as complaints (``complaint_below``), which is
  what the escalation and response-time rules key on.

Placeholders are filled with ``str.format``: ``{h}`` a mentioned handle,
``{p}`` a product, ``{first}`` a first name, ``{n}`` a number in a link or an
order number, and a few template-specific ones (``{task}``, ``{seats}``...).
The order of the entries matters: the generator picks them by index from a
seeded stream, so reordering, adding or removing one changes the output
(and ``demo.jsonl`` then has to be regenerated).
"""

from __future__ import annotations

PRODUCTS = ("Acme Cloud", "Acme Sync")
TASKS = (  # (what a customer wants to do, where it is)
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
QUESTION_FORMS = (
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
PROBLEMS = (
    "{p} has been down for two hours", "sync has been stuck at 99% all morning",
    "the desktop app crashes every time I open it", "I got charged twice this month",
    "my shared folder just disappeared", "login keeps failing with error 503", "uploads keep timing out",
    "I was billed after cancelling my plan", "the latest update wiped my settings",
    "files I saved yesterday are lost", "the mobile app logs me out every five minutes",
    "{p} is eating 100% CPU on my laptop", "my invoice shows the wrong amount",
    "half my photos failed to upload", "the share link I sent a client is broken",
    "{p} keeps duplicating my files", "the password reset is broken for me",
)
COMPLAINT_FORMS = (
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
NUDGES = (
    "{h} hello? anyone there?", "{h} still waiting on this...", "{h} any update on this?", "{h} ping 🙃",
    "{h} bumping this",
)
PRAISE = (
    "Shoutout to {h}, sorted out my sync issue in ten minutes 🙌",
    "{h} love the new dark mode in {p}!", "Big thanks to {h} for the quick refund, great service.",
    "{h} the new {p} release is so good 🔥", "Switched the whole studio to {p} this week, so far so good {h}",
    "{h} you folks are great, thanks for the help yesterday!",
)
THANKS = (
    "thanks, that worked! 🙌", "perfect, found it. Thank you!", "great, thanks for the quick answer",
    "that did it, appreciate it", "got it, thanks!", "brilliant, thank you 🙏", "works now, cheers!",
)
FOLLOW_UP_Q = (
    "thanks! I don't see that option though. Is it on my plan?", "ok, and does that also work on Windows?",
    "thanks! Is there a limit on how many I can add?", "and can I undo it later if I change my mind?",
    "does that need admin rights?",
)
FOLLOW_UP_A = ("It's on every plan, including Free.", "Yes, same menu on Windows and Mac.",
                "There's no limit on Business; Team has 50.", "Yes, you can undo it any time.",
                "You need to be a workspace admin for that one.")
STILL_BROKEN = (
    "still not working, same error. Really annoying and frustrating.", "tried that already, no luck. This is a mess.",
    "still broken after the update. Awful, I'm wasting hours on this.", "restarted twice, same problem. Frustrating.",
)
HELLO = ("Hi {first}!", "Hey {first}!", "Thanks for asking, {first}!", "Good question!", "Hi there!",
          "Hello {first} 👋", "Hi {first}.")
ANSWER = (
    "You can do that under {area}.", "Head to {area} and it's the first option.",
    "That's in {area}; admins can change it in a couple of clicks.", "Yes! Every plan has it, under {area}.",
    "Open the web app, go to {area} and pick the option there.",
    "On desktop it's under {area}, and the mobile app gets it next month.",
)
BRAND_CLOSE = ("Guide: https://help.acme.example/a/{n}", "Hope that helps!", "More here: https://help.acme.example/a/{n}",
                "Happy syncing!", "Let us know how it goes.", "")
STAFF_CLOSE = ("Hope that helps!", "Shout if it doesn't work.", "Should take a minute.", "")
SIGN = (" ^LC", " ^RP", " ^TN", " ^DR", "", "", "")
APOLOGY = ("So sorry about this, {first}.", "We're sorry for the trouble, {first}.", "Sorry to hear that, {first}.",
            "Apologies, {first}, that shouldn't happen.", "That's not the experience we want for you, {first}.")
OFFER_DM = ("Please DM us your account email and we'll look into it right away.",
             "Can you send us a DM with your workspace ID? We'll check the logs.",
             "DM us the order number and we'll sort it out today.")
OFFER_EMAIL = ("Could you email support@acme.example with your order number so our billing team can check?",
                "Please write to support@acme.example with a screenshot and your workspace ID.")
OFFER_PHONE = ("Please call us at 1-800-555-0199 (Mon-Fri 9-5 ET) and ask for priority support.",
                "Our phone team can fix this fastest: 1-800-555-0199, option 2.")
OFFER_URL = ("We're aware of the issue and working on a fix. Live updates: https://status.acme.example",
              "There's a workaround here while we fix it: https://help.acme.example/a/{n}")
TROUBLESHOOT = ("Could you try signing out and back in?",
                 "Which version of the app are you on? You'll see it under Help > About.",
                 "Does the same thing happen in the web app, or only on desktop?")
CLOSING = ("Glad it's working again, {first}! 🙌", "Great to hear! Thanks for your patience.", "Anytime! Have a good one.",
            "Happy to help, {first}!", "You're welcome! 💙")
PRAISE_REPLY = ("Thank you, {first}! 💙", "That made our day, thanks {first}!", "Thanks for the kind words, {first} 🙌",
                 "So glad it helped, {first}!")
DM_CUSTOMER_INFO = ("Hi, account email is {handle}@mail.example. Thanks for looking into it.",
                     "Here's my workspace ID: ws-{n}. Thanks!", "Order number is #{n}, charged on the 3rd.",
                     "Hi! It's {handle}@mail.example, workspace ws-{n}.")
DM_BRAND_FIX = ("Thanks {first}! We found the problem and fixed it on our side; you should be good now.",
                 "Got it. The duplicate charge is refunded, you'll see it in 3-5 business days.",
                 "Thanks! Your workspace is unlocked; try logging in again.",
                 "All set, {first}: the folder is restored from last night's snapshot.")
DM_BRAND_FIRST = ("Hi {first}, following up on your post: can you share the email on your account so we can check?",
                   "Hi {first}! Thanks for your patience. Which workspace is affected?")
DM_QUESTIONS = ("Hi, can you help me change the card on file? The site errors out.",
                 "Hello, I'd like copies of my 2026 invoices for our accountant.",
                 "Hi there, how do I close the account of an employee who left?",
                 "Quick one: can I switch from monthly to annual billing mid-cycle?",
                 "Hi! Is there a student discount for {p}?", "Hey, my referral credit never showed up. Can you check?")
DM_ANSWERS = ("Hi {first}! Sure, that's done from Billing > Payment method; if it errors again send us a screenshot here.",
               "Hi {first}, of course: the invoices are all under Billing > Invoices, and there's a download-all button.",
               "Hi {first}! An admin can remove them under Workspace > Members; their files stay with the workspace.",
               "Yes, you can switch any time and we prorate the rest of the month.",
               "Hi {first}! Students get 50% off with a school email address.",
               "Thanks {first}, we found it and the credit is on your account now.")
DM_THANKS = ("Thanks!", "Perfect, thank you 🙏", "Great, appreciate it.", "Thanks a lot!")
DM_BYE = ("Anytime, {first}!", "You're welcome! Have a great day.", "Happy to help 💙")
SALES_Q = ("{h} does the Business plan include SSO?", "{h} can we get a quote for {seats} seats?",
            "{h} is there a nonprofit discount?", "{h} do you offer annual billing in CAD?",
            "{h} can we host our data in Canada?", "{h} what's the difference between Team and Business?",
            "{h} is there a free trial for the Enterprise plan?", "{h} do you support SCIM provisioning?",
            "Hi {h}, who should I talk to about a pilot for {seats} people?")
SALES_A = ("Yes, SSO is included from Business up.", "We do! Nonprofits get 30% off on every plan.",
            "Annual billing in CAD is available, and it comes with two months free.",
            "Yes, Canadian data residency is available on Business and Enterprise.",
            "Team is for small groups; Business adds SSO, audit logs and admin controls.",
            "Yes, 30 days free for up to 50 seats.", "SCIM is supported with Okta and Azure AD.",
            "Happy to help with that. For {seats} seats the volume pricing kicks in.")
SALES_PROMISE = ("Send me a DM with your team size and I'll put a quote together.",
                  "Happy to help! DM me and we can set up a call this week.")
SALES_DM_IN = ("Hi! We're {seats} people, mostly engineers. Budget is approved for Q4.",
                "Thanks! {seats} seats, and we need SSO. When could we talk?")
SALES_DM_OUT = ("Thanks {first}! Quote attached: {seats} seats on Business with SSO. Does Thursday 2pm work for a call?",
                 "Great, {first}. I've booked a call for tomorrow 11am, invite is in your inbox.")
STAFF_ANSWERS = ("that's a known issue with the 4.2 desktop build; updating to 4.3 fixes it.",
                  "try Settings > Sync > Reset index, it rebuilds in a few minutes.",
                  "you need to be a workspace admin for that one; your admin can switch it on.",
                  "the mobile app only does that on Wi-Fi by default, you can change it in Settings.",
                  "yes, it works on Windows too, same menu.")
ACME_BROADCAST = (
    "New on the blog: {blog} https://acme.example/blog/{n}",
    "Webinar this {day}: {webinar}. Save your seat: https://acme.example/events/{n}",
    "Tip of the week: {tip}",
    "{p} {ver} is rolling out today with {feature}. https://acme.example/releases/{ver}",
    "We're hiring a {role} in Toronto. Come build with us: https://acme.example/careers/{n}",
    "Customer story: how {company} {story} with {p}. https://acme.example/customers/{n}",
)
BLOGS = ("5 ways to speed up file sharing", "How we cut sync latency in half", "A practical guide to SSO",
          "What data residency means for Canadian teams", "Remote work: keeping files in order",
          "Inside our incident reviews", "Designing for offline first", "Security checklist for small teams")
WEBINARS = ("Getting started with shared folders", "Admin controls deep dive", "Migrating from WidgetCo",
             "Automating backups", "Q&A with our product team")
TIPS = ("press Ctrl+K to search every folder at once.", "star a folder to keep it on your phone offline.",
         "drag a file onto a teammate's avatar to share it.", "use selective sync to save laptop space.",
         "version history keeps 180 days on Business plans.")
FEATURES = ("faster uploads", "offline folders", "a new activity feed", "shared drives", "smarter conflict handling")
ROLES = ("senior backend developer", "support specialist", "product designer", "account executive", "SRE")
COMPANIES = ("Maple Bakery", "Lakeside Clinic", "Northbeam Studio", "Harbour Legal", "Cedar Robotics", "Pine & Co")
STORIES = ("moved 20 TB to the cloud in a weekend", "cut onboarding time by half", "stopped emailing files around",
            "kept working through a power outage")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
BSMITH_POSTS = (
    "Fresh from our team: {blog} https://acme.example/blog/{n} #employee",
    "Had a great time at the {city} product meetup tonight, thanks for the questions about {p}! #employee",
    "Working on something fun for {p} with the design team. More soon #employee",
    "Our {p} webinar had {people} people today, thank you all! #employee",
    "If you missed the release notes for {p}, here they are: https://acme.example/releases/{n} #employee",
    "New case study out today, it's a good one: https://acme.example/customers/{n} #employee",
    "Hiring! Our marketing team in {city} is looking for a writer: https://acme.example/careers/{n} #employee",
    "Shoutout to my colleagues at @acme_support: {people} customers helped this week alone #employee",
)
MEETUP_CITIES = ("Toronto", "Ottawa", "Montreal", "Waterloo", "Vancouver", "Calgary")
BROADCAST_QUESTIONS = ("will there be a recording?", "is this available on the Team plan too?",
                        "does this work on Linux?", "any plans for an Android widget?", "when does it reach Canada?")
BROADCAST_ANSWERS = ("Hi {first}! Yes, we'll post the recording on the blog.", "Yes, every plan gets it, {first}.",
                      "Good question, {first}: Linux support is in beta now.", "It's on the roadmap, {first}!")
STAFF_POSTS = (
    "Long day, great team. Coffee number four ☕", "Anyone going to the Ottawa tech meetup next week?",
    "Reading list for the weekend: three books on customer service. Recommendations welcome!",
    "Finally fixed my home office chair. Life is good.", "First snow of the season? Not yet, thankfully.",
    "Great chat with a customer today about how they organise their files. Learned a lot.",
)
SUPPORT_NOTICES = (
    "Scheduled maintenance: {p} will be read-only tonight from 22:00 to 22:30 ET.",
    "Heads-up: some users see slow uploads in {p}. We're on it, updates at https://status.acme.example",
    "All clear: uploads in {p} are back to normal speed. Thanks for bearing with us!",
)
