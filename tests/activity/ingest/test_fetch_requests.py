"""What `fetch` asks the X API, and what it makes of the answers, against payloads in X's documented shapes.

Recent search refuses `since_id` with `start_time` (the fake answers 400 as the spec allows);
long posts come cut with the whole text in `note_tweet`; an edit is a new tweet whose
`edit_history_tweet_ids` lists every version; group DMs carry no `participant_ids` on their
messages; OAuth 2.0 user tokens read the DMs of the user they belong to.
"""

from __future__ import annotations

import inspect
import re
import sqlite3
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest

from auditor.activity.store import Store
from auditor.activity.sources.store_reader import read_store
from tests.activity.ingest.fake_x import NOW
from tests.activity.ingest.support import APP_ENV, BEARER, run_fetch as run, requests_to

ROOT = Path(__file__).resolve().parents[3]


def gaps(path) -> dict:
    with Store(path) as store:
        return {(r.account, r.endpoint): r.reason for r in store.coverage() if r.status != "ok"}


NOT_FETCHED = {("jdoe", "dms"): "not fetched: the user-context keys are @acme_support's"}


# -- recent search: since_id or start_time, never both ---------------------------------------------


def test_recent_search_never_gets_since_id_and_start_time_together(fake, roster_policy, tmp_path):
    """The first run searches every conversation from the window's start; the next one asks the conversations
    it searched for newer replies (since_id) and a new conversation for all of its replies (start_time)."""
    run(roster_policy, tmp_path / "s.db")
    first = requests_to(fake, "/search/recent")
    assert first and all("start_time" in q and "since_id" not in q for q in first)
    old_conversation = first[0]["query"].split(" OR ")[0].split(":")[1]
    # Between the runs: a reply in a conversation searched before, and a new post of @acme_support with a
    # reply that does not mention it (only search finds it), posted before the new post was fetched.
    root = next(t for t in fake.tweets if t["id"] == old_conversation)
    fake.tweet("carol", "me too", NOW + timedelta(hours=1), reply_to=root)
    fresh = fake.tweet("acme_support", "Spring sale starts now", NOW + timedelta(hours=2))
    fake.tweet("bob", "nice, what's on sale?", NOW + timedelta(hours=3), reply_to=fresh)
    fake.calls.clear()

    run(roster_policy, tmp_path / "s.db", now=NOW + timedelta(hours=4))
    searches = requests_to(fake, "/search/recent")
    assert searches and all(("since_id" in q) != ("start_time" in q) for q in searches)
    by_mode = {mode: " OR ".join(q["query"] for q in searches if mode in q) for mode in ("since_id", "start_time")}
    assert f"conversation_id:{fresh['id']}" == by_mode["start_time"]
    assert f"conversation_id:{fresh['id']}" not in by_mode["since_id"] and old_conversation in by_mode["since_id"]
    assert gaps(tmp_path / "s.db") == NOT_FETCHED  # the stub refuses both together: nothing was refused
    texts = {p.text for p in read_store(tmp_path / "s.db").posts}
    assert {"me too", "nice, what's on sale?"} <= texts


def test_the_stub_refuses_both_as_x_may(fake):
    """The fake itself: both parameters together are a 400 invalid-request, as the spec permits."""
    import requests

    answer = requests.get("https://api.twitter.com/2/tweets/search/recent",
                          params={"query": "conversation_id:1", "since_id": "1", "start_time": "2026-10-13T12:05:00Z"},
                          headers={"Authorization": f"Bearer {BEARER}"}, timeout=5)
    assert answer.status_code == 400
    assert "At most one of `start_time`, `since_id` may be provided." in answer.text


def test_timelines_get_start_time_on_a_first_fetch_and_since_id_after(fake, roster_policy, tmp_path):
    run(roster_policy, tmp_path / "s.db")
    timelines = [q for _, path, q in fake.calls if re.fullmatch(r"/2/users/\d+/(tweets|mentions)", path)]
    assert all(q["start_time"] == "2026-09-20T12:00:00Z" and "since_id" not in q for q in timelines)
    fake.calls.clear()
    run(roster_policy, tmp_path / "s.db")
    timelines = [q for _, path, q in fake.calls if re.fullmatch(r"/2/users/\d+/(tweets|mentions)", path)]
    assert timelines and all("since_id" in q and "start_time" not in q for q in timelines)


# -- long posts, languages, edits ------------------------------------------------------------------


def test_a_long_post_is_read_whole_from_its_note_with_its_language(fake, roster_policy, tmp_path):
    long_text = ("@bob " + "Thanks for waiting. " * 20 + "We refunded order 5531 today, @jdoe has the details.")
    assert len(long_text) > 280
    fake.tweet("acme_support", long_text, NOW - timedelta(hours=2))
    fake.tweet("carol", "Dupliqué sin darme cuenta una tabla", NOW - timedelta(hours=3), lang="es",
               reply_to=fake.tweets[0])
    run(roster_policy, tmp_path / "s.db")
    posts = {p.text: p for p in read_store(tmp_path / "s.db").posts}
    assert long_text in posts  # not the text cut at 280 characters
    assert posts[long_text].mentions == ("bob", "jdoe")  # the note's mentions: @jdoe is past the cut
    assert posts["Dupliqué sin darme cuenta una tabla"].lang == "es"
    assert posts[long_text].lang == "en"


