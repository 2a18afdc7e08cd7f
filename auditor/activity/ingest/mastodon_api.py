"""`auditor fetch` for the roster's Mastodon accounts, through Mastodon.py.

Per account (`acme@mastodon.social`):

| endpoint | call | needs |
| --- | --- | --- |
| `posts` | `account_statuses` (after `account_lookup`), its own statuses, replies and boosts | nothing: public |
| `mentions` | `notifications(types=["mention"])`: posts that mention or reply to it, and DMs sent to it | its own token |
| `dms` | `conversations()`, then `status_context` of each conversation updated since the last run | its own token |

A reply's parent is looked up (`status`) when the run has not seen it, and its parent in turn, up
the thread, at most `MAX_ANCESTORS` lookups a reply: the post an account answered and the posts it
answered are in the store, and their uris link the thread to its root. Credentials:
`MASTODON_ACCESS_TOKEN`, an access token of one account with the `read` scope, sent to
`MASTODON_API_BASE_URL` (default: the instance of the roster's Mastodon accounts, when they are all on
one); or, for several accounts, `MASTODON_ACCESS_TOKENS` = `handle=token` pairs separated by commas,
each token sent only to its handle's instance. Accounts without a token have their public statuses
read without one.
"""

from __future__ import annotations

import os
import time
from typing import Mapping
from urllib.parse import urlsplit

from auditor.networks import MASTODON, instance_of
from auditor.activity.sources import mastodon_events as events
from auditor.activity.ingest.net_fetch import Adapter, Endpoint, Failed, NotGranted, Page, RateLimited, Transient
from auditor.activity.ingest.x_credentials import CredentialsError, _checked

ENV_TOKEN = "MASTODON_ACCESS_TOKEN"
ENV_BASE = "MASTODON_API_BASE_URL"
ENV_TOKENS = "MASTODON_ACCESS_TOKENS"
PAGE_SIZE = 40  # the most Mastodon returns a page
MAX_ANCESTORS = 8  # statuses looked up above one reply: a long thread's root is rarely what a rule needs
REQUEST_TIMEOUT = 60


