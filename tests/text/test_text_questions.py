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
        "How nice of you",
        "Any time!",
        "Can't log in since this morning",
        "Have a nice day",
        "",
    ],
)
def test_not_questions(text):
    assert is_question(text) is False
