"""benchmarks/pdf_bench.py: `measure()` gives benchmarks/run.py the figures it reads, for a small month."""

from __future__ import annotations

from tests.benchmarks.peers import BENCHMARKS, load_script


def load_bench():
    return load_script(BENCHMARKS / "pdf_bench.py")


def test_measure_compares_a_page_with_a_plain_table_of_as_many_pages():
    figures = load_bench().measure(accounts=3, findings=30)
    for key in ("seconds", "pages", "seconds_per_page", "table_seconds", "table_pages", "table_seconds_per_page",
                "ratio_per_page", "view_seconds", "layout_seconds", "draw_seconds", "cpu_seconds"):
        assert isinstance(figures[key], (int, float)) and figures[key] > 0, key
    assert figures["table_rows"] == figures["table_rows_per_page"] * figures["pages"]
    assert abs(figures["table_pages"] - figures["pages"]) <= 1
    per_page = figures["seconds_per_page"] / figures["table_seconds_per_page"]
    assert abs(figures["ratio_per_page"] - per_page) <= 0.01 * per_page
    assert (figures["accounts"], figures["findings"], figures["appendix_cap"]) == (3, 30, 500)
