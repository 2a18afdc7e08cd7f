"""Command-line option values, checked: what --split, --format/--out/--out-dir, --fail-on, --paper and
addresses mean, and one line (a UsageError) for each mistake. Used by `cli.py`."""

from __future__ import annotations

import sys
from pathlib import Path

from auditor.errors import UsageError


def chosen_split(text: str | None, out: Path | None) -> str | None:
    from auditor.render.split import SPLITS

    if text is None:
        return None
    value = text.strip().lower()
    if value not in SPLITS:
        raise UsageError(f"--split must be one of {', '.join(SPLITS)}, got {text[:40]!r}")
    if out is not None:
        raise UsageError("--split writes a report per group into --out-dir, not --out")
    return value


def check_addresses(addresses: list[str]) -> None:
    from auditor.delivery.send import parse_address

    for address in addresses:
        parse_address(address)


def fail_on_severity(text: str | None) -> str | None:
    from auditor.types import SEVERITIES

    if text is None:
        return None
    value = text.strip().lower()
    if value not in SEVERITIES:
        raise UsageError(f"--fail-on must be one of {', '.join(SEVERITIES)}, got {text[:40]!r}")
    return value


def paper_size(text: str) -> str:
    sizes = {"a4": "A4", "letter": "Letter"}
    if text.strip().lower() not in sizes:
        raise UsageError(f"--paper must be A4 or Letter, got {text[:40]!r}")
    return sizes[text.strip().lower()]


def report_targets(out: Path | None, format_: str | None, out_dir: Path | None) -> tuple[list[str], list[Path | None]]:
    from auditor.render import FORMATS, format_for_suffix, parse_formats

    if format_:
        formats = parse_formats(format_)
    elif out is not None:
        formats = [format_for_suffix(out)]
    else:
        formats = ["json"]
    if out is not None and out_dir is not None:
        raise UsageError("give --out FILE or --out-dir DIR, not both")
    if len(formats) > 1 or out_dir is not None:
        if out is not None and len(formats) > 1:
            raise UsageError("several formats go to --out-dir, not --out")
        folder = out_dir or Path(".")
        return formats, [folder / f"report{FORMATS[f][1]}" for f in formats]
    if out is None and formats == ["pdf"] and sys.stdout.isatty():
        # 250 KB of PDF bytes on a terminal scramble it: its escape sequences are the terminal's own.
        raise UsageError("--format pdf writes a binary file: give --out report.pdf or --out-dir DIR "
                         "(or redirect standard output)")
    return formats, [out]
