"""Apologies and sympathy set aside before the negativity check (auditor/text/courtesy.py)."""

from __future__ import annotations

import csv

import pytest

from auditor.text.courtesy import find_courtesy, set_aside
from auditor.text.idioms import set_aside as set_idioms_aside
from auditor.rules.tone import _negative
from auditor.text.sentiment import sentiment
from tests.shared_data import shared


@pytest.mark.parametrize("text, spans", [
    ("I'm sorry for the frustration! Could you tell us more?", ["I'm sorry for the frustration"]),
    ("We're sorry for your frustration. Any damage must be assessed in person.", ["We're sorry for your frustration"]),
    ("Sorry for the delay and trouble, Melanie!", ["Sorry for the delay and trouble"]),
    ("My apologies for any frustrations or poor service you've experienced", [
        "My apologies for any frustrations or poor service"]),
    ("really sorry about the inconvenience cause by this", ["really sorry about the inconvenience"]),
    ("Sorry you're still having trouble! What error do you see?", ["Sorry you're still having trouble"]),
    ("Sorry to hear about the trouble, Eric!", ["Sorry to hear about the trouble"]),
    ("So sorry to disappoint. :-(", ["So sorry to disappoint"]),
    ("This is saddening to hear. Please DM us.", ["saddening to hear"]),
    ("We hate to hear this. Can you DM us what happened?", ["We hate to hear this"]),
    ("We would hate to see you go", ["We would hate to see you go"]),
    ("I do apologize for the delay. Delays are never fun.", ["I do apologize for the delay"]),
    ("We understand your frustration, and that must be frustrating.", [
        "We understand your frustration", "that must be frustrating"]),
    ("Sadly the service has been delayed due to a fault on the line", ["Sadly"]),
    ("I regret that you aren\u2019t happy with the answer", ["I regret"]),
    ("Sorry for your loss.", ["Sorry for your loss"]),
    ("So sorry that you had to wait, we're on it", ["So sorry that you had to wait"]),
    ("Sorry for the long wait!", ["Sorry for the long wait"]),
    ("I understand how frustrating this is. This sounds so annoying.", [
        "I understand how frustrating this is", "This sounds so annoying"]),
    ("We completely understand. Unfortunately, regrettably, it is gone.", [
        "We completely understand", "Unfortunately", "regrettably"]),
    ("Sincere apologies for the late reply", ["Sincere apologies for the late reply"]),
])
def test_apologies_and_sympathy_are_found(text, spans):
    assert [m.text for m in find_courtesy(text)] == spans


@pytest.mark.parametrize("text, spans", [
    ("Sorry, but you are an idiot.", ["Sorry"]),  # the apology only: the insult is still read
    ("Sorry for your stupidity.", ["Sorry"]),  # not a mishap: what the apology is "for" is still read
    ("I'm sorry you're too stupid to read the manual", ["I'm sorry"]),
    ("sigh, I have probably just missed my chance. REGRET!", []),  # a cry, not an apology
    ("I hate this company and everyone in it", []),
    ("The update broke everything, what a disaster", []),
])
def test_only_the_courtesy_is_set_aside(text, spans):
    assert [m.text for m in find_courtesy(text)] == spans


def test_set_aside_keeps_offsets():
    text = "Hi Kate, so sorry about the delay. It ships today."
    blanked = set_aside(text)
    assert len(blanked) == len(text)
    assert blanked == "Hi Kate, " + " " * len("so sorry about the delay") + ". It ships today."
    assert set_aside("Nothing to see here") == "Nothing to see here"


# Real brand replies (shared/data/twcs), each below -0.6 as written.
@pytest.mark.parametrize("text", [
    "@116321 I'm sorry for the frustration! Without giving personal/account details, could you tell us a bit more "
    "about what's going on? ^DG",
    "@116145 We're sorry for your frustration. Any damage must be assessed in person within 24 hours of arrival by "
    "airport personnel.",
    "@116092 Sorry you're still having trouble! What error are you seeing when you try to use the app? ^JP",
    "@115975 We shut it off for our Boorito promotion, but it'll be back on tomorrow. My apologies for any "
    "frustration. -Becky",
    "@116446 We understand, but in order for us to further assist you, you need to inform us on your issue. We would "
    "hate to see you go-DD",
])
def test_an_apology_is_not_negativity(text):
    assert sentiment(text) < -0.6
    assert _negative(text, -0.6) is None


@pytest.mark.parametrize("text", [
    "Sorry, but this is a terrible, awful, horrible product and I hate it.",
    "I'm sorry you're too stupid to read the manual, this is pathetic.",
])
def test_negativity_beside_an_apology_is_still_found(text):
    assert find_courtesy(text)
    assert _negative(text, -0.6) < -0.6


def test_setting_aside_never_makes_a_finding():
    # "apologise" is positive to VADER (+1.6): blanking it leaves a lower score than the post as written.
    text = "We apologise. The outage was bad and the fix failed."
    blanked = set_aside(text)
    assert sentiment(blanked) < sentiment(text)
    below = (sentiment(blanked) + sentiment(text)) / 2
    assert _negative(text, below) is None


def test_real_brand_replies_at_the_contract_example_cut():
    """docs/detectors.md, "Apologies and sympathy": of the 1,127 brand replies in the TWCS rows, 16 are below
    -0.6 as written, each an apology, sympathy or bad news said gently; with them set aside, one (a joke)."""
    path = shared("twcs", "twcs-rows-0-2499.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        replies = [set_idioms_aside(row["text"]) for row in csv.DictReader(handle) if row["inbound"] == "False"]
    flagged = [text for text in replies if _negative(text, -0.6) is not None]
    assert len(replies) == 1127
    assert flagged == ["@115809 Our heart\u2019s beating faster over here, and it\u2019s not from all the scares. "
                       "#TrickorTweet https://t.co/Wte8FLiFJ7"]
