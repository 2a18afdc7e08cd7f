"""Accounts on X, Bluesky and Mastodon: one canonical handle form per network, disjoint across them."""

from __future__ import annotations

import pytest

from auditor.activity.events import parse_event
from auditor.networks import canonical_handle, check_platform, handle_platform, mentions_in
from auditor.errors import PolicyError
from tests.factories import policy


@pytest.mark.parametrize(("written", "platform", "canonical"), [
    ("@Acme_Support", "x", "acme_support"),
    ("Acme.BSKY.social", "bluesky", "acme.bsky.social"),
    ("@acme.bsky.social", "bluesky", "acme.bsky.social"),
    ("did:plc:ewvi7nxzyoun6zhxrhs64oiz", "bluesky", "did:plc:ewvi7nxzyoun6zhxrhs64oiz"),
    ("@Acme@Mastodon.Social", "mastodon", "acme@mastodon.social"),
    ("acme@mastodon.social", "mastodon", "acme@mastodon.social"),
])
def test_each_network_has_one_canonical_form(written, platform, canonical):
    assert canonical_handle(written, platform) == canonical
    assert handle_platform(canonical) == platform


@pytest.mark.parametrize(("written", "platform", "message"), [
    ("acme_support", "bluesky", "'acme_support' is not a Bluesky handle: write its full domain name"),
    ("@acme", "mastodon", "'@acme' is not a full Mastodon handle: write it with its instance"),
    ("acme.bsky.social", "x", "'acme.bsky.social' is not an X handle"),
    ("acme@mastodon.social", "x", "'acme@mastodon.social' is not an X handle"),
    ("al ice@mastodon.social", "mastodon", "is not a Mastodon handle"),
])
def test_a_handle_in_another_networks_form_is_refused(written, platform, message):
    with pytest.raises(ValueError, match=message):
        canonical_handle(written, platform)


def test_a_bare_mastodon_name_is_on_the_instance_of_the_post_naming_it():
    assert canonical_handle("@bob", "mastodon", home="mastodon.social") == "bob@mastodon.social"
    assert canonical_handle("@bob@fosstodon.org", "mastodon", home="mastodon.social") == "bob@fosstodon.org"
    assert mentions_in("@acme @bob@fosstodon.org hi", "mastodon", "mastodon.social") == (
        "acme@mastodon.social", "bob@fosstodon.org")
    assert mentions_in("thanks @acme.bsky.social.", "bluesky") == ("acme.bsky.social",)
    assert mentions_in("@acme_support hi, mail me@example.com", "x") == ("acme_support",)


@pytest.mark.parametrize("value", ["threads", "X ", 7])
def test_platform_is_one_of_the_three(value):
    if value == "X ":
        assert check_platform(value) == "x"
        return
    with pytest.raises(ValueError, match="unknown platform"):
        check_platform(value)


def test_canonical_lines_read_handles_in_their_networks_form():
    post = parse_event({"type": "post", "id": "at://did:plc:bob/app.bsky.feed.post/3k1", "author": "@Bob.bsky.social",
                        "created_at": "2026-10-05T14:00:00Z", "text": "@acme.bsky.social where is my order?",
                        "platform": "bluesky", "url": "https://bsky.app/profile/bob.bsky.social/post/3k1"})
    assert (post.author, post.mentions, post.platform) == ("bob.bsky.social", ("acme.bsky.social",), "bluesky")
    assert post.link == "https://bsky.app/profile/bob.bsky.social/post/3k1"
    toot = parse_event({"type": "post", "id": "https://mastodon.social/users/dave/statuses/1", "author": "dave@mastodon.social",
                        "created_at": "2026-10-05T14:00:00Z", "text": "@acme is my order lost?", "platform": "mastodon",
                        "in_reply_to_author": "acme"})
    assert (toot.mentions, toot.in_reply_to_author, toot.link) == (("acme@mastodon.social",), "acme@mastodon.social", None)
    message = parse_event({"type": "dm", "id": "m1", "sender": "dave@mastodon.social", "recipients": ["@acme"],
                           "created_at": "2026-10-05T14:00:00Z", "text": "order 5531", "platform": "mastodon"})
    assert (message.recipients, message.conversation_id) == (("acme@mastodon.social",), "acme@mastodon.social:dave@mastodon.social")


@pytest.mark.parametrize(("line", "reason"), [
    ({"platform": "bluesky", "author": "acme_support"}, "author: 'acme_support' is not a Bluesky handle"),
    ({"platform": "x", "author": "bob", "mentions": ["acme.bsky.social"]}, "mentions: 'acme.bsky.social' is not an X handle"),
    ({"author": "bob", "in_reply_to": "1", "in_reply_to_author": "acme@mastodon.social"},
     "in_reply_to_author: 'acme@mastodon.social' is not an X handle"),
    ({"platform": "threads", "author": "bob"}, "unknown platform 'threads'"),
])
def test_a_line_naming_an_account_in_another_networks_form_is_skipped_with_why(line, reason):
    base = {"type": "post", "id": "1", "created_at": "2026-10-05T14:00:00Z", "text": "hello"}
    with pytest.raises(ValueError, match=reason):
        parse_event(base | line)


def test_roster_accounts_name_their_network_and_are_held_to_its_form(tmp_path):
    accounts = [{"handle": "acme_support", "kind": "brand"},
                {"handle": "Acme.bsky.social", "platform": "bluesky", "kind": "brand"},
                {"handle": "@acme@mastodon.social", "platform": "mastodon", "kind": "brand"}]
    loaded = policy(tmp_path, [], accounts=accounts)
    assert [(a.platform, a.handle) for a in loaded.policy.roster] == [
        ("x", "acme_support"), ("bluesky", "acme.bsky.social"), ("mastodon", "acme@mastodon.social")]
    with pytest.raises(PolicyError) as refused:
        policy(tmp_path, [], accounts=[{"handle": "acme", "platform": "bluesky"}])
    [line] = refused.value.lines()
    assert line.endswith("accounts[0].handle: 'acme' is not a Bluesky handle: write its full domain name, "
                         "like alice.bsky.social")
