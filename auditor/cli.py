"""The `auditor` command: parses arguments, calls the library, maps errors to exit codes.

Exit codes: 0 ran and nothing at or above --fail-on; 1 findings at or above it;
2 bad usage or bad input, one line per problem, never a traceback; 3 an internal
error (a bug), one line, never 0 or 1.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from auditor import __version__
from auditor.cli_store import fetch_command, import_command
from auditor.errors import AuditorError, UsageError
from auditor.options import check_addresses, chosen_split, fail_on_severity, paper_size, report_targets
from auditor.progress import Reporter
from auditor.terminal import echo

app = typer.Typer(
    name="auditor",
    help="Audit X/Twitter activity against a social media policy written in YAML.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def command(*args, **kwargs):
    """`app.command`, with the one mapping of bad input to exit 2: each line of an `AuditorError` printed
    (prefixed `error:` unless it names a file), never a traceback."""

    def register(function):
        @functools.wraps(function)
        def run(*call_args, **call_kwargs):
            try:
                return function(*call_args, **call_kwargs)
            except AuditorError as exc:
                raise _fail(exc) from None

        return app.command(*args, **kwargs)(run)

    return register


def _fail(error: AuditorError) -> typer.Exit:
    for line in error.lines():
        echo(line if ":" in line.split(" ")[0] else f"error: {line}", err=True)
    return typer.Exit(2)


@app.callback(invoke_without_command=True)
def _root(version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False) -> None:
    if version:
        echo(f"auditor {__version__}")
        raise typer.Exit(0)


@command()
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
        nothing = loaded.checks_nothing(path)
        if nothing is not None:
            errors += 1
            echo(nothing)
            continue
        rules, accounts = len(policy.rules), len(policy.roster)
        echo(f"{path}: ok ({rules} rule{'s' if rules != 1 else ''}, {accounts} account{'s' if accounts != 1 else ''})")
    raise typer.Exit(2 if errors else 0)


@command()
def schema() -> None:
    """Print the JSON Schema of the policy format (for editor completion)."""
    from auditor.policy.schema import policy_schema_json

    echo(policy_schema_json())


@command()
def rules() -> None:
    """List the rule kinds, what each means, and its options."""
    from auditor.policy.schema import describe_rule_kinds

    echo(describe_rule_kinds())


@command()
def audit(
    policy: Annotated[Path, typer.Option("--policy", "-p", help="The policy file.")],
    data: Annotated[list[Path], typer.Option("--data", "-d", help="Activity: a store, an X archive, JSONL or CSV. Repeatable.")],
    period: Annotated[Optional[str], typer.Option(help="2026-10, 2026-Q3, 2026, last-month, this-month, last-quarter.")] = None,
    from_: Annotated[Optional[datetime], typer.Option("--from", formats=["%Y-%m-%d"], help="First day (inclusive).")] = None,
    to: Annotated[Optional[datetime], typer.Option("--to", formats=["%Y-%m-%d"], help="Last day (inclusive).")] = None,
    mapping: Annotated[Optional[str], typer.Option("--mapping", "-m", help="Column mapping for CSV sources: a YAML file, or twcs.")] = None,
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
    from auditor.progress import reporter
    from auditor.render import RenderOptions
    from auditor.render.redact import REDACT_MODES
    from auditor.render.redact import redact as redact_result
    from auditor.review.baseline import failing
    from auditor.run import AuditRequest, Mail, Outputs, run_audit

    with reporter("audit", quiet=quiet) as progress:
        if mail and split is None:
            split = "manager"
        if dry_run and not mail:
            raise UsageError("--dry-run goes with --mail (or use `auditor mail --dry-run`)")
        split_by = chosen_split(split, out)
        formats, targets = report_targets(out, format_ or ("pdf" if split_by else None), out_dir)
        if mail and "pdf" not in formats:
            raise UsageError("--mail sends the PDF reports: put pdf in --format")
        if overview_to and not mail:
            raise UsageError("--overview-to goes with --mail")
        check_addresses(overview_to or [])
        if redact is not None and redact not in REDACT_MODES:
            raise UsageError(f"--redact must be dms, customers or none, got {redact!r}")
        threshold = fail_on_severity(fail_on)
        options = RenderOptions(redact=redact, paper=paper_size(paper))
        # A missing SMTP setting fails before the audit.
        sending = Mail(_mail_settings(dry_run), dry_run, overview_to or []) if mail else None
        ran = run_audit(AuditRequest(
            policy=policy, data=list(data), mapping=mapping, period=period, start=from_.date() if from_ else None,
            end=to.date() if to else None, as_of=as_of, allow_outside=allow_outside, allow_empty=allow_empty,
            waivers=waivers, baseline=baseline, pseudonym_key=pseudonym_key, mail=sending,
            outputs=Outputs(formats, targets, options, split_by, out_dir)), progress)
    result = ran.result
    # stdout may be carrying the JSON report: the summary goes to stderr.
    if not quiet:
        _print_summary(result, err=True)
    # CI logs are read by more people than the reports: with --redact customers the notes (waivers,
    # baseline) name customers by pseudonym there too.
    notes = redact_result(result, "customers", ran.pseudonym_key).notes if redact == "customers" else result.notes
    for note in notes:
        echo(f"note: {note}", err=True)
    if threshold is not None:
        over = failing(result, threshold)
        scope = "new " if ran.has_baseline else ""
        if over:
            echo(f"fail-on {threshold}: {len(over)} {scope}finding{'s' if len(over) != 1 else ''} "
                 f"at or above {threshold}", err=True)
            raise typer.Exit(1)
        echo(f"fail-on {threshold}: no {scope}findings at or above {threshold}", err=True)
    if not ran.delivered:
        raise typer.Exit(1)


def _mail_settings(dry_run: bool):
    from auditor.delivery.smtp import settings_from_env

    return settings_from_env(dry_run=dry_run)


def _print_summary(result, err: bool) -> None:
    from auditor.render.summary import summary_table

    echo(summary_table(result), err=err)


@command("mail")
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
    from auditor.delivery.smtp import settings_from_env
    from auditor.progress import reporter
    from auditor.run import Mail, send

    if outbox is not None and not dry_run:
        raise UsageError("--outbox goes with --dry-run")
    from auditor.delivery.send import load_overview

    load_overview(reports)  # a wrong folder is said before the settings a send would need
    with reporter("mail", quiet=quiet) as progress:
        check_addresses(overview_to or [])
        delivered = send(reports, Mail(settings_from_env(dry_run=dry_run), dry_run, overview_to or []), progress,
                         outbox=outbox)
    raise typer.Exit(0 if delivered else 1)


@command("test")
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

    outcomes = run_cases(load_policy(policy, allow_outside=allow_outside), cases)
    for line in report_lines(outcomes):
        echo(line)
    raise typer.Exit(exit_code(outcomes))


@command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for report.json and report.pdf.")] = Path("demo-report"),
) -> None:
    """Audit the bundled sample company with policies/example.yaml: no network, no tokens."""
    from auditor.activity.sources.jsonl import read_jsonl
    from auditor.bundled import policies_folder, sample_data
    from auditor.render import FORMATS
    from auditor.run import AuditRequest, Outputs, run_audit

    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: is a file; the demo writes a folder (report.json and report.pdf)")
    formats = [f for f in ("json", "pdf") if f in FORMATS]
    request = AuditRequest(
        policy=policies_folder() / "example.yaml",
        read=lambda window: read_jsonl(sample_data(), name="sample: Acme, October 2026", window=window),
        period="2026-10", today=date(2026, 11, 23),
        outputs=Outputs(formats, [out / f"report{FORMATS[f][1]}" for f in formats]))
    ran = run_audit(request, _Lines("demo"))
    _print_summary(ran.result, err=False)


class _Lines(Reporter):
    """No progress, only the lines a command says (what it wrote), on standard error."""

    def say(self, line: str) -> None:
        echo(line, err=True)


command("import")(import_command)
command("fetch")(fetch_command)


def main() -> None:
    """The `auditor` entry point. A bug must never look like a clean run (0) or like findings (1):
    anything unexpected exits 3 with one line and a request to report it, never a traceback. The
    machine failing (a full or read-only disk, standard output closed or full, a store another
    process holds) is not a bug: one line, exit 2."""
    try:
        try:
            code = _run_app()
        finally:
            sys.stdout.flush()  # a full or closed standard output fails here, not at exit
    except OSError as exc:
        _environment_failure(f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror
                             else exc.strerror or str(exc))
    except sqlite3.Error as exc:
        from auditor.activity.store_format import store_problem

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
    sys.exit(code)


def _run_app() -> int:
    """The app run, its exit code returned. A mistyped command line is one line and exit 2, as every
    other bad input is, rather than click's usage, hint and boxed error; `auditor` alone shows its help."""
    if not sys.argv[1:]:
        app(prog_name="auditor")  # the help, and exit 2, as typer does
    try:
        outcome = app(prog_name="auditor", standalone_mode=False)
    except _command_line_error() as exc:
        context = getattr(exc, "ctx", None)
        if context is not None:
            where = context.command_path
        else:  # an option's missing value is raised without a context: the command is the first word
            where = "auditor" if sys.argv[1].startswith("-") else f"auditor {sys.argv[1]}"
        message = " ".join(exc.format_message().split()).rstrip(".")
        echo(f"{where}: {message}; see '{where} --help'", err=True)
        return exc.exit_code
    except typer.Abort:
        echo("Aborted!", err=True)
        return 1
    return outcome if isinstance(outcome, int) else 0  # a command's exit code, or 0 once it returned


def _command_line_error() -> type[Exception]:
    """What a command line typer cannot parse raises: click's exceptions, which newer typer releases
    carry inside typer itself (deriving from typer.TyperException)."""
    vendored = getattr(typer, "TyperException", None)
    if vendored is not None:
        return vendored
    import click

    return click.ClickException


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
