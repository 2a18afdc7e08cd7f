"""The promise detector: what is an invitation, what is a commitment, what is neither, and on real replies."""

import csv

import pytest

from auditor.text.promises import COMMITMENT, INVITATION, Promise, find_dm_invitation, find_promise
from auditor.text.spans import Match
from tests.shared_data import shared


def found(text, **options):
    promise = find_promise(text, **options)
    assert promise is None or text[promise.start : promise.end] == promise.text
    return None if promise is None else (promise.kind, promise.text, promise.elsewhere)


@pytest.mark.parametrize(("text", "quoted"), [
    # docs/contract.md's invitations
    ("DM me and we can talk off air", "DM me"),
    ("@bob sorry about that, DM us your order number", "DM us"),
    ("Send us a DM with your order number", "Send us a DM"),
    ("Our DMs are open", "Our DMs are open"),
    # shared/data/x-archive (andreruffert): the apostrophe X users write, and no "my" at all
    ("@MrShlee Can you provide more infos? My DM's are open.", "My DM's are open"),
    ("2x 🎟 to give away for FREE. DM's are open. #jsunconf", "DM's are open"),
    ("Let's take this offline", "take this offline"),
    ("Let\u2019s take this offline", "take this offline"),
    ("happy to talk off air", "talk off air"),
    ("feel free to contact us", "contact us"),
    # more real forms
    ("dm us", "dm us"),
    ("send me a direct message", "send me a direct message"),
    ("Please send us a private message", "send us a private message"),
    ("Drop us a DM and we'll sort it", "Drop us a DM"),
    ("drop us a line", "drop us a line"),
    ("Shoot us a DM \U0001f64f", "Shoot us a DM"),
    ("Let's take this to DM", "take this to DM"),
    ("pls dm", "pls dm"),
    ("Pls, DM your confirmation number", "Pls, DM"),
    ("\U0001f4e9 DM us!", "DM us"),
    ("Sorry it's not working, DM us", "DM us"),
    ("Don't hesitate to DM us", "DM us"),
    ("Please share it via DM", "via DM"),
    ("please send a DM with your account information", "send a DM"),
    ("Tell us more about the issue in DM.", "in DM"),
    ("If that doesn't help please DM your full name", "please DM"),
    ("DM which device you are using", "DM which"),
    ("Give us a shout if you need anything else", "Give us a shout"),
    ("If you need assistance, reach out to us.", "reach out to us"),
    # a commitment that waits for the counterpart is an invitation
    ("Can we DM you?", "DM you"),
    ("Let us know and we'll get back to you", "we'll get back to you"),
    ("Could you please follow us so we can DM you again", "we can DM you"),
])
def test_invitations(text, quoted):
    assert found(text) == (INVITATION, quoted, None)


@pytest.mark.parametrize(("text", "quoted"), [
    # docs/contract.md's commitments
    ("I'll DM you", "I'll DM you"),
    ("We\u2019ll get back to you shortly", "We\u2019ll get back to you"),
    ("I'll reach out tomorrow", "I'll reach out"),
    ("We'll be in touch", "We'll be in touch"),
    # more real forms
    ("I'll get back to you", "I'll get back to you"),
    ("We will get back to you tomorrow", "We will get back to you"),
    ("we will follow up with you", "we will follow up"),
    ("We're looking into this and will follow up with next steps", "will follow up"),
    ("I'll message you", "I'll message you"),
    ("Our team will reach out today", "Our team will reach out"),
    ("We'll look into it and get back to you", "We'll look into it and get back to you"),
    ("Let me check and get back to you", "Let me check and get back to you"),
    ("a member of our team will be in touch shortly through DM", "a member of our team will be in touch"),
    ("I've got your DM and will reply shortly", "will reply shortly"),
    ("No need to DM us, we'll get back to you", "we'll get back to you"),
])
def test_commitments(text, quoted):
    assert found(text) == (COMMITMENT, quoted, None)


@pytest.mark.parametrize(("text", "quoted"), [
    ("I've sent you a DM", "sent you a DM"),
    ("I've DM'd you", "DM'd you"),
    ("I\u2019ve DM\u2019d you", "DM\u2019d you"),
    ("Just sent you a DM", "sent you a DM"),
    ("Check your DMs!", "Check your DMs"),
    ("check your inbox", "check your inbox"),
    ("We have replied to you via DM.", "replied to you via DM"),
    ("I've just responded to your DM, please check your inbox", "responded to your DM"),
    ("We've just sent a DM your way", "sent a DM your way"),
])
def test_claims_of_contact_are_commitments(text, quoted):
    promise = find_promise(text)
    assert (promise.kind, promise.text, promise.claim) == (COMMITMENT, quoted, True)


