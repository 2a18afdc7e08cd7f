"""A small fake of the X API v2 behind `responses`: the endpoints `auditor fetch` calls, full fields.

Payloads have the shapes X documents (and the recordings in shared/data show for the default
fields): every tweet carries `edit_history_tweet_ids`, ids are snowflakes whose time matches
`created_at`, pages are newest first with `meta.next_token`. The fake pages by `page_size`
whatever `max_results` asks, so paging shows up with a handful of tweets. Every request is
kept in `calls` (method, path, query) for assertions; `fail(...)` queues error responses.
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
              retweet_of: dict | None = None, quote_of: dict | None = None) -> dict:
        self._sequence += 1
        tweet_id = snowflake(at, self._sequence)
        author_id = self._id(author)
        mentions = []
        for match in re.finditer(r"@(\w+)", text):
            user_id = self._id(match.group(1))
            if user_id:
                mentions.append({"start": match.start(), "end": match.end(), "username": self.users[user_id], "id": user_id})
        tweet = {
            "id": tweet_id, "text": text, "edit_history_tweet_ids": [tweet_id], "author_id": author_id,
            "created_at": iso(at), "conversation_id": reply_to["conversation_id"] if reply_to else tweet_id,
        }
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

    def dm(self, sender: str, recipient: str, text: str, at: datetime) -> dict:
        self._sequence += 1
        sender_id, recipient_id = self._id(sender), self._id(recipient)
        low, high = sorted((sender_id, recipient_id), key=int)
        event = {"id": snowflake(at, self._sequence), "event_type": "MessageCreate", "text": text,
                 "sender_id": sender_id, "dm_conversation_id": f"{low}-{high}", "created_at": iso(at)}
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
        if callable(self.before_answer):
            self.before_answer(path, query)
        for injected in self.injected:
            if injected.times > 0 and injected.path in path:
                injected.times -= 1
                return injected.status, {"content-type": "application/json", **injected.headers}, json.dumps(injected.body)
        body = self._route(path, query)
        headers = {"content-type": "application/json", "x-rate-limit-limit": "450", "x-rate-limit-remaining": "449",
                   "x-rate-limit-reset": str(int((NOW + timedelta(minutes=15)).timestamp()))}
        return 200, headers, json.dumps(body)

    def _route(self, path: str, query: dict) -> dict:
        if match := re.fullmatch(r"/2/users/by/username/(\w+)", path):
            user_id = self._id(match.group(1))
            if user_id is None:
                return {"errors": [{"value": match.group(1), "detail": f"Could not find user with username: [{match.group(1)}].",
                                    "title": "Not Found Error", "resource_type": "user", "parameter": "username",
                                    "resource_id": match.group(1), "type": "https://api.twitter.com/2/problems/resource-not-found"}]}
            return {"data": {"id": user_id, "name": self.users[user_id].title(), "username": self.users[user_id]}}
        if path == "/2/users/me":
            return {"data": {"id": self.me, "name": "Me", "username": self.users[self.me]}}
        if match := re.fullmatch(r"/2/users/(\d+)/tweets", path):
            return self._page([t for t in self.tweets if t["author_id"] == match.group(1)], query, "pagination_token")
        if match := re.fullmatch(r"/2/users/(\d+)/mentions", path):
            user_id = match.group(1)
            found = [t for t in self.tweets if t["author_id"] != user_id
                     and any(m["id"] == user_id for m in t.get("entities", {}).get("mentions", []))]
            return self._page(found, query, "pagination_token")
        if path == "/2/tweets/search/recent":
            conversations = set(re.findall(r"conversation_id:(\d+)", query.get("query", "")))
            found = [t for t in self.tweets if t["conversation_id"] in conversations]
            return self._page(found, query, "next_token")
        if path == "/2/dm_events":
            return self._page(self.dm_events, query, "pagination_token", dms=True)
        return {"errors": [{"detail": f"fake: no route for {path}"}]}

    def _page(self, items: list[dict], query: dict, token_name: str, dms: bool = False) -> dict:
        items = sorted(items, key=lambda t: int(t["id"]), reverse=True)
        if "since_id" in query:
            items = [t for t in items if int(t["id"]) > int(query["since_id"])]
        if "start_time" in query:
            items = [t for t in items if t["created_at"] >= query["start_time"].replace("Z", ".000Z")]
        offset = int(query.get(token_name, "p0")[1:])
        page = items[offset:offset + self.page_size]
        meta = {"result_count": len(page)}
        if page:
            meta["newest_id"], meta["oldest_id"] = page[0]["id"], page[-1]["id"]
        if offset + self.page_size < len(items):
            meta["next_token"] = f"p{offset + self.page_size}"
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
