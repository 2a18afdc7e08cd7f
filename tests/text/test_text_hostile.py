"""Post text is hostile input: no detector may take super-linear time on it."""

import time

import pytest

from auditor.text.affiliation import find_affiliation
from auditor.text.courtesy import find_courtesy
from auditor.text.offers import find_channels
from auditor.text.patterns import compile_phrases
from auditor.text.profanity import find_profanity
from auditor.text.promises import find_promise
from auditor.text.questions import is_question
from auditor.text.shouting import shouting

HOSTILE = [
    "DM us " * 5000,
    "please don't DM us " * 2000,
    "we will " * 5000 + "x",
    "+" + "1" * 20000,
    "+1 " * 10000,
    "555-" * 5000,
    "a." * 10000,
    "a-" * 10000,
    "http://" + "a" * 20000,
    "a@" * 10000,
    "x" * 30000,
    "$" * 20000,
    "f" + "*" * 20000 + "x",
    "sh" + "i" * 20000 + "tx",
    "? " * 10000,
    "A " * 15000,
    "we'll look into it and " * 3000 + "x",
    "I'm a senior staff " * 3000 + "at Acme",
    "our team our team " * 3000 + "at Acme",
    "Working on " * 5000 + "at Acme",
    "Please reach out to " * 3000,
    "if you " * 5000 + "we'll DM you",
    "." * 20000 + "we will call you",
    "sorry for the " + "long and " * 3000 + "x",
    "so " * 5000 + "sorry to hear " + "that " * 3000,
    "sorry for the delay " + "and the delay " * 3000 + "!",
]

def employed_at_acme(text):
    return find_affiliation(text, ("Acme", "@acme"))


DETECTORS = [
    find_promise,
    employed_at_acme,
    find_channels,
    is_question,
    shouting,
    find_profanity,
    find_courtesy,
    compile_phrases(["not my problem", "/whatever/"]).find_all,
]


@pytest.mark.parametrize("detector", DETECTORS, ids=lambda d: d.__qualname__)
def test_linear_time_on_hostile_text(detector):
    started = time.perf_counter()
    for text in HOSTILE:
        detector(text)
    assert time.perf_counter() - started < 3.0
