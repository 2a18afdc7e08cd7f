import pytest

from auditor.text.promises import find_dm_invitation, find_promise
from auditor.text.spans import Match


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("DM me and we can talk off air", "DM me"),
        ("@bob sorry about that, DM us your order number", "DM us"),
        ("dm us", "dm us"),
        ("Send us a DM with your order number", "Send us a DM"),
        ("send me a direct message", "send me a direct message"),
        ("Please send us a private message", "send us a private message"),
        ("Drop us a DM and we'll sort it", "Drop us a DM"),
        ("drop us a line", "drop us a line"),
        ("Shoot us a DM 🙏", "Shoot us a DM"),
        ("Check your DMs!", "Check your DMs"),
        ("check your inbox", "check your inbox"),
        ("Let's take this offline", "take this offline"),
        ("Let\u2019s take this offline", "take this offline"),
        ("happy to talk off air", "talk off air"),
        ("Let's take this to DM", "take this to DM"),
        ("I'll get back to you", "I'll get back to you"),
        ("We\u2019ll get back to you shortly", "We\u2019ll get back to you"),
        ("We will get back to you tomorrow", "We will get back to you"),
        ("we'll reach out", "we'll reach out"),
        ("We'll be in touch", "We'll be in touch"),
        ("we will follow up with you", "we will follow up"),
        ("I'll message you", "I'll message you"),
        ("We will message you", "We will message you"),
        ("Our team will reach out today", "Our team will reach out"),
        ("pls dm", "pls dm"),
        ("📩 DM us!", "DM us"),
        ("I've DM'd you", "DM'd you"),
        ("I\u2019ve DM\u2019d you", "DM\u2019d you"),
        ("Just sent you a DM", "sent you a DM"),
        ("Sorry it's not working, DM us", "DM us"),
        ("Don't hesitate to DM us", "DM us"),
        ("Our DMs are open", "Our DMs are open"),
        ("Please share it via DM", "via DM"),
        ("No need to DM us, we'll get back to you", "we'll get back to you"),
        ("please send a DM with your account information", "send a DM"),
        ("Please follow us by sending a DM for further assistance", "sending a DM"),
        ("The team should send you an email shortly", "send you an email"),
        ("Tell us more about the issue in DM.", "in DM"),
        ("If that doesn't help please DM your full name", "please DM"),
    ],
)
def test_promise_found(text, quoted):
    match = find_promise(text)
    assert match is not None, text
    assert match.text == quoted
    assert text[match.start : match.end] == quoted


@pytest.mark.parametrize(
    "text",
    [
        "Please don't DM me",
        "please don\u2019t DM me",
        "do not DM us",
        "We can't discuss this by DM",
        "we cannot take this offline",
        "No need to DM us",
        "never DM us",
        "please don't send a DM",
        "We won't get back to you",
        "thanks for the follow",
        "Thanks for the follow!",
        "DMing is fun",
        "Will you get back to me?",
        "you'll reach out to them",
        "Meeting with a PM at 3 PM us time",
        "Great news about the launch today",
        "",
    ],
)
def test_no_promise(text):
    assert find_promise(text) is None


def test_extra_phrase_is_added_to_built_in_set():
    assert find_promise("ping me later", extra=["ping me"]) == Match(0, 7, "ping me")
    assert find_promise("DM me", extra=["ping me"]) == Match(0, 5, "DM me")


def test_extra_phrase_is_whole_words_any_case():
    assert find_promise("PING ME!", extra=["ping me"]) == Match(0, 7, "PING ME")
    assert find_promise("shipping menu", extra=["ping me"]) is None


def test_replace_drops_built_in_set():
    assert find_promise("DM me", replace=["ping me"]) is None
    assert find_promise("ping me", replace=["ping me"]) == Match(0, 7, "ping me")


def test_extra_regex():
    assert find_promise("p1ng me", extra=[r"/p[i1]ng\s+me/"]) == Match(0, 7, "p1ng me")


def test_extra_phrase_refusal_is_not_a_promise():
    assert find_promise("please don't ping me", extra=["ping me"]) is None


def test_invalid_regex_raises_value_error():
    with pytest.raises(ValueError, match=r"invalid regular expression '/\(\?<=a\)b/'"):
        find_promise("x", extra=["/(?<=a)b/"])


def test_dm_invitation_excludes_bare_follow_up():
    assert find_dm_invitation("We'll get back to you") is None
    assert find_dm_invitation("Please DM us") == Match(0, 9, "Please DM")
