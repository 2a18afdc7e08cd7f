import pytest

from auditor.text.shouting import shouting
from auditor.text.spans import Match


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("THIS IS TOTALLY UNACCEPTABLE", "THIS IS TOTALLY UNACCEPTABLE"),
        ("WE ARE NOT GOING TO REFUND YOU", "WE ARE NOT GOING TO REFUND YOU"),
        ("@bob WHY IS MY ORDER STILL NOT HERE?!", "WHY IS MY ORDER STILL NOT HERE"),
        ("hey... STOP SENDING ME THESE EMAILS", "STOP SENDING ME THESE EMAILS"),
        ("Our API is DOWN AGAIN AND NOBODY CARES AT ALL", "DOWN AGAIN AND NOBODY CARES AT ALL"),
        ("@bob LOL U SOUND LIKE A 46 YEAR OLD WITH A LEATHER HAT", "LOL U SOUND LIKE A 46 YEAR OLD WITH A LEATHER HAT"),
    ],
)
def test_shouting(text, span):
    match = shouting(text)
    assert match is not None
    assert match.text == span
    assert text[match.start : match.end] == span


@pytest.mark.parametrize(
    "text",
    [
        "Our API and SDK docs are at https://acme.com/docs",
        "AWS GCP API SDK CLI IAM",
        "@ACME_SUPPORT #EPICFAIL thanks, sorted now",
        "See HTTPS://ACME.COM/HELP for more",
        "Hi Bob, we've FIXED this, THANK YOU",
        "NO WAY",
        "Thanks so much for your patience today!",
        "注文はまだ届いていません",
        # code and identifiers are written in capitals
        "Try `SELECT COUNT(*) FROM ORDERS WHERE STATUS = 'FAILED'`",
        "Error code: PAYMENT_DECLINED_INSUFFICIENT_FUNDS",
        "Set MAX_RETRY_COUNT and CONNECTION_TIMEOUT_SECONDS in the config",
        "",
    ],
)
def test_not_shouting(text):
    assert shouting(text) is None


def test_thresholds_are_parameters():
    text = "PLEASE READ the terms"
    assert shouting(text) is None
    assert shouting(text, caps_ratio=0.5, min_letters=10) == Match(0, 11, "PLEASE READ")
    assert shouting("UNACCEPTABLE", min_letters=13) is None
    assert shouting("UNACCEPTABLE", min_letters=12) == Match(0, 12, "UNACCEPTABLE")
