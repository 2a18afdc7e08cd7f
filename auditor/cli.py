"""The `auditor` command: parses arguments, calls the library, maps errors to exit codes.

Exit codes: 0 ran and nothing at or above --fail-on; 1 findings at or above it;
2 bad usage or bad input, one line per problem, never a traceback; 3 an internal
error (a bug), one line, never 0 or 1.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from auditor import __version__
from auditor.errors import AuditorError, UsageError
from auditor.terminal import echo

app = typer.Typer(
    name="auditor",
    help="Audit X/Twitter activity against a social media policy written in YAML.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _fail(error: AuditorError) -> typer.Exit:
    for line in error.lines():
        echo(line if ":" in line.split(" ")[0] else f"error: {line}", err=True)
    return typer.Exit(2)


@app.callback(invoke_without_command=True)
def _root(version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False) -> None:
    if version:
        echo(f"auditor {__version__}")
        raise typer.Exit(0)


@app.command()
def validate(
    policies: Annotated[list[Path], typer.Argument(help="Policy files to check.", show_default=False)],
    allow_outside: Annotated[bool, typer.Option("--allow-outside", help="Read a roster file outside the policy's folder (refused by default).")] = False,
) -> None:
    """Check policies (and the roster each names); print file:line:col: message per mistake."""
    from auditor.policy.loader import load_policy

    errors = 0
    for path in policies:
        try:
            loaded = load_policy(path, allow_outside=allow_outside)
        except AuditorError as exc:
            errors += 1
            for line in exc.lines():
                echo(line)
            continue
        policy = loaded.policy
        echo(f"{path}: ok ({len(policy.rules)} rules, {len(policy.roster)} accounts)")
    raise typer.Exit(2 if errors else 0)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the policy format (for editor completion)."""
    from auditor.policy.schema import policy_schema_json

    echo(policy_schema_json())


@app.command()
def rules() -> None:
    """List the rule kinds, what each means, and its options."""
    from auditor.policy.schema import describe_rule_kinds

    echo(describe_rule_kinds())


