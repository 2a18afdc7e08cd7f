"""The `auditor` command: parses arguments, calls the library, maps errors to exit codes.

Exit codes: 0 ran and nothing at or above --fail-on; 1 findings at or above it;
2 bad usage or bad input, one line per problem, never a traceback.
"""

from __future__ import annotations

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
    format_: Annotated[Optional[str], typer.Option("--format", "-f", help="Comma-separated: json (default by --out suffix).")] = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out-dir", help="Folder for several formats (report.<ext>).")] = None,
    redact: Annotated[Optional[str], typer.Option(help="dms | customers | none (default: dms for pdf/html, none otherwise).")] = None,
) -> None:
    """Run the audit for a period and write the report."""
    try:
        formats, targets = _targets(out, format_, out_dir)
        if redact is not None and redact not in ("dms", "customers", "none"):
            raise UsageError(f"--redact must be dms, customers or none, got {redact!r}")
        result = _run_audit(policy, data, period, from_, to, as_of)
        _write_reports(result, formats, targets, redact)
    except AuditorError as exc:
        raise _fail(exc) from None
    # stdout may be carrying the JSON report: the summary goes to stderr.
    _print_summary(result, err=True)


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
    from auditor.audit import audit as run
    from auditor.policy.loader import load_policy

    loaded = load_policy(policy_path)
    chosen = _period(loaded.policy, period, from_.date() if from_ else None, to.date() if to else None)
    moment = _as_of(as_of)
    activity = read_sources(list(data))
    return run(loaded, activity, chosen, as_of=moment)


def _write_reports(result, formats: list[str], targets: list[Path | None], redact: str | None) -> None:
    from auditor.render import RenderOptions, render, write

    for fmt, target in zip(formats, targets):
        options = RenderOptions(redact=redact)
        if target is None:
            sys.stdout.buffer.write(render(result, fmt, options))
            sys.stdout.flush()
        else:
            write(result, fmt, target, options)
            typer.echo(f"wrote {target}", err=True)


def _print_summary(result, err: bool) -> None:
    from auditor.render.summary import summary_table

    typer.echo(summary_table(result), err=err)


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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
