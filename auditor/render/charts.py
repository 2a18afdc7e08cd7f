"""Charts for the PDF and HTML reports: SVG from matplotlib, handed to templates as `data:` URIs.

Deterministic: the Agg backend, no pyplot state, a fixed `svg.hashsalt` and no
date in the SVG metadata, so the same result draws the same bytes. Text is kept
as SVG text (`svg.fonttype: none`) in the report's font; every label comes from
the result (rule ids, handles, counts), and matplotlib escapes it as XML.

Which chart a rule gets depends on the data it carries, never on its kind:

* wait distribution: when its findings' measures hold `elapsed_seconds` and
  `within_seconds` (or its metrics hold a `histogram`, see `_histogram_bins`);
* share met by week: when it has figures for at least two weeks;
* findings by account: when more than one account failed it.
"""

from __future__ import annotations

import base64
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from auditor.render.formatting import Formatter
from auditor.render.views import Chart
from auditor.result import AccountResult, Finding, RuleResult
from auditor.time.durations import format_open_hours
from auditor.types import format_share_against, format_target, meets_target, share_of

GREEN, RED, GREY, INK, GRID = "#2e7d32", "#c62828", "#9e9e9e", "#212121", "#e0e0e0"
WIDTH_IN = 6.6
# The HTML file's second drawing, for a phone: a 390 px screen shows about 4 inches of it at its natural
# size, so its 7-8 pt labels stay 9-11 px (the wide drawing, shrunk to fit, had 6 px labels).
NARROW_WIDTH_IN = 3.9
# Heights are kept low so that a rule's section (figures, up to three charts, the worst cases) fits one page.
TOP_ACCOUNTS = 12

# Wait-distribution bins, as multiples of the rule's limit; the last one is open.
LIMIT_MULTIPLES = (1, 2, 3, 6, 12, 24)

_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "auditor-report",
    "font.family": ["DejaVu Sans"],
    "font.size": 8,
    "axes.edgecolor": GREY,
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": INK,
    "ytick.color": INK,
    "path.simplify": True,
}


def rule_charts(rule: RuleResult, findings: Sequence[Finding], accounts: Iterable[AccountResult],
                fmt: Formatter, *, narrow: bool = False) -> list[Chart]:
    """The rule's charts; with `narrow`, each carries a second drawing for a phone's width too."""
    import matplotlib

    accounts = list(accounts)
    charts = []
    # Every artist takes its fonts and colours from rcParams when it is made: style the whole drawing.
    with matplotlib.rc_context(_RC):
        for draw in (lambda width: wait_distribution(rule, findings, fmt, width),
                     lambda width: weekly_share(rule, fmt, width),
                     lambda width: findings_by_account(rule, accounts, width)):
            chart = draw(WIDTH_IN)
            if chart is not None:
                if narrow:
                    chart.narrow_uri = draw(NARROW_WIDTH_IN).uri
                charts.append(chart)
    return charts


# -- the charts -----------------------------------------------------------------------------------


