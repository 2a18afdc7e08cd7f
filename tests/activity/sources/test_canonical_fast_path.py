"""The fast reader of canonical posts gives exactly what the checked reader gives, or defers to it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.activity.events import _canonical_post, _checked_post, parse_post

handles = st.sampled_from(["acme_support", "@Acme_Support", " Maya ", "@", "", "x" * 15, "ÄNDERS", "did:plc:abc", "a:b"])
optional_text = st.one_of(st.none(), st.text(max_size=20), st.integers(0, 10**20))
records = st.fixed_dictionaries(
    {
        "id": st.one_of(st.text(min_size=1, max_size=20), st.integers(0, 10**20)),
        "author": handles,
        "created_at": st.sampled_from(["2026-10-01T09:00:00Z", "2026-10-01T09:00:00+02:00", "2026-10-01T09:00:00.250+00:00"]),
        "text": st.text(max_size=60),
    },
    optional={
        "in_reply_to": optional_text,
        "in_reply_to_author": st.one_of(st.none(), handles),
        "conversation_id": optional_text,
        "mentions": st.one_of(st.none(), st.lists(handles, max_size=3), st.just("acme")),
        "repost_of": optional_text,
        "quote_of": optional_text,
        "url": optional_text,
        "platform": st.one_of(st.none(), st.sampled_from(["x", "mastodon", ""])),
    },
)


def _outcome(read, record):
    try:
        return read(record)
    except ValueError as exc:
        return ("error", str(exc))


@settings(max_examples=300, deadline=None)
@given(records)
def test_fast_path_agrees_with_the_checked_reader(record):
    fast = _canonical_post(record)
    if fast is not None:
        assert fast == _checked_post(record)
    assert _outcome(parse_post, record) == _outcome(_checked_post, record)


def test_a_plain_canonical_post_takes_the_fast_path():
    record = {"id": "1", "author": "@Maya", "created_at": "2026-10-01T09:00:00Z", "text": "hi @Acme",
              "in_reply_to": None, "in_reply_to_author": None, "conversation_id": "1", "mentions": ["@Acme"],
              "repost_of": None, "quote_of": None, "url": None, "platform": "x"}
    post = _canonical_post(record)
    assert post is not None
    assert (post.author, post.mentions, post.created_at.isoformat()) == ("maya", ("acme",), "2026-10-01T09:00:00+00:00")


@pytest.mark.parametrize("field, value", [("author", "did:plc:abc"), ("in_reply_to_author", "did:plc:abc"),
                                          ("mentions", ["did:plc:abc"])])
def test_a_bluesky_did_on_an_x_line_is_refused_as_the_checked_reader_refuses_it(field, value):
    record = {"id": "1", "author": "bob", "created_at": "2026-10-01T09:00:00Z", "text": "hi", "mentions": [],
              field: value}
    assert _canonical_post(record) is None
    with pytest.raises(ValueError, match="is not an X handle"):
        parse_post(record)
