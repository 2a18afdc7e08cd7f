"""`auditor fetch` for Bluesky and Mastodon: one page loop, each network an adapter behind it.

Both networks page newest first with a cursor and cost nothing to read, so what the X fetcher
needs for its bill (reads, budgets, owned reads) has no place here; what it needs for a store
that never loses or doubles anything is the same:

- every page is committed with the paging state (`fetch_state`: the cursor to ask next), so a
  run killed between pages resumes at the next one, and events are keyed by network and id;
- a completed endpoint records the newest time it saw; the next run pages back only to there
  (`since`), and the span of time the store holds of it (`coverage_spans`);
- a rate limit (429) is waited out until the reset the server names, at most `MAX_RATE_WAITS`
  times a request; 5xx and dropped connections are retried with back-off; credentials that are
  missing, expired or refused stop the run with one line naming the variable (exit 2), never
  the secret; anything else about one endpoint is a gap in the coverage, and the run goes on.

An adapter (`bluesky_api.BlueskyAdapter`, `mastodon_api.MastodonAdapter`) says which endpoints
an account has, reads one page of each, and maps its SDK's errors to the `Fault`s below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable

from auditor.time.instants import parse_instant
from auditor.activity import store_fetch
from auditor.activity.model import DirectMessage, Post, SourceInfo
from auditor.activity.sources.common import one_line
from auditor.activity.ingest.x_api_calls import wait_out_rate_limit
from auditor.activity.ingest.x_api_summary import AccountResult, FetchSummary
from auditor.activity.ingest.x_credentials import CredentialsError, Scrubber
from auditor.activity.store import FetchState, Store

FIRST_WINDOW = timedelta(days=30)  # what a first fetch reads, without --since
MAX_RETRIES = 5
BACKOFF_FIRST, BACKOFF_MAX = 2.0, 60.0
MAX_RATE_WAITS = 4
MAX_RATE_WAIT = 15 * 60 + 60  # both networks' windows are 5 to 15 minutes: further away is a clock problem


class Fault(Exception):
    """What went wrong with one request, in the loop's terms."""


class RateLimited(Fault):
    def __init__(self, reset: float | None):
        super().__init__("rate limited")
        self.reset = reset  # epoch seconds, when the server said


class Transient(Fault):
    """Worth asking again: a 5xx, a dropped or silent connection, a body cut short."""


class Failed(Fault):
    """This endpoint cannot be read now (403, 404, a 400): a gap in the coverage."""


class NotGranted(Fault):
    """The credentials may not read this endpoint (DMs through an app password without chat access)."""


@dataclass
class Page:
    events: list[Post | DirectMessage]
    cursor: str | None  # the next page; None: the last one
    oldest: datetime | None = None  # the oldest item's time (paging stops once past `since`)
    newest: datetime | None = None
    people: dict[str, str] = field(default_factory=dict)  # ids the page named -> handles (kept for later pages)


@dataclass
class Endpoint:
    name: str  # posts | mentions | threads | dms (the coverage names)
    read: Callable[[str | None, datetime], Page]  # (cursor, since) -> one page
    channels: tuple[str, ...] = ()


class Adapter:
    """One network's side of the fetch."""

    kind = ""  # the store's source kind: bluesky-api | mastodon-api
    name = ""  # how reports name the source
    location = ""
    secrets: list[str] = []

    def endpoints(self, account) -> tuple[list[Endpoint], dict[str, str]]:
        """The endpoints to read for an account, and those not read with why (no credentials for its DMs)."""
        raise NotImplementedError

    def notes(self) -> list[str]:
        return []


