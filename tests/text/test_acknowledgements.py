"""Acknowledgements: nothing left but thanks and closers once handles, links, hashtags, emoji and punctuation go."""

from __future__ import annotations

import csv

import pytest

from auditor.text.acknowledgements import is_acknowledgement, is_release
from tests.shared_data import shared

# Real customer replies from the TWCS rows in shared/data.
CLOSERS = [
    "Okay, thanks so much!", "Ok will do, thank you!", "✔", "@comcastcares ✔", "DM sent", "@Delta DM sent", "Thanks",
    "Awesome, thanks", "@SpotifyCares ok thx", "@comcastcares Sent and thank you", "@AppleSupport Okey. Thank you! 🤗",
    "@AppleSupport Worked 👌🏽", "@AskPlayStation It’s ok I fixed it thanks", "@ChaseSupport Sounds good, thanks!",
    "@AirAsiaSupport thank you very much..", "@SouthwestAir Its working again", "@Delta Just did",
    "Thanks @ChipotleTweets !!! https://t.co/M3N3dyvupA", "@AmazonHelp こちらこそありがとうございました。",
    "Thanks for the quick response 🙏🏼", "Muchas gracias!", "👍", "Got it, cheers #support",
    "@sprintcare Just sent a DM", "I just DM'd you, thanks", "@AppleSupport Just sent you all my DM",
    "@Uber_Support I Dm'ed you!",
    # "Done as asked" in the ways customers write it
    "I have sent a DM", "I've DMed you", "I have DMed you", "sent the DM", "Just DMed", "Have sent you a DM",
    "I have sent you a private message", "DMs sent", "we've sent you a direct message", "Already sent you my details",
    # Thanks to the agent by name, for what was done, and the closers that say it is solved
    "thanks Sarah!", "Thanks, Jane!", "@acme Thank you Miguel 🙏", "thanks for the quick fix!",
    "thank you, that solved it", "love it, thanks", "That did the trick, thanks!", "problem solved, thank you",
    "gracias por todo", "merci pour votre aide", "Vielen Dank für die schnelle Hilfe",
    "Looking forward to it, thanks", "@acme_support great, thanks for the quick answer",
    "@acme_support perfect, found it. Thank you!",
    # Moving to DM as asked, with what was asked for
    "Just sent you a DM with my booking ref", "DM'd you the details", "I'm sending you a DM now",
    # shared/data/twcs: goodbyes, praise for whoever helped, what was sent
    "@Tesco Cheers, all the best.",
    "@SpotifyCares You actually are amazing 😘😘😘", "you rock, thanks!", "Thanks, take care",
    "@Delta Just DM'd you with a screenshot and explanation. 😊",
]
NOT_CLOSERS = [
    "thanks, but it still doesn't work", "thanks for nothing", "no thanks", "Thanks! When will it ship?", "ok when?",
    "@VerizonSupport Yep", "@AdobeCare nope still down.", "@115911  https://t.co/zc5zheYczx",
    "@Delta #Again #nothing #bs #no #answers", "@116115 @Tesco 😂😂🙄", "😡", "@acme", "great, another outage",
    "@AmazonHelp Okay, danke für die Info", "@Uber_Support pls check dm", "@Uber_Support done please check", "",
    "@ChipotleTweets Tried, didn't work. How rude :/", "I sent a DM 3 days ago", "I have sent a DM but no reply",
    "have you sent the DM?", "sent my details, when will it ship?",
    # A question, or what was asked for, needs an answer
    "ok?", "done?", "thanks?", "sure, bob@example.com", "thanks obama", "thanks AGAIN for NOTHING",
    "thanks for the quick fix! now the app crashes", "thank you Sarah but nothing has changed",
    "Thanks. Nothing works.", "Thanks.\nUseless.", "Thank you. Not.", "Thanks. Seriously.", "Thanks! Clowns",
    "Thanks. Never.", "thanks. Jane is useless", "I did thanks", "you're amazing at ignoring people",
]


@pytest.mark.parametrize("text", CLOSERS)
def test_thanks_and_closers_are_acknowledgements(text):
    assert is_acknowledgement(text)


@pytest.mark.parametrize("text", NOT_CLOSERS)
def test_anything_more_is_not(text):
    assert not is_acknowledgement(text)


