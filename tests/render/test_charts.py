"""Charts: SVG data URIs, the same bytes every time, drawn from the data a rule carries."""

from __future__ import annotations

import base64
from dataclasses import replace

from auditor.render import charts
from auditor.render.formatting import Formatter
from tests.render import builders

fmt = Formatter("America/Toronto")


def svg(chart) -> str:
    prefix = "data:image/svg+xml;base64,"
    assert chart.uri.startswith(prefix)
    return base64.b64decode(chart.uri[len(prefix):]).decode()


def sample():
    findings = [builders.sla_finding("answer", f"agent00{n % 3}", f"c{n}", n) for n in range(1, 30)]
    result = builders.result(findings)
    rule = next(r for r in result.rules if r.id == "answer")
    return result, rule, [f for f in result.findings if f.rule == "answer"]


def test_a_response_time_rule_gets_three_charts_with_the_limit_marked():
    result, rule, findings = sample()
    drawn = charts.rule_charts(rule, findings, result.accounts, fmt)
    assert [c.title for c in drawn] == ["How long people waited", "Share met by week", "Findings by account"]
    distribution = svg(drawn[0])
    assert "limit 4h" in distribution and "<script" not in distribution
    assert "target 95%" in svg(drawn[1])
    assert "@agent001" in svg(drawn[2])
    assert "limit 4h" in drawn[0].alt or "≤ 4h" in drawn[0].alt


def test_charts_are_deterministic():
    result, rule, findings = sample()
    first = [c.uri for c in charts.rule_charts(rule, findings, result.accounts, fmt)]
    second = [c.uri for c in charts.rule_charts(rule, findings, result.accounts, fmt)]
    assert first == second
    assert all("<dc:date>" not in svg(c) for c in charts.rule_charts(rule, findings, result.accounts, fmt))


def test_no_chart_without_data():
    result = builders.result([builders.tone_finding("tone", "agent001", 1, "x")])
    rule = replace(next(r for r in result.rules if r.id == "tone"), weeks=())
    assert charts.rule_charts(rule, [], result.accounts, fmt) == []


def test_a_histogram_in_the_metrics_is_drawn_as_is():
    result, rule, findings = sample()
    histogram = {"limit_seconds": 14400, "bins": [[3600, 50], [14400, 30], [28800, 4], [None, 2]]}
    rule = replace(rule, figures=replace(rule.figures, metrics={**rule.figures.metrics, "histogram": histogram}))
    chart = charts.wait_distribution(rule, findings, fmt)
    assert chart.alt.endswith("≤ 1h: 50; 1h–4h: 30; 4h–8h: 4; > 8h: 2")


def test_the_unanswered_past_their_limit_get_a_bar_of_their_own():
    result, rule, findings = sample()
    histogram = {"limit_seconds": 14400, "bins": [[3600, 50], [14400, 30], [28800, 4], [None, 2]]}
    metrics = {**rule.figures.metrics, "histogram": histogram, "answered": 86, "met": 80, "breached": 9}
    rule = replace(rule, figures=replace(rule.figures, metrics=metrics))
    chart = charts.wait_distribution(rule, findings, fmt)
    assert chart.alt.endswith("≤ 1h: 50; 1h–4h: 30; 4h–8h: 4; > 8h: 2; no answer: 3")
    assert chart.caption == ("Answered items by how long they waited, and the 3 with no answer past the limit "
                             "(last bar).")


def test_open_hours_on_the_chart_are_never_days():
    result, rule, findings = sample()
    histogram = {"limit_seconds": 28800, "bins": [[7200, 5], [28800, 3], [57600, 2], [86400, 1], [172800, 1],
                                                   [None, 1]]}
    metrics = {**rule.figures.metrics, "histogram": histogram, "answered": 13, "met": 8, "breached": 5}
    rule = replace(rule, figures=replace(rule.figures, metrics=metrics),
                   options={**rule.options, "clock": "support-hours"})
    chart = charts.wait_distribution(rule, findings, fmt)
    assert chart.alt.endswith("≤ 2h: 5; 2h–8h: 3; 8h–16h: 2; 16h–24h: 1; 24h–48h: 1; > 48h: 1")
    assert "d" not in chart.alt.split(": ", 1)[1].replace("no answer", "")
    assert chart.caption.endswith("Times count support-hours open hours only.")
