"""The index every rule looks things up in: reply chains completed, inbound items, DM conversations."""

from __future__ import annotations

from datetime import timedelta

from msgspec.structs import replace

import pytest

from auditor.activity.model import EVERY_ACCOUNT, Activity, SourceInfo
from auditor.index import ActivityIndex
from tests.factories import activity, at, dm, post

ROSTER = {"acme_support", "jdoe"}


def index(*events, roster=ROSTER, dms_of=("acme_support",)) -> ActivityIndex:
    return ActivityIndex(activity(*events, dms_of=dms_of), roster)


# -- reply chains ------------------------------------------------------------------------------


def test_a_reply_without_conversation_or_author_gets_both_from_the_chain():
    root = post("bob", "2026-10-05 10:00", "@acme_support my order is late", id="1", mentions=("acme_support",))
    answer = replace(post("acme_support", "2026-10-05 11:00", "@bob sorry", id="2", reply_to=root),
                     in_reply_to_author=None)
    again = replace(post("bob", "2026-10-05 12:00", "still late", id="3", reply_to=answer), in_reply_to_author=None)
    built = index(root, answer, again)
    assert [(p.id, p.conversation_id, p.in_reply_to_author) for p in built.posts] == [
        ("1", "1", None), ("2", "1", "bob"), ("3", "1", "acme_support")]
    assert built.post_by_id["3"].conversation_id == "1"
    assert built.parent(built.post_by_id["3"]).id == "2"


def test_a_chain_whose_start_is_not_held_is_rooted_at_the_missing_post():
    reply = replace(post("acme_support", "2026-10-05 11:00", "@bob on it", id="2", mentions=("bob",)),
                    in_reply_to="999", in_reply_to_author="bob")
    built = index(reply)
    assert built.posts[0].conversation_id == "999"
    assert built.parent(built.posts[0]) is None


def test_a_conversation_named_higher_up_the_chain_is_kept():
    root = post("bob", "2026-10-05 10:00", "@acme_support hi", id="1", conversation="c-7", mentions=("acme_support",))
    reply = post("acme_support", "2026-10-05 11:00", "@bob hello", id="2", reply_to=root)
    assert index(root, reply).post_by_id["2"].conversation_id == "c-7"


def test_a_reply_cycle_in_bad_data_ends():
    a = replace(post("bob", "2026-10-05 10:00", "a", id="1"), in_reply_to="2")
    b = replace(post("carol", "2026-10-05 10:05", "b", id="2"), in_reply_to="1")
    built = index(a, b)
    assert {p.id: p.conversation_id for p in built.posts} == {"1": "1", "2": "2"}


def test_replies_are_found_by_conversation_and_replied_to_author():
    root = post("bob", "2026-10-05 10:00", "@acme_support help", id="1", mentions=("acme_support",))
    answer = post("acme_support", "2026-10-05 11:00", "@bob sure", id="2", reply_to=root)
    built = index(root, answer)
    assert [p.id for p in built.replies_to("1", "bob")] == ["2"]
    assert built.replies_to("1", "acme_support") == () and built.replies_to("9", "bob") == ()


def test_replies_in_one_conversation_are_told_apart_by_whom_they_answer():
    # A brand's own post draws several customers into one conversation: each answer is found for its customer.
    launch = post("acme_support", "2026-10-05 09:00", "new plans today", id="1")
    asks = [post(who, f"2026-10-05 10:0{n}", "@acme_support price?", id=f"1{n}", reply_to=launch)
            for n, who in enumerate(("bob", "carol", "bob"))]
    answers = [post("acme_support", f"2026-10-05 11:0{n}", "@x see the site", id=f"2{n}", reply_to=ask)
               for n, ask in enumerate(asks)]
    built = index(launch, *asks, *reversed(answers), post("jdoe", "2026-10-05 12:00", "@bob also", id="30",
                                                             reply_to=asks[0]))
    assert [p.id for p in built.replies_to("1", "bob")] == ["20", "22", "30"]  # in time order, either account
    assert [p.id for p in built.replies_to("1", "carol")] == ["21"]
    assert built.replies_to("1", "dave") == () and built.replies_to("1", "acme_support") == ()


