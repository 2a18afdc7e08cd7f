import pytest

from auditor.text.questions import is_question


@pytest.mark.parametrize(
    "text",
    [
        "Is it down?",
        "is it down",
        "Where is my order",
        "@acme why is my order late",
        "@acme @bob Can you help me with my refund",
        "Any update on my order",
        "Anyone else having issues today",
        "Does the app support dark mode",
        "Got my bill. How do I pay it",
        "Thanks！ Also, what？",
        "¿Dónde está mi pedido",
        "متى يصل طلبي؟",
        "wait what?!",
        "#fail why is this broken",
        "Is this a bug? https://acme.com/x?id=3",
        # Real customer tweets (TWCS): a lead-in word before the question, a "?" right before a handle.
        "So why is this happening I I I @AppleSupport",
        "Hey @ChipotleTweets why don't you have chorizo anymore",
        "Bruh can someone at @115873 get back to me on my Dms",
        "After update #ios1103 no spotify on my lock screen?@AppleSupport",
        "When will the infinity voice remote be able to find high definition channels again",
        "@acme is it down again",
        "@acme any update on my refund",
        "Hello. @acme can the order be changed",
    ],
)
def test_questions(text):
    assert is_question(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "Thanks, all good now",
        "See https://acme.com/help?topic=billing",
        "docs at acme.com/faq?id=3 for details",
        "Can confirm, it works",
        "Will do!",
        "Do not reply to this message",
        "What a day!",
        "When you go to @ChipotleTweets dressed as a soccer player and don't get 3$ burritos",
        "So what a day",
        "How nice of you",
        "Any time!",
        "Can't log in since this morning",
        "Have a nice day",
        # A sentence whose subject is a handle says something about that account.
        "Long day. @acme_support is the best.",
        "@acme_support has the best agents in town",
        "Shoutout: @acme_air was my favourite airline this year",
        "",
    ],
)
def test_not_questions(text):
    assert is_question(text) is False