def wait_distribution(rule: RuleResult, findings: Sequence[Finding], fmt: Formatter,
                      width: float = WIDTH_IN) -> Chart | None:
    """Bars of how long people waited, in bins of the limit, with the limit marked."""
    clock = rule.options.get("clock") if isinstance(rule.options, dict) else None
    bins = _histogram_bins(rule.figures.metrics.get("histogram"), open_hours=bool(clock))
    if bins is not None:
        limit, labels, counts, within = bins
        # The histogram holds the answered; those past their limit with no answer get the last bar.
        metrics = rule.figures.metrics
        answered_late = _count(metrics.get("answered")) - _count(metrics.get("met"))
        unanswered = max(0, _count(metrics.get("breached")) - answered_late)
        caption = "Answered items by how long they waited"
        if unanswered:
            labels, counts = labels + ["no answer"], counts + [unanswered]
            caption += f", and the {unanswered} with no answer past the limit (last bar)"
        caption += f". Times count {clock} open hours only." if clock else "."
    else:
        timed = [f for f in findings if f.is_failure and _number(f.measure.get("elapsed_seconds"))
                 is not None and _number(f.measure.get("within_seconds"))]
        if not timed:
            return None
        # A rule has one limit; should findings disagree, bin by the commonest.
        limit = max(Counter(f.measure["within_seconds"] for f in timed).most_common(1)[0][0], 1)
        edges = [limit * m for m in LIMIT_MULTIPLES]
        counts = [rule.figures.passed] + [0] * len(edges)
        for f in timed:
            elapsed = f.measure["elapsed_seconds"]
            position = next((n for n, edge in enumerate(edges) if elapsed <= edge), len(edges))
            counts[max(position, 1)] += 1
        labels, within = _bin_labels(edges, fmt), 1
        clocks = {f.measure.get("clock") for f in timed} - {None, "wall clock"}
        on = f" Times count {', '.join(sorted(clocks))} open hours only." if clocks else ""
        # Only the failures carry their times; every met item is within the limit by definition.
        caption = (f"Left bar: {rule.figures.passed} met within the limit. Other bars: the "
                   f"{len(timed)} late or unanswered, by how long they waited.{on}")
    while len(counts) > within + 1 and counts[-1] == 0 and labels[-1] != "no answer":  # none after the longest
        counts, labels = counts[:-1], labels[:-1]
    figure, ax = _figure(1.6 if width >= WIDTH_IN else 2.1, width)
    colours = [GREEN] * within + [RED] * (len(counts) - within)
    positions = range(len(counts))
    ax.bar(positions, counts, color=colours, width=0.75)
    ax.axvline(within - 0.5, color=INK, linestyle="--", linewidth=1)
    ax.text(within - 0.45, max(counts) * 1.02 if max(counts) else 1,
            f" limit {_hours(limit) if clock else fmt.duration(limit)}", color=INK,
            va="bottom", ha="left", fontsize=7.5)
    for x, count in zip(positions, counts):
        if count:
            ax.text(x, count, str(count), ha="center", va="bottom", fontsize=7, color=INK)
    if width < WIDTH_IN and len(labels) > 4:  # a narrow drawing has no room for them side by side
        ax.set_xticks(list(positions), labels, fontsize=7, rotation=40, ha="right", rotation_mode="anchor")
    else:
        ax.set_xticks(list(positions), labels, fontsize=7)
    ax.set_ylabel(rule.item_name)
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.set_ylim(0, (max(counts) or 1) * 1.22)
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    alt = "; ".join(f"{label}: {count}" for label, count in zip(labels, counts))
    return Chart("How long people waited", caption, _svg_uri(figure), f"Wait distribution of {rule.id}: {alt}")


def weekly_share(rule: RuleResult, fmt: Formatter, width: float = WIDTH_IN) -> Chart | None:
    """Share met per week (bars), against the target (a line)."""
    weeks = [w for w in rule.weeks if w.checked]
    if len(weeks) < 2:  # one bar says no more than the rule's share (a per-period check has one "week")
        return None
    shares = [100 * w.passed / w.checked for w in weeks]
    labels = [format_share_against(share_of(w.passed, w.checked), rule.target) for w in weeks]
    figure, ax = _figure(1.4 if width >= WIDTH_IN else 1.8, width)
    positions = range(len(weeks))
    colours = [GREEN if meets_target(w.passed, w.checked, rule.target) else RED for w in weeks]
    ax.bar(positions, shares, color=colours, width=0.6)
    ax.axhline(rule.target * 100, color=INK, linestyle="--", linewidth=1)
    ax.text(len(weeks) - 0.4, rule.target * 100, f" target {format_target(rule.target)}", va="center", ha="left",
            fontsize=7.5, color=INK)
    for x, share, text in zip(positions, shares, labels):
        # Inside the bar, below the target line, so the two never collide.
        inside = share >= 20
        ax.text(x, share - 3 if inside else share + 2, text, ha="center",
                va="top" if inside else "bottom", fontsize=7, color="white" if inside else INK,
                fontweight="bold")
    ax.set_xticks(list(positions), [f"{_week_label(w.week_start)}\nn={w.checked}" for w in weeks], fontsize=7)
    ax.set_ylim(0, 105)
    ax.set_yticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    ax.set_xlim(-0.6, len(weeks) - 0.4)
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    figure.subplots_adjust(right=0.86 if width >= WIDTH_IN else 0.78)
    alt = "; ".join(f"week of {w.week_start}: {text} of {w.checked}" for w, text in zip(weeks, labels))
    return Chart("Share met by week", "Weeks start on Monday; n is the number of items checked that week.",
                 _svg_uri(figure), f"Share met by week for {rule.id}: {alt}")


