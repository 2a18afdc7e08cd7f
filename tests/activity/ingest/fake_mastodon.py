"""A small fake of a Mastodon instance's REST API behind `responses`: what `auditor fetch` calls.

Payloads have the shapes Mastodon documents (docs.joinmastodon.org, entities Status, Account,
Notification, Conversation, Context) and every one is held to Mastodon.py's own entity classes
(`mastodon.return_types`): a key that is not an attribute of the class fails the test. Pages are
newest first, `limit` items, with the `Link: <...?max_id=N>; rel="next"` header Mastodon sends.
Every request is kept in `calls`; `fail(path, status, times, headers)` queues error answers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import responses

HOST = "mastodon.social"
BASE = f"https://{HOST}"
NOW = datetime(2026, 10, 20, 12, 0, tzinfo=timezone.utc)


def validated(cls_name: str, obj: dict) -> dict:
    """`obj` unchanged, once every key is an attribute of Mastodon.py's entity class (nested ones too)."""
    import mastodon.return_types as types

    cls = getattr(types, cls_name)
    unknown = set(obj) - set(cls.__annotations__)
    assert not unknown, f"{cls_name} has no {sorted(unknown)}"
    nested = {"account": "Account", "status": "Status", "last_status": "Status", "reblog": "Status"}
    for key, value in obj.items():
        if key in nested and isinstance(value, dict):
            validated(nested[key], value)
        elif key == "mentions":
            for mention in value:
                validated("StatusMention", mention)
        elif key == "accounts":
            for account in value:
                validated("Account", account)
        elif key in ("ancestors", "descendants"):
            for status in value:
                validated("Status", status)
    return obj


def account(account_id: str, username: str, host: str = HOST) -> dict:
    acct = username if host == HOST else f"{username}@{host}"
    return validated("Account", {
        "id": account_id, "username": username, "acct": acct, "display_name": username.title(), "locked": False,
        "bot": False, "group": False, "discoverable": True, "created_at": "2022-01-01T00:00:00.000Z",
        "note": "", "url": f"https://{host}/@{username}", "uri": f"https://{host}/users/{username}",
        "avatar": "", "avatar_static": "", "header": "", "header_static": "", "followers_count": 1,
        "following_count": 1, "statuses_count": 1, "last_status_at": "2026-10-20", "emojis": [], "fields": []})