def _period(policy, period: str | None, start: date | None, end: date | None):
    from auditor.period import parse_period, period_from_dates

    zone = policy.zone
    try:
        if period is not None and not period.strip():
            raise UsageError("--period is empty; give a month (2026-10), a quarter (2026-Q3), a year, "
                             "last-month, this-month or last-quarter")
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
    pseudonym_key: Annotated[Optional[Path], typer.Option("--pseudonym-key", help="With --redact customers: the file holding the secret that keys the pseudonyms (created if missing). Default: $AUDITOR_PSEUDONYM_KEY, else <store>.pseudonym-key beside the store audited.")] = None,
    allow_outside: Annotated[bool, typer.Option("--allow-outside", help="Read a roster file outside the policy's folder (refused by default).")] = False,
    allow_empty: Annotated[bool, typer.Option("--allow-empty", help="Accept a period with no event of the roster's accounts (exit 0; the report says so) instead of failing with exit 2.")] = False,
    split: Annotated[Optional[str], typer.Option("--split", help="One report per manager, team or account (in every format asked for, default pdf), plus overview.json and an overview for HR, in --out-dir (default reports/<period>).")] = None,
    mail: Annotated[bool, typer.Option("--mail", help="Then send each manager their report (as `auditor mail` does; implies --split manager).")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="With --mail: write the messages as .eml files into <out-dir>/outbox instead of sending them.")] = False,
    overview_to: Annotated[Optional[list[str]], typer.Option("--overview-to", help="With --mail: also send the overview to this address (compliance, HR). Repeatable.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress, no summary table: only problems, notes and the --fail-on verdict.")] = False,
) -> None:
    """Run the audit for a period and write the report.

    \b
    Exit codes:
      0  the audit ran; nothing counted at or above --fail-on
      1  a counted finding (not pending, not waived, new against
         --baseline) is at or above --fail-on
      2  bad usage or input; nothing to audit (no event of the
         roster's accounts in the period: a wrong file, every line
         skipped, a period with no data, --as-of before the period);
         a locked, read-only, full or damaged store; an unwritable
         output. One line each, no traceback.
      3  an internal error: a bug (AUDITOR_DEBUG=1 for the traceback)
    With --allow-empty, nothing to audit is exit 0 and the report
    says the period was empty. With --mail, a report that could not
    be delivered is exit 1 too.
    """
    from auditor.baseline import apply_baseline, failing, load_baseline
    from auditor.progress import reporter
    from auditor.render.redact import REDACT_MODES
    from auditor.render.redact import redact as redact_result
    from auditor.waivers import apply_waivers, load_waivers

    delivered = True
    with reporter("audit", quiet=quiet) as progress:
        try:
            if mail and split is None:
                split = "manager"
            if dry_run and not mail:
                raise UsageError("--dry-run goes with --mail (or use `auditor mail --dry-run`)")
            split_by = _split(split, out)
            formats, targets = _targets(out, format_ or ("pdf" if split_by else None), out_dir)
            if mail and "pdf" not in formats:
                raise UsageError("--mail sends the PDF reports: put pdf in --format")
            if overview_to and not mail:
                raise UsageError("--overview-to goes with --mail")
            _check_addresses(overview_to or [])
            if redact is not None and redact not in REDACT_MODES:
                raise UsageError(f"--redact must be dms, customers or none, got {redact!r}")
            threshold = _severity(fail_on)
            paper_size = _paper(paper)
            sender = _mail_settings(dry_run) if mail else None  # a missing SMTP setting fails before the audit
            # Read the side files before the data, so a typo in them fails in a second, not after the audit.
            key = _pseudonym_key(pseudonym_key, data) if redact == "customers" else None
            waiver_file = load_waivers(waivers) if waivers is not None else None
            known = load_baseline(baseline) if baseline is not None else None
            loaded, result = _run_audit(policy, data, period, from_, to, as_of, allow_outside)
            result = _fail_closed(result, allow_empty)
            if waiver_file is not None:
                result = apply_waivers(result, waiver_file)
            if known is not None:
                result = apply_baseline(result, known)  # after waivers: its counts leave waived findings out
            if split_by:
                written = _write_split(result, split_by, formats, out_dir, redact, paper_size, loaded, progress, key)
                if mail:
                    delivered = _send(written.folder, sender, dry_run, None, overview_to or [], progress)
            else:
                _write_reports(result, formats, targets, redact, paper_size, key, progress)
        except AuditorError as exc:
            raise _fail(exc) from None
    # stdout may be carrying the JSON report: the summary goes to stderr.
    if not quiet:
        _print_summary(result, err=True)
    # CI logs are read by more people than the reports: with --redact customers the notes (waivers,
    # baseline) name customers by pseudonym there too.
    notes = redact_result(result, "customers", key).notes if redact == "customers" else result.notes
    for note in notes:
        echo(f"note: {note}", err=True)
    if threshold is not None:
        over = failing(result, threshold)
        scope = "new " if known is not None else ""
        if over:
            echo(f"fail-on {threshold}: {len(over)} {scope}finding{'s' if len(over) != 1 else ''} "
                 f"at or above {threshold}", err=True)
            raise typer.Exit(1)
        echo(f"fail-on {threshold}: no {scope}findings at or above {threshold}", err=True)
    if not delivered:
        raise typer.Exit(1)


def _fail_closed(result, allow_empty: bool):
    """Nothing to audit is an error, not a clean pass: CI must not go green on a wrong file or an empty period."""
    from dataclasses import replace

    from auditor.errors import DataError

    if result.data.period_events:
        return result
    data = result.data
    seen = f"{data.events} events read for it and around it, {data.skipped} line{'s' if data.skipped != 1 else ''} skipped"
    if data.as_of and _instant(data.as_of) < _instant(result.period["start"]):
        seen += f"; the end of the data, {data.as_of}, is before the period starts"
    if not allow_empty:
        raise DataError(f"nothing to audit: no event of the roster's accounts in {result.period['label']} "
                        f"({seen}); check --data, --period and the roster, or pass --allow-empty")
    note = f"empty period: no event of the roster's accounts in {result.period['label']} ({seen}); accepted with --allow-empty"
    return replace(result, notes=result.notes + (note,))


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _split(text: str | None, out: Path | None) -> str | None:
    from auditor.render.split import SPLITS

    if text is None:
        return None
    value = text.strip().lower()
    if value not in SPLITS:
        raise UsageError(f"--split must be one of {', '.join(SPLITS)}, got {text[:40]!r}")
    if out is not None:
        raise UsageError("--split writes a report per group into --out-dir, not --out")
    return value


