"""The one page loop of `auditor fetch` on the X API, shared by the timelines, the conversation searches
and the DMs: resume an interrupted paging or start a fresh one, ask for each page, restart once on a
stale token, commit each page with the state that says it was read, and count what was read.

What differs between endpoints is a `Paging`: how a fresh paging starts, what each request asks,
and what a page holds (its events, and what to write with them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from auditor.activity.ingest.x_api_calls import Auth, EndpointFailure, StaleToken
from auditor.activity.ingest.x_api_summary import AccountResult
from auditor.activity.store import FetchState


@dataclass
class Taken:
    """What one page held: its events, how many items it returned, and what to write with it."""

    events: list
    received: int
    then: Callable


@dataclass
class Paging:
    endpoint: str  # as the store keeps its state: posts, mentions, conversations, dms
    label: str  # as progress names it: "posts", "DMs"
    auth: Auth
    method: str  # the tweepy method
    token_name: str  # the request parameter that carries the next page's token
    resumable: Callable[[FetchState], bool]  # an interrupted paging this auditor can resume
    begin: Callable[[FetchState], None]  # a fresh paging: what it will ask (state.params)
    more: Callable[[FetchState], bool]  # whether there is a page to ask for
    request: Callable[[FetchState], dict]  # the next request, without its page token
    take: Callable[[dict, FetchState], Taken]  # a page: its events; moves the state on (token, completion)
    finish: Callable[[FetchState], None] = lambda state: None  # after the last page (or when none was asked)


class PageLoop:
    """Mixed into the fetch's run: uses its store, caller, progress and `say`."""

    def _page_through(self, result: AccountResult, paging: Paging, source_id: int) -> None:
        """Page through one endpoint, committing each page with its state: a run killed between two
        pages resumes after the last one committed."""
        endpoint = paging.endpoint
        state = self.store.fetch_state(result.handle, endpoint) or FetchState(result.handle, endpoint)
        state.user_id = result.user_id
        if state.in_progress and paging.resumable(state):
            result.resumed.append(endpoint)
            self.say(f"@{result.handle} {endpoint}: resuming an interrupted fetch")
        else:
            # A fresh paging (an interrupted one of an older auditor restarts: events are keyed by id).
            state.run_since_id, state.run_newest_id, state.next_token = state.newest_id, None, None
            paging.begin(state)
        received = 0
        restarted = False
        while paging.more(state):
            params = paging.request(state)
            if state.next_token is not None:
                params[paging.token_name] = state.next_token
            try:
                page = self.caller.call(f"@{result.handle} {paging.label}", paging.auth, paging.method, page=True,
                                        **params)
            except StaleToken:
                # Restart once: an API that refuses every token it hands out would otherwise have the
                # first page read again and again, for ever. Events are keyed by id: a page read twice is harmless.
                if restarted:
                    raise EndpointFailure("the API refused the saved pagination token twice") from None
                restarted, state.next_token = True, None
                continue
            taken = paging.take(page, state)
            received += taken.received
            self.events.advance(taken.received, f"@{result.handle} {paging.label}")
            counts = self.store.save_page(taken.events, source_id, state, then=taken.then)
            result.read.add(endpoint)
            result.added += counts.added
            result.updated += counts.updated
        paging.finish(state)
        result.fetched[endpoint] = received
