import pytest

from auditor.text.offers import find_channels
from auditor.text.spans import Match


def quoted(text, domains=()):
    return {kind: m.text for kind, m in find_channels(text, domains).items()}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Please DM us your order number", {"dm": "Please DM"}),
        # the counterpart's own DM spoken of: the conversation is already private
        ("We've received your DM and will continue working with you there.", {"dm": "your DM"}),
        ("Thanks for your direct message, replying now", {"dm": "your direct message"}),
        ("Email us at help@acme.com", {"email": "help@acme.com"}),
        ("jane.doe+orders@mail.example.co.uk", {"email": "jane.doe+orders@mail.example.co.uk"}),
        ("Call +1 (555) 010-0100 anytime", {"phone": "+1 (555) 010-0100"}),
        ("call 555-010-0100", {"phone": "555-010-0100"}),
        ("(555) 010-0100", {"phone": "(555) 010-0100"}),
        ("555.010.0100", {"phone": "555.010.0100"}),
        ("1-800-555-0100", {"phone": "1-800-555-0100"}),
        ("call 1-800-FLOWERS", {"phone": "1-800-FLOWERS"}),
        ("+44 20 7946 0958", {"phone": "+44 20 7946 0958"}),
        ("+33 1 23 45 67 89", {"phone": "+33 1 23 45 67 89"}),
        ("call us on 555-0100", {"phone": "555-0100"}),
        ("contact 03331 031 031 option 1", {"phone": "03331 031 031"}),
        ("tel: 020 7946 0958", {"phone": "020 7946 0958"}),
        ("Details: https://help.acme.com/a?b=1).", {"url": "https://help.acme.com/a?b=1"}),
        ("Visit acme.com/help.", {"url": "acme.com/help"}),
        ("see www.acme.co.uk", {"url": "www.acme.co.uk"}),
        # contact by e-mail or phone made or promised: the conversation left the timeline
        ("We have emailed you the refund details, please check your email.", {"email": "emailed you"}),
        ("We'll reach out by email today", {"email": "by email"}),
        ("A technician will phone you within the hour", {"phone": "phone you"}),
        ("We'll give you a call this afternoon", {"phone": "give you a call"}),
        # the account's own DM spoken of: it went private already
        ("Did you get our DM?", {"dm": "our DM"}),
        # asked to write or call, or told it was done, in the words support accounts use
        ("Please give us a call and we'll sort it", {"phone": "give us a call"}),
        ("Call us and we'll fix it", {"phone": "Call us"}),
        ("give us a ring when you can", {"phone": "give us a ring"}),
        ("Please ring our helpline", {"phone": "ring our helpline"}),
        ("Please drop us an email with your order number", {"email": "drop us an email"}),
        ("shoot us an e-mail", {"email": "shoot us an e-mail"}),
        ("email us and we'll look", {"email": "email us"}),
        ("We've sent you an email with a prepaid return label", {"email": "sent you an email"}),
    ],
)
def test_channels_found(text, expected):
    assert quoted(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "order 55310012",
        "order 5553100120",
        "your order 5531 shipped",
        "2026-10-05 at 14:00",
        "ip 192.168.1.100",
        "tracking #123-456-7890",
        "$1,234,567",
        "v1.2.3 is out",
        "e.g. this one",
        "open file.txt in node.js",
        "555-0100",
        "order 0123 456 789",
        "thanks for the follow",
        "DMing is fun",
        "your DMCA notice was received",
        "#yourDM",
        # a Mastodon handle is no e-mail address, and a refusal offers nothing
        "@carol@mastodon.social sorry about that",
        "we can't email you, sorry",
        "we cannot call you from here",
        "please don't call us, we're closed today", "They call us Southbest for a reason",
        "we can't help by DM, please reply here",
        # a picture or a post on X is no place to go
        "so sorry! pic.twitter.com/AbC123", "see https://x.com/acme/status/1234567890",
    ],
)
def test_no_channel(text):
    assert find_channels(text) == {}


def test_company_domains_restrict_urls_to_domain_and_subdomains():
    text = "See widgetco.com or https://help.acme.com/faq"
    assert find_channels(text, ["acme.com"]) == {"url": Match(20, 45, "https://help.acme.com/faq")}
    assert find_channels("see acme.com.evil.io", ["acme.com"]) == {}
    assert find_channels("see notacme.com", ["acme.com"]) == {}


def test_email_domain_is_not_a_url():
    assert quoted("help@acme.com", ["acme.com"]) == {"email": "help@acme.com"}


def test_several_channels():
    text = "DM us or email help@acme.com, call (555) 010-0100, or see acme.com/help"
    assert quoted(text, ["acme.com"]) == {
        "dm": "DM us",
        "email": "help@acme.com",
        "phone": "(555) 010-0100",
        "url": "acme.com/help",
    }


def test_a_company_domain_is_a_link_written_bare_whatever_its_ending():
    assert quoted("Please visit acme.example/help for a refund", ["acme.example"]) == {"url": "acme.example/help"}
    assert quoted("see www.acme.com.sg/help.", ["acme.com.sg"]) == {"url": "www.acme.com.sg/help"}
    assert quoted("see support.acme.example", ["acme.example"]) == {"url": "support.acme.example"}
    assert quoted("see notacme.example/help", ["acme.example"]) == {}
    assert quoted("mail help@acme.example", ["acme.example"]) == {"email": "help@acme.example"}
    # "www." makes a link of any ending
    assert quoted("see www.acme.com.sg/help") == {"url": "www.acme.com.sg/help"}


@pytest.mark.parametrize("text", ["Sorry about this! Hop into our DMs and we'll sort it out.",
                                  "Sorry about this. We've reached out to you privately.",
                                  "We've reached out to you privately with next steps"])
def test_more_ways_to_take_it_private(text):
    assert "dm" in find_channels(text)


@pytest.mark.parametrize("text", ["@acme Your DMs are closed, how do I reach you?", "I got the message: you don't care"])
def test_a_customer_speaking_of_the_accounts_inbox_or_an_idiom_spoke_of_no_dm_it_sent(text):
    from auditor.text.offers import their_dm_spoken_of

    assert their_dm_spoken_of(text) is None
    assert their_dm_spoken_of("@acme thanks, got your message") is not None
