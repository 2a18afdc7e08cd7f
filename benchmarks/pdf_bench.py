"""How long the manager's PDF takes for a large month, per page, against WeasyPrint printing a plain table.

    .venv/bin/python benchmarks/pdf_bench.py [--accounts 200] [--findings 5000] [--profile FILE] [--findings-table]

Builds an AuditResult of ACCOUNTS accounts and FINDINGS findings over three rules
(tests/render/builders.py) and renders it as the PDF with the default caps, as
`auditor audit --out report.pdf` does: view, charts and templates, then WeasyPrint
(layout and drawing timed apart). Then it renders a plain HTML table (6 short
columns, one line a row, as dense as WeasyPrint's floor gets) with as many pages
as the report: the rows a page are counted on a probe table first, so the table
has rows-a-page x report pages rows. The issue's figure is the time per page of
the report over the table's (`ratio_per_page`); WeasyPrint's share alone and the
same figures in CPU time (steadier when the machine is shared) are printed too.
`--findings-table` also prints a table of every finding (what the report would
cost without the caps). Not a test.

`measure()` returns the figures as a dict, for benchmarks/run.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from html import escape
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auditor.bundled import templates_folder  # noqa: E402
from auditor.render import RenderOptions  # noqa: E402
from auditor.render.html import document  # noqa: E402
from auditor.render.pdf import template_fetcher  # noqa: E402
from tests.render.builders import large  # noqa: E402

GOAL_SECONDS = 20.0  # the issue: 200 accounts and 5,000 findings in 20 s or less
GOAL_RATIO_PER_PAGE = 1.5  # ...at no more than 1.5 x the time a page of a plain table takes
PROBE_ROWS = 400  # rows of the table that counts how many rows fit on a page


def plain_table(rows: int) -> str:
    body = "".join(
        f"<tr><td>{n}</td><td>answer</td><td>@agent{n % 200:03d}</td><td>@customer{n % 997}</td>"
        f"<td>breached</td><td>{escape(f'@customer{n} waited 4h{n % 60}m for an answer (limit 4h)')}</td></tr>"
        for n in range(rows)
    )
    return ("<html><head><style>@page { size: A4; margin: 18mm } body { font: 8pt 'DejaVu Sans' }"
            "table { width: 100%; border-collapse: collapse } td { border-bottom: 0.4pt solid #ccc }</style></head>"
            f"<body><table>{body}</table></body></html>")


class Clock:
    """Wall and CPU seconds since the last call."""

    def __init__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        lap = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return lap


def weasyprint(html_text: str):
    """(document, layout wall, layout cpu, draw wall, draw cpu), printed as auditor.render.pdf.print_html does."""
    from weasyprint import HTML

    clock = Clock()
    rendered = HTML(string=html_text, base_url=templates_folder().as_uri() + "/",
                    url_fetcher=template_fetcher()).render()
    layout = clock.lap()
    rendered.write_pdf()
    draw = clock.lap()
    return rendered, layout, draw


def rows_per_page() -> int:
    """How many rows of `plain_table` a full A4 page holds (counted on the first page of a probe table)."""
    from weasyprint.formatting_structure.boxes import TableRowBox

    rendered = weasyprint(plain_table(PROBE_ROWS))[0]
    stack, rows = [rendered.pages[0]._page_box], 0
    while stack:
        box = stack.pop()
        rows += isinstance(box, TableRowBox)
        stack.extend(getattr(box, "children", ()))
    if not 0 < rows < PROBE_ROWS:
        raise RuntimeError(f"counted {rows} table rows on the probe's first page")
    return rows


def measure(accounts: int = 200, findings: int = 5000, *, options: RenderOptions | None = None,
            table: bool = True, profile: str | None = None) -> dict[str, Any]:
    """The report's figures, and (with `table`) the plain table's of the same page count.

    `seconds` is the whole render (view, charts, templates, WeasyPrint), wall time; `*_cpu_seconds`
    are the same in CPU time. WeasyPrint is imported before the clock starts (about a second that
    every render pays once); matplotlib's import is counted, as a run of `auditor audit` pays it.
    """
    import weasyprint as _  # noqa: F401

    options = options or RenderOptions()
    result = large(accounts, findings)
    clock = Clock()
    html_text = document(result, options, "print")
    view_wall, view_cpu = clock.lap()
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        rendered, layout, draw = profiler.runcall(weasyprint, html_text)
        profiler.dump_stats(profile)
    else:
        rendered, layout, draw = weasyprint(html_text)
    pages = len(rendered.pages)
    seconds = view_wall + layout[0] + draw[0]
    cpu_seconds = view_cpu + layout[1] + draw[1]
    figures: dict[str, Any] = {
        "accounts": accounts,
        "findings": findings,
        "evidence_cap": options.evidence_cap,
        "appendix_cap": options.appendix_cap,
        "seconds": round(seconds, 2),
        "pages": pages,
        "seconds_per_page": round(seconds / pages, 4),
        "view_seconds": round(view_wall, 2),  # view, charts and templates: the HTML WeasyPrint is given
        "layout_seconds": round(layout[0], 2),  # WeasyPrint: styles, boxes, layout (HTML(...).render())
        "draw_seconds": round(draw[0], 2),  # WeasyPrint: drawing and writing the PDF (write_pdf())
        "weasyprint_seconds": round(layout[0] + draw[0], 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "weasyprint_cpu_seconds": round(layout[1] + draw[1], 2),
        "html_bytes": len(html_text.encode("utf-8")),
        "goal_seconds": GOAL_SECONDS,
        "goal_ratio_per_page": GOAL_RATIO_PER_PAGE,
    }
    if not table:
        return figures
    per_page = rows_per_page()
    rendered, layout, draw = weasyprint(plain_table(per_page * pages))
    table_pages = len(rendered.pages)
    table_seconds, table_cpu = layout[0] + draw[0], layout[1] + draw[1]
    figures.update({
        "table_rows": per_page * pages,
        "table_rows_per_page": per_page,
        "table_seconds": round(table_seconds, 2),
        "table_pages": table_pages,
        "table_seconds_per_page": round(table_seconds / table_pages, 4),
        "table_cpu_seconds": round(table_cpu, 2),
        # The issue's figure: the whole render's time a page over the plain table's.
        "ratio_per_page": round((seconds / pages) / (table_seconds / table_pages), 3),
        "weasyprint_ratio_per_page": round((figures["weasyprint_seconds"] / pages) / (table_seconds / table_pages), 3),
        "ratio_per_page_cpu": round((cpu_seconds / pages) / (table_cpu / table_pages), 3),
    })
    figures["meets_goal"] = figures["seconds"] <= GOAL_SECONDS and figures["ratio_per_page"] <= GOAL_RATIO_PER_PAGE
    return figures


def findings_table(findings: int) -> tuple[float, int]:
    rendered, layout, draw = weasyprint(plain_table(findings))
    return layout[0] + draw[0], len(rendered.pages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--findings", type=int, default=5000)
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the WeasyPrint call to FILE")
    parser.add_argument("--findings-table", action="store_true", help="also time a table of every finding")
    args = parser.parse_args()

    f = measure(args.accounts, args.findings, profile=args.profile)
    print(f"{f['accounts']} accounts, {f['findings']} findings; caps: {f['evidence_cap']} a rule in the body, "
          f"{f['appendix_cap']} in the appendix")
    print(f"{'view, charts and templates':<30} {f['view_seconds']:7.2f} s")
    print(f"{'WeasyPrint layout':<30} {f['layout_seconds']:7.2f} s")
    print(f"{'WeasyPrint drawing':<30} {f['draw_seconds']:7.2f} s")
    print(f"{'report PDF':<30} {f['seconds']:7.2f} s {f['pages']:5d} pages {f['seconds_per_page']:6.3f} s/page"
          f"   (CPU {f['cpu_seconds']:.2f} s)")
    print(f"{'plain table, ' + str(f['table_rows']) + ' rows':<30} {f['table_seconds']:7.2f} s {f['table_pages']:5d} pages"
          f" {f['table_seconds_per_page']:6.3f} s/page   (CPU {f['table_cpu_seconds']:.2f} s; "
          f"{f['table_rows_per_page']} rows a page)")
    print(f"{'per page, report / table':<30} {f['ratio_per_page']:7.2f} x   (WeasyPrint alone "
          f"{f['weasyprint_ratio_per_page']:.2f} x; CPU time {f['ratio_per_page_cpu']:.2f} x)")
    verdict = "meets" if f["meets_goal"] else "MISSES"
    print(f"goal: <= {f['goal_seconds']:g} s and <= {f['goal_ratio_per_page']:g} x a table page: {verdict} it")
    if args.profile:
        print(f"profile of the WeasyPrint call written to {args.profile} (python -m pstats {args.profile})")
    if args.findings_table:
        seconds, pages = findings_table(args.findings)
        print(f"{'plain table, ' + str(args.findings) + ' rows':<30} {seconds:7.2f} s {pages:5d} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
