"""The `auditor` command: parses arguments, calls the library, maps errors to exit codes.

Exit codes: 0 ran and nothing at or above --fail-on; 1 findings at or above it;
2 bad usage or bad input, one line per problem, never a traceback; 3 an internal
error (a bug), one line, never 0 or 1.
"""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from auditor import __version__
from auditor.errors import AuditorError, UsageError

app = typer.Typer(
    name="auditor",
    help="Audit X/Twitter activity against a social media policy written in YAML.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _fail(error: AuditorError) -> typer.Exit:
    for line in error.lines():
        typer.echo(line if ":" in line.split(" ")[0] else f"error: {line}", err=True)
    return typer.Exit(2)


@app.callback(invoke_without_command=True)
def _root(version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False) -> None:
    if version:
        typer.echo(f"auditor {__version__}")
        raise typer.Exit(0)


@app.command()
def validate(
    policies: Annotated[list[Path], typer.Argument(help="Policy files to check.", show_default=False)],
) -> None:
    """Check policies (and the roster each names); print file:line:col: message per mistake."""
    from auditor.policy.loader import load_policy

    errors = 0
    for path in policies:
        try:
            loaded = load_policy(path)
        except AuditorError as exc:
            errors += 1
            for line in exc.lines():
                typer.echo(line)
            continue
        policy = loaded.policy
        typer.echo(f"{path}: ok ({len(policy.rules)} rules, {len(policy.roster)} accounts)")
    raise typer.Exit(2 if errors else 0)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the policy format (for editor completion)."""
    from auditor.policy.schema import policy_schema_json

    typer.echo(policy_schema_json())


@app.command()
def rules() -> None:
    """List the rule kinds, what each means, and its options."""
    from auditor.policy.schema import describe_rule_kinds

    typer.echo(describe_rule_kinds())


def _period(policy, period: str | None, start: date | None, end: date | None):
    from auditor.period import parse_period, period_from_dates

    zone = policy.zone
    try:
        if period and (start or end):
            raise UsageError("give either --period or --from/--to, not both")
        if start or end:
            if not (start and end):
                raise UsageError("--from and --to go together")
            return period_from_dates(start, end, zone)
        return parse_period(period or "last-month", zone, datetime.now(zone).date())
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _as_of(text: str | None):
    if text is None:
        return None
    from auditor.activity.events import parse_time

    try:
        return parse_time(text, "--as-of")
    except ValueError as exc:
        raise UsageError(str(exc)) from None


@app.command()
def audit(
    policy: Annotated[Path, typer.Option("--policy", "-p", help="The policy file.")],
    data: Annotated[list[Path], typer.Option("--data", "-d", help="Activity: a store, an X archive, JSONL or CSV. Repeatable.")],
    period: Annotated[Optional[str], typer.Option(help="2026-10, 2026-Q3, 2026, last-month, this-month, last-quarter.")] = None,
    from_: Annotated[Optional[datetime], typer.Option("--from", formats=["%Y-%m-%d"], help="First day (inclusive).")] = None,
    to: Annotated[Optional[datetime], typer.Option("--to", formats=["%Y-%m-%d"], help="Last day (inclusive).")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="End of the data (ISO time); default: the latest event read.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Report file; its suffix picks the format.")] = None,
    format_: Annotated[Optional[str], typer.Option("--format", "-f", help="Comma-separated: json, pdf, html, csv, sarif, junit (default: by --out suffix).")] = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out-dir", help="Folder for several formats (report.<ext>).")] = None,
    redact: Annotated[Optional[str], typer.Option(help="dms | customers | none (default: dms for pdf/html, none otherwise).")] = None,
    fail_on: Annotated[Optional[str], typer.Option("--fail-on", help="Exit 1 when a counted finding (not pending, not waived, new if --baseline) is at or above: info, low, medium, high, critical.")] = None,
    waivers: Annotated[Optional[Path], typer.Option("--waivers", help="YAML list of approved, dated exceptions to findings.")] = None,
    baseline: Annotated[Optional[Path], typer.Option("--baseline", help="An earlier report.json: its findings are 'existing', the rest 'new'.")] = None,
    paper: Annotated[str, typer.Option("--paper", help="Page size of the PDF: A4 or Letter.")] = "A4",
) -> None:
    """Run the audit for a period and write the report.

    Exit codes: 0 ran, nothing counted at or above --fail-on; 1 a finding was; 2 bad usage or input; 3 a bug.
    """
    from auditor.baseline import apply_baseline, failing, load_baseline
    from auditor.render.redact import REDACT_MODES
    from auditor.waivers import apply_waivers, load_waivers

    try:
        formats, targets = _targets(out, format_, out_dir)
        if redact is not None and redact not in REDACT_MODES:
            raise UsageError(f"--redact must be dms, customers or none, got {redact!r}")
        threshold = _severity(fail_on)
        paper_size = _paper(paper)
        # Read the side files before the data, so a typo in them fails in a second, not after the audit.
        waiver_file = load_waivers(waivers) if waivers is not None else None
        known = load_baseline(baseline) if baseline is not None else None
        result = _run_audit(policy, data, period, from_, to, as_of)
        if waiver_file is not None:
            result = apply_waivers(result, waiver_file)
        if known is not None:
            result = apply_baseline(result, known)  # after waivers: its counts leave waived findings out
        _write_reports(result, formats, targets, redact, paper_size)
    except AuditorError as exc:
        raise _fail(exc) from None
    # stdout may be carrying the JSON report: the summary goes to stderr.
    _print_summary(result, err=True)
    for note in result.notes:
        typer.echo(f"note: {note}", err=True)
    if threshold is not None:
        over = failing(result, threshold)
        scope = "new " if known is not None else ""
        if over:
            typer.echo(f"fail-on {threshold}: {len(over)} {scope}finding{'s' if len(over) != 1 else ''} "
                       f"at or above {threshold}", err=True)
            raise typer.Exit(1)
        typer.echo(f"fail-on {threshold}: no {scope}findings at or above {threshold}", err=True)


def _severity(text: str | None) -> str | None:
    from auditor.policy.types import SEVERITIES

    if text is None:
        return None
    value = text.strip().lower()
    if value not in SEVERITIES:
        raise UsageError(f"--fail-on must be one of {', '.join(SEVERITIES)}, got {text[:40]!r}")
    return value


def _paper(text: str) -> str:
    sizes = {"a4": "A4", "letter": "Letter"}
    if text.strip().lower() not in sizes:
        raise UsageError(f"--paper must be A4 or Letter, got {text[:40]!r}")
    return sizes[text.strip().lower()]


def _targets(out: Path | None, format_: str | None, out_dir: Path | None) -> tuple[list[str], list[Path | None]]:
    from auditor.render import FORMATS, format_for_suffix, parse_formats

    if format_:
        formats = parse_formats(format_)
    elif out is not None:
        formats = [format_for_suffix(out)]
    else:
        formats = ["json"]
    if len(formats) > 1 or out_dir is not None:
        if out is not None and len(formats) > 1:
            raise UsageError("several formats go to --out-dir, not --out")
        folder = out_dir or Path(".")
        return formats, [folder / f"report{FORMATS[f][1]}" for f in formats]
    return formats, [out]


def _run_audit(policy_path: Path, data: list[Path], period, from_, to, as_of):
    from auditor.activity.sources import read_sources
    from auditor.activity.store import audit_window
    from auditor.audit import audit as run
    from auditor.policy.loader import load_policy
    from auditor.activity.sources.common import no_gc
    from auditor.speedups import worker_pool

    loaded = load_policy(policy_path)
    chosen = _period(loaded.policy, period, from_.date() if from_ else None, to.date() if to else None)
    moment = _as_of(as_of)
    # A store may hold years: read only the period, the previous one (for the trend) and a look-ahead.
    rules = [rule for rule in loaded.policy.rules if rule.enabled]
    # Workers for text scoring are forked before the events are read (see speedups.worker_pool).
    with worker_pool(prepare=lambda: [rule.prepare() for rule in rules]):
        with no_gc():  # the events form no cycles; full collections would walk all of them, again and again
            activity = read_sources(list(data), window=audit_window(chosen))
            return run(loaded, activity, chosen, as_of=moment)


def _write_reports(result, formats: list[str], targets: list[Path | None], redact: str | None,
                   paper: str = "A4") -> None:
    from auditor.render import RenderOptions, render, write

    for fmt, target in zip(formats, targets):
        options = RenderOptions(redact=redact, paper=paper)
        if target is None:
            sys.stdout.buffer.write(render(result, fmt, options))
            sys.stdout.flush()
        else:
            write(result, fmt, target, options)
            typer.echo(f"wrote {target}", err=True)


def _print_summary(result, err: bool) -> None:
    from auditor.render.summary import summary_table

    typer.echo(summary_table(result), err=err)


@app.command("test")
def run_policy_cases(
    policy: Annotated[Path, typer.Argument(help="The policy file to test.", show_default=False)],
    cases: Annotated[Path, typer.Option("--cases", "-c", help="Folder of cases: NAME/events.jsonl + NAME/expect.yaml, or NAME.jsonl + NAME.yaml.")],
) -> None:
    """Run the policy on small example timelines and check the findings each case expects.

    Exit codes: 0 every case passed; 1 some expectation failed; 2 bad input (policy or case files).
    """
    from auditor.policy.loader import load_policy
    from auditor.policy_tests import exit_code, report_lines, run_cases

    try:
        outcomes = run_cases(load_policy(policy), cases)
    except AuditorError as exc:
        raise _fail(exc) from None
    for line in report_lines(outcomes):
        typer.echo(line)
    raise typer.Exit(exit_code(outcomes))


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for report.json and report.pdf.")] = Path("demo-report"),
) -> None:
    """Audit the bundled sample company with policies/example.yaml: no network, no tokens."""
    from auditor.activity.sources.jsonl import read_jsonl
    from auditor.audit import audit as run
    from auditor.bundled import policies_folder, sample_data
    from auditor.period import parse_period
    from auditor.policy.loader import load_policy
    from auditor.render import FORMATS

    try:
        loaded = load_policy(policies_folder() / "example.yaml")
        activity = read_jsonl(sample_data(), name="sample: Acme, October 2026")
        period = parse_period("2026-10", loaded.policy.zone, date(2026, 11, 23))
        result = run(loaded, activity, period)
        formats = [f for f in ("json", "pdf") if f in FORMATS]
        _write_reports(result, formats, [out / f"report{FORMATS[f][1]}" for f in formats], None)
    except AuditorError as exc:
        raise _fail(exc) from None
    _print_summary(result, err=False)


@app.command("import")
def import_command(
    sources: Annotated[list[Path], typer.Argument(help="X archives (zip or folder), JSONL, CSV files, or other stores.", show_default=False)],
    store: Annotated[Path, typer.Option("--store", "-s", help="The store file (SQLite); created if missing.")],
    mapping: Annotated[Optional[str], typer.Option("--mapping", "-m", help="Column mapping for CSV sources: a YAML file, or twcs.")] = None,
) -> None:
    """Read exports into the local store; print what each source gave and the records skipped."""
    from auditor.activity.store import import_sources

    try:
        for result in import_sources(list(sources), store, mapping):
            typer.echo("\n".join(result.lines()))
    except AuditorError as exc:
        raise _fail(exc) from None


@app.command("fetch")
def fetch_command(
    policy: Annotated[Path, typer.Option("--policy", "-p", help="The policy whose roster is fetched.")],
    store: Annotated[Path, typer.Option("--store", "-s", help="The store file (SQLite); created if missing.")],
    since: Annotated[Optional[str], typer.Option(help="Where a first fetch starts: a date (2026-10-01) or an ISO time (default: 30 days ago).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Look up user ids only and print the most each account and endpoint could cost.")] = False,
    max_reads: Annotated[Optional[str], typer.Option("--max-reads", help="Stop before the run reads more than this many resources (posts, users, DM events).")] = None,
    budget: Annotated[Optional[str], typer.Option("--budget", help="Stop before the run costs more than this many dollars (at --price).")] = None,
    price: Annotated[Optional[list[str]], typer.Option("--price", help="RESOURCE=DOLLARS per read, to change the price table (posts, owned_posts, users, dm_events). Repeatable.")] = None,
) -> None:
    """Pull the roster's posts, mentions, replies and DMs from the X, Bluesky and Mastodon APIs into the store, incrementally.

    Credentials come from the environment only. X: X_BEARER_TOKEN, and for DMs X_CONSUMER_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET (OAuth 1.0a) or X_OAUTH2_USER_TOKEN (OAuth 2.0 with dm.read; several separated by commas). Bluesky: BLUESKY_HANDLE and BLUESKY_APP_PASSWORD (or BLUESKY_APP_PASSWORDS, handle=password pairs). Mastodon: MASTODON_ACCESS_TOKEN with MASTODON_API_BASE_URL (or MASTODON_ACCESS_TOKENS, handle=token pairs). --dry-run, --max-reads, --budget and --price are about the X API: the others cost nothing to read.

    Exit codes: 0 every endpoint needed was read; 1 some could not be (after retries, or the run stopped at a limit, the usage cap or the credits): what was read is kept and each missing endpoint is named; 2 nothing could be read, or bad usage, input or credentials.
    """  # noqa: E501 - typer keeps a docstring's line breaks in the help
    from auditor.activity.networks import X
    from auditor.activity.sources.fetch_networks import adapters, combined, fetch_network, networks_of
    from auditor.activity.sources.x_api import credentials_from_env, fetch, parse_since
    from auditor.activity.sources.x_costs import parse_budget, parse_max_reads, parse_prices
    from auditor.policy.loader import load_policy

    try:
        start = parse_since(since) if since else None
        prices = parse_prices(price)
        limit = parse_budget(budget) if budget is not None else None
        reads = parse_max_reads(max_reads) if max_reads is not None else None
        try:
            loaded = load_policy(policy)
        except AuditorError:
            credentials_from_env()  # missing X credentials are said first, as before the roster named networks
            raise
        networks = networks_of(loaded)
        if X in networks or not networks:
            credentials_from_env()
        others = adapters(loaded)  # their credentials are checked now, before any request
        say = lambda line: typer.echo(line, err=True)  # noqa: E731
        if dry_run:
            from auditor.activity.sources.x_api_plan import estimate

            if others:
                say("--dry-run estimates the X API only: Bluesky and Mastodon cost nothing to read")
            if X in networks:
                plan = estimate(loaded, store, start, max_reads=reads, budget=limit, prices=prices, progress=say)
                typer.echo("\n".join(plan.lines()))
            return
        summaries = {}
        if X in networks:
            summaries[X] = fetch(loaded, store, start, max_reads=reads, budget=limit, prices=prices, progress=say)
        for platform, adapter in others.items():
            summaries[platform] = fetch_network(loaded, store, adapter, start, progress=say)
        summary = combined(summaries) if len(summaries) != 1 else next(iter(summaries.values()))
    except AuditorError as exc:
        raise _fail(exc) from None
    typer.echo(summary.line())
    if summary.failures:
        typer.echo(f"missing ({summary.failures}): " + "; ".join(summary.missing()), err=True)
    if summary.exit_code == 2:
        typer.echo(f"nothing could be read from the {_apis(summaries)}: no new events in the store", err=True)
    elif summary.exit_code == 1:
        typer.echo("the store keeps what was read; the next run resumes and fills in what is missing", err=True)
    raise typer.Exit(summary.exit_code)


def _apis(summaries: dict) -> str:
    from auditor.activity.networks import platform_label

    names = [f"{platform_label(p)} API" for p in summaries] or ["X API"]
    return " or the ".join(names)


def main() -> None:
    """The `auditor` entry point. A bug must never look like a clean run (0) or like findings (1):
    anything unexpected exits 3 with one line and a request to report it, never a traceback."""
    try:
        app()
    except Exception as exc:  # noqa: BLE001 - AuditorError is handled per command; this is the last line
        message = " ".join(str(exc).split())[:300]
        typer.echo(f"internal error: {type(exc).__name__}: {message}" if message
                   else f"internal error: {type(exc).__name__}", err=True)
        typer.echo(f"this is a bug in auditor {__version__}; please report it with the command you ran "
                   "(set AUDITOR_DEBUG=1 for the traceback)", err=True)
        if os.environ.get("AUDITOR_DEBUG"):
            import traceback

            traceback.print_exc()
        sys.exit(3)


if __name__ == "__main__":
    main()