@pytest.mark.parametrize(("text", "kind", "elsewhere"), [
    ("Please reach out to us here: https://acme.example/help", INVITATION, "a link"),
    ("Send us a note via https://t.co/x so our team can connect", INVITATION, "a link"),
    ("Please email us at help@acme.example", INVITATION, "e-mail"),
    ("Please contact us by phone or chat", INVITATION, "phone"),
    ("I called and left a message. Please return my call or DM me", INVITATION, "phone"),
    ("DM us or call 1-800-555-0199", INVITATION, "phone"),
    ("Please contact our Web Technical Support folks at 800-222-2377", INVITATION, "another desk"),
    ("We'll call you shortly", COMMITMENT, "phone"),
    ("The team should send you an email shortly", COMMITMENT, "e-mail"),
    ("please check your email", COMMITMENT, "e-mail"),
    ("We're reviewing your email and will be in touch shortly", COMMITMENT, "e-mail"),
    ("a member of our team will be in touch shortly via in-app", COMMITMENT, "the app"),
])
def test_the_channel_a_promise_asks_for_that_no_data_shows(text, kind, elsewhere):
    promise = find_promise(text)
    assert (promise.kind, promise.elsewhere) == (kind, elsewhere)


@pytest.mark.parametrize("text", [
    "DM us your order number and we'll call you back",  # an invitation to DM: the call is ours
    "We'll DM you, or call us at 1-800-555-0199",  # a commitment to DM is kept by a DM
    "Send us a DM https://t.co/GDrqU22YpT",  # X's own DM link
])
def test_a_dm_named_by_the_promise_is_the_channel(text):
    assert find_promise(text).elsewhere is None


@pytest.mark.parametrize("text", [
    "Please don't DM me",
    "please don\u2019t DM me",
    "do not DM us",
    "We can't discuss this by DM",
    "we cannot take this offline",
    "No need to DM us",
    "never DM us",
    "please don't send a DM",
    "We won't get back to you",
    "Sorry, we haven't replied to your DM yet",
    "thanks for the follow",
    "Thanks for contacting us",
    "Thank you for reaching out to us",
    "DMing is fun",
    "Will you get back to me?",
    "you'll reach out to them",
    "They will be in touch.",
    "The courier will contact you tomorrow",
    "We'll get in touch with the team straightaway.",
    "we'll reach out to the warehouse",
    "Please reach out to the Flight Attendants for assistance.",
    "They call us Southbest for a reason.",
    "Call me crazy",
    "Next time you visit NYC, please give us a shout out :)",
    "Meeting with a PM at 3 PM us time",
    "see you at 10:30 pm you know where",
    "Great news about the launch today",
    "",
])
def test_no_promise(text):
    assert find_promise(text) is None


@pytest.mark.parametrize("text", [
    # someone's words reported, in quotes of any kind
    '@jo sorry, you were told "we\'ll get back to you" and we didn\'t. Your refund has now been issued.',
    "@jo sorry, you were told \u201cwe\u2019ll get back to you\u201d and we didn\u2019t.",
    '@lou the email said "we will be in touch" but that was an automated message, sorry.',
    "@kim You wrote \"DM me\" but we can't find your DM. Could you resend?",
    "@kim Sie schrieben \u201eDM us\u201c, sorry", "@kim \u00abDM me\u00bb was a typo",
    # a commitment whose subject is someone else
    "@kim sorry, your agent said he would DM you and he did not. Your order has now shipped.",
    "she'll send you a DM", "they would DM you",
    # a commitment on a condition
    "@jo we'll get back to you if anything changes, but all is fixed now", "@jo If we find anything, we'll DM you.",
    "@jo I'll DM you in case we need more details", "We'll reach out to you unless it arrives today",
    # a warning about what others may do, and what we would never do
    "Scammers may DM you pretending to be us", "Be careful, people pretending to be us might DM you",
    "No, we wouldn't DM you asking for your password.", "We would never DM you asking for your PIN",
    # what we would have done, and what we tried
    "We'd DM you, but your DMs are closed. Here it is: https://acme.example/x",
    "I'd love to DM you but your DMs are closed", "We've been trying to DM you but your DMs are closed",
    "we tried to DM you yesterday", "We would have DMed you, but your DMs are closed",
    "We wanted to DM you but your settings block it", "We'd have sent you a DM but your DMs are closed",
    # asking whether they wrote
    "Did you DM us?", "@bo have you sent us a DM yet?",
    # a commitment that waits for something else to happen first: when is not ours to say
    "we'll DM you once it ships!", "We'll get back to you as soon as we hear from the warehouse",
    "we'll reach out when it's back in stock", "I'll DM you after they confirm the date",
])
def test_reported_someone_elses_or_conditional_words_are_no_promise(text):
    assert find_promise(text) is None