def _write_split(result, by: str, formats: list[str], out_dir: Path | None, redact: str | None, paper: str,
                 loaded, progress, key: bytes | None = None):
    from auditor.render import RenderOptions
    from auditor.render.split_reports import default_folder, write_split

    folder = out_dir if out_dir is not None else default_folder(result.period)
    recipients = {name: manager.email for name, manager in loaded.policy.managers.items()}
    task = progress.task("writing reports", unit="files")
    written = write_split(result, by, formats, folder, RenderOptions(redact=redact, paper=paper, pseudonym_key=key), recipients,
                          on_file=lambda path: task.advance(1, path.name))
    task.done()
    progress.say(written.line())
    return written


def _check_addresses(addresses: list[str]) -> None:
    from auditor.delivery.send import parse_address

    for address in addresses:
        parse_address(address)


def _mail_settings(dry_run: bool):
    from auditor.delivery.smtp import settings_from_env

    return settings_from_env(dry_run=dry_run)


def _send(folder: Path, settings, dry_run: bool, outbox: Path | None, overview_to: list[str], progress) -> bool:
    """Send (or, dry run, write) each group's report; True when every one went."""
    from auditor.delivery.send import deliver

    outcome = deliver(folder, settings, dry_run=dry_run, outbox=outbox, overview_to=overview_to)
    _say_outcome(outcome, progress)
    return outcome.ok


def _say_outcome(outcome, progress) -> None:
    """What was sent is said like progress (not with --quiet); what was not is always said."""
    for line in outcome.lines():
        if line.startswith("not sent"):
            echo(line, err=True)
        else:
            progress.say(line)


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


def _run_audit(policy_path: Path, data: list[Path], period, from_, to, as_of, allow_outside: bool = False):
    from auditor.activity.sources import read_sources
    from auditor.activity.store import audit_window
    from auditor.audit import audit as run
    from auditor.policy.loader import load_policy
    from auditor.activity.sources.common import no_gc
    from auditor.speedups import worker_pool

    loaded = load_policy(policy_path, allow_outside=allow_outside)
    chosen = _period(loaded.policy, period, from_.date() if from_ else None, to.date() if to else None)
    moment = _as_of(as_of)
    # A store may hold years: read only the period, the previous one (for the trend) and a look-ahead.
    rules = [rule for rule in loaded.policy.rules if rule.enabled]
    # Workers for text scoring are forked before the events are read (see speedups.worker_pool).
    with worker_pool(prepare=lambda: [rule.prepare() for rule in rules]):
        with no_gc():  # the events form no cycles; full collections would walk all of them, again and again
            activity = read_sources(list(data), window=audit_window(chosen), roster_ids=loaded.policy.roster_dids)
            return loaded, run(loaded, activity, chosen, as_of=moment)


def _pseudonym_key(given: Path | None, data: list[Path]) -> bytes:
    from auditor.pseudonym_key import pseudonym_key

    return pseudonym_key(given, data)


def _write_reports(result, formats: list[str], targets: list[Path | None], redact: str | None,
                   paper: str = "A4", key: bytes | None = None, progress=None) -> None:
    from auditor.render import RenderOptions, render, write

    for fmt, target in zip(formats, targets):
        options = RenderOptions(redact=redact, paper=paper, pseudonym_key=key)
        if target is None:
            sys.stdout.buffer.write(render(result, fmt, options))
            sys.stdout.flush()
        else:
            write(result, fmt, target, options)
            if progress is None:
                echo(f"wrote {target}", err=True)
            else:
                progress.say(f"wrote {target}")


def _print_summary(result, err: bool) -> None:
    from auditor.render.summary import summary_table

    echo(summary_table(result), err=err)


