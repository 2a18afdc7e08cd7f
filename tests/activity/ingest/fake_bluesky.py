"""A small fake of a Bluesky PDS and its proxied AppView and chat services, behind httpx's MockTransport.

Answers have the shapes of the lexicons (app.bsky.feed.getAuthorFeed, notification.listNotifications,
feed.getPosts, feed.getPostThread, chat.bsky.convo.listConvos/getMessages, com.atproto.server.createSession), and each
is held to the SDK's own models first (`validated`): the SDK's models allow unknown fields, so
any field a model does not declare fails the test. Pages are newest first with `cursor`.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import httpx

SERVICE = "https://pds.test"
NOW = datetime(2026, 10, 20, 12, 0, tzinfo=timezone.utc)


def _jwt(did: str) -> str:
    def part(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")
    return f"{part({'alg': 'ES256K'})}.{part({'sub': did, 'exp': 4102444800, 'iat': 1700000000, 'scope': 'com.atproto.appPass'})}.c2ln"


def validated(model_name: str, obj: dict) -> dict:
    """`obj` unchanged, once the SDK's model reads it strictly and declares every field it holds."""
    from atproto_client import models
    from atproto_client.models.utils import get_or_create
    from pydantic import BaseModel

    model = models
    for part in model_name.split("."):
        model = getattr(model, part)
    parsed = get_or_create(obj, model, strict=True)

    def walk(value):
        if isinstance(value, BaseModel):
            assert not value.model_extra, f"{type(value).__name__} has no {sorted(value.model_extra)}"
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
    walk(parsed)
    return obj


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass
class FakeBluesky:
    people: dict[str, str] = field(default_factory=dict)  # did -> handle
    passwords: dict[str, str] = field(default_factory=dict)  # handle -> app password
    chat_allowed: set[str] = field(default_factory=set)  # handles whose app password may read DMs
    posts: list[dict] = field(default_factory=list)  # PostView objects, oldest first
    messages: dict[str, list[dict]] = field(default_factory=dict)  # convo id -> MessageView, oldest first
    members: dict[str, list[str]] = field(default_factory=dict)  # convo id -> dids
    page_size: int = 2
    calls: list[tuple[str, dict]] = field(default_factory=list)
    failures: list[list] = field(default_factory=list)  # [method, status, times, headers, body]
    before_answer: object = None
    sessions: dict[str, str] = field(default_factory=dict)  # access token -> handle
    _rkey: int = 0

    def person(self, did: str, handle: str) -> str:
        self.people[did] = handle
        return did

    def profile(self, did: str) -> dict:
        return {"did": did, "handle": self.people[did], "displayName": self.people[did].split(".")[0].title()}

    def post(self, did: str, text: str, at: datetime, reply_to: dict | None = None, mention: str | None = None) -> dict:
        self._rkey += 1
        uri = f"at://{did}/app.bsky.feed.post/3l{self._rkey:06d}"
        record = {"$type": "app.bsky.feed.post", "text": text, "createdAt": iso(at), "langs": ["en"]}
        if mention:
            start = text.index("@")
            record["facets"] = [{"index": {"byteStart": start, "byteEnd": start + 1 + len(self.people[mention])},
                                 "features": [{"$type": "app.bsky.richtext.facet#mention", "did": mention}]}]
        if reply_to:
            root = reply_to["record"].get("reply", {}).get("root") or {"uri": reply_to["uri"], "cid": reply_to["cid"]}
            record["reply"] = {"root": root, "parent": {"uri": reply_to["uri"], "cid": reply_to["cid"]}}
        view = {"uri": uri, "cid": f"bafyreig{self._rkey:052d}", "author": self.profile(did), "record": record,
                "indexedAt": iso(at), "replyCount": 0, "repostCount": 0, "likeCount": 0, "quoteCount": 0, "labels": []}
        validated("AppBskyFeedDefs.PostView", view)
        self.posts.append(view)
        return view

    def message(self, convo: str, did: str, text: str, at: datetime) -> None:
        items = self.messages.setdefault(convo, [])
        items.append({"id": f"3m{convo}{len(items):04d}", "rev": f"r{len(items):04d}", "text": text,
                      "sender": {"did": did}, "sentAt": iso(at)})

    def fail(self, method: str, status: int, times: int = 1, headers: dict | None = None, body: dict | None = None):
        self.failures.append([method, status, times, headers or {}, body or {"error": "InternalServerError"}])

    # -- the transport -------------------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._answer)

    def client_factory(self, service: str):
        from atproto import Client
        from atproto_client.request import Request

        return Client(base_url=service, request=Request(transport=self.transport()))

    def _answer(self, request: httpx.Request) -> httpx.Response:
        method = request.url.path.removeprefix("/xrpc/")
        query = {k: v for k, v in request.url.params.multi_items()}
        self.calls.append((method, query))
        if self.before_answer is not None:
            self.before_answer(method, query)
        for failure in self.failures:
            if failure[0] == method and failure[2] > 0:
                failure[2] -= 1
                return httpx.Response(failure[1], headers=failure[3], json=failure[4])
        if method == "com.atproto.server.createSession":
            body = json.loads(request.content)
            handle = body["identifier"]
            if self.passwords.get(handle) != body["password"]:
                return httpx.Response(401, json={"error": "AuthenticationRequired", "message": "Invalid identifier or password"})
            did = next(d for d, h in self.people.items() if h == handle)
            token = f"access-{handle}"
            self.sessions[token] = handle
            answer = {"accessJwt": _jwt(did), "refreshJwt": _jwt(did), "handle": handle, "did": did, "active": True}
            self.sessions[answer["accessJwt"]] = handle
            return httpx.Response(200, json=validated("ComAtprotoServerCreateSession.Response", answer))
        me = self.sessions.get((request.headers.get("authorization") or "").removeprefix("Bearer "))
        if me is None:
            return httpx.Response(401, json={"error": "AuthenticationRequired", "message": "Authentication Required"})
        if method == "app.bsky.feed.getAuthorFeed":
            actor = query["actor"]
            items = []
            for view in reversed(self.posts):
                if view["author"]["handle"] != actor:
                    continue
                item = {"post": view}
                reply = view["record"].get("reply")
                if reply:
                    parent = next(p for p in self.posts if p["uri"] == reply["parent"]["uri"])
                    root = next(p for p in self.posts if p["uri"] == reply["root"]["uri"])
                    item["reply"] = {"root": {"$type": "app.bsky.feed.defs#postView", **root},
                                     "parent": {"$type": "app.bsky.feed.defs#postView", **parent}}
                items.append(item)
            return self._page(items, query, "feed", "AppBskyFeedGetAuthorFeed.Response")
        if method == "app.bsky.notification.listNotifications":
            mine = next(d for d, h in self.people.items() if h == me)
            items = []
            for view in reversed(self.posts):
                if view["author"]["did"] == mine:
                    continue
                reply = view["record"].get("reply")
                mentioned = any(f["did"] == mine for facet in view["record"].get("facets", []) for f in facet["features"])
                if reply and reply["parent"]["uri"].startswith(f"at://{mine}/"):
                    reason = "reply"
                elif mentioned:
                    reason = "mention"
                else:
                    continue
                items.append({"uri": view["uri"], "cid": view["cid"], "author": view["author"], "reason": reason,
                              "record": view["record"], "isRead": False, "indexedAt": view["indexedAt"], "labels": []})
            return self._page(items, query, "notifications", "AppBskyNotificationListNotifications.Response")
        if method == "app.bsky.feed.getPostThread":
            view = next((p for p in self.posts if p["uri"] == query["uri"]), None)
            if view is None:
                return httpx.Response(400, json={"error": "NotFound", "message": f"Post not found: {query['uri']}"})
            depth = int(query.get("depth") or 6)

            def node(post: dict, level: int) -> dict:
                found = {"$type": "app.bsky.feed.defs#threadViewPost", "post": post}
                if level < depth:
                    found["replies"] = [node(p, level + 1) for p in self.posts
                                        if p["record"].get("reply", {}).get("parent", {}).get("uri") == post["uri"]]
                return found
            return httpx.Response(200, json=validated("AppBskyFeedGetPostThread.Response", {"thread": node(view, 0)}))
        if method == "app.bsky.feed.getPosts":
            wanted = request.url.params.get_list("uris")
            answer = {"posts": [p for p in self.posts if p["uri"] in wanted]}
            return httpx.Response(200, json=validated("AppBskyFeedGetPosts.Response", answer))
        if method.startswith("chat.bsky.convo."):
            if me not in self.chat_allowed:
                return httpx.Response(401, json={"error": "InvalidToken", "message": "Bad token scope"})
            if method == "chat.bsky.convo.listConvos":
                convos = []
                for convo, items in self.messages.items():
                    last = items[-1]
                    convos.append({"id": convo, "rev": last["rev"], "members": [self.profile(d) for d in self.members[convo]],
                                   "muted": False, "unreadCount": 0, "lastMessage":
                                   {"$type": "chat.bsky.convo.defs#messageView", **last}})
                convos.sort(key=lambda c: c["lastMessage"]["sentAt"], reverse=True)
                return self._page(convos, query, "convos", "ChatBskyConvoListConvos.Response")
            if method == "chat.bsky.convo.getMessages":
                items = [{"$type": "chat.bsky.convo.defs#messageView", **m} for m in reversed(self.messages[query["convoId"]])]
                return self._page(items, query, "messages", "ChatBskyConvoGetMessages.Response")
        return httpx.Response(400, json={"error": "MethodNotImplemented", "message": method})

    def _page(self, items: list, query: dict, key: str, model: str) -> httpx.Response:
        start = int(query.get("cursor") or 0)
        size = min(self.page_size, int(query.get("limit") or 50))
        answer = {key: items[start:start + size]}
        if start + size < len(items):
            answer["cursor"] = str(start + size)
        return httpx.Response(200, json=validated(model, answer))


def scenario() -> FakeBluesky:
    """acme.bsky.social (app password with DM access) and its customers: a reply, a mention, a DM."""
    fake = FakeBluesky()
    acme = fake.person("did:plc:acme", "acme.bsky.social")
    carol = fake.person("did:plc:carol", "carol.bsky.social")
    erin = fake.person("did:plc:erin", "erin.bsky.social")
    fake.passwords["acme.bsky.social"] = "abcd-efgh-ijkl-mnop"
    fake.chat_allowed.add("acme.bsky.social")
    news = fake.post(acme, "Our autumn release is out", NOW - timedelta(days=5))
    ask = fake.post(carol, "it broke my setup, how do I roll back?", NOW - timedelta(days=4), reply_to=news)
    fake.post(acme, "sorry! DM us your order number", NOW - timedelta(days=4, hours=-2), reply_to=ask)
    fake.post(erin, "@acme.bsky.social is there a student discount?", NOW - timedelta(days=3), mention=acme)
    fake.members["c1"] = [acme, carol]
    fake.message("c1", carol, "order 5531", NOW - timedelta(days=3, hours=-1))
    fake.message("c1", acme, "thanks, refund on its way", NOW - timedelta(days=3, hours=-2))
    return fake