@pytest.mark.parametrize("text", [
    "Thanks, will DM you", "@bob will DM you shortly", "We will DM you now", "I'll DM you the details",
    "Sorry if this caused trouble. We'll DM you now.", "we'll get back to you when we have an update",
    "we'll follow up by DM if that's ok", "we'll DM you if that works for you", "We are going to DM you",
    "I'd DM you but our DMs are down, I'll email you instead",
    "we'll DM you as soon as possible", "We'll get back to you as soon as we can", "We'd be happy to DM you the details",
])
def test_our_own_firm_commitments_are_still_promises(text):
    assert find_promise(text).kind == COMMITMENT


@pytest.mark.parametrize("text", ["Want us to DM you the link?", "Would you like us to DM you?",
                                  "@bo do you want me to send you a DM?"])
def test_an_offer_asked_as_a_question_waits_for_their_answer(text):
    assert find_promise(text).kind == INVITATION


def test_the_first_promise_decides_the_kind():
    assert found("DM us your order number and we'll get back to you") == (INVITATION, "DM us", None)
    assert found("We'll DM you shortly, or feel free to DM us") == (COMMITMENT, "We'll DM you", None)


def test_extra_phrases_are_added_to_their_kind():
    assert find_promise("ping me later", invitations_extra=["ping me"]) == Promise(0, 7, "ping me", INVITATION)
    assert find_promise("I'll ping you", extra=["ping you"]).kind == COMMITMENT
    assert find_promise("DM me", extra=["ping you"]).kind == INVITATION


def test_extra_phrase_is_whole_words_any_case():
    assert find_promise("PING ME!", invitations_extra=["ping me"]).text == "PING ME"
    assert find_promise("shipping menu", invitations_extra=["ping me"]) is None


def test_replace_drops_the_built_in_set_of_its_kind_only():
    assert find_promise("DM me", invitations_replace=["ping me"]) is None
    assert find_promise("ping me", invitations_replace=["ping me"]).text == "ping me"
    assert find_promise("DM me", replace=["ping you"]).kind == INVITATION
    assert find_promise("I'll get back to you", replace=["ping you"]) is None


def test_extra_regex():
    assert find_promise("p1ng me", invitations_extra=[r"/p[i1]ng\s+me/"]).text == "p1ng me"


def test_extra_phrase_refusal_is_not_a_promise():
    assert find_promise("please don't ping me", invitations_extra=["ping me"]) is None


def test_invalid_regex_raises_value_error():
    with pytest.raises(ValueError, match=r"invalid regular expression '/\(\?<=a\)b/'"):
        find_promise("x", extra=["/(?<=a)b/"])


def test_dm_invitation_is_any_offer_of_a_private_message():
    # The escalation rule's "offered a DM": invitations and commitments that name one.
    assert find_dm_invitation("We'll get back to you") is None
    assert find_dm_invitation("Please DM us") == Match(0, 9, "Please DM")
    assert find_dm_invitation("Check your DMs") == Match(0, 14, "Check your DMs")
    assert find_dm_invitation("I'll DM you the details").text == "DM you"
    assert find_dm_invitation("let's take this offline").text == "take this offline"
    assert find_dm_invitation("please check your email") is None
    assert find_dm_invitation("Please don't DM us") is None


# -- real brand replies (../shared/data/twcs), by tweet id --------------------------------------


def _replies(name):
    with shared("twcs", name).open(encoding="utf-8", newline="") as handle:
        return {row["tweet_id"]: row["text"] for row in csv.DictReader(handle) if row["inbound"] == "False"}


@pytest.mark.parametrize(("tweet_id", "kind", "quoted", "elsewhere"), [
    ("4", INVITATION, "send us a Private Message", None),  # sprintcare
    ("631", INVITATION, "Please reach out", "a link"),  # AmazonHelp: "...reach out to us for available options: <link>"
    ("663", INVITATION, "contact us", "phone"),  # AmazonHelp: "...via phone/chat here: <link>"
    ("284", COMMITMENT, "we'll get back to you", None),  # AdobeCare: "...with updates as we investigate"
    ("772", INVITATION, "Send us a note", "a link"),  # Uber_Support: "...here, <link> and our team will be in touch"
    ("303", COMMITMENT, "responded to your DM", None),  # AirbnbHelp: "We have responded to your DM"
    ("1813", COMMITMENT, "replied to your DM", None),  # Tesco: "I've replied to your DM about this"
    ("1575", COMMITMENT, "We'll call you", "phone"),  # BofA_Help
    ("2713", COMMITMENT, "A member of our team will be in touch", None),  # Uber_Support: "...shortly through DM"
    ("1586", INVITATION, "DM me", "phone"),  # BofA_Help: "Please return my call ... or DM me"
])
def test_real_replies(tweet_id, kind, quoted, elsewhere):
    text = _replies("twcs-rows-0-2499.csv")[tweet_id]
    assert found(text) == (kind, quoted, elsewhere), text


