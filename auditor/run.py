"""The audit pipeline, written once: read the window the period needs, index, audit, fail closed,
review (waivers, then the baseline), then write the reports, split them and mail them.

`auditor audit` and `auditor demo` run all of it (`run_audit`); `auditor test` runs its core on
each case (`read_and_audit`); the benchmark runs `auditor audit`. Nothing here parses command-line
options or prints: the CLI does, and it maps the `AuditorError`s raised here to exit codes.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path

from auditor import texts_ahead
from auditor.activity.model import Activity
from auditor.audit import audit
from auditor.errors import DataError, UsageError
from auditor.policy.loader import LoadedPolicy, load_policy
from auditor.progress import Reporter
from auditor.render import RenderOptions
from auditor.result import AuditResult
from auditor.speedups import no_gc, return_freed_memory, worker_pool
from auditor.time.calendars import SUPPORTED_YEARS
from auditor.time.instants import parse_instant
from auditor.time.period import Period, audit_window, parse_period, period_from_dates

# What a reader is given: the time span to keep (start, end), from `audit_window`.
Window = tuple[datetime, datetime]


def read_and_audit(loaded: LoadedPolicy, read: Callable[[Window], Activity], period: Period, *,
                   as_of: datetime | None = None, workers: bool = True, keep_checks: bool = True,
                   texts_from: list[Path] = ()) -> AuditResult:
    """The core of every audit: the window the period needs read (`read(window)`), indexed and audited.

    With `workers`, the processes that score texts are forked first, while this process is still small
    (the rules' models loaded before, so the workers share them; see `speedups.worker_pool`). Reading,
    indexing and evaluating run with the cyclic garbage collector paused: the events form no cycles,
    and each full collection would walk all of them again. What is alive at the end (the result) is
    then frozen out of every later collection: left as it is, it would all sit in the youngest
    generation, and writing the reports would walk it once per generation it ages through.
    `keep_checks`: see `audit.audit` (waivers need them).

    `texts_from`: the files `read` reads, when they are files. While this process reads them (on one
    CPU), a process beside the workers scores, from the canonical JSONL files and stores among them,
    the texts some rules will give the workers (auditor/texts_ahead.py).
    """
    rules = [rule for rule in loaded.policy.rules if rule.enabled]
    jobs = texts_ahead.jobs_of(rules, loaded.policy) if workers else {}
    scanned = texts_ahead.readable(list(texts_from)) if jobs else []
    beside = (texts_ahead.scan, (scanned, period.start, period.end, jobs)) if scanned else None
    with worker_pool(lambda: [rule.prepare() for rule in rules], beside) if workers else nullcontext() as started:
        with no_gc():
            window = audit_window(period)
            if as_of is not None and as_of >= window[1]:  # asked to judge later: read up to then
                window = (window[0], as_of.astimezone(window[1].tzinfo) + timedelta(microseconds=1))
            activity = read(window)
            return_freed_memory()  # from now on: the rules' large lists and arrays, once dropped
            ahead = partial(texts_ahead.finish, started) if started is not None else None
            result = audit(loaded, activity, period, as_of=as_of, keep_checks=keep_checks, scored_ahead=ahead)
            gc.freeze()
            return result


def read_paths(paths: list[Path], roster_ids: dict[str, str] | None = None,
               mapping: str | None = None) -> Callable[[Window], Activity]:
    """A reader of `--data` sources (each keeps only the window; a store may hold years). `roster_ids`
    (the roster's DIDs, DID -> handle) names the accounts a Bluesky repository export knows by DID;
    `mapping` is the CSV sources' column mapping (a YAML file or `twcs`)."""
    from auditor.activity.sources import read_sources

    return lambda window: read_sources(list(paths), window=window, roster_ids=roster_ids, mapping=mapping)


def choose_period(loaded: LoadedPolicy, text: str | None, start: date | None, end: date | None,
                  today: date | None = None) -> Period:
    """The period `--period` or `--from`/`--to` name, in the policy's time zone (default: last month)."""
    zone = loaded.policy.zone
    try:
        if text is not None and not text.strip():
            raise UsageError("--period is empty; give a month (2026-10), a quarter (2026-Q3), a year, "
                             "last-month, this-month or last-quarter")
        if text and (start or end):
            raise UsageError("give either --period or --from/--to, not both")
        if start or end:
            if not (start and end):
                raise UsageError("--from and --to go together")
            return period_from_dates(start, end, zone)
        return parse_period(text or "last-month", zone, today or datetime.now(zone).date())
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def parse_as_of(text: str | None) -> datetime | None:
    """`--as-of`: the end of the data, an ISO time."""
    if text is None:
        return None
    try:
        moment = parse_instant(text, "--as-of")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if moment.year not in SUPPORTED_YEARS:  # the clocks cannot count open hours that far
        raise UsageError(f"--as-of {text} is outside the supported years "
                         f"({SUPPORTED_YEARS.start}-{SUPPORTED_YEARS.stop - 1})")
    return moment


def fail_closed(result: AuditResult, allow_empty: bool, withhold: bool = False) -> AuditResult:
    """Nothing to audit is an error, not a clean pass: CI must not go green on a wrong file or an empty period.
    `withhold`: the run redacts customers, and the first skipped line's reason keeps the values it quotes to itself."""
    if result.data.period_events:
        return result
    data = result.data
    seen = (f"{data.events} event{'s' if data.events != 1 else ''} read for it and around it, "
            f"{data.skipped} line{'s' if data.skipped != 1 else ''} skipped")
    if data.skipped_lines:  # why: a JSON array, another encoding, another export's fields
        first = data.skipped_lines[0]
        reason = str(first.get("reason"))
        if withhold:
            from auditor.render.redact import withhold_values

            reason = withhold_values(reason)
        seen += f", the first {first.get('source')}:{first.get('line')}: {reason}"
    if data.as_of and parse_instant(data.as_of) < parse_instant(result.period["start"]):
        seen += f"; the end of the data, {data.as_of}, is before the period starts"
    if not allow_empty:
        raise DataError(f"nothing to audit: no event of the roster's accounts in {result.period['label']} "
                        f"({seen}); check --data, --period and the roster, or pass --allow-empty")
    note = f"empty period: no event of the roster's accounts in {result.period['label']} ({seen}); accepted with --allow-empty"
    return replace(result, notes=result.notes + (note,))


@dataclass(frozen=True)
class Outputs:
    """Where the reports go: `formats` to `targets` (None: standard output), or, with `split`, a report
    per group in every format into `folder`."""

    formats: list[str]
    targets: list[Path | None]
    options: RenderOptions = field(default_factory=RenderOptions)
    split: str | None = None  # manager | team | account
    folder: Path | None = None  # --out-dir


@dataclass(frozen=True)
class Mail:
    """Send each manager their report after a split (`audit --mail`)."""

    settings: object  # delivery.smtp.Settings
    dry_run: bool = False
    overview_to: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AuditRequest:
    """One audit as asked: the policy, the data, the period, the review and where the reports go."""

    policy: Path
    outputs: Outputs
    data: list[Path] = field(default_factory=list)
    mapping: str | None = None  # the column mapping of CSV sources in `data`
    # Instead of `data`: a reader of the window (the demo reads the bundled sample under its own name).
    read: Callable[[Window], Activity] | None = None
    period: str | None = None
    start: date | None = None
    end: date | None = None
    today: date | None = None  # what last-month is relative to (default: today in the policy's zone)
    as_of: str | None = None
    allow_outside: bool = False
    allow_empty: bool = False
    waivers: Path | None = None
    baseline: Path | None = None
    pseudonym_key: Path | None = None  # with redact=customers (default: beside the store audited)
    mail: Mail | None = None


@dataclass(frozen=True)
class Audited:
    """What a run did: the result as reported, and whether every report that was to be mailed went."""

    loaded: LoadedPolicy
    result: AuditResult
    pseudonym_key: bytes | None
    has_baseline: bool
    delivered: bool = True


def run_audit(request: AuditRequest, progress: Reporter) -> Audited:
    from auditor.review.baseline import apply_baseline, load_baseline
    from auditor.review.waivers import apply_waivers, load_waivers

    outputs = request.outputs
    # The side files are read before the data, so a typo in them fails in a second, not after the audit.
    key = None
    if outputs.options.redact == "customers":
        from auditor.render.pseudonym_key import pseudonym_key

        key = pseudonym_key(request.pseudonym_key, list(request.data))
    options = replace(outputs.options, pseudonym_key=key)
    waivers = load_waivers(request.waivers) if request.waivers is not None else None
    known = load_baseline(request.baseline) if request.baseline is not None else None
    matching = key
    if matching is None and (waivers is not None or known is not None):
        from auditor.render.pseudonym_key import existing_pseudonym_key

        # A redacted report's fingerprints and pseudonyms, as a baseline or in waivers, match in any run.
        matching = existing_pseudonym_key(request.pseudonym_key, list(request.data))
    loaded = load_policy(request.policy, allow_outside=request.allow_outside)
    nothing = loaded.checks_nothing(request.policy)
    if nothing is not None:
        raise UsageError(nothing)
    period = choose_period(loaded, request.period, request.start, request.end, request.today)
    as_of = parse_as_of(request.as_of)
    read = request.read or read_paths(request.data, loaded.policy.roster_dids, request.mapping)
    # Only waivers count a rule again, from its checks (`audit.recount`); without them the checks go.
    result = read_and_audit(loaded, read, period, as_of=as_of, keep_checks=waivers is not None,
                            texts_from=request.data if request.read is None else [])
    result = fail_closed(result, request.allow_empty, withhold=outputs.options.redact == "customers")
    if waivers is not None:
        result = apply_waivers(result, waivers, matching)
    if known is not None:
        result = apply_baseline(result, known, matching)  # after waivers: its counts leave waived findings out
    delivered = True
    if outputs.split:
        written = write_split(result, outputs.split, outputs.formats, outputs.folder, options, loaded, progress)
        if request.mail is not None:
            delivered = send(written.folder, request.mail, progress)
    else:
        write_reports(result, outputs.formats, outputs.targets, options, progress)
    return Audited(loaded, result, key, known is not None, delivered)


def write_reports(result: AuditResult, formats: list[str], targets: list[Path | None], options: RenderOptions,
                  progress: Reporter) -> None:
    from auditor.render import stream, write

    for fmt, target in zip(formats, targets):
        if target is None:
            try:
                stream(result, fmt, sys.stdout.buffer, options)
                sys.stdout.flush()
            except BrokenPipeError:
                # `... | head`: the reader has seen enough. The audit still says its summary and exits as it
                # found; what is left for standard output goes nowhere (nor does Python's flush at exit).
                _quiet_stdout()
        else:
            write(result, fmt, target, options)
            progress.say(f"wrote {target}")


def _quiet_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def write_split(result: AuditResult, by: str, formats: list[str], folder: Path | None, options: RenderOptions,
                loaded: LoadedPolicy, progress: Reporter):
    from auditor.render.split_reports import default_folder, write_split as write_groups

    folder = folder if folder is not None else default_folder(result.period)
    recipients = {name: manager.email for name, manager in loaded.policy.managers.items()}
    task = progress.task("writing reports", unit="files")
    written = write_groups(result, by, formats, folder, options, recipients,
                           on_file=lambda path: task.advance(1, path.name))
    task.done()
    progress.say(written.line())
    return written


def send(folder: Path, mail: Mail, progress: Reporter, outbox: Path | None = None) -> bool:
    """Send (or, dry run, write) each group's report; True when every one went. What was sent is said
    like progress (not with --quiet); what was not is always said."""
    from auditor.delivery.send import deliver
    from auditor.terminal import echo

    outcome = deliver(folder, mail.settings, dry_run=mail.dry_run, outbox=outbox, overview_to=mail.overview_to)
    for line in outcome.lines():
        if line.startswith("not sent"):
            echo(line, err=True)
        else:
            progress.say(line)
    return outcome.ok

