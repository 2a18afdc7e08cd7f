"""`auditor fetch`: the roster's activity from the X API v2, into the store. The only module importing tweepy.

Per roster account: its user id (`get_user`), its posts and replies (`get_users_tweets`),
posts mentioning it (`get_users_mentions`), replies by anyone in its conversations of the
last 7 days (`search_recent_tweets` with `conversation_id:`), and its DMs when the OAuth
user-context keys are that account's (`get_direct_message_events`).

Every page is committed to the store together with the pagination state, so a run killed
mid-way resumes at the next page; events are keyed by id, so nothing is lost or doubled. A
completed run records the newest id per account and endpoint; the next run asks only for
newer ones (`since_id`). A 429 waits until `x-rate-limit-reset` (with a countdown); 5xx and
network errors are retried with exponential back-off; anything else that fails one account's
endpoint is written to the store's coverage table and the rest goes on. A 401, or a 403 that
refuses the app itself, stops the run. docs/reliability.md lists every fault and its limit.

Credentials come only from the environment and are scrubbed from every message, log record
and stored reason.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Mapping

from auditor.activity.model import SourceInfo, normalize_handle
from auditor.activity.sources import x_api_events as events
from auditor.activity.sources.x_credentials import (
    ENV_BEARER,
    ENV_USER,
    Credentials,
    CredentialsError,
    Scrubber,
    credentials_from_env,
    scrubbed_exception,
    scrubbed_logging,
)
from auditor.activity.store import FetchState, Store
from auditor.progress import current as current_progress
from auditor.errors import DataError

__all__ = ["CredentialsError", "FetchSummary", "credentials_from_env", "default_client_factory", "fetch", "parse_since"]

ENDPOINTS = ("posts", "mentions", "conversations", "dms")
SOURCE_NAME = "X API"
SOURCE_LOCATION = "https://api.twitter.com/2"
SEARCH_WINDOW = timedelta(days=7) - timedelta(minutes=5)  # recent search reaches 7 days back; keep a margin
MAX_QUERY = 512  # characters in a recent-search query (the basic access level's limit)
PAGE_SIZE = 100
MAX_RETRIES = 5  # 5xx and network errors, per request
BACKOFF_FIRST, BACKOFF_MAX = 2.0, 60.0  # seconds
MAX_RATE_WAITS = 4  # consecutive 429s for one request before the endpoint is given up
MAX_RATE_WAIT = 15 * 60 + 60  # X's windows are 15 minutes: a reset further away is a clock problem
COUNTDOWN_STEP = 60
REQUEST_TIMEOUT = 60  # seconds: tweepy sets none, and a silent connection would hang the run
SNOWFLAKE_EPOCH_MS = 1288834974657


class EndpointFailure(Exception):
    """One account's endpoint could not be fetched; recorded in coverage, the run goes on."""


class AccountFailure(EndpointFailure):
    """The account itself could not be resolved: every endpoint of it fails."""


def default_client_factory(credentials: Credentials):
    import tweepy

    client = tweepy.Client(
        bearer_token=credentials.bearer_token,
        consumer_key=credentials.consumer_key,
        consumer_secret=credentials.consumer_secret,
        access_token=credentials.access_token,
        access_token_secret=credentials.access_token_secret,
        return_type=dict,
        wait_on_rate_limit=False,  # we wait ourselves: visibly, and with a bound
    )
    original = client.session.request

    def request(method, url, **kwargs):
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        response = original(method, url, **kwargs)
        # tweepy does int() on this header of a 429 and would raise ValueError instead of
        # TooManyRequests: a reset that is not a number is treated as no reset (wait a minute).
        reset = response.headers.get("x-rate-limit-reset")
        if reset is not None and not reset.strip().isdigit():
            del response.headers["x-rate-limit-reset"]
        return response

    client.session.request = request
    return client


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


# -- results -----------------------------------------------------------------------------------


@dataclass
class AccountResult:
    handle: str
    user_id: str | None = None
    fetched: dict[str, int] = field(default_factory=dict)  # endpoint -> events received
    added: int = 0
    updated: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # endpoint -> reason
    resumed: list[str] = field(default_factory=list)  # endpoints an earlier, interrupted run had started

    def line(self) -> str:
        parts = [f"{count} {endpoint}" for endpoint, count in self.fetched.items()]
        text = f"@{self.handle}: " + (", ".join(parts) if parts else "nothing fetched")
        text += f" ({self.added} new, {self.updated} updated)"
        reasons = set(self.failures.values())
        if len(self.failures) > 1 and len(reasons) == 1:
            text += f"; missing: {', '.join(self.failures)} ({reasons.pop()})"
        elif self.failures:
            text += "; missing: " + "; ".join(f"{e} ({r})" for e, r in self.failures.items())
        return text