@pytest.mark.parametrize("tweet_id", [
    "1837",  # Delta: "Please reach out to the Flight Attendants for assistance."
    "3349",  # ChipotleTweets: "We'll get in touch with the team straightaway."
    "1427",  # VerizonSupport: "...our wireless colleagues ... They will be in touch."
    "1230",  # SouthwestAir: "They call us Southbest for a reason."
])
def test_real_replies_that_promise_nothing(tweet_id):
    text = _replies("twcs-rows-0-2499.csv")[tweet_id]
    assert find_promise(text) is None, text


def _labels():
    from pathlib import Path

    lines = [line for line in (Path(__file__).parent / "promise_labels.csv").read_text(encoding="utf-8").splitlines()
             if not line.startswith("#")]
    return {(row["file"], row["tweet_id"]): row["kind"] for row in csv.DictReader(lines)}


@pytest.mark.parametrize(("name", "expected"), [
    # (promises labelled, found, found and right kind, found where there is none, missed): docs/detectors.md
    ("twcs-rows-0-2499.csv", (361, 343, 336, 7, 25)),
    ("sample.csv", (22, 21, 21, 0, 1)),
])
def test_the_measured_figures_on_labelled_brand_replies(name, expected):
    labels = _labels()
    labelled = found_count = right = false = missed = 0
    for tweet_id, text in _replies(name).items():
        truth = labels.get((name, tweet_id))
        promise = find_promise(text)
        labelled += truth is not None
        found_count += promise is not None
        right += promise is not None and promise.kind == truth
        false += promise is not None and truth is None
        missed += promise is None and truth is not None
    assert (labelled, found_count, right, false, missed) == expected


@pytest.mark.parametrize(("text", "quoted"), [
    ("I'll shoot you a DM in a sec", "shoot you a DM"),
    ("We'll drop you a line shortly", "drop you a line"),
    ("Will DM shortly with next steps.", "Will DM shortly"),
    ("@dave Will DM shortly with next steps.", "Will DM shortly"),
    ("Expect a DM from us shortly.", "Expect a DM from us"),
    ("We'll be reaching out shortly.", "We'll be reaching out"),
    ("We'll be in your DMs shortly", "We'll be in your DMs"),
    ("We're reaching out to you via DM now.", "We're reaching out"),
    ("I'll send a DM your way with the details.", "send a DM your way"),
    ("Don't worry we'll DM you shortly", "we'll DM you"),
    ("Sorry you haven't heard back we'll DM you today", "we'll DM you"),
    ("We'll get back to you by EOD if not sooner", "We'll get back to you"),
    ("Should be fixed soon, we'll DM you", "we'll DM you"),
])
def test_more_commitments_as_agents_write_them(text, quoted):
    assert found(text) == (COMMITMENT, quoted, None)


@pytest.mark.parametrize("text", [
    "I don't think we'll DM you", "They will DM shortly", "you will DM shortly", "Should you need us, we'll DM you",
    "We're reaching out to the warehouse", "We're messaging them now", "expect a DM from them",
    "We'll get back to you if we hear anything",
])
def test_and_what_is_still_no_commitment(text):
    promise = find_promise(text)
    assert promise is None or promise.kind != COMMITMENT, (text, promise)


@pytest.mark.parametrize("text", [
    "We've reached out privately to the courier's depot manager.", "Have you reached out privately?",
    "We've written privately to our supplier",
])
def test_privately_to_someone_else_or_asked_is_no_claim_of_contact(text):
    promise = find_promise(text)
    assert promise is None or promise.kind != COMMITMENT, (text, promise)


@pytest.mark.parametrize("text", [
    "@cust1 Sorry, I can't guarantee we'll DM you today.", "We can't confirm whether we'll DM you",
    "We haven't decided whether we'll DM you", "Don't assume we'll get back to you", "I never told you we'd DM you",
])
def test_a_hedge_of_ours_is_no_commitment(text):
    promise = find_promise(text)
    assert promise is None or promise.kind != COMMITMENT, (text, promise)
