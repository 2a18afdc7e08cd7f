"""The timeline steps of `auditor fetch` on the X API: an account's posts and mentions, and the replies in
its recent conversations (recent search), each paged through the one page loop (`x_api_pages.py`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from auditor.time.instants import parse_instant
from auditor.activity import store_fetch
from auditor.activity.ingest import x_api_events as events
from auditor.activity.ingest.x_api_calls import Auth
from auditor.activity.ingest.x_api_pages import PageLoop, Paging, Taken
from auditor.activity.ingest.x_api_summary import AccountResult
from auditor.activity.ingest.x_costs import Reads
from auditor.activity.store import FetchState


SEARCH_WINDOW = timedelta(days=7) - timedelta(minutes=5)  # recent search reaches 7 days back; keep a margin


MAX_QUERY = 512  # characters in a recent-search query (the basic access level's limit)


TIMELINE_CAP = {"posts": 3200, "mentions": 800}  # the most a user timeline returns, however far back


class TimelineSteps(PageLoop):
    """Mixed into the fetch's run: uses its store, caller, ledger, clock and progress."""

    def _timeline(self, result: AccountResult, endpoint: str, own: Auth | None, method: str, source_id: int) -> None:
        """The account's posts or mentions: through its own user context when given (owned reads)."""
        auth = own or self.app
        resource = "owned_posts" if own is not None and own.owned_reads else "posts"

        def plan(state: FetchState) -> tuple[list[dict], datetime]:
            if state.newest_id is not None:
                return [{"since_id": state.newest_id}], events.snowflake_time(state.newest_id)
            self._say_window()
            return [{"start_time": events.iso(self.first_start)}], self.first_start

        self._pages(result, endpoint, auth, method, plan, resource, "pagination_token", source_id)

    def _conversations(self, result: AccountResult, source_id: int) -> None:
        """Replies by anyone in the account's conversations of the last 7 days, by recent search.

        Conversations searched before are asked for replies newer than the last search saw
        (`since_id`); new ones for all replies of the window (`start_time`): recent search
        takes one or the other, never both.
        """
        start = self.now - SEARCH_WINDOW
        if self.since_given and self.first_start > start:
            start = self.first_start

        def plan(state: FetchState) -> tuple[list[dict], datetime]:
            conversations = sorted({p.conversation_id or p.id for p in self.store.posts_by(result.handle, start)
                                    if p.conversation_id or p.in_reply_to is None})
            known = store_fetch.searched(self.db, result.handle, start)
            since_id = state.newest_id if state.newest_id and events.snowflake_time(state.newest_id) >= start else None
            old = [c for c in conversations if c in known] if since_id else []
            new = [c for c in conversations if c not in old]
            requests = [{"query": q, "since_id": since_id} for q in _queries(old)]
            requests += [{"query": q, "start_time": events.iso(start)} for q in _queries(new)]
            # Searched before: continuous from the newest reply the last search saw. New conversations started
            # after it, in the window (`posts_by`): the window holds all of their replies.
            return requests, (events.snowflake_time(since_id) if old else start)

        self._pages(result, "conversations", self.app, "search_recent_tweets", plan, "posts", "next_token", source_id)

    def _pages(self, result: AccountResult, endpoint: str, auth: Auth, method: str, plan, resource: str,
               token_name: str, source_id: int) -> None:
        """Page through a timeline (for search: through each query), committing each page with its state."""

        def begin(state: FetchState) -> None:
            requests, span_from = plan(state)
            state.params = {"plan": requests, "index": 0, "started": events.iso(self.now), "from": events.iso(span_from),
                            "received": 0}

        def request(state: FetchState) -> dict:
            params = {"tweet_fields": events.TWEET_FIELDS, "expansions": events.TWEET_EXPANSIONS,
                      "user_fields": events.USER_FIELDS, "max_results": self._page_size(endpoint, resource)}
            params.update(state.params["plan"][state.params["index"]])
            if endpoint != "conversations":
                params["id"] = result.user_id
            return params

        def take(page: dict, state: FetchState) -> Taken:
            handles = events.user_handles(page, self.handles)
            links = events.edit_links(page)
            self._link_edits(links)
            posts, problems = events.page_posts(page, handles, self._superseded(page))
            for problem in problems:
                self.say(f"@{result.handle} {endpoint}: left out {problem}")
            data = [t for t in page.get("data") or [] if isinstance(t, dict)]
            included = [t for t in (page.get("includes") or {}).get("tweets") or [] if isinstance(t, dict)]
            reads = self.ledger.charge(resource, [str(t.get("id")) for t in data], self.clock())
            reads.merge(self.ledger.charge("posts", [str(t.get("id")) for t in included], self.clock()))
            state.params["received"] += len(data)
            oldest = events.oldest_time(data)
            if oldest is not None and (state.params.get("oldest") is None or events.iso(oldest) < state.params["oldest"]):
                state.params["oldest"] = events.iso(oldest)
            state.run_newest_id = events.later_id(state.run_newest_id, events.newest_id(data))
            token = (page.get("meta") or {}).get("next_token")
            if token:
                state.next_token = str(token)
            else:
                state.next_token = None
                state.params["index"] += 1
            span = None
            searched = []
            if state.params["index"] >= len(state.params["plan"]):
                span = self._timeline_span(endpoint, state.params)
                searched = _conversation_ids(state.params["plan"])
                events.complete_paging(state)
            return Taken(posts, len(data), self._writer(result.handle, endpoint, reads, links, span, searched))

        def finish(state: FetchState) -> None:
            if state.params:  # nothing to ask (no conversations): complete without a request
                span = (parse_instant(state.params["from"]), parse_instant(state.params["started"]))
                events.complete_paging(state)
                self.store.save_page([], source_id, state, then=self._writer(result.handle, endpoint, Reads(), {}, span, []))
                result.read.add(endpoint)

        self._page_through(result, Paging(
            endpoint, endpoint, auth, method, token_name, resumable=lambda state: "plan" in state.params, begin=begin,
            more=lambda state: bool(state.params) and state.params["index"] < len(state.params["plan"]),
            request=request, take=take, finish=finish), source_id)

    def _timeline_span(self, endpoint: str, params: dict) -> tuple[datetime, datetime]:
        """What a completed paging holds: from where it asked, unless the timeline's cap cut it shorter."""
        start, end = parse_instant(params["from"]), parse_instant(params["started"])
        cap = TIMELINE_CAP.get(endpoint)
        if cap is not None and params.get("received", 0) >= cap and params.get("oldest"):
            start = max(start, parse_instant(params["oldest"]))
        return start, end

    def _superseded(self, page: dict) -> dict[str, str]:
        """Earlier versions on this page whose latest version is on it too or stored: those are left out.

        An earlier version whose latest the store does not hold (a customer's edited post, quoted) is
        kept until the latest comes: a version of the post is better than none.
        """
        ids = {str(t.get("id")) for t in events.page_tweets(page)}
        earlier = {i: self.edits[i] for i in ids if i in self.edits}
        missing = sorted({latest for latest in earlier.values() if latest not in ids})
        stored = self.store.post_ids(missing) if missing else set()
        return {old: new for old, new in earlier.items() if new in ids or new in stored}

    def _link_edits(self, links: dict[str, str]) -> None:
        for old, new in list(self.edits.items()):
            if new in links:
                self.edits[old] = links[new]
        self.edits.update(links)

    def _writer(self, handle: str, endpoint: str, reads: Reads, links: dict[str, str],
                span: tuple[datetime, datetime] | None, searched: list[str]):
        """What is written with a page, in its transaction: its reads, edits, and on completion the span."""
        def write(db) -> None:
            store_fetch.add_reads(db, self.run_id, handle, endpoint, reads.reads, reads.cost)
            store_fetch.record_edits(db, links)
            if span is not None:
                store_fetch.add_span(db, handle, endpoint, *span)
            if searched:
                store_fetch.mark_searched(db, handle, searched, self.now, self.now - SEARCH_WINDOW)
        return write


def _conversation_ids(plan: list[dict]) -> list[str]:
    return sorted({term.split(":", 1)[1] for request in plan for term in request.get("query", "").split(" OR ")
                   if term.startswith("conversation_id:")})


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