@app.command("mail")
def mail_command(
    reports: Annotated[Path, typer.Argument(help="The folder auditor audit --split wrote (it holds overview.json).", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Write each message as an .eml file instead of sending it.")] = False,
    outbox: Annotated[Optional[Path], typer.Option("--outbox", help="Folder for the .eml files of a dry run (default: REPORTS/outbox).")] = None,
    overview_to: Annotated[Optional[list[str]], typer.Option("--overview-to", help="Also send the overview to this address (compliance, HR). Repeatable.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only what was not delivered.")] = False,
) -> None:
    """Send each manager their report from a split audit: the PDF attached, the score and worst items in the body.

    SMTP settings come from the environment: AUDITOR_SMTP_HOST, AUDITOR_SMTP_PORT, AUDITOR_SMTP_SECURITY
    (starttls, ssl, none), AUDITOR_SMTP_USER, AUDITOR_SMTP_PASSWORD, AUDITOR_SMTP_CA_FILE, AUDITOR_MAIL_FROM.
    Exit codes: 0 every message went; 1 some could not be delivered (the others went); 2 bad input or settings,
    or the server could not be used at all.
    """
    from auditor.delivery.send import deliver
    from auditor.delivery.smtp import settings_from_env
    from auditor.progress import reporter

    if outbox is not None and not dry_run:
        raise _fail(UsageError("--outbox goes with --dry-run"))
    with reporter("mail", quiet=quiet) as progress:
        try:
            _check_addresses(overview_to or [])
            settings = settings_from_env(dry_run=dry_run)
            outcome = deliver(reports, settings, dry_run=dry_run, outbox=outbox, overview_to=overview_to or [])
        except AuditorError as exc:
            raise _fail(exc) from None
        _say_outcome(outcome, progress)
    raise typer.Exit(0 if outcome.ok else 1)


@app.command("test")
def run_policy_cases(
    policy: Annotated[Path, typer.Argument(help="The policy file to test.", show_default=False)],
    cases: Annotated[Path, typer.Option("--cases", "-c", help="Folder of cases: NAME/events.jsonl + NAME/expect.yaml, or NAME.jsonl + NAME.yaml.")],
    allow_outside: Annotated[bool, typer.Option("--allow-outside", help="Read a roster file outside the policy's folder (refused by default).")] = False,
) -> None:
    """Run the policy on small example timelines and check the findings each case expects.

    Exit codes: 0 every case passed; 1 some expectation failed; 2 bad input (policy or case files).
    """
    from auditor.policy.loader import load_policy
    from auditor.policy_tests import exit_code, report_lines, run_cases

    try:
        outcomes = run_cases(load_policy(policy, allow_outside=allow_outside), cases)
    except AuditorError as exc:
        raise _fail(exc) from None
    for line in report_lines(outcomes):
        echo(line)
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
    sources: Annotated[list[Path], typer.Argument(help="X archives (zip or folder), Bluesky repository exports (.car), Mastodon archives (zip or folder), JSONL, CSV files, or other stores.", show_default=False)],
    store: Annotated[Path, typer.Option("--store", "-s", help="The store file (SQLite); created if missing.")],
    mapping: Annotated[Optional[str], typer.Option("--mapping", "-m", help="Column mapping for CSV sources: a YAML file, or twcs.")] = None,
    did: Annotated[Optional[list[str]], typer.Option("--did", help="DID=HANDLE: whose a Bluesky repository export is (it names its owner only by DID), or who another DID in it is. Repeatable.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on standard error.")] = False,
) -> None:
    """Read exports into the local store; print what each source gave and the records skipped."""
    from auditor.activity.store import import_sources
    from auditor.progress import reporter

    with reporter("import", quiet=quiet) as progress:
        try:
            for result in import_sources(list(sources), store, mapping, dids=_dids(did or [])):
                progress.out("\n".join(result.lines()))
        except AuditorError as exc:
            raise _fail(exc) from None


def _dids(pairs: list[str]) -> dict[str, str]:
    """`--did did:plc:...=acme.bsky.social`, each checked: DID -> handle."""
    from auditor.activity.networks import BLUESKY, canonical_handle

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


@app.command("fetch")
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
    from auditor.activity.networks import X
    from auditor.activity.sources.fetch_networks import adapters, combined, fetch_network, networks_of
    from auditor.activity.sources.x_api import credentials_from_env, fetch, parse_since
    from auditor.activity.sources.x_costs import parse_budget, parse_max_reads, parse_prices
    from auditor.policy.loader import load_policy
    from auditor.progress import reporter

    with reporter("fetch", quiet=quiet) as progress:
        try:
            start = parse_since(since) if since else None
            prices = parse_prices(price)
            limit = parse_budget(budget) if budget is not None else None
            reads = parse_max_reads(max_reads) if max_reads is not None else None
            try:
                loaded = load_policy(policy, allow_outside=allow_outside)
            except AuditorError:
                credentials_from_env()  # missing X credentials are said first, as before the roster named networks
                raise
            networks = networks_of(loaded)
            if X in networks or not networks:
                credentials_from_env()
            others = adapters(loaded)  # their credentials are checked now, before any request
            say = progress.say
            if dry_run:
                from auditor.activity.sources.x_api_plan import estimate

                if others:
                    say("--dry-run estimates the X API only: Bluesky and Mastodon cost nothing to read")
                if X in networks:
                    plan = estimate(loaded, store, start, max_reads=reads, budget=limit, prices=prices, progress=say)
                    echo("\n".join(plan.lines()))
                return
            summaries = {}
            if X in networks:
                summaries[X] = fetch(loaded, store, start, max_reads=reads, budget=limit, prices=prices, progress=say)
            for platform, adapter in others.items():
                summaries[platform] = fetch_network(loaded, store, adapter, start, progress=say)
            summary = combined(summaries) if len(summaries) != 1 else next(iter(summaries.values()))
        except AuditorError as exc:
            raise _fail(exc) from None
    echo(summary.line())
    if summary.failures:
        echo(f"missing ({summary.failures}): " + "; ".join(summary.missing()), err=True)
    if summary.exit_code == 2:
        echo(f"nothing could be read from the {_apis(summaries)}: no new events in the store", err=True)
    elif summary.exit_code == 1:
        echo("the store keeps what was read; the next run resumes and fills in what is missing", err=True)
    raise typer.Exit(summary.exit_code)


def _apis(summaries: dict) -> str:
    from auditor.activity.networks import platform_label

    names = [f"{platform_label(p)} API" for p in summaries] or ["X API"]
    return " or the ".join(names)


def main() -> None:
    """The `auditor` entry point. A bug must never look like a clean run (0) or like findings (1):
    anything unexpected exits 3 with one line and a request to report it, never a traceback. The
    machine failing (a full or read-only disk, standard output closed or full, a store another
    process holds) is not a bug: one line, exit 2."""
    try:
        try:
            app()
        finally:
            sys.stdout.flush()  # a full or closed standard output fails here, not at exit
    except OSError as exc:
        _environment_failure(f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror
                             else exc.strerror or str(exc))
    except sqlite3.Error as exc:
        from auditor.activity.store import store_problem

        _environment_failure(store_problem(exc))
    except Exception as exc:  # noqa: BLE001 - AuditorError is handled per command; this is the last line
        message = " ".join(str(exc).split())[:300]
        echo(f"internal error: {type(exc).__name__}: {message}" if message
                   else f"internal error: {type(exc).__name__}", err=True)
        echo(f"this is a bug in auditor {__version__}; please report it with the command you ran "
                   "(set AUDITOR_DEBUG=1 for the traceback)", err=True)
        if os.environ.get("AUDITOR_DEBUG"):
            import traceback

            traceback.print_exc()
        sys.exit(3)


def _environment_failure(reason: str) -> None:
    # Whatever was left unwritten in standard output goes nowhere: flushing it again at exit would fail again.
    try:
        sys.stdout = open(os.devnull, "w")
    except OSError:
        pass
    echo(f"error: {reason}", err=True)
    if os.environ.get("AUDITOR_DEBUG"):
        import traceback

        traceback.print_exc()
    sys.exit(2)


if __name__ == "__main__":
    main()