def test_an_edited_post_is_kept_once_in_its_latest_version_and_references_follow_it(fake, roster_policy, tmp_path):
    original = fake.tweet("acme_support", "Our store opens at 9", NOW - timedelta(hours=6))
    reply = fake.tweet("bob", "@acme_support which store?", NOW - timedelta(hours=5), reply_to=original)
    run(roster_policy, tmp_path / "s.db")
    assert "Our store opens at 9" in {p.text for p in read_store(tmp_path / "s.db").posts}

    latest = fake.edit(original, "Our Toronto store opens at 9", NOW - timedelta(hours=4))
    summary = run(roster_policy, tmp_path / "s.db")
    activity = read_store(tmp_path / "s.db")
    versions = [p for p in activity.posts if "store opens at 9" in p.text]
    assert [(p.id, p.text) for p in versions] == [(latest["id"], "Our Toronto store opens at 9")]
    # The reply X links to the first version now answers the version kept.
    [answer] = [p for p in activity.posts if p.id == reply["id"]]
    assert answer.in_reply_to == latest["id"]
    assert summary.added == 1  # the new version; the earlier one went
    with sqlite3.connect(tmp_path / "s.db") as db:
        assert db.execute("SELECT id, latest_id FROM post_edits").fetchall() == [(original["id"], latest["id"])]
        assert db.execute("SELECT count(*) FROM events WHERE id = ?", (original["id"],)).fetchone() == (0,)


def test_an_earlier_version_read_after_the_latest_is_left_out(fake, roster_policy, tmp_path):
    original = fake.tweet("acme_support", "Sale ends Friday", NOW - timedelta(hours=6))
    fake.edit(original, "Sale ends Saturday", NOW - timedelta(hours=5))
    # A customer quotes the first version: it comes back in includes, naming the whole history.
    fake.tweet("bob", "@acme_support so which day?", NOW - timedelta(hours=4), quote_of=original)
    run(roster_policy, tmp_path / "s.db")
    texts = [p.text for p in read_store(tmp_path / "s.db").posts]
    assert "Sale ends Saturday" in texts and "Sale ends Friday" not in texts


def test_an_earlier_version_whose_latest_is_not_read_is_kept_until_the_latest_comes(fake, roster_policy, tmp_path):
    """A customer's edited post that the account quoted: only the quoted (first) version comes, in includes."""
    original = fake.tweet("carol", "Acme lost my parcel", NOW - timedelta(hours=6))
    latest = fake.edit(original, "Acme lost my parcel, found now", NOW - timedelta(hours=5))
    quote = fake.tweet("acme_support", "We are on it", NOW - timedelta(hours=4), quote_of=original)
    run(roster_policy, tmp_path / "s.db")
    posts = {p.id: p for p in read_store(tmp_path / "s.db").posts}
    assert posts[original["id"]].text == "Acme lost my parcel" and posts[quote["id"]].quote_of == original["id"]
    # The latest version arrives (it now mentions the account): it replaces the first, and the quote follows it.
    latest["text"] = "@acme_support lost my parcel, found now"
    latest["entities"] = {"mentions": [{"start": 0, "end": 13, "username": "acme_support", "id": "100"}]}
    run(roster_policy, tmp_path / "s.db", now=NOW + timedelta(hours=1))
    posts = {p.id: p for p in read_store(tmp_path / "s.db").posts}
    assert original["id"] not in posts and posts[quote["id"]].quote_of == latest["id"]


# -- DMs: groups, media, shared posts ----------------------------------------------------------------


def test_group_dms_name_their_recipients_from_the_group_s_people(fake, roster_policy, tmp_path):
    fake.user("400", "dave")
    fake.group("1578398451921985538", "bob", ["acme_support", "carol", "dave"], NOW - timedelta(hours=10))
    fake.group_dm("bob", "1578398451921985538", "we three have the same problem", NOW - timedelta(hours=9))
    fake.group_dm("acme_support", "1578398451921985538", "looking into it for all of you", NOW - timedelta(hours=8))
    run(roster_policy, tmp_path / "s.db")
    dms = {d.text: d for d in read_store(tmp_path / "s.db").dms}
    assert dms["we three have the same problem"].recipients == ("acme_support", "carol", "dave")
    assert dms["looking into it for all of you"].recipients == ("bob", "carol", "dave")
    assert dms["looking into it for all of you"].conversation_id == "1578398451921985538"
    assert gaps(tmp_path / "s.db") == NOT_FETCHED  # no DM was left out for want of a recipient


