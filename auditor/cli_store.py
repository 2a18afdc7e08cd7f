"""The commands that fill the store: `auditor import` (exports) and `auditor fetch` (the networks' APIs).

`cli.py` registers them beside the audit's commands, behind the one mapping of errors to exit codes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from auditor.errors import AuditorError, DataError, UsageError
from auditor.terminal import echo


def import_command(
    sources: Annotated[list[Path], typer.Argument(help="X archives (zip or folder), Bluesky repository exports (.car), Mastodon archives (zip or folder), JSONL, CSV files, or other stores.", show_default=False)],
    store: Annotated[Path, typer.Option("--store", "-s", help="The store file (SQLite); created if missing.")],
    mapping: Annotated[Optional[str], typer.Option("--mapping", "-m", help="Column mapping for CSV sources: a YAML file, or twcs.")] = None,
    did: Annotated[Optional[list[str]], typer.Option("--did", help="DID=HANDLE: whose a Bluesky repository export is (it names its owner only by DID), or who another DID in it is. Repeatable.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on standard error.")] = False,
) -> None:
    """Read exports into the local store; print what each source gave and the records skipped."""
    from auditor.activity.ingest.importing import import_sources
    from auditor.progress import reporter

    empty = []
    with reporter("import", quiet=quiet) as progress:
        for result in import_sources(list(sources), store, mapping, dids=_dids(did or [])):
            progress.out("\n".join(result.lines()))
            if not result.read:
                empty.append(result)
    if empty:  # a CI import step must not go green on the wrong file (what the others gave is kept)
        first = empty[0]
        raise DataError(f"{first.name}: nothing to import: {first.read} events read, {first.skipped} lines skipped "
                        "(is it the right file?)")


def _dids(pairs: list[str]) -> dict[str, str]:
    """`--did did:plc:...=acme.bsky.social`, each checked: DID -> handle."""
    from auditor.networks import BLUESKY, canonical_handle

    found: dict[str, str] = {}
    for pair in pairs:
        did, equals, handle = pair.partition("=")
        try:
            did = canonical_handle(did, BLUESKY)
            if not equals or not did.startswith("did:"):
                raise ValueError("expected DID=HANDLE")
            found[did] = canonical_handle(handle, BLUESKY)
        except ValueError as exc:
            raise UsageError(f"--did {pair[:80]!r}: {exc} (like did:plc:z72i7hdynmk6r22z27h6tvur=acme.bsky.social)") from None
    return found


def fetch_command(
    policy: Annotated[Path, typer.Option("--policy", "-p", help="The policy whose roster is fetched.")],
    store: Annotated[Path, typer.Option("--store", "-s", help="The store file (SQLite); created if missing.")],
    since: Annotated[Optional[str], typer.Option(help="Where a first fetch starts: a date (2026-10-01) or an ISO time (default: 30 days ago).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Look up user ids only and print the most each account and endpoint could cost.")] = False,
    max_reads: Annotated[Optional[str], typer.Option("--max-reads", help="Stop before the run reads more than this many resources (posts, users, DM events).")] = None,
    budget: Annotated[Optional[str], typer.Option("--budget", help="Stop before the run costs more than this many dollars (at --price).")] = None,
    price: Annotated[Optional[list[str]], typer.Option("--price", help="RESOURCE=DOLLARS per read, to change the price table (posts, owned_posts, users, dm_events). Repeatable.")] = None,
    allow_outside: Annotated[bool, typer.Option("--allow-outside", help="Read a roster file outside the policy's folder (refused by default).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no line per account: only problems and the summary.")] = False,
) -> None:
    """Pull the roster's posts, mentions, replies and DMs from the X, Bluesky and Mastodon APIs into the store, incrementally.

    Credentials come from the environment only. X: X_BEARER_TOKEN, and for DMs X_CONSUMER_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET (OAuth 1.0a) or X_OAUTH2_USER_TOKEN (OAuth 2.0 with dm.read; several separated by commas). Bluesky: BLUESKY_HANDLE and BLUESKY_APP_PASSWORD (or BLUESKY_APP_PASSWORDS, handle=password pairs). Mastodon: MASTODON_ACCESS_TOKEN with MASTODON_API_BASE_URL (or MASTODON_ACCESS_TOKENS, handle=token pairs). --dry-run, --max-reads, --budget and --price are about the X API: the others cost nothing to read.

    Exit codes: 0 every endpoint needed was read; 1 some could not be (after retries, or the run stopped at a limit, the usage cap or the credits): what was read is kept and each missing endpoint is named; 2 nothing could be read, or bad usage, input or credentials.
    """  # noqa: E501 - typer keeps a docstring's line breaks in the help
    from auditor.activity.ingest.fetch_networks import fetch_roster
    from auditor.activity.ingest.x_api import credentials_from_env
    from auditor.activity.ingest.x_costs import parse_budget, parse_max_reads, parse_prices
    from auditor.policy.loader import load_policy
    from auditor.progress import reporter

    with reporter("fetch", quiet=quiet) as progress:
        start = _since(since) if since else None
        prices = parse_prices(price)
        limit = parse_budget(budget) if budget is not None else None
        reads = parse_max_reads(max_reads) if max_reads is not None else None
        try:
            loaded = load_policy(policy, allow_outside=allow_outside)
        except AuditorError:
            credentials_from_env()  # missing X credentials are said first, as before the roster named networks
            raise
        ran = fetch_roster(loaded, store, start, dry_run=dry_run, max_reads=reads, budget=limit, prices=prices,
                           say=progress.say)
    if dry_run:
        if ran.estimate is not None:
            echo("\n".join(ran.estimate))
        return
    summary = ran.summary
    echo(summary.line())
    if summary.failures:
        echo(f"missing ({summary.failures}): " + "; ".join(summary.missing()), err=True)
    if summary.exit_code == 2:
        echo(f"nothing could be read from the {ran.apis()}: no new events in the store", err=True)
    elif summary.exit_code == 1:
        echo("the store keeps what was read; the next run resumes and fills in what is missing", err=True)
    raise typer.Exit(summary.exit_code)


def _since(text: str):
    from auditor.time.instants import parse_since

    try:
        return parse_since(text)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
