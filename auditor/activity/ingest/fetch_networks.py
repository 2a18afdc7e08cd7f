"""`auditor fetch` across networks: the roster's X accounts through the X API, its Bluesky and
Mastodon accounts through theirs, into one store; one exit code for the whole run.

Every network's credentials are checked before any request: a roster with Bluesky accounts and
no Bluesky credentials stops at once (exit 2), as one with X accounts and no X token does.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Mapping

from auditor.networks import BLUESKY, MASTODON, X, platform_label
from auditor.activity.ingest.x_api_summary import FetchSummary
from auditor.activity.ingest.x_credentials import Scrubber, scrubbed_run
from auditor.activity.store import Store


def networks_of(policy) -> list[str]:
    roster = getattr(policy, "policy", policy).roster
    present = {account.platform for account in roster}
    return [p for p in (X, BLUESKY, MASTODON) if p in present]


def adapters(policy, env: Mapping[str, str] | None = None, factories: dict | None = None,
             clock: Callable[[], float] | None = None) -> dict:
    """The Bluesky and Mastodon adapters the roster needs, credentials checked (CredentialsError if not)."""
    factories = factories or {}
    roster = getattr(policy, "policy", policy).roster
    found = {}
    if BLUESKY in networks_of(policy):
        from auditor.activity.ingest.bluesky_api import BlueskyAdapter

        found[BLUESKY] = BlueskyAdapter(roster, env, clock=clock,
                                        **({"client_factory": factories[BLUESKY]} if BLUESKY in factories else {}))
    if MASTODON in networks_of(policy):
        from auditor.activity.ingest.mastodon_api import MastodonAdapter

        found[MASTODON] = MastodonAdapter(roster, env, clock=clock,
                                          **({"client_factory": factories[MASTODON]} if MASTODON in factories else {}))
    return found


def fetch_network(policy, store: Store | Path | str, adapter, since: datetime | None = None, *,
                  sleep: Callable[[float], None] | None = None, clock: Callable[[], float] | None = None,
                  progress: Callable[[str], None] = lambda line: None) -> FetchSummary:
    """Fetch the roster's accounts of one network (the adapter's) into the store."""
    from auditor.activity.ingest.net_fetch import NetworkFetch

    platform = adapter.kind.removesuffix("-api")
    roster = [a for a in getattr(policy, "policy", policy).roster if a.platform == platform]
    scrub = Scrubber(adapter.secrets)
    return scrubbed_run(store, scrub, lambda opened: NetworkFetch(
        opened, adapter, since=since, sleep=sleep or time.sleep, clock=clock or time.time, progress=progress,
    ).run(roster))


def combined(summaries: dict[str, FetchSummary]) -> FetchSummary:
    """One summary of several networks' runs: its exit code is 0 when every endpoint of every network was
    read, 1 when some were not and something was, 2 when nothing could be read anywhere."""
    merged = FetchSummary([account for s in summaries.values() for account in s.accounts],
                          sum(s.requests for s in summaries.values()))
    for summary in summaries.values():
        merged.reads.merge(summary.reads)
    merged.stopped = next((s.stopped for s in summaries.values() if s.stopped), None)
    merged.priced = X in summaries
    return merged



@dataclass
class FetchRun:
    """What `auditor fetch` did: each network's summary, their sum, or with a dry run the X API's estimate."""

    summaries: dict[str, FetchSummary]
    summary: FetchSummary | None = None
    estimate: list[str] | None = None

    def apis(self) -> str:
        """The APIs the run read from, for a sentence: "X API", "X API or the Bluesky API"."""
        return " or the ".join([f"{platform_label(p)} API" for p in self.summaries] or ["X API"])


def fetch_roster(loaded, store: Path, since: datetime | None, *, dry_run: bool = False, max_reads: int | None = None,
                 budget: float | None = None, prices: dict | None = None,
                 say: Callable[[str], None] = lambda line: None) -> FetchRun:
    """Fetch every network the roster names into the store (or, dry run, estimate what the X API would cost).
    Every network's credentials are checked before the first request."""
    from auditor.activity.ingest.x_api import credentials_from_env, fetch

    networks = networks_of(loaded)
    if X in networks or not networks:
        credentials_from_env()
    others = adapters(loaded)  # their credentials are checked now, before any request
    if dry_run:
        from auditor.activity.ingest.x_api_plan import estimate

        if others:
            say("--dry-run estimates the X API only: Bluesky and Mastodon cost nothing to read")
        lines = None
        if X in networks:
            lines = estimate(loaded, store, since, max_reads=max_reads, budget=budget, prices=prices,
                             progress=say).lines()
        return FetchRun({}, estimate=lines)
    summaries = {}
    if X in networks:
        summaries[X] = fetch(loaded, store, since, max_reads=max_reads, budget=budget, prices=prices, progress=say)
    for platform, adapter in others.items():
        summaries[platform] = fetch_network(loaded, store, adapter, since, progress=say)
    summary = combined(summaries) if len(summaries) != 1 else next(iter(summaries.values()))
    return FetchRun(summaries, summary)
