"""Writing a split audit: a report per group in every format asked for, the overview, and the company's
machine-readable reports.

Files, in one folder (`--out-dir`, by default `reports/<period>`):

* `<by>-<name>.<ext>`: each group's report (`manager-dana-reyes.pdf`, `team-support.json`,
  `account-jdoe.html`), in every format asked for;
* `overview.json` always (what `auditor mail` reads), and `overview.pdf`, `overview.html`,
  `overview.csv` when those formats are asked for: every group's score and status;
* `report.json`, `report.csv`, `report.sarif`, `report.xml`: the company's whole result in
  the machine formats asked for (a baseline, CI dashboards). The company's PDF and HTML are
  what the overview and the group reports replace.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from dataclasses import dataclass, field
from pathlib import Path

from auditor.errors import RenderError
from auditor.render import FORMATS, RenderOptions, redacted, write
from auditor.render.overview import OVERVIEW_STEM, Part, overview, render_csv, render_html, render_json, render_pdf
from auditor.render.split import Group, group_result, groups
from auditor.result import AuditResult

# The company's report goes out whole in these formats only; people read the group reports.
COMPANY_FORMATS = ("json", "csv", "sarif", "junit")
OVERVIEW_FORMATS = {"json": render_json, "csv": render_csv}


@dataclass
class SplitOutput:
    folder: Path
    by: str
    groups: list[Group]
    files: list[Path] = field(default_factory=list)
    overview: dict = field(default_factory=dict)

    def line(self) -> str:
        reports = len(self.groups)
        return (f"wrote {reports} {self.by} report{'s' if reports != 1 else ''} and the overview "
                f"({len(self.files)} files) to {self.folder}")


def default_folder(period: dict) -> Path:
    """`reports/2026-10` for a month, `reports/2026-Q3` for a quarter, `reports/2026` for a year, else
    `reports/2026-10-01_2026-10-15` (first and last day), from the period's local start and end."""
    start = datetime.fromisoformat(period["start"]).date()
    last = (datetime.fromisoformat(period["end"]) - timedelta(days=1)).date()
    if start.day == 1 and (last + timedelta(days=1)).day == 1:
        months = (last.year - start.year) * 12 + last.month - start.month + 1
        if months == 1:
            return Path("reports") / f"{start:%Y-%m}"
        if months == 3 and start.month % 3 == 1:
            return Path("reports") / f"{start.year}-Q{start.month // 3 + 1}"
        if months == 12 and start.month == 1:
            return Path("reports") / f"{start.year}"
    return Path("reports") / f"{start.isoformat()}_{last.isoformat()}"


def write_split(result: AuditResult, by: str, formats: list[str], folder: Path, options: RenderOptions,
                recipients: dict[str, str], *, on_file: Callable[[Path], None] = lambda path: None) -> SplitOutput:
    """Every group's report, the overview and the company's machine reports; `on_file` hears of each file."""
    chosen = groups(result, by)
    output = SplitOutput(folder, by, chosen)
    parts = []
    for group in chosen:
        part = group_result(result, group)
        files = {}
        for fmt in formats:
            name = f"{group.slug}{FORMATS[fmt][1]}"
            _write_report(part, fmt, folder / name, options, output, on_file)
            files[fmt] = name
        # People read the overview and the mails: redacted as the group's PDF is.
        parts.append(Part(group, redacted(part, "pdf", options)[0], files))
    company_files = {}
    for fmt in formats:
        if fmt in COMPANY_FORMATS:
            name = f"report{FORMATS[fmt][1]}"
            _write_report(result, fmt, folder / name, options, output, on_file)
            company_files[fmt] = name
    output.overview = overview(result, by, parts, recipients, company_files)
    writers = {**OVERVIEW_FORMATS, "html": lambda data: render_html(data, options.paper),
               "pdf": lambda data: render_pdf(data, options.paper)}
    for fmt in ["json", *formats]:
        if fmt in writers and not (fmt == "json" and folder / f"{OVERVIEW_STEM}.json" in output.files):
            _write(folder / f"{OVERVIEW_STEM}{FORMATS[fmt][1]}", writers[fmt](output.overview), output, on_file)
    return output


def _write_report(result: AuditResult, fmt: str, path: Path, options: RenderOptions, output: SplitOutput,
                  on_file: Callable[[Path], None]) -> None:
    write(result, fmt, path, options)  # report.json streamed, as the company's report is without --split
    output.files.append(path)
    on_file(path)


def _write(path: Path, data: bytes, output: SplitOutput, on_file: Callable[[Path], None]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise RenderError(f"{path}: cannot write: {exc.strerror}") from None
    output.files.append(path)
    on_file(path)
