"""`auditor fetch` for the roster's Bluesky accounts, through the `atproto` SDK with app passwords.

Per account (`acme.bsky.social`):

| endpoint | call | needs |
| --- | --- | --- |
| `posts` | `app.bsky.feed.getAuthorFeed` (posts and replies; a reply comes with the post it answers) | any login |
| `threads` | `app.bsky.feed.getPostThread` of the thread each of its posts is in: replies by others, to it or to each other, that notifications do not bring | any login |
| `mentions` | `app.bsky.notification.listNotifications` (mention, reply, quote), and the posts they answer (`getPosts`) | its own login |
| `dms` | `chat.bsky.convo.listConvos` and `getMessages`, through the chat proxy | its own login, an app password with DM access |

Posts are keyed by their `at://` uri and link to `https://bsky.app/profile/<handle>/post/<rkey>`;
a thread is the reply's `root` uri. Records name people by DID: a DID is written as the handle
the fetch saw for it (authors, members), and stays a DID where none was seen. Credentials:
`BLUESKY_HANDLE` and `BLUESKY_APP_PASSWORD` (one account), or `BLUESKY_APP_PASSWORDS`
(`handle=password` pairs separated by commas); `BLUESKY_SERVICE` is the PDS (default
https://bsky.social). An account without its own login has only its posts read.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta
from typing import Mapping

from auditor.activity.events import MAX_TEXT

from auditor.time.instants import parse_instant
from auditor.activity.model import DirectMessage, Post
from auditor.networks import BLUESKY, canonical_handle
from auditor.activity.sources.bluesky_records import quoted_post
from auditor.activity.sources.bluesky_records import web_link as _web
from auditor.activity.ingest.net_fetch import Adapter, Endpoint, Failed, NotGranted, Page, RateLimited, Transient
from auditor.activity.ingest.x_credentials import CredentialsError, _checked

ENV_HANDLE = "BLUESKY_HANDLE"
ENV_PASSWORD = "BLUESKY_APP_PASSWORD"
ENV_PASSWORDS = "BLUESKY_APP_PASSWORDS"
ENV_SERVICE = "BLUESKY_SERVICE"
SERVICE = "https://bsky.social"
PAGE_SIZE = 100
THREAD_DEPTH = 30  # levels of replies read below a thread's root
THREAD_POSTS = 1000  # posts taken from one thread: a viral one has tens of thousands
# Threads of posts this much older than the last fetch are read again: replies come after the post.
LATE_REPLIES = timedelta(days=7)
MESSAGE_PAGES = 20  # pages of one conversation's messages read in one pass (newest first, down to `since`)
NO_DM_ACCESS = ("the app password may not read DMs: create one with \"Allow access to your direct messages\" "
                "(Settings, Privacy and security, App passwords)")


def logins_from_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """handle -> app password, checked before any request. CredentialsError when there is none."""
    env = os.environ if env is None else env
    found: dict[str, str] = {}
    handle, password = (env.get(ENV_HANDLE) or "").strip(), (env.get(ENV_PASSWORD) or "").strip(" ")
    if bool(handle) != bool(password):
        raise CredentialsError(f"{ENV_HANDLE} and {ENV_PASSWORD} go together: "
                               f"{ENV_PASSWORD if handle else ENV_HANDLE} is not set")
    if handle:
        found[_handle(handle, ENV_HANDLE)] = _checked(ENV_PASSWORD, password)
    for pair in (env.get(ENV_PASSWORDS) or "").split(","):
        if not pair.strip():
            continue
        name, equals, value = pair.strip().partition("=")
        if not equals or not value.strip():
            raise CredentialsError(f"{ENV_PASSWORDS} holds an entry that is not handle=app-password")
        found[_handle(name, ENV_PASSWORDS)] = _checked(ENV_PASSWORDS, value.strip())
    if not found:
        raise CredentialsError(f"no Bluesky credentials: set {ENV_HANDLE} and {ENV_PASSWORD} (an app password), "
                               f"or {ENV_PASSWORDS} (handle=app-password pairs)")
    return found


def _handle(value: str, variable: str) -> str:
    try:
        return canonical_handle(value, BLUESKY)
    except ValueError as exc:
        raise CredentialsError(f"{variable}: {exc}") from None


def default_client(service: str):
    from atproto import Client

    return Client(base_url=service)


class BlueskyAdapter(Adapter):
    kind = "bluesky-api"
    name = "Bluesky API"
    location = "bluesky"

    def __init__(self, roster, env=None, client_factory=None, clock=None):
        env = os.environ if env is None else env
        self.logins = logins_from_env(env)
        self.secrets = list(self.logins.values())
        self.service = (env.get(ENV_SERVICE) or SERVICE).strip().rstrip("/")
        self.client_factory = client_factory or (lambda service: default_client(service))
        self.clock = clock or time.time
        self.clients: dict[str, object] = {}  # handle -> its logged-in client
        self.handles: dict[str, str] = {}  # DID -> handle, from every profile seen
        self.seen: set[str] = set()  # post uris read this run
        self.threads_read: set[str] = set()  # thread roots read this run

    def _login(self) -> None:
        for handle, password in self.logins.items():
            client = self.client_factory(self.service)
            try:
                client.login(handle, password, fetch_bsky_profile=False)
            except Exception as exc:  # noqa: BLE001 - mapped below; a refused login stops the run
                fault = self.fault(exc)
                if isinstance(fault, (Transient, RateLimited)):
                    raise fault from None
                raise CredentialsError(f"Bluesky refused the login of @{handle} ({_message(exc)}): check "
                                       f"{ENV_PASSWORD if handle == _handle_of_single(self) else ENV_PASSWORDS} "
                                       "(an app password: Settings, Privacy and security, App passwords)") from None
            did = getattr(client.me, "did", None) if getattr(client, "me", None) else None
            did = did or getattr(getattr(client, "_session", None), "did", None)
            if did:
                self.handles[did] = handle
            self.clients[handle] = client

    def endpoints(self, account):
        if not self.clients:
            self._login()
        handle = account.handle
        own = self.clients.get(handle)
        client = own or next(iter(self.clients.values()))

        def posts(cursor, since):
            answer = self.call(lambda: client.app.bsky.feed.get_author_feed(
                {"actor": handle, "cursor": cursor, "limit": PAGE_SIZE, "filter": "posts_with_replies"}))
            found, times = [], []
            for item in answer.feed:
                if item.reply is not None and _is_post_view(item.reply.parent):
                    found.append(self.post_view(item.reply.parent))
                if item.reason is not None and getattr(item.reason, "by", None) is not None:
                    found.append(self.repost(item))
                    times.append(_time(item.reason.indexed_at))
                    continue
                found.append(self.post_view(item.post))
                times.append(found[-1].created_at)
            return _page(found, answer.cursor, times)

        def threads(cursor, since):
            """A page of the account's own posts, and the threads they are in, read whole (to THREAD_DEPTH)."""
            answer = self.call(lambda: client.app.bsky.feed.get_author_feed(
                {"actor": handle, "cursor": cursor, "limit": PAGE_SIZE, "filter": "posts_with_replies"}))
            roots, times = [], []
            for item in answer.feed:
                if item.reason is not None or not _is_post_view(item.post):  # a repost: someone else's thread
                    continue
                times.append(_time(item.post.record.created_at))
                if times[-1] < since - LATE_REPLIES:
                    continue  # on the last page: too old for replies still to come
                reply = getattr(item.post.record, "reply", None)
                root = reply.root.uri if reply is not None else item.post.uri
                if root not in self.threads_read:
                    self.threads_read.add(root)
                    roots.append(root)
            found = []
            for root in roots:
                try:
                    answer_thread = self.call(lambda: client.app.bsky.feed.get_post_thread(
                        {"uri": root, "depth": THREAD_DEPTH, "parent_height": 0}))
                except Failed:
                    continue  # deleted, or its author blocks the login: the account's own posts are read anyway
                found += self.thread_posts(answer_thread.thread)
            page = _page(found, answer.cursor, times)
            if page.oldest is not None:
                # Paging goes on LATE_REPLIES past `since`: a thread begun before the last fetch gets replies after it.
                page.oldest += LATE_REPLIES
            return page

        endpoints = [Endpoint("posts", posts), Endpoint("threads", threads)]
        if own is None:
            why = f"not fetched: no login of this account ({ENV_HANDLE}/{ENV_PASSWORD} or {ENV_PASSWORDS})"
            return endpoints, {"mentions": why, "dms": why}

        def mentions(cursor, since):
            answer = self.call(lambda: own.app.bsky.notification.list_notifications(
                {"cursor": cursor, "limit": PAGE_SIZE, "reasons": ["mention", "reply", "quote"]}))
            found = []
            for note in answer.notifications:
                if note.reason not in ("mention", "reply", "quote"):
                    continue
                self.handles[note.author.did] = _canonical(note.author.handle) or note.author.did
                found.append(self.record_post(note.uri, note.author.did, note.record))
            found += self.parents(own, [p for p in found if p.in_reply_to and p.in_reply_to not in self.seen])
            times = [_time(note.indexed_at) for note in answer.notifications]
            return _page(found, answer.cursor, times)

        def dms(cursor, since):
            chat = own.with_bsky_chat_proxy()
            answer = self.call(lambda: chat.chat.bsky.convo.list_convos({"cursor": cursor, "limit": PAGE_SIZE}),
                               chat=True)
            found, times = [], []
            for convo in answer.convos:
                for member in convo.members:
                    self.handles[member.did] = _canonical(member.handle) or member.did
                last = getattr(convo.last_message, "sent_at", None)
                if last is None:
                    continue
                times.append(_time(last))
                if _time(last) >= since:
                    found += self.messages(chat, convo, since)
            return _page(found, answer.cursor, times)

        return endpoints + [Endpoint("mentions", mentions), Endpoint("dms", dms)], {}

    # -- mapping ---------------------------------------------------------------------------------

    def who(self, did: str) -> str:
        return self.handles.get(did, did)

    def post_view(self, view) -> Post:
        self.handles[view.author.did] = _canonical(view.author.handle) or view.author.did
        return self.record_post(view.uri, view.author.did, view.record)

    def record_post(self, uri: str, did: str, record) -> Post:
        self.seen.add(uri)
        author = self.who(did)
        reply = getattr(record, "reply", None)
        parent = reply.parent.uri if reply is not None else None
        mentions = tuple(dict.fromkeys(self.who(feature.did) for facet in getattr(record, "facets", None) or ()
                                       for feature in facet.features if getattr(feature, "did", None)))
        quoted = quoted_post(getattr(record, "embed", None))
        langs = getattr(record, "langs", None) or ()
        return Post(uri, author, _time(record.created_at), (record.text or "")[:MAX_TEXT],
                    in_reply_to=parent, in_reply_to_author=self.who(_did_of(parent)) if parent else None,
                    conversation_id=reply.root.uri if reply is not None else uri, mentions=mentions,
                    quote_of=quoted, url=_web(author, uri), platform=BLUESKY,
                    lang=langs[0] if langs else None, real_id=True)

    def repost(self, item) -> Post:
        by = item.reason.by
        self.handles[by.did] = _canonical(by.handle) or by.did
        author = self.who(by.did)
        uri = getattr(item.reason, "uri", None) or f"at://{by.did}/app.bsky.feed.repost/{item.post.cid}"
        return Post(uri, author, _time(item.reason.indexed_at), "", repost_of=item.post.uri, platform=BLUESKY,
                    url=_web(self.who(item.post.author.did), item.post.uri), real_id=True)

    def thread_posts(self, thread) -> list[Post]:
        """Every post of a thread view, without recursion, at most THREAD_POSTS; deleted and blocked ones are
        placeholders without a post."""
        found, stack = [], [thread]
        while stack and len(found) < THREAD_POSTS:
            node = stack.pop()
            view = getattr(node, "post", None)
            if view is None or not _is_post_view(view):
                continue
            found.append(self.post_view(view))
            stack.extend(reversed(getattr(node, "replies", None) or ()))
        return found

    def parents(self, client, replies: list[Post]) -> list[Post]:
        """The posts these replies answer (often the account's own), 25 a request: their threads' links."""
        wanted = sorted({p.in_reply_to for p in replies})
        found = []
        for start in range(0, len(wanted), 25):
            try:
                answer = self.call(lambda: client.app.bsky.feed.get_posts({"uris": wanted[start:start + 25]}))
            except Failed:
                continue  # deleted or blocked: the replies keep their authors
            found += [self.post_view(view) for view in answer.posts]
        return found

    def messages(self, chat, convo, since: datetime) -> list[DirectMessage]:
        members = [self.who(m.did) for m in convo.members]
        found, cursor = [], None
        for _ in range(MESSAGE_PAGES):
            answer = self.call(lambda: chat.chat.bsky.convo.get_messages(
                {"convo_id": convo.id, "cursor": cursor, "limit": PAGE_SIZE}), chat=True)
            for message in answer.messages:
                if getattr(message, "sender", None) is None:  # a deleted message: nothing said
                    continue
                sender = self.who(message.sender.did)
                recipients = tuple(m for m in members if m != sender) or (sender,)
                text = (getattr(message, "text", "") or "")[:MAX_TEXT]
                if not text and getattr(message, "embed", None) is not None:
                    text = "[shared post]"
                found.append(DirectMessage(message.id, convo.id, sender, recipients, _time(message.sent_at), text,
                                           BLUESKY))
            cursor = answer.cursor
            sent = [_time(m.sent_at) for m in answer.messages if getattr(m, "sent_at", None)]
            if cursor is None or (sent and min(sent) < since):
                break
        return found

    # -- faults ----------------------------------------------------------------------------------

    def call(self, request, chat: bool = False):
        try:
            return request()
        except Exception as exc:  # noqa: BLE001 - every SDK error is mapped to the loop's terms
            fault = self.fault(exc, chat)
            if fault is None:
                raise
            raise fault from None

    def fault(self, exc: Exception, chat: bool = False):
        from atproto_client import exceptions

        response = getattr(exc, "response", None)
        status = getattr(response, "status_code", None)
        if isinstance(exc, exceptions.RateLimitExceededError):
            headers = getattr(response, "headers", None) or {}
            reset = headers.get("ratelimit-reset")
            return RateLimited(float(reset) if reset and str(reset).isdigit() else None)
        if isinstance(exc, exceptions.UnauthorizedError):
            if chat:
                return NotGranted(f"{_message(exc)}: {NO_DM_ACCESS}")
            return CredentialsError(f"Bluesky refused the session ({_message(exc)}): the app password was revoked or "
                                    f"expired: check {ENV_PASSWORD}/{ENV_PASSWORDS}")
        if isinstance(exc, (exceptions.NetworkError, exceptions.InvokeTimeoutError)) or (status or 0) >= 500:
            return Transient(_message(exc) if status else type(exc).__name__)
        if isinstance(exc, exceptions.BadRequestError):  # not a RequestException: a 400 is not a surprise
            return NotGranted(f"{_message(exc)}: {NO_DM_ACCESS}") if chat else Failed(_message(exc))
        if isinstance(exc, exceptions.RequestException):
            return Failed(_message(exc))
        return None

    def notes(self) -> list[str]:
        return ["Bluesky: mentions, replies and DMs are read only for accounts whose own app password is given "
                "(DMs only with an app password allowed to read them); posts for every account, and the threads "
                f"they are in (to {THREAD_DEPTH} levels of replies, threads of posts up to "
                f"{LATE_REPLIES.days} days older than the last fetch read again)"]


def _handle_of_single(adapter: BlueskyAdapter) -> str | None:
    return next(iter(adapter.logins)) if len(adapter.logins) == 1 else None


def _canonical(handle: str | None) -> str | None:
    try:
        return canonical_handle(handle, BLUESKY) if handle and handle != "handle.invalid" else None
    except ValueError:
        return None


def _is_post_view(view) -> bool:
    return getattr(view, "record", None) is not None and getattr(view, "author", None) is not None


def _did_of(uri: str) -> str:
    return uri.removeprefix("at://").split("/", 1)[0]


def _time(value) -> datetime:
    return parse_instant(value.replace("Z", "+00:00") if isinstance(value, str) else str(value))


def _page(events, cursor, times) -> Page:
    return Page(events, cursor or None, min(times) if times else None, max(times) if times else None)


def _message(exc) -> str:
    content = getattr(getattr(exc, "response", None), "content", None)
    error, message = getattr(content, "error", None), getattr(content, "message", None)
    status = getattr(getattr(exc, "response", None), "status_code", None)
    text = ": ".join(str(p) for p in (error, message) if p) or type(exc).__name__
    return f"{status} {text}" if status and not text.startswith(str(status)) else text
