"""A small fake of the X API v2 behind `responses`: the endpoints `auditor fetch` calls, full fields.

Payloads have the shapes X documents (the v2 API reference and OpenAPI spec; the recordings
in shared/data show the default fields): every tweet carries `edit_history_tweet_ids` (oldest
version first), a long post's `text` is cut and `note_tweet.text` holds all of it, ids are
snowflakes whose time matches `created_at`, pages are newest first with `meta.next_token`.
An edited post is a new tweet; the timelines, mentions and search show its latest version.
DM events are `MessageCreate` (a group's carry no `participant_ids`), `ParticipantsJoin` and
`ParticipantsLeave`; one-to-one conversation ids are "{smaller id}-{larger id}"; each user
context sees the DMs of its own user (OAuth 1.0a keys: `me`; OAuth 2.0 tokens: `tokens`).

The fake pages by `page_size`, or by `max_results` when that is smaller, so paging shows up
with a handful of tweets. Recent search refuses `since_id` with `start_time`, as the spec says
("At most one of `start_time`, `since_id` may be provided"). Every request is kept in `calls`
(method, path, query) for assertions; `fail(...)` queues error responses.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import responses

EPOCH_MS = 1288834974657
NOW = datetime(2026, 10, 20, 12, 0, tzinfo=timezone.utc)
API = re.compile(r"https://api\.twitter\.com/2/.*")
# X's answer to a recent search given both (the spec: "At most one of `start_time`, `since_id` may be provided").
EXCLUSIVE_SINCE = {
    "errors": [{"parameters": {"since_id": ["1"], "start_time": ["2026-10-13T12:05:00Z"]},
                "message": "At most one of `start_time`, `since_id` may be provided."}],
    "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
    "type": "https://api.twitter.com/2/problems/invalid-request",
}


def snowflake(moment: datetime, sequence: int = 0) -> str:
    return str(((int(moment.timestamp() * 1000) - EPOCH_MS) << 22) + sequence)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass
class Injected:
    path: str
    status: int
    body: dict
    headers: dict
    times: int


@dataclass
class FakeX:
    users: dict[str, str] = field(default_factory=dict)  # id -> username
    tweets: list[dict] = field(default_factory=list)
    dm_events: list[dict] = field(default_factory=list)
    me: str | None = None  # id of the user the OAuth 1.0a keys belong to
    tokens: dict[str, str] = field(default_factory=dict)  # OAuth 2.0 user token -> its user id
    groups: dict[str, set[str]] = field(default_factory=dict)  # group DM conversation id -> its members
    hidden: set[str] = field(default_factory=set)  # ids of versions an edit replaced
    auth_of: dict[str, set[str]] = field(default_factory=dict)  # path -> how it was asked: app, oauth1, oauth2
    page_size: int = 2
    calls: list[tuple[str, str, dict]] = field(default_factory=list)
    injected: list[Injected] = field(default_factory=list)
    # Called with (path, query) before each answer; a test can raise here to "kill" a run mid-way.
    before_answer: object = None
    _sequence: int = 0

    # -- building data -------------------------------------------------------------------------

    def user(self, user_id: str, username: str) -> str:
        self.users[user_id] = username
        return user_id

    def tweet(self, author: str, text: str, at: datetime, *, reply_to: dict | None = None,
              retweet_of: dict | None = None, quote_of: dict | None = None, lang: str = "en") -> dict:
        self._sequence += 1
        tweet_id = snowflake(at, self._sequence)
        author_id = self._id(author)
        mentions = self._mentions(text)
        tweet = {
            "id": tweet_id, "text": text, "edit_history_tweet_ids": [tweet_id], "author_id": author_id,
            "created_at": iso(at), "conversation_id": reply_to["conversation_id"] if reply_to else tweet_id,
            "lang": lang,
        }
        if len(text) > 280:  # a long post: the tweet's text is cut, the note holds all of it
            tweet["text"] = text[:279] + "\u2026"
            tweet["note_tweet"] = {"text": text}
            if mentions:
                tweet["note_tweet"]["entities"] = {"mentions": mentions}
            mentions = [m for m in mentions if m["end"] <= 279]
        if mentions:
            tweet["entities"] = {"mentions": mentions}
        references = []
        if reply_to:
            tweet["in_reply_to_user_id"] = reply_to["author_id"]
            references.append({"type": "replied_to", "id": reply_to["id"]})
        if retweet_of:
            references.append({"type": "retweeted", "id": retweet_of["id"]})
        if quote_of:
            references.append({"type": "quoted", "id": quote_of["id"]})
        if references:
            tweet["referenced_tweets"] = references
        self.tweets.append(tweet)
        return tweet

    def _mentions(self, text: str) -> list[dict]:
        mentions = []
        for match in re.finditer(r"@(\w+)", text):
            user_id = self._id(match.group(1))
            if user_id:
                mentions.append({"start": match.start(), "end": match.end(), "username": self.users[user_id], "id": user_id})
        return mentions

    def edit(self, tweet: dict, text: str, at: datetime) -> dict:
        """A new version of `tweet`: a new id, the history of every version; the old one leaves the timelines."""
        self._sequence += 1
        new_id = snowflake(at, self._sequence)
        history = [*tweet["edit_history_tweet_ids"], new_id]
        version = {**tweet, "id": new_id, "text": text, "edit_history_tweet_ids": history}
        mentions = self._mentions(text)
        version.pop("entities", None)
        if mentions:
            version["entities"] = {"mentions": mentions}
        for other in self.tweets:
            if other["id"] in history:
                other["edit_history_tweet_ids"] = history
        self.hidden.update(history[:-1])
        self.tweets.append(version)
        return version

    def dm(self, sender: str, recipient: str, text: str, at: datetime, *, attachments: dict | None = None,
           shares: dict | None = None) -> dict:
        self._sequence += 1
        sender_id, recipient_id = self._id(sender), self._id(recipient)
        low, high = sorted((sender_id, recipient_id), key=int)
        event = {"id": snowflake(at, self._sequence), "event_type": "MessageCreate", "text": text,
                 "sender_id": sender_id, "dm_conversation_id": f"{low}-{high}", "created_at": iso(at)}
        if attachments:
            event["attachments"] = attachments
        if shares:
            event["referenced_tweets"] = [{"id": shares["id"]}]
        self.dm_events.append(event)
        return event

    def group(self, conversation_id: str, creator: str, members: list[str], at: datetime) -> dict:
        """A group conversation: the creator adds the members (a ParticipantsJoin event)."""
        self._sequence += 1
        ids = [self._id(m) for m in members]
        self.groups[conversation_id] = {self._id(creator), *ids}
        event = {"id": snowflake(at, self._sequence), "event_type": "ParticipantsJoin", "participant_ids": ids,
                 "sender_id": self._id(creator), "dm_conversation_id": conversation_id, "created_at": iso(at)}
        self.dm_events.append(event)
        return event

    def group_dm(self, sender: str, conversation_id: str, text: str, at: datetime) -> dict:
        """A message to a group: like every MessageCreate, it carries no participant_ids."""
        self._sequence += 1
        event = {"id": snowflake(at, self._sequence), "event_type": "MessageCreate", "text": text,
                 "sender_id": self._id(sender), "dm_conversation_id": conversation_id, "created_at": iso(at)}
        self.dm_events.append(event)
        return event

    def _id(self, username: str) -> str | None:
        for user_id, name in self.users.items():
            if name.lower() == username.lower():
                return user_id
        return None

    def fail(self, path: str, status: int, *, body: dict | None = None, headers: dict | None = None, times: int = 1) -> None:
        """The next `times` requests whose path contains `path` get this answer instead."""
        body = body if body is not None else {"title": "error", "detail": f"injected {status}"}
        self.injected.append(Injected(path, status, body, headers or {}, times))

    # -- serving ---------------------------------------------------------------------------------

    def install(self, mock: responses.RequestsMock) -> None:
        mock.add_callback(responses.GET, API, callback=self._answer)

    def paths(self) -> list[str]:
        return [path for _, path, _ in self.calls]

    def _answer(self, request):
        parts = urlsplit(request.url)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        path = parts.path
        self.calls.append((request.method, path, query))
        self._user = self._authenticated(request)
        if callable(self.before_answer):
            self.before_answer(path, query)
        for injected in self.injected:
            if injected.times > 0 and injected.path in path:
                injected.times -= 1
                return injected.status, {"content-type": "application/json", **injected.headers}, json.dumps(injected.body)
        if path == "/2/tweets/search/recent" and "since_id" in query and "start_time" in query:
            return 400, {"content-type": "application/json"}, json.dumps(EXCLUSIVE_SINCE)
        body = self._route(path, query)
        headers = {"content-type": "application/json", "x-rate-limit-limit": "450", "x-rate-limit-remaining": "449",
                   "x-rate-limit-reset": str(int((NOW + timedelta(minutes=15)).timestamp()))}
        return 200, headers, json.dumps(body)

    def _authenticated(self, request) -> str | None:
        """The user a user-context request is made for; None for the app's bearer token."""
        authorization = request.headers.get("Authorization", "")
        if isinstance(authorization, bytes):
            authorization = authorization.decode()
        path = urlsplit(request.url).path
        if authorization.startswith("OAuth "):
            self.auth_of.setdefault(path, set()).add("oauth1")
            return self.me
        user = self.tokens.get(authorization.removeprefix("Bearer "))
        self.auth_of.setdefault(path, set()).add("app" if user is None else "oauth2")
        return user

    def _route(self, path: str, query: dict) -> dict:
        if match := re.fullmatch(r"/2/users/by/username/(\w+)", path):
            user_id = self._id(match.group(1))
            if user_id is None:
                return {"errors": [{"value": match.group(1), "detail": f"Could not find user with username: [{match.group(1)}].",
                                    "title": "Not Found Error", "resource_type": "user", "parameter": "username",
                                    "resource_id": match.group(1), "type": "https://api.twitter.com/2/problems/resource-not-found"}]}
            return {"data": {"id": user_id, "name": self.users[user_id].title(), "username": self.users[user_id]}}
        if path == "/2/users/me":
            return {"data": {"id": self._user, "name": "Me", "username": self.users[self._user]}}
        shown = [t for t in self.tweets if t["id"] not in self.hidden]
        if match := re.fullmatch(r"/2/users/(\d+)/tweets", path):
            return self._page([t for t in shown if t["author_id"] == match.group(1)], query, "pagination_token")
        if match := re.fullmatch(r"/2/users/(\d+)/mentions", path):
            user_id = match.group(1)
            found = [t for t in shown if t["author_id"] != user_id
                     and any(m["id"] == user_id for m in t.get("entities", {}).get("mentions", []))]
            return self._page(found, query, "pagination_token")
        if path == "/2/tweets/search/recent":
            conversations = set(re.findall(r"conversation_id:(\d+)", query.get("query", "")))
            found = [t for t in shown if t["conversation_id"] in conversations]
            return self._page(found, query, "next_token")
        if path == "/2/dm_events":
            types = query.get("event_types", "MessageCreate,ParticipantsJoin,ParticipantsLeave").split(",")
            mine = [e for e in self.dm_events if e["event_type"] in types and self._sees(e)]
            return self._page(mine, query, "pagination_token", dms=True)
        return {"errors": [{"detail": f"fake: no route for {path}"}]}

    def _sees(self, event: dict) -> bool:
        """A DM event is in the list of the user whose context reads it: one of its people."""
        conversation = event["dm_conversation_id"]
        if "-" in conversation:
            return self._user in conversation.split("-")
        return self._user in self.groups.get(conversation, set())

    def _page(self, items: list[dict], query: dict, token_name: str, dms: bool = False) -> dict:
        items = sorted(items, key=lambda t: int(t["id"]), reverse=True)
        if "since_id" in query:
            items = [t for t in items if int(t["id"]) > int(query["since_id"])]
        if "start_time" in query:
            items = [t for t in items if t["created_at"] >= query["start_time"].replace("Z", ".000Z")]
        offset = int(query.get(token_name, "p0")[1:])
        size = min(self.page_size, int(query.get("max_results", self.page_size)))
        page = items[offset:offset + size]
        meta = {"result_count": len(page)}
        if page:
            meta["newest_id"], meta["oldest_id"] = page[0]["id"], page[-1]["id"]
        if offset + size < len(items):
            meta["next_token"] = f"p{offset + size}"
        body = {"meta": meta}
        if page:
            body["data"] = page
            body["includes"] = self._includes(page, dms)
        return body

    def _includes(self, page: list[dict], dms: bool) -> dict:
        user_ids, tweet_ids = set(), set()
        for item in page:
            if dms:
                user_ids.add(item["sender_id"])
                user_ids.update(item.get("participant_ids", []))
                if "-" in item["dm_conversation_id"]:
                    user_ids.update(item["dm_conversation_id"].split("-"))
                continue
            user_ids.add(item["author_id"])
            if "in_reply_to_user_id" in item:
                user_ids.add(item["in_reply_to_user_id"])
            tweet_ids.update(ref["id"] for ref in item.get("referenced_tweets", []))
        by_id = {t["id"]: t for t in self.tweets}
        included = [by_id[i] for i in sorted(tweet_ids) if i in by_id]
        user_ids.update(t["author_id"] for t in included)
        includes = {"users": [{"id": i, "name": self.users[i].title(), "username": self.users[i]}
                              for i in sorted(user_ids) if i in self.users]}
        if included:
            includes["tweets"] = included
        return includes
