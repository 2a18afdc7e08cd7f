"""How long the manager's PDF takes for a large month, against WeasyPrint printing a plain table.

    .venv/bin/python benchmarks/pdf_bench.py [--accounts 200] [--findings 5000] [--findings-table]

Builds an AuditResult of ACCOUNTS accounts and FINDINGS findings over three rules
(tests/render/builders.py), renders it as a PDF with the default caps, and
renders a plain HTML table with as many rows as the report holds, so the ratio
shows what the report's layout (cards, charts, running heads, page counters)
costs per row over WeasyPrint's floor. `--findings-table` also prints a table
of every finding (what the report would cost without the caps). Not a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auditor.render import RenderOptions  # noqa: E402
from auditor.render.html import document  # noqa: E402
from auditor.bundled import templates_folder  # noqa: E402
from auditor.render.pdf import template_fetcher  # noqa: E402
from tests.render.builders import large  # noqa: E402


def plain_table(rows: int) -> str:
    body = "".join(
        f"<tr><td>{n}</td><td>answer</td><td>@agent{n % 200:03d}</td><td>@customer{n % 997}</td>"
        f"<td>breached</td><td>{escape(f'@customer{n} waited 4h{n % 60}m for an answer (limit 4h)')}</td></tr>"
        for n in range(rows)
    )
    return ("<html><head><style>@page { size: A4; margin: 18mm } body { font: 8pt 'DejaVu Sans' }"
            "table { width: 100%; border-collapse: collapse } td { border-bottom: 0.4pt solid #ccc }</style></head>"
            f"<body><table>{body}</table></body></html>")


def timed(label: str, html_text: str) -> tuple[float, int]:
    from weasyprint import HTML

    started = time.perf_counter()
    # As auditor.render.pdf.print_html does, keeping the Document to count its pages.
    document_ = HTML(string=html_text, base_url=templates_folder().as_uri() + "/",
                     url_fetcher=template_fetcher()).render()
    document_.write_pdf()
    seconds = time.perf_counter() - started
    pages = len(document_.pages)
    print(f"{label:<34} {seconds:7.1f} s {pages:5d} pages {seconds / max(pages, 1):6.2f} s/page", flush=True)
    return seconds, pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--findings", type=int, default=5000)
    parser.add_argument("--findings-table", action="store_true", help="also time a table of every finding")
    args = parser.parse_args()

    import weasyprint  # noqa: F401 - imported up front so its ~1 s is not charged to the first render

    result = large(args.accounts, args.findings)
    options = RenderOptions()
    started = time.perf_counter()
    html_text = document(result, options, "print")
    view_seconds = time.perf_counter() - started
    rows = html_text.count("<tr") + html_text.count('<article class="finding')
    print(f"{args.accounts} accounts, {args.findings} findings; caps: {options.evidence_cap} a rule in the body, "
          f"{options.appendix_cap} in the appendix")
    print(f"{'view, charts and templates':<34} {view_seconds:7.1f} s  ({rows} table rows and finding cards)")
    report_seconds, report_pages = timed("report PDF (WeasyPrint)", html_text)
    table_seconds, table_pages = timed(f"plain table, {rows} rows", plain_table(rows))
    print(f"{'report / plain table':<34} {(report_seconds + view_seconds) / table_seconds:7.2f} x "
          f"(WeasyPrint alone {report_seconds / table_seconds:.2f} x)")
    if args.findings_table:
        timed(f"plain table, {args.findings} rows", plain_table(args.findings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
