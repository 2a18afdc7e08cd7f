"""`auditor fetch`: the roster's activity from the X API v2, into the store.

Per roster account: its user id (`get_user`, kept in the store and checked again monthly),
its posts and replies (`get_users_tweets`), posts mentioning it (`get_users_mentions`),
replies by anyone in its conversations of the last 7 days (`search_recent_tweets` with
`conversation_id:`), and its DMs when a user context of that account is given
(`get_direct_message_events`). An account whose user context is given has its own posts and
mentions read through it too: X bills the app owner's own reads as "owned reads", at a fifth
of the price.

Every page is committed to the store together with the paging state and the reads it cost, so
a run killed, stopped at a limit (`--max-reads`, `--budget`), stopped by X (usage cap, no
credits) or cut by a failure resumes at the next page; events are keyed by id, so nothing is
lost or doubled. A first fetch reads the last 30 days (or from `--since`); a completed
endpoint records the newest id and the span of time the store now holds (`coverage_spans`),
and the next run asks only for newer ones: `since_id`, or `start_time` where that is the only
way, never both. docs/data.md and docs/reliability.md list what is asked and every fault.

Credentials come only from the environment and are scrubbed from every message, log record
and stored reason.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Mapping, TypeVar

from auditor.activity import store_fetch
from auditor.activity.model import SourceInfo
from auditor.networks import normalize_handle
from auditor.activity.sources.common import one_line
from auditor.activity.ingest import x_api_events as events
from auditor.activity.ingest.x_api_calls import (  # noqa: F401 - the fault limits, re-exported with the fetch
    MAX_RATE_WAIT,
    MAX_RATE_WAITS,
    MAX_RETRIES,
    AccountFailure,
    Auth,
    Caller,
    EndpointFailure,
    RunStopped,
    StaleToken,
    default_client_factory,
)
from auditor.activity.ingest.x_api_dms import DmSteps
from auditor.activity.ingest.x_api_timelines import TimelineSteps
from auditor.activity.ingest.x_api_summary import AccountResult, FetchSummary
from auditor.activity.ingest.x_costs import Ledger, LimitReached, Limits, parse_prices
from auditor.activity.ingest.x_credentials import (
    ENV_BEARER,
    ENV_OAUTH2,
    ENV_USER,
    Credentials,
    CredentialsError,
    Scrubber,
    credentials_from_env,
    scrubbed_run,
)
from auditor.activity.store import Store
from auditor.progress import current as current_progress

__all__ = ["MAX_RATE_WAIT", "MAX_RATE_WAITS", "MAX_RETRIES", "CredentialsError", "FetchSummary", "credentials_from_env",
           "default_client_factory", "fetch"]

ENDPOINTS = ("posts", "mentions", "conversations", "dms")
SOURCE_NAME = "X API"
SOURCE_LOCATION = "https://api.twitter.com/2"
FIRST_WINDOW = timedelta(days=30)  # what a first fetch reads, without --since
USER_ID_FRESH = timedelta(days=30)  # a cached user id is checked again after this (handles change hands)
PAGE_SIZE = 100
MIN_PAGE = {"posts": 5, "mentions": 5, "conversations": 10, "dms": 1}  # X's smallest max_results
REFERENCED_PER_POST = 2  # a reply that quotes: its parent and the quoted post come with it, billed as posts


T = TypeVar("T")


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


# -- the fetch ---------------------------------------------------------------------------------


def fetch(
    policy,
    store: Store | Path | str,
    since: datetime | None = None,
    *,
    max_reads: int | None = None,
    budget: int | None = None,
    prices: dict[str, int] | None = None,
    client_factory: Callable[..., object] = default_client_factory,
    sleep: Callable[[float], None] | None = None,
    progress: Callable[[str], None] = _stderr,
    env: Mapping[str, str] | None = None,
    clock: Callable[[], float] | None = None,
) -> FetchSummary:
    """Fetch every roster account's activity into the store; returns what was fetched and what is missing.

    `policy` is a `Policy` (or a `LoadedPolicy`); `since` bounds the first fetch of each endpoint
    (default: the last 30 days; later runs continue from the newest id stored). `max_reads` and
    `budget` (millionths of a dollar, at `prices`) stop the run before a request could pass them.
    Raises `CredentialsError` when credentials are missing or refused (401, or a 403 that refuses
    the app itself). `sleep` and `clock` (default: `time.sleep`, `time.time`, looked up at call
    time) make every wait fake-able in tests.
    """
    return x_run(policy, store, since, lambda run, roster: run.all(roster), max_reads=max_reads, budget=budget,
                 prices=prices, client_factory=client_factory, sleep=sleep, progress=progress, env=env, clock=clock)


def x_run(policy, store: Store | Path | str, since: datetime | None, work: Callable[[Run, list], T], *,
          max_reads: int | None = None, budget: int | None = None, prices: dict[str, int] | None = None,
          client_factory: Callable[..., object] = default_client_factory, sleep: Callable[[float], None] | None = None,
          progress: Callable[[str], None] = _stderr, env: Mapping[str, str] | None = None,
          clock: Callable[[], float] | None = None) -> T:
    """`work(run, roster)` on a `Run` over the store for the roster's X accounts, scrubbed (`scrubbed_run`):
    the fetch, and its estimate (`x_api_plan.estimate`). The options are `fetch`'s."""
    credentials = credentials_from_env(env)
    roster = [account for account in getattr(policy, "policy", policy).roster if account.platform == "x"]
    scrub = Scrubber(credentials.secrets())
    limits = Limits(max_reads, budget)
    return scrubbed_run(store, scrub, lambda opened: work(Run(
        opened, credentials, client_factory, scrub, sleep or time.sleep, progress, clock or time.time, since,
        limits, prices or parse_prices()), roster))


