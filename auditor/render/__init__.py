"""Renderers: one module a format, each turning an `AuditResult` into bytes (`render`), and, where a
report is too large to hold whole, writing it to a file as it goes (`write`: report.json). None
evaluates a rule, and none redacts: `render`, `stream` and `write` hand each the result already
redacted (`redacted`).

`FORMATS` is the list of formats `--format` accepts and the file suffix of each.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from auditor.errors import RenderError, UsageError
from auditor.render.redact import redact
from auditor.result import AuditResult


@dataclass(frozen=True)
class RenderOptions:
    redact: str | None = None  # dms | customers | none; None means the format's default
    paper: str = "A4"
    evidence_cap: int = 25  # findings quoted in full per rule in the body of a PDF; the rest go to the appendix
    appendix_cap: int = 500  # findings listed in the appendix; the rest are named by count, in the CSV/JSON
    pseudonym_key: bytes | None = None  # the secret of `customers` pseudonyms (auditor/render/pseudonym_key.py)


# format -> (module in auditor.render, file suffix)
FORMATS: dict[str, tuple[str, str]] = {
    "json": ("json_report", ".json"),
    "pdf": ("pdf", ".pdf"),
    "html": ("html", ".html"),
    "csv": ("csv_report", ".csv"),
    "sarif": ("sarif", ".sarif"),
    "junit": ("junit", ".xml"),
}


def format_for_suffix(path: Path) -> str:
    if path.name.lower().endswith(".sarif.json"):  # what GitHub code scanning's examples name a SARIF file
        return "sarif"
    suffix = path.suffix.lower()
    for name, (_, ext) in FORMATS.items():
        if ext == suffix:
            return name
    raise UsageError(f"cannot tell the format of {path.name!r} from its suffix; pass --format ({', '.join(FORMATS)})")


def parse_formats(text: str) -> list[str]:
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise UsageError(f"unknown format {', '.join(unknown) or text!r}; expected any of: {', '.join(FORMATS)}")
    return list(dict.fromkeys(names))


# What each format withholds when no redaction is asked for: DM text in what people read (the PDF and the
# HTML file, forwarded and printed); nothing in what machines read (CI, dashboards, a baseline).
DEFAULT_REDACTION = {"pdf": "dms", "html": "dms"}


def redacted(result: AuditResult, fmt: str, options: RenderOptions) -> tuple[AuditResult, RenderOptions]:
    """The result as a format may show it, and the options naming the redaction applied: the one place
    redaction happens, before any renderer sees the result."""
    mode = options.redact or DEFAULT_REDACTION.get(fmt, "none")
    return redact(result, mode, options.pseudonym_key), replace(options, redact=mode)


def render(result: AuditResult, fmt: str, options: RenderOptions | None = None) -> bytes:
    return _module(fmt).render(*redacted(result, fmt, options or RenderOptions()))


def stream(result: AuditResult, fmt: str, out: BinaryIO, options: RenderOptions | None = None) -> None:
    """The report written to `out`. A format with a `write(result, options, out)` of its own writes
    as it goes (report.json, a chunk of findings at a time); the others are rendered whole first,
    so a report that fails to render leaves nothing half written."""
    module = _module(fmt)
    shown, shown_options = redacted(result, fmt, options or RenderOptions())
    if hasattr(module, "write"):
        module.write(shown, shown_options, out)
    else:
        out.write(module.render(shown, shown_options))


def write(result: AuditResult, fmt: str, path: Path, options: RenderOptions | None = None) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if hasattr(_module(fmt), "write"):
            with path.open("wb") as out:
                stream(result, fmt, out, options)
        else:
            path.write_bytes(render(result, fmt, options))
    except OSError as exc:
        raise RenderError(f"{path}: cannot write: {exc.strerror}") from None


def _module(fmt: str):
    module_name, _ = FORMATS[fmt]
    # Imported on demand: WeasyPrint alone takes about a second to import.
    return importlib.import_module(f"auditor.render.{module_name}")
