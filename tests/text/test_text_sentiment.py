import pytest

from auditor.text import sentiment as sentiment_module
from auditor.text.sentiment import is_complaint, sentiment


def test_scores_have_the_expected_sign():
    assert sentiment("I love this, thank you so much!") > 0.5
    assert sentiment("This is terrible, worst service ever.") < -0.5
    assert sentiment("The store opens at 9.") == 0.0


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_text_is_neutral(text):
    assert sentiment(text) == 0.0


def test_matches_vader_compound():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    text = "Not happy at all with my order :("
    assert sentiment(text) == SentimentIntensityAnalyzer().polarity_scores(text)["compound"]


def test_analyzer_is_created_once_and_scores_are_cached():
    sentiment_module.sentiment.cache_clear()
    sentiment("a fine day")
    sentiment("a fine day")
    assert sentiment_module._analyzer.cache_info().currsize == 1
    info = sentiment_module.sentiment.cache_info()
    assert (info.hits, info.misses) == (1, 1)


@pytest.mark.parametrize(
    ("text", "below", "expected"),
    [
        ("My order is late again and nobody answers. Awful.", -0.3, True),
        ("Thanks, all sorted now!", -0.3, False),
        ("Where is my order", -0.3, False),
        ("This is bad", -0.3, True),
        ("This is bad", -0.6, False),
    ],
)
def test_is_complaint(text, below, expected):
    assert is_complaint(text, below=below) is expected


def test_the_score_cache_is_bounded():
    # The second question about a text (its score, after whether it is below a threshold) is answered from the
    # cache; a worker does not keep every text it ever scored.
    sentiment_module.sentiment.cache_clear()
    for n in range(5_000):
        sentiment(f"order {n} is late again")
    assert sentiment_module.sentiment.cache_info().currsize <= 4_096
    assert sentiment("order 4999 is late again") == sentiment_module.sentiment.__wrapped__("order 4999 is late again")


@pytest.mark.parametrize("text", [
    "@jdoe So sorry to hear about your dad, that's awful", "@jdoe so sorry for your loss",
    "@jdoe RIP to your cat, heartbreaking", "@jdoe my condolences, terrible news",
    "@acme Sorry to bother you, I can't find the invoice button",
])
def test_sympathy_and_politeness_are_no_complaint(text):
    assert not is_complaint(text)


@pytest.mark.parametrize("text", [
    "@acme sorry to hear that but my order is still missing", "@acme Worst service ever.",
    "@acme down for 3 days... Terrible.", "@acme sorry, but this is the worst support I have ever had",
    "@acme RIP my order, lost again. Terrible service",
])
def test_grievances_with_courtesy_are_still_complaints(text):
    assert is_complaint(text)


@pytest.mark.parametrize("text", [
    "@acme it is so annoying, the app logs me out every hour", "@acme Really disappointing to see my order delayed again",
    "@acme I hate to see how bad your support has become",
    "My condolences to anyone who has to use @acme support. Worst company ever.",
])
def test_frustration_and_mock_sympathy_are_still_complaints(text):
    assert is_complaint(text)


def test_condolences_written_in_sentences_are_still_no_complaint_and_mock_ones_complain():
    assert not is_complaint("@jdoe So sorry to hear about your dad! That's awful. Thinking of you")
    assert is_complaint("My condolences to your support team, must be awful working for such a terrible company")


def test_apologising_for_asking_does_not_hide_a_grievance_and_bad_news_of_kin_is_condolence():
    assert is_complaint("@acme sorry to bother you, I've been charged twice and nobody helps. Awful")
    assert not is_complaint("@jdoe So sorry mate. Horrible news about your brother")


def test_a_no_that_turns_nothing_around_is_read_without_it():
    from auditor.text.sentiment import without_bare_no

    listing = "12 signs a data team is out of control: · NoSQL · No code · No tests · No namespaces"
    assert sentiment(listing) < -0.6 and sentiment(without_bare_no(listing)) == 0.0
    # Outside a list, or before a word VADER weighs, "no" stays.
    for text in ("no good at all", "No, this release is awful and I hate it.", "No one asked you. Stop whining.",
                 "No refund for you. You're a liar.", "Options: - no good - no way"):
        assert without_bare_no(text) == text


def test_the_words_that_carry_a_negative_score():
    from auditor.text.sentiment import negative_words

    assert negative_words("This is a terrible, AWFUL, horrible day. I hate everything. Terrible!") == [
        "terrible", "AWFUL", "horrible", "hate"]
    assert negative_words("What a lovely day") == []