def tokens_from_env(roster, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """base URL -> token, from the environment; checked before any request. Empty: no token at all."""
    env = os.environ if env is None else env
    found: dict[str, str] = {}
    token = (env.get(ENV_TOKEN) or "").strip(" ")
    if token:
        _checked(ENV_TOKEN, token)
        base = (env.get(ENV_BASE) or "").strip()
        if not base:
            instances = sorted({instance_of(a.handle) for a in roster if a.platform == MASTODON})
            if len(instances) != 1:
                raise CredentialsError(f"{ENV_TOKEN} is set but the roster's Mastodon accounts are on "
                                       f"{len(instances)} instances: set {ENV_BASE} to the token's instance, "
                                       f"or use {ENV_TOKENS} (handle=token pairs)")
            base = f"https://{instances[0]}"
        found[_base(base)] = token
    for pair in (env.get(ENV_TOKENS) or "").split(","):
        if not pair.strip():
            continue
        handle, equals, value = pair.strip().partition("=")
        if not equals or "@" not in handle.strip("@ ") or not value.strip():
            raise CredentialsError(f"{ENV_TOKENS} holds an entry that is not handle=token (like "
                                   "acme@mastodon.social=TOKEN)")
        found[f"https://{handle.strip().rpartition('@')[2].lower()}"] = _checked(ENV_TOKENS, value.strip())
    return found


def _base(url: str) -> str:
    parts = urlsplit(url if "://" in url else f"https://{url}")
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise CredentialsError(f"{ENV_BASE} is not an address like https://mastodon.social")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def default_client(base: str, token: str | None):
    import requests
    from mastodon import Mastodon

    # The rate-limit headers of the last answer, kept as sent: Mastodon.py compares the reset with the
    # machine's clock, and the wait is better measured against the server's own `Date`.
    session = requests.Session()
    session.rate_limit = {}

    def keep(response, *args, **kwargs):
        session.rate_limit = {k: response.headers.get(k) for k in ("X-RateLimit-Reset", "Date")}

    session.hooks["response"].append(keep)
    # 'throw': a 429 is waited out by the fetch loop, visibly and with a bound, not by a silent sleep.
    return Mastodon(access_token=token, api_base_url=base, ratelimit_method="throw", request_timeout=REQUEST_TIMEOUT,
                    version_check_mode="none", session=session)


def reset_in(headers: dict, now: float) -> float | None:
    """When a rate limit resets (epoch seconds on our clock), from `X-RateLimit-Reset` (an ISO time, or epoch
    seconds on some servers) measured against the server's `Date` when it sent one."""
    from email.utils import parsedate_to_datetime

    from auditor.time.instants import parse_instant

    value = (headers or {}).get("X-RateLimit-Reset")
    if not value:
        return None
    try:
        reset = float(value) if value.strip().isdigit() else parse_instant(value.strip().replace("Z", "+00:00")).timestamp()
        server = parsedate_to_datetime(headers["Date"]).timestamp() if headers.get("Date") else now
    except (ValueError, TypeError):
        return None
    return now + (reset - server)


class MastodonAdapter(Adapter):
    kind = "mastodon-api"
    name = "Mastodon API"
    location = "mastodon"

    def __init__(self, roster, env=None, client_factory=default_client, clock=None):
        self.tokens = tokens_from_env(roster, env)
        self.secrets = list(self.tokens.values())
        self.client_factory = client_factory
        self.clients: dict[tuple[str, bool], object] = {}
        self.owners: dict[str, str] = {}  # handle -> base URL whose token is that account's own
        self.uris: dict[str, str] = {}  # instance id -> status uri, across pages
        self.checked = False
        self.clock = clock or time.time

    def client(self, base: str, with_token: bool):
        key = (base, with_token)
        if key not in self.clients:
            self.clients[key] = self.client_factory(base, self.tokens.get(base) if with_token else None)
        return self.clients[key]

    def resolve_owners(self) -> None:
        """Whose account each token is: one `verify_credentials` each. A refused token stops the run."""
        for base in self.tokens:
            account = self.call(lambda: self.client(base, True).account_verify_credentials(), base, ENV_TOKEN)
            host = urlsplit(base).netloc
            self.owners[events.handle_of(account["acct"], host)] = base

    def endpoints(self, account):
        if not self.checked:
            self.checked = True
            self.resolve_owners()
        handle = account.handle
        host = instance_of(handle)
        own = self.owners.get(handle)
        base = own or next((b for b in self.tokens if urlsplit(b).netloc == host), f"https://{host}")
        client = self.client(base, base in self.tokens)
        found = self.call(lambda: client.account_lookup(handle), base, "")
        user_id = found["id"]
        local = urlsplit(base).netloc

        def statuses(cursor, since):
            page = self.call(lambda: client.account_statuses(user_id, max_id=cursor, limit=PAGE_SIZE), base, "")
            return self._page(client, page, local, base)

        endpoints = [Endpoint("posts", statuses)]
        if own is None:
            why = (f"not fetched: no token of this account ({ENV_TOKEN} or {ENV_TOKENS})" if not self.tokens else
                   f"not fetched: the tokens are {' and '.join('@' + h for h in sorted(self.owners)) or 'nobody'}'s")
            return endpoints, {"mentions": why, "dms": why}

        def mentions(cursor, since):
            page = self.call(lambda: client.notifications(types=["mention"], max_id=cursor, limit=PAGE_SIZE), base,
                             ENV_TOKEN, scope="read:notifications")
            return self._page(client, [n["status"] for n in page if n.get("status")], local, base,
                              cursor_of=page, times=[n["created_at"] for n in page])

        def dms(cursor, since):
            page = self.call(lambda: client.conversations(max_id=cursor, limit=PAGE_SIZE), base, ENV_TOKEN,
                             scope="read:statuses")
            statuses_read = []
            for conversation in page:
                last = conversation.get("last_status")
                if not last or events.moment(last["created_at"]) < since:
                    continue
                context = self.call(lambda: client.status_context(last["id"]), base, ENV_TOKEN)
                statuses_read += [*context["ancestors"], last, *context["descendants"]]
            times = [c["last_status"]["created_at"] for c in page if c.get("last_status")]
            return self._page(client, statuses_read, local, base, cursor_of=page, times=times)

        return endpoints + [Endpoint("mentions", mentions), Endpoint("dms", dms)], {}

    def _page(self, client, statuses, local: str, base: str, cursor_of=None, times=None) -> Page:
        cursor_of = statuses if cursor_of is None else cursor_of
        found = []
        for status in statuses:
            self.uris[str(status["id"])] = str(status.get("uri") or status["id"])
        for status in statuses:
            if status.get("visibility") != "direct":
                found += self._ancestors(client, status.get("in_reply_to_id"), local, base)
            found.append(events.status_events(status, local, self.uris))
        moments = [events.moment(t) for t in (times if times is not None else [s["created_at"] for s in statuses])]
        return Page(found, _next(cursor_of), min(moments) if moments else None, max(moments) if moments else None)

    def _ancestors(self, client, parent, local: str, base: str) -> list:
        """The posts a reply answers, up its thread, that the run has not seen: the first is often the
        customer's, and each one's uri links the thread. A deleted or hidden one ends the climb (the
        reply keeps its author, not its parent)."""
        chain = []
        while parent and str(parent) not in self.uris and len(chain) < MAX_ANCESTORS:
            try:
                status = self.call(lambda: client.status(parent), base, "")
            except Failed:
                break
            self.uris[str(status["id"])] = str(status.get("uri") or status["id"])
            chain.append(status)
            parent = status.get("in_reply_to_id")
        # oldest first: each one's parent uri is known when it is mapped
        return [events.status_events(status, local, self.uris) for status in reversed(chain)]

    def call(self, request, base: str, variable: str, scope: str = ""):
        """One request; Mastodon.py's errors as the fetch loop's faults."""
        from mastodon.errors import (MastodonAPIError, MastodonNetworkError, MastodonNotFoundError,
                                     MastodonRatelimitError, MastodonServerError, MastodonUnauthorizedError)

        try:
            return request()
        except MastodonRatelimitError:
            client = self.clients.get((base, True)) or self.clients.get((base, False))
            headers = getattr(getattr(client, "session", None), "rate_limit", None) or {}
            raise RateLimited(reset_in(headers, self.clock())) from None
        except MastodonUnauthorizedError as exc:
            if base in self.tokens:
                names = ENV_TOKEN if variable == ENV_TOKEN or len(self.tokens) == 1 else f"{ENV_TOKEN}/{ENV_TOKENS}"
                raise CredentialsError(f"{urlsplit(base).netloc} refused the Mastodon access token (401 {_error(exc)}):"
                                       f" it is revoked, expired or mistyped: check {names}") from None
            raise Failed(f"401 {_error(exc)}: this instance shows it only to signed-in users") from None
        except MastodonNotFoundError as exc:
            raise Failed(f"404 {_error(exc)}") from None
        except MastodonServerError as exc:
            raise Transient(f"{_status(exc)} {_error(exc)}".strip()) from None
        except MastodonNetworkError as exc:
            raise Transient(type(exc).__name__) from None
        except MastodonAPIError as exc:
            if _status(exc) == 403 and scope:
                raise NotGranted(f"403 {_error(exc)}: the token lacks the {scope} scope") from None
            raise Failed(f"{_status(exc) or ''} {_error(exc)}".strip()) from None

    def notes(self) -> list[str]:
        return ["Mastodon: mentions and DMs are read only for accounts whose own access token is given; "
                "public statuses for every account"]


def _next(page) -> str | None:
    """The next (older) page's max_id, from the Link header Mastodon.py parsed."""
    following = getattr(page, "_pagination_next", None)
    if isinstance(following, dict) and following.get("max_id") is not None:
        return str(following["max_id"])
    return None


def _status(exc) -> int | None:
    return exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else None


def _error(exc) -> str:
    parts = [str(a) for a in exc.args[2:4] if a]
    return ": ".join(parts)[:200] or type(exc).__name__