def test_a_conversation_with_many_replies_finds_each_customers_answers():
    # Past a handful, a conversation's replies are filed by whom they answer rather than searched one by one.
    launch = post("acme_support", "2026-10-05 09:00", "new plans today", id="1")
    asks = [post(f"fan{n}", "2026-10-05 10:00", "@acme_support price?", id=f"1{n:02}", reply_to=launch)
            for n in range(40)]
    answers = [post("acme_support", f"2026-10-05 11:{n:02}", "@x see the site", id=f"2{n:02}", reply_to=ask)
               for n, ask in enumerate(asks)]
    again = post("jdoe", "2026-10-05 12:00", "@fan7 and the app", id="300", reply_to=asks[7])
    built = index(launch, *asks, again, *answers)
    assert [[p.id for p in built.replies_to("1", f"fan{n}")] for n in (0, 7, 39)] == [["200"], ["207", "300"], ["239"]]
    assert built.replies_to("1", "dave") == ()


# -- inbound items -----------------------------------------------------------------------------


def test_inbound_posts_are_the_counterparts_posts_addressing_a_roster_account():
    mention = post("bob", "2026-10-05 10:00", "@acme_support hello", id="1", mentions=("acme_support",))
    both = post("carol", "2026-10-05 10:10", "@acme_support @jdoe hi", id="2", mentions=("acme_support", "jdoe"))
    own = post("jdoe", "2026-10-05 10:20", "@acme_support team!", id="3", mentions=("acme_support",))
    repost = post("dave", "2026-10-05 10:30", "@acme_support", id="4", mentions=("acme_support",), repost_of="9")
    stranger = post("erin", "2026-10-05 10:40", "@frank hi", id="5", mentions=("frank",))
    built = index(mention, both, own, repost, stranger)
    assert {handle: [p.id for p in posts] for handle, posts in built.inbound_posts.items()} == {
        "acme_support": ["1", "2"], "jdoe": ["2"]}


def test_a_reply_to_a_roster_account_is_inbound_without_a_mention():
    root = post("acme_support", "2026-10-05 10:00", "News!", id="1")
    reply = post("bob", "2026-10-05 10:30", "great", id="2", reply_to=root, mentions=())
    assert [p.id for p in index(root, reply).inbound_posts["acme_support"]] == ["2"]


# -- the same event twice ----------------------------------------------------------------------


def test_an_event_read_from_two_sources_counts_once():
    one = post("bob", "2026-10-05 10:00", "@acme_support hi", id="1", mentions=("acme_support",))
    built = index(one, one)
    assert [p.id for p in built.posts] == ["1"]
    assert len(built.inbound_posts["acme_support"]) == 1


def test_two_different_events_under_one_id_keep_the_same_one_in_any_order():
    first = post("bob", "2026-10-05 10:00", "first", id="1")
    second = replace(first, text="second")
    assert index(first, second).posts[0].text == index(second, first).posts[0].text


def test_two_different_events_under_one_id_are_counted_and_the_audit_says_so(tmp_path):
    from tests.factories import policy, run

    first = post("bob", "2026-10-05 10:00", "@acme_support my order?", id="1006", mentions=("acme_support",))
    other = post("carol", "2026-10-05 11:00", "@acme_support hello", id="1006", mentions=("acme_support",))
    assert index(first, other).conflicting_ids == 1
    assert index(first, first).conflicting_ids == 0  # the same event twice is no conflict
    result = run(policy(tmp_path, [{"id": "answer", "type": "response_time", "severity": "high", "within": "4h"}]),
                 first, other)
    assert ("1 event id names events of two different authors in the data (a broken export?): one of them is "
            "audited, the other left out") in result.notes
    # One post read twice, once with a little less (an archive and a fetch), is no conflict.
    assert index(first, replace(first, lang="en")).conflicting_ids == 0


def test_of_two_copies_half_a_second_apart_the_one_kept_is_the_one_always_kept():
    # Which copy is kept is decided on the bytes orjson writes (`+00:00` after the seconds): the copy
    # with a fraction of a second sorts after the whole second there, though not where a time ends in `Z`.
    whole = post("bob", "2026-10-05 10:00", "whole second", id="1")
    fraction = replace(whole, created_at=whole.created_at + timedelta(milliseconds=500), text="a fraction later")
    assert index(whole, fraction).posts[0].text == "a fraction later"
    assert index(fraction, whole).posts[0].text == "a fraction later"


def test_the_same_id_on_two_networks_is_two_posts():
    on_x = post("bob", "2026-10-05 10:00", "on x", id="17")
    on_mastodon = replace(on_x, text="on mastodon", platform="mastodon")
    built = index(on_x, on_mastodon)
    assert sorted(p.platform for p in built.posts) == ["mastodon", "x"]
    assert built.event("post", "17").text == "on x"
    assert built.event("post", "17", "mastodon").text == "on mastodon"