def make_auths(credentials: Credentials, client_factory) -> tuple[Auth, list[Auth]]:
    """The credentials for app endpoints, and each user context (OAuth 1.0a keys, OAuth 2.0 user tokens)."""
    users = []
    main = None
    if credentials.bearer_token or credentials.user_context:
        main = client_factory(credentials)
    if credentials.user_context:
        users.append(Auth("oauth1", main, True, ", ".join(ENV_USER), owned_reads=True))
    many = len(credentials.oauth2_user_tokens) > 1
    for number, token in enumerate(credentials.oauth2_user_tokens, start=1):
        users.append(Auth(f"oauth2-{number}", client_factory(credentials, token), False,
                          f"{ENV_OAUTH2} (token {number})" if many else ENV_OAUTH2))
    if credentials.bearer_token:
        app = Auth("app", main, False, ENV_BEARER)
    else:
        app = users[0]  # without a bearer token, app endpoints are read with a user context
    return app, users


class Run(DmSteps, TimelineSteps):
    """One fetch (or dry run): the credentials, the store, what was read and spent; step by step."""

    def __init__(self, store: Store, credentials: Credentials, client_factory, scrub: Scrubber, sleep, progress,
                 clock, since, limits: Limits, prices: dict[str, int]):
        self.store = store
        self.db = store.db
        self.scrub = scrub
        self.clock = clock
        self._progress = progress
        self.caller = Caller(self.say, sleep, clock)
        self.ledger = Ledger(prices)
        self.prices = prices
        self.limits = limits
        self.now = self._now()
        self.first_start = since.astimezone(timezone.utc) if since is not None else self.now - FIRST_WINDOW
        self.since_given = since is not None
        self.app, self.user_auths = make_auths(credentials, client_factory)
        self.owners: dict[str, Auth] = {}  # handle -> the user context that is that account's own
        self.handles: dict[str, str] = {}
        self.edits = store_fetch.edits(self.db)
        self.run_id = 0
        self.window_said = False
        self.events = current_progress().task("fetching events", unit="events")

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), timezone.utc)

    def say(self, line: str) -> None:
        # Lines quote what the server said (error details, ids): no control character reaches a terminal.
        self._progress(one_line(self.scrub(line)))

    # -- the run ---------------------------------------------------------------------------

    def all(self, roster) -> FetchSummary:
        source_id = self._register()
        limits = {"max_reads": self.limits.max_reads, "budget_micro": self.limits.budget}
        self.run_id = store_fetch.start_run(self.db, self.now, limits)
        results = [AccountResult(account.handle) for account in roster]
        stopped = None
        accounts = current_progress().task("fetching accounts", total=len(results), unit="accounts")
        try:
            self.resolve_owners()
            for result in results:
                accounts.update(f"@{result.handle}")
                try:
                    self.account(result, source_id)
                except (RunStopped, LimitReached):
                    self.say(result.line())  # what this account got before the stop
                    raise
                self.say(result.line())
                accounts.advance(1)
        except (RunStopped, LimitReached) as stop:
            stopped = self._stop_line(stop)
            for result in results:
                for endpoint in ENDPOINTS:
                    if endpoint in result.fetched or endpoint in result.failures | result.not_fetched:
                        continue
                    if endpoint == "dms" and result.handle not in self.owners:
                        result.not_fetched["dms"] = self.why_no_dms()
                        self.store.set_coverage(result.handle, "dms", "not_fetched", result.not_fetched["dms"])
                        continue
                    self._gap(result, endpoint, f"not read: the run stopped {self._short(stop)}", status="stopped")
            self.say(f"stopped: {stopped}")
        accounts.done()
        self.events.done()
        self._finish(source_id)
        outcome = "stopped" if stopped else ("complete" if not any(r.failures for r in results) else "gaps")
        store_fetch.finish_run(self.db, self.run_id, self._now(), outcome)
        return FetchSummary(results, self.caller.requests, self.ledger.run, stopped)

    def _stop_line(self, stop: Exception) -> str:
        if isinstance(stop, RunStopped):
            return one_line(self.scrub(stop.line))
        return (f"the next page could pass the limit ({self.limits.describe()}): {self.ledger.run.line()} so far; "
                "the next run resumes where this one stopped")

    def _short(self, stop: Exception) -> str:
        """Why the run stopped, to follow "stopped": "at --max-reads 500", "at the X API usage cap"."""
        if isinstance(stop, RunStopped):
            return {"usage-cap": "at the X API usage cap", "unreachable": "as the X API could not be reached"}.get(
                stop.kind, "for want of X API credits")
        return f"at {self.limits.describe()}"

    def _register(self) -> int:
        info = SourceInfo(name=SOURCE_NAME, kind="x-api", channels=())
        with self.db:
            return self.store.register_source(info, SOURCE_LOCATION)

    def resolve_owners(self) -> None:
        """Whose user context each set of user credentials is (one user read each)."""
        for auth in self.user_auths:
            self._room_for_users()
            try:
                me = self.caller.call(_whose(auth), auth, "get_me", user_fields=events.USER_FIELDS)
            except EndpointFailure as exc:
                self.say(f"DMs: cannot tell {_whose(auth)} ({self.scrub(exc)}): not used")
                continue
            data = me.get("data") or {}
            if not data.get("id") or not isinstance(data.get("username"), str):
                continue
            auth.owner = (str(data["id"]), normalize_handle(data["username"]))
            self._charge_user(auth.owner[1], auth.owner[0])
            self.owners.setdefault(auth.owner[1], auth)

    def account(self, result: AccountResult, source_id: int) -> None:
        handle = result.handle
        try:
            result.user_id = self.user_id_of(handle)
        except EndpointFailure as exc:
            reason = self.scrub(exc)
            for endpoint in ENDPOINTS:
                self._gap(result, endpoint, reason)
            return
        self.handles[result.user_id] = handle
        own = self.owners.get(handle)
        steps = [("posts", lambda: self._timeline(result, "posts", own, "get_users_tweets", source_id)),
                 ("mentions", lambda: self._timeline(result, "mentions", own, "get_users_mentions", source_id)),
                 ("conversations", lambda: self._conversations(result, source_id))]
        for endpoint, step in steps:
            self._step(result, endpoint, step)
        if own is None:
            result.not_fetched["dms"] = self.why_no_dms()
            self.store.set_coverage(handle, "dms", "not_fetched", result.not_fetched["dms"])
        else:
            self._step(result, "dms", lambda: self._dms(result, own, source_id))

    def why_no_dms(self) -> str:
        if not self.user_auths:
            return f"not fetched: no user-context credentials ({', '.join(ENV_USER)}, or {ENV_OAUTH2})"
        if not self.owners:
            return "not fetched: the user-context keys' owner is unknown"
        names = " and ".join(f"@{handle}'s" for handle in self.owners)
        return f"not fetched: the user-context keys are {names}"

    def _step(self, result: AccountResult, endpoint: str, action: Callable[[], None]) -> None:
        try:
            action()
        except EndpointFailure as exc:
            self._gap(result, endpoint, self.scrub(exc))
            return
        except (RunStopped, LimitReached) as stop:
            if endpoint in result.read:
                self._gap(result, endpoint, f"stopped part-way {self._short(stop)}: the next run goes on from here",
                          status="stopped")
            else:
                self._gap(result, endpoint, f"not read: the run stopped {self._short(stop)}", status="stopped")
            raise
        except (CredentialsError, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - one endpoint's surprise must not lose the others
            self._gap(result, endpoint, self.scrub(f"unexpected {type(exc).__name__}: {exc}")[:300])
            return
        self.store.set_coverage(result.handle, endpoint, "ok")

    def _gap(self, result: AccountResult, endpoint: str, reason: str, status: str = "failed") -> None:
        reason = one_line(reason.splitlines()[0]) if reason else status
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
            "DMs: the X API keeps the last 30 days; DMs are fetched only for accounts whose own user context is given",
        ]
        self.store.finish_source(source_id, tuple(c for c in ("mention", "reply", "dm") if c in shown), notes)

    def _say_window(self) -> None:
        if not self.window_said:
            self.window_said = True
            why = "--since" if self.since_given else "the last 30 days; --since sets another start"
            self.say(f"first fetch: from {self.first_start:%Y-%m-%d %H:%M} UTC ({why})")

    # -- costs -------------------------------------------------------------------------------

    def _room_for_users(self) -> None:
        room = self.limits.room(self.ledger.run, 1, self.prices["users"])
        if room is not None and room < 1:
            raise LimitReached()

    def _charge_user(self, handle: str, user_id: str) -> None:
        reads = self.ledger.charge("users", [user_id], self.clock())
        with self.db:
            store_fetch.remember_users(self.db, {user_id: handle}, looked_up=self.now)
            store_fetch.add_reads(self.db, self.run_id, handle, "user id", reads.reads, reads.cost)

    def _page_size(self, endpoint: str, resource: str) -> int:
        """max_results for the next page: 100, or what the limits leave room for; LimitReached when too little."""
        if endpoint == "dms":
            per_reads, per_cost = 1, self.prices["dm_events"]
        else:
            per_reads = 1 + REFERENCED_PER_POST
            per_cost = self.prices[resource] + REFERENCED_PER_POST * self.prices["posts"]
        room = self.limits.room(self.ledger.run, per_reads, per_cost)
        if room is None:
            return PAGE_SIZE
        if room < MIN_PAGE[endpoint]:
            raise LimitReached()
        return min(PAGE_SIZE, room)

    # -- endpoints -------------------------------------------------------------------------

    def user_id_of(self, handle: str) -> str:
        cached = store_fetch.cached_user_id(self.db, handle, self.now - USER_ID_FRESH)
        if cached is not None:
            return cached
        self._room_for_users()
        answer = self.caller.call(f"@{handle}", self.app, "get_user", username=handle, user_fields=events.USER_FIELDS)
        data = answer.get("data") or {}
        if not data.get("id"):
            detail = "; ".join(str(e.get("detail") or e.get("title") or e) for e in answer.get("errors") or ())[:200]
            raise AccountFailure(f"account not found on X{': ' + detail if detail else ''}")
        self._charge_user(handle, str(data["id"]))
        return str(data["id"])


# -- helpers -------------------------------------------------------------------------------------


def _whose(auth: Auth) -> str:
    if auth.name == "oauth1":
        return "who the user-context keys belong to"
    return f"who {auth.variables} belongs to"