class NetworkFetch:
    def __init__(self, store: Store, adapter: Adapter, *, since: datetime | None, sleep, clock, progress):
        self.store = store
        self.adapter = adapter
        self.scrub = Scrubber(adapter.secrets)
        self.sleep = sleep
        self.clock = clock
        self._progress = progress
        self.requests = 0
        self.now = datetime.fromtimestamp(clock(), timezone.utc)
        self.first_start = since.astimezone(timezone.utc) if since is not None else self.now - FIRST_WINDOW
        self.since_given = since is not None
        self.window_said = False

    def say(self, line: str) -> None:
        self._progress(one_line(self.scrub(line)))

    def run(self, roster) -> FetchSummary:
        with self.store.db:
            source_id = self.store.register_source(SourceInfo(self.adapter.name, self.adapter.kind, channels=()),
                                                   self.adapter.location)
        results = []
        for account in roster:
            result = AccountResult(account.handle)
            results.append(result)
            try:
                endpoints, not_read = self._call(f"@{account.handle}", lambda: self.adapter.endpoints(account))
            except (Failed, NotGranted, Transient, RateLimited) as exc:
                endpoints, not_read = [], {}
                result.failures["posts"] = one_line(self.scrub(exc))
                self.store.set_coverage(account.handle, "posts", "failed", result.failures["posts"])
            for name, why in not_read.items():
                result.not_fetched[name] = why
                self.store.set_coverage(account.handle, name, "not_fetched", why)
            for endpoint in endpoints:
                self._step(result, endpoint, source_id)
            self.say(result.line())
        self._finish(source_id)
        return FetchSummary(results, self.requests, priced=False)

    def _step(self, result: AccountResult, endpoint: Endpoint, source_id: int) -> None:
        try:
            self._pages(result, endpoint, source_id)
        except (Failed, NotGranted, Transient, RateLimited) as exc:
            reason = one_line(self.scrub(exc).splitlines()[0]) if str(exc) else type(exc).__name__
            result.failures[endpoint.name] = reason
            self.store.set_coverage(result.handle, endpoint.name, "failed", reason)
            return
        except (CredentialsError, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - one endpoint's surprise must not lose the others
            reason = self.scrub(f"unexpected {type(exc).__name__}: {exc}")[:300]
            result.failures[endpoint.name] = one_line(reason)
            self.store.set_coverage(result.handle, endpoint.name, "failed", one_line(reason))
            return
        self.store.set_coverage(result.handle, endpoint.name, "ok")

    def _pages(self, result: AccountResult, endpoint: Endpoint, source_id: int) -> None:
        handle = result.handle
        state = self.store.fetch_state(handle, endpoint.name) or FetchState(handle, endpoint.name)
        if state.in_progress and "since" in state.params:
            result.resumed.append(endpoint.name)
            self.say(f"@{handle} {endpoint.name}: resuming an interrupted fetch")
        else:
            since = parse_instant(state.newest_time) if state.newest_time else self._first_start()
            state.next_token = None
            state.params = {"since": store_fetch.stamp(since), "started": store_fetch.stamp(self.now), "newest": None}
        since = parse_instant(state.params["since"])
        received = 0
        while True:
            page = self._call(f"@{handle} {endpoint.name}", lambda: endpoint.read(state.next_token, since))
            # Everything a page holds is kept, older items too (a reply's parent, read for its thread):
            # events are keyed by network and id, so reading one again changes nothing.
            kept = page.events
            received += len(page.events)
            if page.newest is not None and (state.params["newest"] is None
                                            or store_fetch.stamp(page.newest) > state.params["newest"]):
                state.params["newest"] = store_fetch.stamp(page.newest)
            done = page.cursor is None or (page.oldest is not None and page.oldest < since)
            span = None
            if done:
                span = (since, parse_instant(state.params["started"]))
                newest = state.params["newest"]
                if newest is not None and (state.newest_time is None or newest > state.newest_time):
                    state.newest_time = newest
                state.next_token, state.params = None, {}
            else:
                state.next_token = page.cursor
            counts = self.store.save_page(kept, source_id, state, then=_span_writer(handle, endpoint.name, span))
            result.read.add(endpoint.name)
            result.added += counts.added
            result.updated += counts.updated
            if done:
                break
        result.fetched[endpoint.name] = received

    def _first_start(self) -> datetime:
        if not self.window_said:
            self.window_said = True
            why = "--since" if self.since_given else "the last 30 days; --since sets another start"
            self.say(f"{self.adapter.name}: first fetch from {self.first_start:%Y-%m-%d %H:%M} UTC ({why})")
        return self.first_start

    def _call(self, what: str, request: Callable[[], object]):
        failures = waits = 0
        while True:
            self.requests += 1
            try:
                return request()
            except RateLimited as exc:
                waits += 1
                if waits > MAX_RATE_WAITS:
                    raise Failed(f"still rate limited after {MAX_RATE_WAITS} waits") from None
                self._wait(what, exc.reset)
            except Transient as exc:
                failures += 1
                if failures > MAX_RETRIES:
                    raise Failed(f"{exc}, {MAX_RETRIES} retries failed") from None
                delay = min(BACKOFF_FIRST * 2 ** (failures - 1), BACKOFF_MAX)
                self.say(f"  {what}: {exc}; retry {failures}/{MAX_RETRIES} in {delay:.0f}s")
                self.sleep(delay)

    def _wait(self, what: str, reset: float | None) -> None:
        wait_out_rate_limit(what, reset, clock=self.clock, sleep=self.sleep, say=self.say, longest=MAX_RATE_WAIT)

    def _finish(self, source_id: int) -> None:
        shown = set()
        channels = {"mentions": ("mention", "reply"), "threads": ("reply",), "dms": ("dm",)}
        for row in self.store.coverage():
            if row.status == "ok" and _network_of(row.account) == self.adapter.kind:
                shown.update(channels.get(row.endpoint, ()))
        self.store.finish_source(source_id, tuple(c for c in ("mention", "reply", "dm") if c in shown),
                                 self.adapter.notes())


def _network_of(account: str) -> str:
    from auditor.networks import handle_platform

    return f"{handle_platform(account)}-api"


def _span_writer(handle: str, endpoint: str, span):
    def write(db) -> None:
        if span is not None:
            store_fetch.add_span(db, handle, endpoint, *span)
    return write