def findings_by_account(rule: RuleResult, accounts: Iterable[AccountResult], width: float = WIDTH_IN) -> Chart | None:
    """Failed items per account, the most first (top 12)."""
    rows = [(a.handle, figures.failed, figures.checked) for a in accounts
            if (figures := a.rules.get(rule.id)) is not None and figures.failed]
    if len(rows) < 2:
        return None
    rows.sort(key=lambda row: (-row[1], row[0]))
    more = len(rows) - TOP_ACCOUNTS
    rows = rows[:TOP_ACCOUNTS]
    figure, ax = _figure(0.4 + 0.16 * len(rows), width)
    positions = list(range(len(rows)))[::-1]
    ax.barh(positions, [r[1] for r in rows], color=RED, height=0.6)
    for y, (_, failed, checked) in zip(positions, rows):
        ax.text(failed, y, f" {failed} of {checked}", va="center", ha="left", fontsize=7, color=INK)
    ax.set_yticks(positions, ["@" + r[0] for r in rows], fontsize=7)
    ax.set_xlim(0, max(r[1] for r in rows) * 1.25)
    ax.xaxis.set_visible(False)
    ax.spines["bottom"].set_visible(False)
    figure.subplots_adjust(left=0.22 if width >= WIDTH_IN else 0.36)
    caption = f"Failed {rule.item_name} per account" + (f"; {more} more accounts not shown." if more > 0 else ".")
    alt = "; ".join(f"@{h}: {f} of {c}" for h, f, c in rows)
    return Chart("Findings by account", caption, _svg_uri(figure), f"Findings by account for {rule.id}: {alt}")


# -- helpers --------------------------------------------------------------------------------------


def _histogram_bins(value: Any, open_hours: bool = False) -> tuple[float, list[str], list[int], int] | None:
    """A histogram a rule may put in its metrics; bins ending at or below the limit are drawn green. Open hours
    are never written as days ("24h–48h", not "1d–2d"):

    `{"limit_seconds": 14400, "bins": [[3600, 80], [14400, 40], [28800, 3], ..., [null, 2]]}`
    (upper bound in seconds, inclusive, `null` for the open last bin; count).
    """
    if not isinstance(value, dict):
        return None
    limit, bins = _number(value.get("limit_seconds")), value.get("bins")
    if not limit or not isinstance(bins, list) or not bins:
        return None
    try:
        edges = [b[0] for b in bins]
        counts = [int(b[1]) for b in bins]
    except (TypeError, ValueError, IndexError):
        return None
    fmt = Formatter(None)
    duration = _hours if open_hours else fmt.duration
    labels = []
    previous = None
    for edge in edges:
        if edge is None:
            labels.append(f"> {duration(previous)}" if previous else "all")
        else:
            labels.append(f"≤ {duration(edge)}" if previous is None else f"{duration(previous)}–{duration(edge)}")
            previous = edge
    within = sum(1 for edge in edges if edge is not None and edge <= limit)
    return limit, labels, counts, max(within, 1)


def _bin_labels(edges: list[float], fmt: Formatter) -> list[str]:
    labels = [f"≤ {fmt.duration(edges[0])}"]
    labels += [f"{fmt.duration(a)}–{fmt.duration(b)}" for a, b in zip(edges, edges[1:])]
    labels.append(f"> {fmt.duration(edges[-1])}")
    return labels


def _hours(seconds: float) -> str:
    """A span of open hours as every report writes one: hours and minutes, never days ("48h")."""
    return format_open_hours(timedelta(seconds=seconds))


def _count(value: Any) -> int:
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else 0


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _week_label(week_start: str) -> str:
    fmt = Formatter(None)
    text = fmt.day(week_start)
    return text.rsplit(" ", 1)[0] if text != "–" else week_start


def _figure(height_in: float, width_in: float = WIDTH_IN):
    # A bare Figure with the SVG canvas: no pyplot, no GUI backend, no global figure list.
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width_in, height_in), dpi=100)
    FigureCanvasSVG(figure)
    return figure, figure.add_subplot()


def _svg_uri(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight", pad_inches=0.05)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