@dataclass
class FetchSummary:
    accounts: list[AccountResult]
    requests: int = 0

    @property
    def added(self) -> int:
        return sum(a.added for a in self.accounts)

    @property
    def updated(self) -> int:
        return sum(a.updated for a in self.accounts)

    @property
    def failures(self) -> int:
        return sum(len(a.failures) for a in self.accounts)

    @property
    def resumed(self) -> int:
        return sum(len(a.resumed) for a in self.accounts)

    def line(self) -> str:
        text = (f"fetched {len(self.accounts)} accounts in {self.requests} requests: {self.added} new events, "
                f"{self.updated} updated, {self.failures} endpoints missing (see the store's coverage)")
        if self.resumed:
            text += f"; resumed {self.resumed} interrupted endpoint fetch{'es' if self.resumed > 1 else ''}"
        return text


# -- the fetch ---------------------------------------------------------------------------------


def fetch(
    policy,
    store: Store | Path | str,
    since: datetime | None = None,
    *,
    client_factory: Callable[[Credentials], object] = default_client_factory,
    sleep: Callable[[float], None] | None = None,
    progress: Callable[[str], None] = _stderr,
    env: Mapping[str, str] | None = None,
    clock: Callable[[], float] | None = None,
) -> FetchSummary:
    """Fetch every roster account's activity into the store; returns what was fetched and what is missing.

    `policy` is a `Policy` (or a `LoadedPolicy`); `since` bounds the first fetch of each
    endpoint (later runs continue from the newest id stored). Raises `CredentialsError` when
    credentials are missing or refused (401, or a 403 that refuses the app itself). `sleep`
    and `clock` (default: `time.sleep`, `time.time`, looked up at call time) make every wait
    fake-able in tests.
    """
    credentials = credentials_from_env(env)
    roster = getattr(policy, "policy", policy).roster
    scrub = Scrubber(credentials.secrets())
    own_store = not isinstance(store, Store)
    opened = Store(store) if own_store else store
    try:
        with scrubbed_logging(scrub):
            try:
                run = _Run(opened, credentials, client_factory(credentials), scrub, sleep or time.sleep, progress,
                           clock or time.time, since)
                return run.all(roster)
            except CredentialsError as exc:
                raise CredentialsError(scrub(exc)) from None
            except Exception as exc:  # a surprise ends the run: the CLI prints its message, so scrub it first
                clean = scrubbed_exception(exc, scrub)
                if clean is exc:
                    raise
                raise clean from None
    finally:
        if own_store:
            opened.close()


