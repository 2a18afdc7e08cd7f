"""Who a post speaks to (the @handles that open it) and what it says about an account it names."""

from __future__ import annotations

import pytest

from auditor.text.addressing import opening_mentions, said_about, sentences_naming, speaks_for_itself

DELTA = ("@AmericanAir #greed comes to mind every time I fly with you. I am considering switching to @Delta even "
         "if it means longer flights as they rock!")


@pytest.mark.parametrize("text, opening", [
    ("@acme_support @Bob my order never came", ("acme_support", "bob")),
    (".@acme your service is down", ("acme",)),
    (". @Delta on the way to Wisconsin I sat on the runway", ("delta",)),
    ("Dear @Tesco I found a hair in food I bought from you.", ("tesco",)),
    ("Hey @ChipotleTweets, why no chorizo?", ("chipotletweets",)),
    ("Great lunch, thanks to the folks at @acme!", ()),
    ("Dear cute flight attendant @delta.", ()),
    (DELTA, ("americanair",)),
])
def test_the_handles_a_post_opens_with(text, opening):
    assert opening_mentions(text) == opening


def test_the_sentence_that_names_an_account():
    assert sentences_naming(DELTA, "delta") == ["I am considering switching to @Delta even if it means longer "
                                                "flights as they rock!"]
    assert said_about(DELTA, "@Delta") == sentences_naming(DELTA, "delta")


@pytest.mark.parametrize("text", [
    "Two fake items in one day. Time to cancel my Amazon Prime membership. @AmazonHelp",
    "Two fake items in one day.\n@AmazonHelp #fail https://t.co/x",
])
def test_a_bare_tag_puts_the_whole_post_to_the_account(text):
    assert said_about(text, "amazonhelp") == [text]


@pytest.mark.parametrize("text", ["@dave @acme 😂😂🙄", "@dave @acme jeez!", "@dave @acme lol", "@dave @acme congrats! enjoy it",
                                  "@116302 @Tesco glad your sorted!", "@dave @acme This guy is a fool and a troll.",
                                  "@dave @acme If you called an 0844 number this is premium rate"])
def test_a_reply_that_speaks_only_to_whom_it_answers(text):
    assert not speaks_for_itself(text)


@pytest.mark.parametrize("text", ["@dave @acme same here", "@dave @acme Yep. This", "@dave @acme me too!!",
                                  "@dave @acme Mine too. Order 5531 never arrived", "@dave @acme Please look at my order too",
                                  "@dave @acme Not just us then! Queue time!", "@dave @acme +1", "@dave @acme I'm having it too"])
def test_a_reply_that_speaks_for_its_author(text):
    assert speaks_for_itself(text)