def test_a_group_s_people_learnt_on_a_later_page_complete_the_dms_stored_before(fake, roster_policy, tmp_path):
    """Pages come newest first: the account's message is read before the join event that names the group."""
    fake.dm_events.clear()
    fake.group("777", "carol", ["acme_support", "bob"], NOW - timedelta(hours=10))
    fake.group_dm("acme_support", "777", "hello both", NOW - timedelta(hours=9))
    fake.group_dm("acme_support", "777", "anyone there?", NOW - timedelta(hours=8))
    fake.page_size = 2
    run(roster_policy, tmp_path / "s.db")
    dms = {d.text: d.recipients for d in read_store(tmp_path / "s.db").dms}
    assert dms == {"hello both": ("bob", "carol"), "anyone there?": ("bob", "carol")}


def test_a_media_only_dm_and_a_shared_post_say_what_they_carry(fake, roster_policy, tmp_path):
    shared = fake.tweets[1]
    fake.dm("bob", "acme_support", "", NOW - timedelta(hours=3), attachments={"media_keys": ["3_1", "3_2"]})
    fake.dm("bob", "acme_support", "", NOW - timedelta(hours=2), shares=shared)
    run(roster_policy, tmp_path / "s.db")
    texts = {d.text for d in read_store(tmp_path / "s.db").dms if d.sender == "bob"}
    assert {"[2 media items]", f"[shared post {shared['id']}]"} <= texts


# -- user context: OAuth 2.0 tokens beside OAuth 1.0a keys -----------------------------------------------


def test_oauth2_user_tokens_read_the_dms_of_each_account_they_belong_to(fake, roster_policy, tmp_path):
    fake.tokens = {"oauth2-token-of-acme-0123456789": "100", "oauth2-token-of-jdoe-0123456789": "101"}
    fake.dm("bob", "jdoe", "@jdoe can you call me?", NOW - timedelta(hours=4))
    env = {**APP_ENV, "X_OAUTH2_USER_TOKEN": "oauth2-token-of-acme-0123456789,oauth2-token-of-jdoe-0123456789"}
    summary = run(roster_policy, tmp_path / "s.db", env=env)
    assert summary.exit_code == 0 and gaps(tmp_path / "s.db") == {}
    dms = read_store(tmp_path / "s.db").dms
    assert {(d.sender, d.recipients) for d in dms} == {
        ("bob", ("acme_support",)), ("acme_support", ("bob",)), ("carol", ("acme_support",)), ("bob", ("jdoe",))}
    with Store(tmp_path / "s.db") as store:
        assert set(store.spans("dms")) == {("acme_support", "dms"), ("jdoe", "dms")}
    # Each account's posts and mentions went through its own token, not the app's bearer token.
    assert summary.reads.reads.get("owned_posts") is None  # OAuth 2.0 tokens: not known to be the app owner's


def test_a_user_context_request_is_made_with_that_user_s_token(api, roster_policy, tmp_path):
    from tests.activity.ingest.support import scenario

    fake = scenario()
    seen = []
    answer = fake._answer

    def recording(request):
        seen.append((request.url.split("?")[0].removeprefix("https://api.twitter.com"), request.headers["Authorization"]))
        return answer(request)

    fake._answer = recording
    fake.install(api)
    fake.tokens = {"oauth2-token-of-jdoe-0123456789": "101"}
    run(roster_policy, tmp_path / "s.db", env={**APP_ENV, "X_OAUTH2_USER_TOKEN": "oauth2-token-of-jdoe-0123456789"})
    auth = dict(seen)
    assert auth["/2/users/me"] == "Bearer oauth2-token-of-jdoe-0123456789"
    assert auth["/2/users/101/tweets"] == "Bearer oauth2-token-of-jdoe-0123456789"
    assert auth["/2/dm_events"] == "Bearer oauth2-token-of-jdoe-0123456789"
    assert auth["/2/users/100/tweets"] == f"Bearer {BEARER}"


def test_an_expired_oauth2_token_stops_the_run_with_one_line_naming_it(fake, roster_policy, tmp_path):
    from auditor.activity.ingest.x_credentials import CredentialsError

    fake.fail("/2/users/me", 401, body={"title": "Unauthorized", "type": "about:blank", "status": 401,
                                        "detail": "Unauthorized"})
    env = {**APP_ENV, "X_OAUTH2_USER_TOKEN": "expired-token-0123456789,other-token-0123456789"}
    with pytest.raises(CredentialsError) as caught:
        run(roster_policy, tmp_path / "s.db", env=env)
    assert str(caught.value) == ("the X API refused the credentials (401 Unauthorized) for who X_OAUTH2_USER_TOKEN (token 1) "
                       "belongs to: check X_OAUTH2_USER_TOKEN (token 1) (OAuth 2.0 user tokens expire after two "
                       "hours: refresh it)")


# -- the tweepy floor --------------------------------------------------------------------------------


def test_pyproject_asks_for_the_tweepy_whose_rate_limit_error_has_a_reset_time():
    import tweepy

    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    [floor] = [re.match(r"tweepy>=([\d.]+)", d).group(1) for d in dependencies if d.startswith("tweepy")]
    assert tuple(map(int, floor.split("."))) >= (4, 17)
    assert "reset_time" in inspect.signature(tweepy.TooManyRequests).parameters