class _Run:
    def __init__(self, store: Store, credentials: Credentials, client, scrub: Scrubber, sleep, progress, clock, since):
        self.store = store
        self.credentials = credentials
        self.client = client
        self.scrub = scrub
        self.sleep = sleep
        self.clock = clock
        self._progress = progress
        self.since = since.astimezone(timezone.utc) if since is not None else None
        # Without a bearer token, app endpoints are called with the user-context keys.
        self.user_auth = credentials.bearer_token is None
        self.requests = 0
        self.handles: dict[str, str] = {}
        # API methods that stayed rate limited through MAX_RATE_WAITS waits: X's limits are per
        # endpoint and app, so the next account would wait as long again (100 accounts, 100 hours).
        self.rate_exhausted: set[str] = set()
        self.events = current_progress().task("fetching events", unit="events")

    def say(self, line: str) -> None:
        self._progress(self.scrub(line))

    def all(self, roster) -> FetchSummary:
        source_id = self._register()
        dm_owner = self._dm_owner()
        results = []
        accounts = current_progress().task("fetching accounts", total=len(roster), unit="accounts")
        for account in roster:
            accounts.update(f"@{account.handle}")
            results.append(self.account(account.handle, source_id, dm_owner))
            self.say(results[-1].line())
            accounts.advance(1)
        accounts.done()
        self.events.done()
        self._finish(source_id)
        return FetchSummary(results, self.requests)

    def _register(self) -> int:
        info = SourceInfo(name=SOURCE_NAME, kind="x-api", channels=())
        with self.store.db:
            return self.store.register_source(info, SOURCE_LOCATION)

    def _dm_owner(self) -> tuple[str, str] | None:
        """(user id, handle) of the account whose DMs the user-context keys can read."""
        if not self.credentials.user_context:
            return None
        try:
            me = self.call("who the user-context keys belong to", self.client.get_me, user_auth=True, user_fields=events.USER_FIELDS)
        except EndpointFailure as exc:
            self.say(f"DMs: cannot tell whose user-context keys these are ({exc}): DMs not fetched")
            return None
        data = me.get("data") or {}
        if not data.get("id") or not data.get("username"):
            return None
        return str(data["id"]), normalize_handle(data["username"])

    def account(self, handle: str, source_id: int, dm_owner: tuple[str, str] | None) -> AccountResult:
        result = AccountResult(handle)
        try:
            result.user_id = self._user_id(handle)
        except EndpointFailure as exc:
            reason = self.scrub(exc)
            for endpoint in ENDPOINTS:
                self._gap(result, endpoint, reason)
            return result
        self.handles[result.user_id] = handle
        steps = [("posts", self._posts), ("mentions", self._mentions), ("conversations", self._conversations)]
        for endpoint, step in steps:
            self._step(result, endpoint, lambda e=endpoint, s=step: s(result, e, source_id))
        if dm_owner is None:
            why = "no user-context credentials" if not self.credentials.user_context else "the user-context keys' owner is unknown"
            self._gap(result, "dms", f"not fetched: {why} ({', '.join(ENV_USER)})", status="not_fetched")
        elif dm_owner[1] != handle:
            self._gap(result, "dms", f"not fetched: the user-context keys are @{dm_owner[1]}'s", status="not_fetched")
        else:
            self._step(result, "dms", lambda: self._dms(result, "dms", source_id))
        return result

    def _step(self, result: AccountResult, endpoint: str, action: Callable[[], None]) -> None:
        try:
            action()
        except EndpointFailure as exc:
            self._gap(result, endpoint, self.scrub(exc))
            return
        except (CredentialsError, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - one endpoint's surprise must not lose the others
            self._gap(result, endpoint, self.scrub(f"unexpected {type(exc).__name__}: {exc}")[:300])
            return
        self.store.set_coverage(result.handle, endpoint, "ok")

    def _gap(self, result: AccountResult, endpoint: str, reason: str, status: str = "failed") -> None:
        reason = reason.splitlines()[0] if reason else status
        result.failures[endpoint] = reason
        self.store.set_coverage(result.handle, endpoint, status, reason)

    def _finish(self, source_id: int) -> None:
        shown = set()
        for row in self.store.coverage():
            if row.status == "ok":
                shown.update({"mentions": ("mention", "reply"), "conversations": ("reply",), "dms": ("dm",)}.get(row.endpoint, ()))
        notes = [
            "mentions: the X API returns at most the 800 most recent mentions of an account",
            "replies by others in an account's conversations come from recent search: the last 7 days at each fetch",
        ]
        self.store.finish_source(source_id, tuple(c for c in ("mention", "reply", "dm") if c in shown), notes)

    # -- endpoints -------------------------------------------------------------------------

    def _user_id(self, handle: str) -> str:
        answer = self.call(f"@{handle}", self.client.get_user, username=handle, user_fields=events.USER_FIELDS,
                           user_auth=self.user_auth)
        data = answer.get("data") or {}
        if not data.get("id"):
            detail = "; ".join(str(e.get("detail") or e.get("title") or e) for e in answer.get("errors") or ())[:200]
            raise AccountFailure(f"account not found on X{': ' + detail if detail else ''}")
        return str(data["id"])

    def _tweet_params(self) -> dict:
        return {"tweet_fields": events.TWEET_FIELDS, "expansions": events.TWEET_EXPANSIONS,
                "user_fields": events.USER_FIELDS, "max_results": PAGE_SIZE, "user_auth": self.user_auth}

    def _posts(self, result: AccountResult, endpoint: str, source_id: int) -> None:
        method = self.client.get_users_tweets
        self._timeline(result, endpoint, source_id, method, [None], token_name="pagination_token")

    def _mentions(self, result: AccountResult, endpoint: str, source_id: int) -> None:
        method = self.client.get_users_mentions
        self._timeline(result, endpoint, source_id, method, [None], token_name="pagination_token")

    def _conversations(self, result: AccountResult, endpoint: str, source_id: int) -> None:
        now = datetime.fromtimestamp(self.clock(), timezone.utc)
        start = now - SEARCH_WINDOW
        if self.since is not None and self.since > start:
            start = self.since
        state = self.store.fetch_state(result.handle, endpoint)
        if state is not None and state.in_progress:
            queries = state.params.get("queries") or []
        else:
            conversations = sorted({p.conversation_id or p.id for p in self.store.posts_by(result.handle, start)
                                    if p.conversation_id or p.in_reply_to is None})
            queries = _queries(conversations)
        if not queries:
            result.fetched[endpoint] = 0
            return
        self._timeline(result, endpoint, source_id, self.client.search_recent_tweets, queries,
                       token_name="next_token", start_time=start, window_start=start)

    def _timeline(self, result: AccountResult, endpoint: str, source_id: int, method, queries: list,
                  *, token_name: str, start_time: datetime | None = None, window_start: datetime | None = None) -> None:
        """Page through one endpoint (for search: through each query), committing each page with its state."""
        state = self.store.fetch_state(result.handle, endpoint) or FetchState(result.handle, endpoint)
        state.user_id = result.user_id
        if state.in_progress:
            queries = state.params.get("queries", queries)
            index = int(state.params.get("index", 0))
            result.resumed.append(endpoint)
            self.say(f"@{result.handle} {endpoint}: resuming an interrupted fetch")
        else:
            index = 0
            state.run_since_id, state.run_newest_id, state.next_token = state.newest_id, None, None
        since_id = state.run_since_id
        if since_id is not None and window_start is not None and _snowflake_time(since_id) < window_start:
            since_id = None  # recent search refuses a since_id older than its window; start_time bounds it
        if start_time is None and self.since is not None:
            start_time = self.since
        received = 0
        restarted = False
        while index < len(queries):
            params = self._tweet_params()
            if queries[index] is None:
                params["id"] = result.user_id
            else:
                params["query"] = queries[index]
            if since_id is not None:
                params["since_id"] = since_id
            if start_time is not None:
                params["start_time"] = start_time
            if state.next_token is not None:
                params[token_name] = state.next_token
            try:
                page = self.call(f"@{result.handle} {endpoint}", method, page=True, **params)
            except _StaleToken:
                if restarted:
                    raise EndpointFailure("the API refused the saved pagination token twice") from None
                restarted, state.next_token = True, None  # events are keyed by id: re-reading a page is harmless
                continue
            handles = events.user_handles(page, self.handles)
            posts, problems = events.page_posts(page, handles)
            for problem in problems:
                self.say(f"@{result.handle} {endpoint}: left out {problem}")
            data = page.get("data") or []
            received += len(data)
            self.events.advance(len(data), f"@{result.handle} {endpoint}")
            state.run_newest_id = events.later_id(state.run_newest_id, events.newest_id(data))
            token = (page.get("meta") or {}).get("next_token")
            if token:
                state.next_token = str(token)
            else:
                state.next_token = None
                index += 1
            if index >= len(queries):
                _complete(state)
            else:
                state.params = {"queries": queries, "index": index}
            counts = self.store.save_page(posts, source_id, state)
            result.added += counts.added
            result.updated += counts.updated
        result.fetched[endpoint] = received

    def _dms(self, result: AccountResult, endpoint: str, source_id: int) -> None:
        """DM events come newest first, without since_id: stop at the first page reaching what is stored."""
        state = self.store.fetch_state(result.handle, endpoint) or FetchState(result.handle, endpoint)
        state.user_id = result.user_id
        if state.in_progress:
            result.resumed.append(endpoint)
            self.say(f"@{result.handle} {endpoint}: resuming an interrupted fetch")
        else:
            state.run_since_id, state.run_newest_id, state.next_token = state.newest_id, None, None
        stop_at = state.run_since_id
        received = 0
        restarted = False
        while True:
            params = {"dm_event_fields": events.DM_EVENT_FIELDS, "event_types": "MessageCreate",
                      "expansions": events.DM_EXPANSIONS, "user_fields": events.USER_FIELDS,
                      "max_results": PAGE_SIZE, "user_auth": True}
            if state.next_token is not None:
                params["pagination_token"] = state.next_token
            try:
                page = self.call(f"@{result.handle} DMs", self.client.get_direct_message_events, page=True, **params)
            except _StaleToken:
                # Restart once, as the timelines do: an API that refuses every token it hands out
                # would otherwise have the first page read again and again, for ever.
                if restarted:
                    raise EndpointFailure("the API refused the saved pagination token twice") from None
                restarted, state.next_token = True, None
                continue
            handles = events.user_handles(page, self.handles)
            dms, problems = events.page_dms(page, handles)
            for problem in problems:
                self.say(f"@{result.handle} DMs: left out {problem}")
            data = page.get("data") or []
            received += len(data)
            self.events.advance(len(data), f"@{result.handle} DMs")
            state.run_newest_id = events.later_id(state.run_newest_id, events.newest_id(data))
            token = (page.get("meta") or {}).get("next_token")
            reached = stop_at is not None and any(
                str(d.get("id", "")).isdigit() and int(d["id"]) <= int(stop_at) for d in data if isinstance(d, dict))
            if token and not reached and (self.since is None or not dms or min(d.created_at for d in dms) >= self.since):
                state.next_token = str(token)
            else:
                state.next_token = None
                _complete(state)
            counts = self.store.save_page(dms, source_id, state)
            result.added += counts.added
            result.updated += counts.updated
            if state.next_token is None:
                break
        result.fetched[endpoint] = received

    # -- one request, with waiting and retrying --------------------------------------------

    def call(self, what: str, method, *, page: bool = False, **params) -> dict:
        """One API call, waiting out 429s and retrying transient faults; `page`: the answer must be a page."""
        import requests
        import tweepy

        name = getattr(method, "__name__", repr(method))
        if name in self.rate_exhausted:
            raise EndpointFailure(
                f"still rate limited (gave up on {name} after {MAX_RATE_WAITS} waits earlier in this run)")
        # The variables behind this request: app-only calls use the bearer token, the others the user keys.
        names = ", ".join(ENV_USER) if params.get("user_auth") else ENV_BEARER
        failures = 0
        rate_waits = 0
        self.events.update(what)
        while True:
            self.requests += 1
            try:
                answer = method(**params)
                if page:
                    _check_page(answer)
                return answer if isinstance(answer, dict) else {}
            except tweepy.TooManyRequests as exc:
                rate_waits += 1
                if rate_waits > MAX_RATE_WAITS:
                    self.rate_exhausted.add(name)
                    raise EndpointFailure(f"still rate limited after {MAX_RATE_WAITS} waits") from None
                self._wait_for_reset(what, exc.reset_time)
            except tweepy.Unauthorized:
                raise CredentialsError(
                    f"the X API refused the credentials (401 Unauthorized) for {what}: check {names}") from None
            except tweepy.Forbidden as exc:
                refused = _refused_credentials(exc)
                if refused:
                    # Every later request would be refused the same way: stop, and say what to fix.
                    raise CredentialsError(
                        f"the X API refused the credentials ({refused}) for {what}: check {names}; "
                        "they must belong to an app in a Project with the access this needs") from None
                raise EndpointFailure(f"403 Forbidden: {_api_message(exc)}: the app's access level or permissions "
                                      "do not allow this, or the account is protected or suspended") from None
            except tweepy.NotFound as exc:
                raise EndpointFailure(f"404 Not Found: {_api_message(exc)}") from None
            except tweepy.BadRequest as exc:
                message = _api_message(exc)
                if any(name in params for name in ("pagination_token", "next_token")) and "token" in message.lower():
                    raise _StaleToken() from None
                raise EndpointFailure(f"400 Bad Request: {message}") from None
            except (tweepy.TwitterServerError, requests.ConnectionError, requests.Timeout,
                    requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError,
                    requests.exceptions.JSONDecodeError, _BadPage) as exc:
                # Transient: a server error, a dropped or silent connection, a body cut short.
                failures += 1
                if isinstance(exc, tweepy.HTTPException):
                    reason = _api_status(exc)
                elif isinstance(exc, requests.exceptions.JSONDecodeError):
                    reason = "truncated or invalid JSON in the response"
                elif isinstance(exc, _BadPage):
                    reason = str(exc)
                else:
                    reason = type(exc).__name__
                if failures > MAX_RETRIES:
                    raise EndpointFailure(f"{reason}, {MAX_RETRIES} retries failed") from None
                delay = min(BACKOFF_FIRST * 2 ** (failures - 1), BACKOFF_MAX)
                self.say(f"  {what}: {reason}; retry {failures}/{MAX_RETRIES} in {delay:.0f}s")
                self.sleep(delay)
            except tweepy.HTTPException as exc:
                raise EndpointFailure(_api_status(exc)) from None

    def _wait_for_reset(self, what: str, reset_time: int | None) -> None:
        now = self.clock()
        wait = (reset_time - now + 1) if reset_time is not None else 60
        wait = max(1.0, min(float(wait), MAX_RATE_WAIT))
        until = datetime.fromtimestamp(now + wait, timezone.utc).strftime("%H:%M:%S UTC")
        self.say(f"  {what}: rate limited; waiting {_duration(wait)} until {until}")
        self.events.update(f"{what}: rate limited until {until}")
        left = wait
        while left > 0:
            step = min(left, COUNTDOWN_STEP)
            self.sleep(step)
            left -= step
            if left > 0:
                self.say(f"  {what}: {_duration(left)} left")


class _StaleToken(Exception):
    """The API refused a saved pagination token (they expire): restart that endpoint's paging."""


class _BadPage(Exception):
    """A 200 answer that is not a page (no `meta`): cut short or garbled on the way, so retried.

    Taking it for an empty last page would complete the endpoint and move `since_id` past the
    pages never read: they would be lost for good.
    """


def _check_page(answer: object) -> None:
    if isinstance(answer, dict) and isinstance(answer.get("meta"), dict):
        return
    errors = answer.get("errors") if isinstance(answer, dict) and "data" not in answer else None
    if isinstance(errors, list) and errors:
        details = "; ".join(str(e.get("detail") or e.get("title") or e) if isinstance(e, dict) else str(e)
                            for e in errors)
        raise EndpointFailure(f"the API answered with errors only: {details[:200]}")
    raise _BadPage("an answer that is not a page (no meta)")


# 403 answers that are about the credentials, not about the one request: every later request
# would get the same, so the run stops. v2 problem types, and v1.1 error codes X still sends.
_REFUSED_PROBLEMS = ("client-forbidden", "unsupported-authentication")
# could not authenticate you, account suspended, invalid or expired token, bad authentication data, account locked
_REFUSED_CODES = {32, 64, 89, 215, 326}


def _refused_credentials(exc) -> str | None:
    """'403 <title>: <detail>' when a 403 refuses the credentials themselves, else None."""
    try:
        body = exc.response.json()
    except Exception:  # noqa: BLE001 - an unreadable body says nothing about the credentials
        return None
    if not isinstance(body, dict):
        return None
    kind = f"{body.get('type', '')} {body.get('reason', '')}"
    errors = body.get("errors") if isinstance(body.get("errors"), list) else []
    codes = {e["code"] for e in errors if isinstance(e, dict) and isinstance(e.get("code"), int)}
    if not any(problem in kind for problem in _REFUSED_PROBLEMS) and not codes & _REFUSED_CODES:
        return None
    title = str(body.get("title") or "Forbidden")
    return " ".join(f"403 {title}: {_api_message(exc)}".split())  # one line, whatever the server sent


def _complete(state: FetchState) -> None:
    state.newest_id = events.later_id(state.newest_id, state.run_newest_id)
    if state.newest_id is not None:
        state.newest_time = _snowflake_time(state.newest_id).strftime("%Y-%m-%dT%H:%M:%SZ")
    state.run_since_id = state.run_newest_id = state.next_token = None
    state.params = {}


def _queries(conversations: list[str]) -> list[str]:
    """conversation_id:<id> terms joined with OR into as few queries as the length limit allows."""
    queries, current = [], ""
    for conversation in conversations:
        term = f"conversation_id:{conversation}"
        candidate = f"{current} OR {term}" if current else term
        if len(candidate) > MAX_QUERY:
            queries.append(current)
            candidate = term
        current = candidate
    if current:
        queries.append(current)
    return queries


def _snowflake_time(post_id: str) -> datetime:
    """The time an X id was made: ids since 2010 carry their creation time in milliseconds."""
    return datetime.fromtimestamp(((int(post_id) >> 22) + SNOWFLAKE_EPOCH_MS) / 1000, timezone.utc)


def _api_message(exc) -> str:
    messages = [str(m) for m in getattr(exc, "api_messages", ()) if m]
    return ("; ".join(messages) or str(exc).splitlines()[0])[:200]


def _api_status(exc) -> str:
    response = getattr(exc, "response", None)
    code = getattr(response, "status_code", None)
    reason = getattr(response, "reason", "") or ""
    return f"{code} {reason}".strip() if code else str(exc).splitlines()[0][:120]


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}m {seconds:02d}s" if minutes else f"{seconds}s"


def parse_since(text: str) -> datetime:
    """`--since`: a date (midnight UTC) or an ISO time with an offset."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise DataError(f"--since: not a date or ISO time: {text[:40]!r}") from None
    if moment.tzinfo is None:
        if len(text.strip()) > 10:
            raise DataError(f"--since: {text[:40]!r} has no UTC offset (add Z or +00:00)")
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)