def test_on_real_support_traffic_acknowledgements_are_few_and_brand_replies_almost_never_one():
    # 45 of 1,371 customer tweets (each checked by hand: all are closers, "Just sent you all my DM", "I Dm'ed
    # you!", "@Delta My pleasure.", "Just DM'd you with a screenshot and explanation. 😊" and "Cheers, all the
    # best." among them); 1 of 1,127 brand replies ("@116077 Thanks!"). A name counts only in the clause of its
    # thanks, so "Thank you! Jane👍🏼" is missed, as "Thanks. Nothing works." and "Thanks! Clowns" must be.
    with open(shared("twcs", "twcs-rows-0-2499.csv"), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    inbound = [r["text"] for r in rows if r["inbound"] == "True"]
    outbound = [r["text"] for r in rows if r["inbound"] == "False"]
    assert (len(inbound), sum(map(is_acknowledgement, inbound))) == (1371, 45)
    assert (len(outbound), sum(map(is_acknowledgement, outbound))) == (1127, 1)


def test_no_ascii_character_is_an_emoji_a_modifier_or_a_symbol():
    # is_acknowledgement looks only at the characters beyond ASCII for closing emoji and for
    # symbols that are content: exact only while no ASCII character is one of them.
    import unicodedata

    from auditor.text.acknowledgements import _MODIFIERS, CLOSING_EMOJI

    ascii_chars = [chr(code) for code in range(128)]
    assert [c for c in ascii_chars if c in CLOSING_EMOJI or c in _MODIFIERS or unicodedata.category(c) == "So"] == []


@pytest.mark.parametrize("text", ["thanks 🙏🏽", "thanks ❤️", "thanks 👍 @acme", "thank you!! 😊 #love",
                                  "thanks https://t.co/x 🙏", "cheers mate ✌️"])
def test_closing_emoji_with_modifiers_and_masks_still_close(text):
    assert is_acknowledgement(text)


@pytest.mark.parametrize("text", ["thanks 😡", "thanks 📦", "thanks ©", "thanks ™ acme"])
def test_a_symbol_that_does_not_close_is_content(text):
    assert not is_acknowledgement(text)



@pytest.mark.parametrize("text", [
    "All sorted now, thanks!", "nevermind, found it", "@acme Thanks! It's working again", "nvm", "no need to dm me",
    "No need anymore, thank you!", "dont worry about it, it's fixed", "no need to DM, all sorted now thanks!",
])
def test_a_release_says_no_contact_is_needed_any_more(text):
    assert is_release(text)


@pytest.mark.parametrize("text", [
    "thanks!", "ok", "no need to DM, just answer here please", "still not sorted", "is it fixed now?", "no need?",
    "Thanks. Nothing works.", "nevermind the refund, where is my order", "never mind, you guys are useless",
    "not resolved", "fixed? no",
])
def test_what_asks_or_only_thanks_releases_nothing(text):
    assert not is_release(text)


@pytest.mark.parametrize("text", ["Hey, no need anymore, the parcel just turned up. All sorted now thanks!",
                                  "Never mind, it arrived this morning 🙂", "It arrived! Thanks"])
def test_a_release_may_greet_and_say_what_happened(text):
    assert is_release(text)


@pytest.mark.parametrize("text", ["no need, it arrived broken", "nevermind, it arrived but the lid is cracked",
                                  "no need to DM, but it still does not work", "It arrived broken"])
def test_a_release_taken_back_is_none(text):
    assert not is_release(text)


@pytest.mark.parametrize("text", [
    "No need to DM me, it works now! Also you charged me twice, fix that", "Never mind, sorted. Chargeback filed.",
    "Sorted, I'm going elsewhere",
])
def test_a_release_with_a_new_request_or_a_grievance_is_none(text):
    assert not is_release(text)


@pytest.mark.parametrize("text", ["any time now...", "anytime now?", "Any time today would be great"])
def test_a_nudge_is_no_acknowledgement(text):
    assert not is_acknowledgement(text)


@pytest.mark.parametrize("text", ["Never mind, it arrived. Wrong item delivered", "Never mind, it's here. Box came crushed"])
def test_a_release_that_reports_a_new_problem_is_none(text):
    assert not is_release(text)


@pytest.mark.parametrize("text", ["@acme I DMed you again today", "@acme I sent you a DM this morning, still nothing"])
def test_a_nudge_about_a_dm_is_no_acknowledgement(text):
    assert not is_acknowledgement(text)


def test_what_comes_again_is_no_release_and_what_arrived_today_is():
    assert not is_release("It came again") and not is_release("It's here again")
    assert is_release("It arrived this morning") and is_release("Never mind, it arrived this morning 🙂")