@dataclass
class FakeMastodon:
    accounts: dict[str, dict] = field(default_factory=dict)  # id -> Account
    statuses: list[dict] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)  # token -> account id
    page_size: int = 2
    calls: list[tuple[str, dict]] = field(default_factory=list)
    failures: list[list] = field(default_factory=list)  # [path regex, status, times, headers]
    before_answer: object = None
    _next_id: int = 110000000000000000

    def add_account(self, account_id: str, username: str, host: str = HOST) -> dict:
        self.accounts[account_id] = account(account_id, username, host)
        return self.accounts[account_id]

    def status(self, author_id: str, text: str, at: datetime, *, reply_to: dict | None = None,
               mentions: tuple[str, ...] = (), visibility: str = "public") -> dict:
        self._next_id += 1
        author = self.accounts[author_id]
        sid = str(self._next_id)
        mentioned = [self.accounts[m] for m in mentions]
        html = "".join(f'<span class="h-card"><a href="{m["url"]}" class="u-url mention">@<span>{m["username"]}</span></a></span> '
                       for m in mentioned) + text
        status = validated("Status", {
            "id": sid, "uri": f"https://{_host(author)}/users/{author['username']}/statuses/{sid}",
            "url": f"https://{_host(author)}/@{author['username']}/{sid}", "account": author,
            "in_reply_to_id": reply_to["id"] if reply_to else None,
            "in_reply_to_account_id": reply_to["account"]["id"] if reply_to else None,
            "reblog": None, "content": f"<p>{html}</p>", "created_at": at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "edited_at": None, "reblogs_count": 0, "favourites_count": 0, "replies_count": 0, "sensitive": False,
            "spoiler_text": "", "visibility": visibility, "language": "en",
            "mentions": [{"id": m["id"], "username": m["username"], "acct": m["acct"], "url": m["url"]} for m in mentioned],
            "media_attachments": [], "emojis": [], "tags": [], "card": None, "poll": None, "application": None})
        self.statuses.append(status)
        return status

    def fail(self, path: str, status: int, times: int = 1, headers: dict | None = None) -> None:
        self.failures.append([re.compile(path), status, times, headers or {}])

    # -- the endpoints ------------------------------------------------------------------------

    def install(self, mock: responses.RequestsMock) -> None:
        mock.add_callback(responses.GET, re.compile(rf"{re.escape(BASE)}/api/v1/.*"), callback=self._answer)

    def _answer(self, request):
        parts = urlsplit(request.url)
        query = {k: v[-1] if not k.endswith("[]") else v for k, v in parse_qs(parts.query).items()}
        path = parts.path
        self.calls.append((path, query))
        if self.before_answer is not None:
            self.before_answer(path, query)
        for failure in self.failures:
            if failure[0].search(path) and failure[2] > 0:
                failure[2] -= 1
                return failure[1], failure[3], json.dumps({"error": "The access token is invalid" if failure[1] == 401
                                                           else "Too many requests" if failure[1] == 429 else "oops"})
        token = (request.headers.get("Authorization") or "").removeprefix("Bearer ")
        me = self.tokens.get(token)
        if token and me is None:
            return 401, {}, json.dumps({"error": "The access token is invalid"})
        if path == "/api/v1/accounts/verify_credentials":
            return 200, {}, json.dumps(self.accounts[me])
        if path == "/api/v1/accounts/lookup":
            username, _, host = query["acct"].partition("@")
            found = [a for a in self.accounts.values() if a["username"] == username and _host(a) == (host or HOST)]
            return (200, {}, json.dumps(found[0])) if found else (404, {}, json.dumps({"error": "Record not found"}))
        match = re.fullmatch(r"/api/v1/accounts/(\w+)/statuses", path)
        if match:
            own = [s for s in self.statuses if s["account"]["id"] == match.group(1)
                   and (s["visibility"] in ("public", "unlisted") or me == match.group(1))
                   and s["visibility"] != "direct"]
            return self._page(request.url, own, query)
        if path == "/api/v1/notifications":
            if me is None:
                return 401, {}, json.dumps({"error": "This method requires an authenticated user"})
            mine = [validated("Notification", {"id": f"9{s['id']}", "type": "mention", "created_at": s["created_at"],
                                               "account": s["account"], "status": s})
                    for s in self.statuses if any(m["id"] == me for m in s["mentions"])]
            return self._page(request.url, mine, query)
        if path.rstrip("/") == "/api/v1/conversations":
            if me is None:
                return 401, {}, json.dumps({"error": "This method requires an authenticated user"})
            threads: dict[str, list[dict]] = {}
            for s in self.statuses:
                if s["visibility"] == "direct" and (s["account"]["id"] == me or any(m["id"] == me for m in s["mentions"])):
                    threads.setdefault(_root(self.statuses, s)["id"], []).append(s)
            found = [validated("Conversation", {"id": root, "unread": False, "last_status": items[-1],
                                                "accounts": [a for a in self._people(items) if a["id"] != me]})
                     for root, items in threads.items()]
            found.sort(key=lambda c: c["last_status"]["id"], reverse=True)
            return self._page(request.url, found, query, key=lambda c: c["last_status"]["id"])
        match = re.fullmatch(r"/api/v1/statuses/(\w+)/context", path)
        if match:
            target = next(s for s in self.statuses if s["id"] == match.group(1))
            root = _root(self.statuses, target)
            thread = [s for s in self.statuses if _root(self.statuses, s)["id"] == root["id"]]
            return 200, {}, json.dumps(validated("Context", {
                "ancestors": [s for s in thread if s["id"] < target["id"]],
                "descendants": [s for s in thread if s["id"] > target["id"]]}))
        match = re.fullmatch(r"/api/v1/statuses/(\w+)", path)
        if match:
            found = [s for s in self.statuses if s["id"] == match.group(1)]
            return (200, {}, json.dumps(found[0])) if found else (404, {}, json.dumps({"error": "Record not found"}))
        return 404, {}, json.dumps({"error": "Not found"})

    def _people(self, items):
        seen = {}
        for s in items:
            seen[s["account"]["id"]] = s["account"]
            for m in s["mentions"]:
                seen[m["id"]] = self.accounts[m["id"]]
        return list(seen.values())

    def _page(self, url: str, items: list[dict], query: dict, key=lambda item: item["id"]):
        items = sorted(items, key=key, reverse=True)
        if query.get("max_id"):
            items = [i for i in items if key(i) < query["max_id"]]
        size = min(self.page_size, int(query.get("limit") or 20))
        page = items[:size]
        headers = {}
        if len(items) > size:
            base = url.split("?")[0]
            headers["Link"] = f'<{base}?max_id={key(page[-1])}>; rel="next", <{base}?min_id={key(page[0])}>; rel="prev"'
        return 200, headers, json.dumps(page)


def _host(account: dict) -> str:
    return urlsplit(account["url"]).netloc


def _root(statuses: list[dict], status: dict) -> dict:
    by_id = {s["id"]: s for s in statuses}
    while status["in_reply_to_id"] in by_id:
        status = by_id[status["in_reply_to_id"]]
    return status


def scenario() -> FakeMastodon:
    """acme@mastodon.social (token "tok-acme") and its customers: a reply, a mention, a DM thread."""
    fake = FakeMastodon()
    fake.add_account("1", "acme")
    fake.add_account("2", "dave")
    fake.add_account("3", "erin", "fosstodon.org")
    fake.tokens["tok-acme"] = "1"
    news = fake.status("1", "Our autumn release is out", NOW - timedelta(days=5))
    ask = fake.status("2", "it broke my setup, how do I roll back?", NOW - timedelta(days=4), reply_to=news,
                      mentions=("1",))
    fake.status("1", "sorry! DM us your order number", NOW - timedelta(days=4, hours=-2), reply_to=ask, mentions=("2",))
    fake.status("3", "is there a student discount?", NOW - timedelta(days=3), mentions=("1",))
    dm = fake.status("2", "order 5531", NOW - timedelta(days=3, hours=-1), mentions=("1",), visibility="direct")
    fake.status("1", "thanks, refund on its way", NOW - timedelta(days=3, hours=-2), reply_to=dm, mentions=("2",),
                visibility="direct")
    return fake
