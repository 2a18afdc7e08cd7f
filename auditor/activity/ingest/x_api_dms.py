"""The DM step of `auditor fetch`: an account's DM events, read with its own user context.

DM events come newest first and take no `since_id`: paging stops at the first page that
reaches what is stored, or the first fetch's window. The X API keeps 30 days of them: a run
more than 30 days after the last one says that the DMs in between are gone, and the store's
spans keep the gap. A group conversation's people are learnt from its join and leave events
and its senders (kept in `dm_participants`); DMs stored before they were all known are given
their full list of recipients when they are.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from auditor.time.instants import parse_instant
from auditor.activity import store_fetch
from auditor.activity.ingest import x_api_events as events
from auditor.activity.ingest.x_api_calls import DM_METHOD, Auth
from auditor.activity.ingest.x_api_pages import PageLoop, Paging, Taken
from auditor.activity.ingest.x_api_summary import AccountResult
from auditor.activity.ingest.x_costs import Reads
from auditor.activity.store import FetchState

DM_HORIZON = timedelta(days=30)  # the X API keeps DM events 30 days


class DmSteps(PageLoop):
    """Mixed into the fetch's run: uses its store, caller, ledger, clock and progress."""

    def _dms(self, result: AccountResult, own: Auth, source_id: int) -> None:
        """DM events come newest first, without since_id: stop at the first page reaching what is stored.

        The X API keeps 30 days of DM events: a run more than 30 days after the last one says
        that the DMs in between are gone, and the store's spans keep the gap.
        """
        handle, endpoint = result.handle, "dms"

        def begin(state: FetchState) -> None:
            horizon = self.now - DM_HORIZON
            if state.run_since_id is None:
                self._say_window()
                start = max(self.first_start, horizon)
            else:
                start = max(events.snowflake_time(state.run_since_id), horizon)
                last = store_fetch.spans(self.db, endpoint).get((handle, endpoint))
                if last and last[-1].end < horizon:
                    self.say(f"@{handle} DMs: the last DM fetch was {last[-1].end:%Y-%m-%d}, more than 30 days ago: "
                             f"DMs from then to {horizon:%Y-%m-%d} are gone from the X API and missing from the store "
                             "(fetch at least weekly)")
            state.params = {"started": events.iso(self.now), "from": events.iso(start)}

        def request(state: FetchState) -> dict:
            return {"dm_event_fields": events.DM_EVENT_FIELDS, "event_types": events.DM_EVENT_TYPES,
                    "expansions": events.DM_EXPANSIONS, "user_fields": events.USER_FIELDS,
                    "max_results": self._page_size(endpoint, "dm_events")}

        def take(page: dict, state: FetchState) -> Taken:
            stop_at, start = state.run_since_id, parse_instant(state.params["from"])
            handles = events.user_handles(page, self.handles)
            people = self._dm_people(page, result.user_id)
            handles.update(store_fetch.user_handles(self.db, sorted({u for ids in people.values() for u in ids} - set(handles))))
            dms, problems = events.page_dms(page, handles, people)
            for problem in problems:
                self.say(f"@{handle} DMs: left out {problem}")
            data = [d for d in page.get("data") or [] if isinstance(d, dict)]
            reads = self.ledger.charge("dm_events", [str(d.get("id")) for d in data], self.clock())
            state.run_newest_id = events.later_id(state.run_newest_id, events.newest_id(data))
            token = (page.get("meta") or {}).get("next_token")
            reached = stop_at is not None and any(
                str(d.get("id", "")).isdigit() and int(d["id"]) <= int(stop_at) for d in data)
            oldest = events.oldest_time(data)
            span = None
            if token and not reached and (oldest is None or oldest >= start):
                state.next_token = str(token)
            else:
                span = (start, parse_instant(state.params["started"]))
                state.next_token = None
                events.complete_paging(state)
            return Taken(dms, len(data), self._dm_writer(handle, reads, handles, people, span))

        # One request at least; then page on while the state is not complete.
        self._page_through(result, Paging(
            endpoint, "DMs", own, DM_METHOD, "pagination_token", resumable=lambda state: "started" in state.params,
            begin=begin, more=lambda state: bool(state.params), request=request, take=take), source_id)

    def _dm_people(self, page: dict, owner_id: str | None) -> dict[str, set[str]]:
        """Group conversation -> everyone known in it: this page's people and those stored before."""
        people = events.dm_people(page, owner_id)
        for conversation, found in people.items():
            found |= store_fetch.participants(self.db, conversation)
        return people

    def _dm_writer(self, handle: str, reads: Reads, handles: dict[str, str], people: dict[str, set[str]],
                   span: tuple[datetime, datetime] | None):
        def write(db) -> None:
            store_fetch.add_reads(db, self.run_id, handle, "dms", reads.reads, reads.cost)
            store_fetch.remember_users(db, {u: handles[u] for ids in people.values() for u in ids if u in handles})
            for conversation, found in people.items():
                grown = found - store_fetch.participants(db, conversation)
                store_fetch.add_participants(db, conversation, found)
                if grown:
                    self._renamed_recipients(conversation, found, handles)
            if span is not None:
                store_fetch.add_span(db, handle, "dms", *span)
        return write

    def _renamed_recipients(self, conversation: str, people: set[str], handles: dict[str, str]) -> None:
        """Group DMs stored before everyone in the group was known get their full list of recipients."""
        names = {handles.get(p, p) for p in people}
        stored = self.store.dms_in(conversation, self.now - DM_HORIZON - timedelta(days=1))
        updated = []
        for dm in stored:
            recipients = tuple(sorted(names - {dm.sender}))
            if recipients and set(recipients) != set(dm.recipients):
                dm.recipients = recipients
                updated.append(dm)
        if updated:
            self.store.update_events(updated)