# -- DMs and the data's extent -----------------------------------------------------------------


def test_dms_by_conversation_sender_and_recipient():
    asked = dm("bob", "acme_support", "2026-10-05 10:00", "order 5531", id="d1")
    answered = dm("acme_support", "bob", "2026-10-05 10:30", "refunded", id="d2")
    built = index(asked, answered)
    assert [d.id for d in built.dm_conversations["acme_support:bob"]] == ["d1", "d2"]
    assert [d.id for d in built.dms_to["acme_support"]] == ["d1"]
    assert [d.id for d in built.dms_from["acme_support"]] == ["d2"]
    assert built.event("dm", "d2") is answered
    # A customer's DMs are found through the roster account's and their conversation, never by customer.
    assert "bob" not in built.dms_to and "bob" not in built.dms_from and built.accounts == 2


@pytest.mark.parametrize("dms_of, handle, held", [
    (("acme_support",), "acme_support", True),
    (("acme_support",), "jdoe", False),
    ((), "acme_support", False),
])
def test_whose_dms_the_sources_hold(dms_of, handle, held):
    assert index(dms_of=dms_of).holds_dms(handle) is held


def test_whose_dms_several_sources_hold_is_all_of_them_and_one_sources_is_its_own():
    one = SourceInfo("a", "jsonl", events=0, dm_accounts=frozenset({"acme_support", "bob"}))
    other = SourceInfo("b", "jsonl", events=0, dm_accounts=frozenset({"jdoe"}))
    assert Activity(sources=[one, other]).dm_accounts() == {"acme_support", "bob", "jdoe"}
    assert Activity(sources=[one]).dm_accounts() is one.dm_accounts  # a month's file names 100,000s: no copy
    assert Activity().dm_accounts() == frozenset()


def test_a_source_holding_every_accounts_dms_holds_each_one():
    source = SourceInfo("export", "jsonl", events=0, dm_accounts=frozenset({EVERY_ACCOUNT}))
    everyone = ActivityIndex(Activity(sources=[source]), ROSTER)
    assert everyone.holds_dms("jdoe") and everyone.holds_dms("anyone")


def test_first_and_last_event_and_accounts_seen():
    built = index(post("bob", "2026-10-05 10:00", id="1"), dm("jdoe", "carol", "2026-10-07 09:00", id="d1"),
                  post("acme_support", "2026-10-06 12:00", id="2"))
    assert (built.first_event, built.last_event) == (at("2026-10-05 10:00"), at("2026-10-07 09:00"))
    assert built.accounts == 3  # bob, acme_support, jdoe: authors and DM senders


def test_nothing_to_index():
    built = index()
    assert (built.posts, built.dms, built.first_event, built.last_event, built.accounts) == ([], [], None, None, 0)


def test_posts_by_author_are_the_roster_accounts_own_in_time_order():
    late, early = post("acme_support", "2026-10-06 12:00", id="2"), post("acme_support", "2026-10-05 09:00", id="3")
    built = index(post("bob", "2026-10-05 10:00", "@acme_support hi", id="1", mentions=("acme_support",)), late, early)
    # A customer's posts are found by what they address, never by author.
    assert {author: [p.id for p in posts] for author, posts in built.by_author.items()} == {"acme_support": ["3", "2"]}
    assert built.inbound_posts["acme_support"][0].id == "1" and built.accounts == 2


def test_replies_are_the_roster_accounts_answers_by_conversation_and_whom_they_answer():
    asked = post("bob", "2026-10-05 10:00", "@acme_support hi", id="1", mentions=("acme_support",))
    answer = post("acme_support", "2026-10-05 11:00", "@bob hello", id="2", reply_to=asked)
    back = post("bob", "2026-10-05 12:00", "@acme_support thanks", id="3", reply_to=answer)
    aside = post("carol", "2026-10-05 12:30", "@bob same here", id="4", reply_to=asked)
    built = index(asked, answer, back, aside)
    # Only a roster account's replies answer anyone a rule judges; a customer's replies are inbound posts.
    assert [p.id for p in built.replies_to("1", "bob")] == ["2"]
    assert built.replies_to("1", "acme_support") == () and built.replies_to("1", "carol") == ()
    assert [p.id for p in built.inbound_posts["acme_support"]] == ["1", "3"]
