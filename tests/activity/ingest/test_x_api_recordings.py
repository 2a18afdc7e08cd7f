"""`fetch` replayed from tweepy's own recordings of real X API calls (shared/data/x-api-recordings).

The recordings carry default fields only (id, text, edit_history_tweet_ids): they check the
transport (gzip bodies, rate-limit headers, tweepy through our client factory), the paging
(the recorded `next_token` is sent back) and that default-field payloads are left out with a
reason instead of breaking the run. The mapping to events is tested on full-field payloads in
test_x_api.py.
"""

from __future__ import annotations

import json

import pytest
import requests
import responses
import vcr
import yaml

from auditor.activity.ingest import x_api_events
from auditor.activity.ingest.x_api import default_client_factory, fetch
from auditor.activity.store import Store
from tests.factories import policy as make_policy
from tests.shared_data import shared
from tests.activity.ingest.support import APP_ENV

EMPTY_PAGE = {"meta": {"result_count": 0}}


def interactions(name: str) -> list[dict]:
    return yaml.safe_load(shared("x-api-recordings", name).read_text())["interactions"]


def final_page(uri: str) -> dict:
    """A last page (no next_token) in the recordings' own format, for the page after a recorded one."""
    return {"request": {"body": None, "headers": {}, "method": "GET", "uri": uri},
            "response": {"status": {"code": 200, "message": "OK"},
                         "headers": {"content-type": ["application/json; charset=utf-8"]},
                         "body": {"string": json.dumps(EMPTY_PAGE)}}}


def ipath(r1, r2):
    # The recording asked for "Twitter", a roster handle is compared lowercased.
    assert r1.path.lower() == r2.path.lower()


@pytest.fixture
def twitter_policy(tmp_path):
    return make_policy(tmp_path, [{"id": "a", "type": "response_time", "severity": "high", "within": "4h"}],
                       accounts=[{"handle": "Twitter", "kind": "brand"}])


def test_fetch_replays_recorded_user_timeline_and_mentions_pages(tmp_path, twitter_policy):
    # One cassette from three recordings, plus the page after each recorded one.
    cassette = {"version": 1, "interactions": [
        *interactions("test_client_get_user.yaml"),
        *interactions("test_client_get_users_tweets.yaml"),
        final_page("https://api.twitter.com/2/users/783214/tweets"),
        *interactions("test_client_get_users_mentions.yaml"),
        final_page("https://api.twitter.com/2/users/783214/mentions"),
    ]}
    (tmp_path / "cassette.yaml").write_text(yaml.safe_dump(cassette))
    # vcrpy 9.4 with urllib3 2.x replays gzip bodies still compressed: let vcrpy decode them on load.
    replay = vcr.VCR(record_mode="none", match_on=["method", "scheme", "host", "ipath"], decode_compressed_response=True)
    replay.register_matcher("ipath", ipath)
    lines, uris = [], []

    def recording_client(credentials):
        client = default_client_factory(credentials)
        send = client.session.request

        def request(method, url, **kwargs):
            uris.append(requests.Request(method, url, params=kwargs.get("params")).prepare().url)
            return send(method, url, **kwargs)

        client.session.request = request
        return client

    with replay.use_cassette(str(tmp_path / "cassette.yaml")) as played:
        summary = fetch(twitter_policy, tmp_path / "s.db", env=APP_ENV, sleep=lambda s: None, progress=lines.append,
                        client_factory=recording_client)
    assert played.all_played
    recorded_tokens = [json.loads(_body(i))["meta"]["next_token"] for i in
                       (interactions("test_client_get_users_tweets.yaml")[0], interactions("test_client_get_users_mentions.yaml")[0])]
    assert f"pagination_token={recorded_tokens[0]}" in uris[2]
    assert f"pagination_token={recorded_tokens[1]}" in uris[4]
    assert all("tweet.fields=created_at" in uri for uri in uris[1:])
    # Default-field tweets name no author and no time: left out, each with its reason, nothing breaks.
    assert summary.accounts[0].fetched == {"posts": 2, "mentions": 10, "conversations": 0}
    assert sum("left out tweet" in line and "author unknown" in line for line in lines) == 12
    with Store(tmp_path / "s.db") as store:
        assert store.count() == {}
        assert {(r.endpoint, r.status) for r in store.coverage()} == {
            ("posts", "ok"), ("mentions", "ok"), ("conversations", "ok"), ("dms", "not_fetched")}
        assert store.fetch_state("twitter", "mentions").newest_id == "1578516295611748353"


def test_recorded_rate_limit_headers_and_gzip_bodies_pass_through_responses(tmp_path, twitter_policy):
    """The decoded recordings served by `responses`: the same run, another transport fake."""
    decoded = shared("x-api-recordings", "decoded")
    user = json.loads((decoded / "test_client_get_user.json").read_text())[0]
    mentions = json.loads((decoded / "test_client_get_users_mentions.json").read_text())[0]
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        mock.get("https://api.twitter.com/2/users/by/username/twitter", json=user["response_json"], headers=user["rate_limit"])
        mock.get("https://api.twitter.com/2/users/783214/tweets", json=EMPTY_PAGE)
        mock.get("https://api.twitter.com/2/users/783214/mentions", json=mentions["response_json"], headers=mentions["rate_limit"])
        mock.get("https://api.twitter.com/2/users/783214/mentions", json=EMPTY_PAGE)
        summary = fetch(twitter_policy, tmp_path / "s.db", env=APP_ENV, sleep=lambda s: None, progress=lambda line: None)
        assert mock.calls[3].request.params["pagination_token"] == mentions["response_json"]["meta"]["next_token"]
    assert summary.accounts[0].failures == {} and set(summary.accounts[0].not_fetched) == {"dms"}


def test_recorded_dm_events_shape_without_fields_is_reported_not_fatal():
    recorded = json.loads((shared("x-api-recordings", "decoded") / "test_manage_and_lookup_direct_messages.json").read_text())
    page = next(r["response_json"] for r in recorded if r["request"]["uri"].endswith("/dm_events") and "data" in r["response_json"])
    dms, problems = x_api_events.page_dms(page, {})
    assert dms == [] and len(problems) == 2 and all("no id or no sender_id" in p for p in problems)
    # With the fields a fetch asks for, the same events map (1-to-1 conversation ids are "{low}-{high}").
    full = {"data": [{**event, "sender_id": "1072250532645998596", "dm_conversation_id": "750362064426721281-1072250532645998596",
                      "created_at": "2022-10-28T01:23:00.000Z"} for event in page["data"]],
            "includes": {"users": [{"id": "1072250532645998596", "username": "TweepyDev"}]}}
    dms, problems = x_api_events.page_dms(full, x_api_events.user_handles(full))
    assert problems == []
    assert [(d.sender, d.recipients, d.text) for d in dms] == [
        ("tweepydev", ("750362064426721281",), "Testing 2"), ("tweepydev", ("750362064426721281",), "Testing 1")]


def _body(interaction: dict) -> bytes:
    import gzip

    body = interaction["response"]["body"]["string"]
    return gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body
