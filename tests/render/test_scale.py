"""A large month: 50 accounts and 1,000 findings render with the evidence cap and the appendix working."""

from __future__ import annotations

import re
import time

from auditor.render import RenderOptions, render
from auditor.render.view import build_view
from tests.render import builders
from tests.render.conftest import needs_poppler, pdftotext, poppler


def test_caps_split_findings_between_body_appendix_and_left_out():
    result = builders.large(50, 1000)
    view = build_view(result, evidence_cap=10, appendix_cap=150, charts=False)
    totals = {rule.id: rule.findings_total for rule in view["rules"]}
    assert totals == {"answer": 600, "keep-promises": 200, "tone": 200}
    assert [len(rule.evidence) for rule in view["rules"]] == [10, 10, 10]
    assert len(view["appendix"]) == 150 and view["left_out"] == 1000 - 30 - 150
    # The appendix continues where the body stopped, in the same order.
    assert [f.number for f in view["appendix"][:3]] == [11, 12, 13]
    # Links go only to findings that are printed.
    printed = {f.anchor for rule in view["rules"] for f in rule.evidence} | {f.anchor for f in view["appendix"]}
    assert all(w.anchor is None or w.anchor in printed for w in view["summary"]["waiting"])
    assert len(view["accounts"]) == 50 and view["summary"]["attention_more"] == 45


def test_html_of_a_large_month_names_what_was_left_out():
    text = render(builders.large(50, 1000), "html", RenderOptions(evidence_cap=10, appendix_cap=150)).decode()
    assert "820 more findings are not printed (the appendix holds 150)" in text
    appendix = text[text.index('id="appendix"'):text.index('id="methodology"')]
    # The appendix goes on where the body stopped (#11), rule by rule, until it holds 150 findings.
    assert re.findall(r'<h3 class="appendix-rule">.*?</h3>', appendix) == [
        '<h3 class="appendix-rule"><span class="appendix-rule-id">answer</span> '
        '<span class="muted">(#11–#160 of 600)</span></h3>']
    assert appendix.count('<div class="appendix-line"') == 150 and ">#160 · " in appendix and "#161" not in appendix
    assert "keep-promises #10 · " in text and "keep-promises #11 · " not in text
    assert text.count('<section class="scorecard') == 50
    # A scorecard is a line a rule (plain text: cheap for WeasyPrint), every figure named.
    assert re.search(r'<div class="score-line score-fail">FAIL · answer: [\d.]+% met \(target 95%\) · '
                     r'\d+ checked, \d+ met, \d+ failed, 0 pending</div>', text)
    assert "10 more are listed in the appendix" not in text and "150 more are listed in the appendix" in text
    assert "440 are not printed" in text  # answer: 600 - 10 quoted - 150 listed


@needs_poppler
def test_pdf_of_50_accounts_and_1000_findings(tmp_path):
    result = builders.large(50, 1000)
    started = time.perf_counter()
    pdf = render(result, "pdf", RenderOptions(evidence_cap=10, appendix_cap=150))
    seconds = time.perf_counter() - started
    assert seconds < 60, f"{seconds:.1f}s"
    text = pdftotext(pdf, tmp_path, layout=False)
    assert "820 more findings are not printed (the appendix holds 150)" in re.sub(r"\s+", " ", text)
    assert "Appendix: more findings" in text and "Account scorecards" in text
    assert "@agent049" in text
    pages = int(re.search(r"^Pages:\s+(\d+)", poppler("pdfinfo", pdf, tmp_path), re.M).group(1))
    assert 15 < pages < 80
