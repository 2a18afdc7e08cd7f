"""`auditor fetch --dry-run`: the most a fetch could read and cost, per account and endpoint.

Only user ids are looked up (those not in the store yet, and whose user context each set of
user credentials is: one user read each, kept in the store); nothing else is asked. The bounds
are what the X API can return at most: a user timeline returns the 3,200 most recent posts, the
mentions timeline the 800 most recent mentions, and each post may bring the posts it
references (a reply's parent, a quoted post: at most two, billed as posts). Recent search and
DM events have no such cap: their lines say so, and `--max-reads` / `--budget` bound the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from auditor.activity import store_fetch
from auditor.activity.ingest.x_api import ENDPOINTS, FIRST_WINDOW, REFERENCED_PER_POST, USER_ID_FRESH, Run, x_run
from auditor.activity.ingest.x_api_timelines import SEARCH_WINDOW, TIMELINE_CAP
from auditor.activity.ingest.x_api_calls import EndpointFailure, RunStopped
from auditor.activity.ingest.x_costs import (
    PRICES,
    RESOURCE_NAMES,
    LimitReached,
    Limits,
    Reads,
    count,
    dollars,
)
from auditor.activity.store import Store


@dataclass
class Bound:
    """The most one account's endpoint could read in the next run; `reads` None: no fixed bound."""

    account: str
    endpoint: str
    reads: int | None
    cost: int | None
    basis: str


@dataclass
class Estimate:
    bounds: list[Bound]
    lookups: Reads  # what the dry run itself read (user ids)
    cached: int  # user ids found in the store
    looked_up: int
    first_start: datetime
    since_given: bool
    limits: Limits
    prices: dict[str, int]
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [f"dry run: nothing fetched but user ids ({self.cached} from the store, {self.looked_up} looked up: "
                 f"{self.lookups.line()})"]
        why = "--since" if self.since_given else f"the last {FIRST_WINDOW.days} days; --since sets another start"
        lines.append(f"a first fetch reads from {self.first_start:%Y-%m-%d %H:%M} UTC ({why})")
        rows = [("account", "endpoint", "reads at most", "cost at most", "why")]
        for bound in self.bounds:
            if bound.reads is None:
                rows.append((f"@{bound.account}", bound.endpoint, "no bound", "", bound.basis))
            else:
                rows.append((f"@{bound.account}", bound.endpoint, f"{bound.reads:,}", dollars(bound.cost or 0), bound.basis))
        bounded = [b for b in self.bounds if b.reads is not None]
        reads, cost = sum(b.reads for b in bounded), sum(b.cost or 0 for b in bounded)
        unbounded = len(bounded) < len(self.bounds)
        rows.append(("total", "", f"{reads:,}", dollars(cost),
                     "plus conversation replies and DM events, which have no fixed bound" if unbounded else ""))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].rjust(widths[2]), row[3].rjust(widths[3])]
            lines.append("  ".join(cells + [row[4]]).rstrip())
        caps = ", ".join(f"{cap:,} {endpoint}" for endpoint, cap in TIMELINE_CAP.items())
        lines.append(f"bounds: a timeline returns at most its most recent {caps}; each may bring up to "
                     f"{REFERENCED_PER_POST} posts it references (a reply's parent, a quoted post), billed as posts")
        if self.limits:
            lines.append(f"the run stops before it passes its limit ({self.limits.describe()}) and resumes from there next time")
        elif unbounded:
            lines.append("set --max-reads or --budget to stop the run at a limit; the next run resumes where it stopped")
        prices = ", ".join(f"{RESOURCE_NAMES[r]}s {dollars(self.prices[r])}" for r in PRICES)
        lines.append(f"prices a read: {prices} (--price RESOURCE=DOLLARS to change)")
        lines += [f"note: {note}" for note in self.notes]
        return lines


def estimate(policy, store: Store | Path | str, since: datetime | None = None, **options) -> Estimate:
    """Look up the roster's user ids (cached in the store) and bound what a fetch would read.
    `options` are `x_api.fetch`'s (limits, prices, and the fakes tests pass)."""
    return x_run(policy, store, since,
                 lambda run, roster: _estimate(run, [account.handle for account in roster], since is not None),
                 **options)


def _estimate(run: Run, handles: list[str], since_given: bool) -> Estimate:
    run.run_id = store_fetch.start_run(run.db, run.now, {"dry_run": True})
    notes: list[str] = []
    ids: dict[str, str | None] = {}
    cached = sum(1 for h in handles if store_fetch.cached_user_id(run.db, h, run.now - USER_ID_FRESH) is not None)
    try:
        run.resolve_owners()
        for handle in handles:
            try:
                ids[handle] = run.user_id_of(handle)
            except EndpointFailure as exc:
                ids[handle] = None
                notes.append(f"@{handle}: {run.scrub(exc)}")
    except (RunStopped, LimitReached) as stop:
        notes.append(run.scrub(stop.line) if isinstance(stop, RunStopped) else
                     f"user lookups stopped at the limit ({run.limits.describe()})")
    store_fetch.finish_run(run.db, run.run_id, run._now(), "dry run")
    looked_up = run.ledger.run.reads.get("users", 0)
    bounds = []
    last = store_fetch.last_reads(run.db)
    for handle in handles:
        for endpoint in ENDPOINTS:
            bound = _bound(run, handle, endpoint)
            if (handle, endpoint) in last:
                bound.basis += f"; the last run that read it: {count(last[(handle, endpoint)], 'read')}"
            bounds.append(bound)
    return Estimate(bounds, run.ledger.run, cached, looked_up, run.first_start, since_given, run.limits,
                    run.prices, notes)


def _bound(run: Run, handle: str, endpoint: str) -> Bound:
    state = run.store.fetch_state(handle, endpoint)
    own = run.owners.get(handle)
    if state is not None and state.in_progress:
        when = "resumes an interrupted fetch"
    elif state is not None and state.newest_id is not None:
        when = "since the last fetch"
    else:
        when = f"first fetch, from {run.first_start:%Y-%m-%d}"
    if endpoint in TIMELINE_CAP:
        cap = TIMELINE_CAP[endpoint]
        resource = "owned_posts" if own is not None and own.owned_reads else "posts"
        referenced = cap * REFERENCED_PER_POST
        cost = cap * run.prices[resource] + referenced * run.prices["posts"]
        return Bound(handle, endpoint, cap + referenced, cost, when + ("; owned reads" if resource == "owned_posts" else ""))
    if endpoint == "conversations":
        start = run.now - SEARCH_WINDOW
        known = {p.conversation_id or p.id for p in run.store.posts_by(handle, start)
                 if p.conversation_id or p.in_reply_to is None}
        return Bound(handle, endpoint, None, None,
                     f"replies of the last 7 days in its conversations ({len(known)} known, and those of the posts "
                     "this run fetches)")
    if own is None:
        return Bound(handle, endpoint, 0, 0, run.why_no_dms())
    return Bound(handle, endpoint, None, None,
                 f"DM events {'since the last fetch' if state and state.newest_id else 'of the last 30 days'} "
                 "(the X API keeps 30 days)")
