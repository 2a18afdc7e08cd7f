"""The HTML report in a real browser (Debian's chromium, headless, driven by Playwright) on a phone and a desktop.

Measured in the page at 390 and 1366 px wide: nothing runs off the side, one h1 and the
landmarks, a heading for every rule, account and finding, charts never stretched past the
size they were drawn at (and a phone gets its own drawing, at that size), no text under
12 px, and every text at WCAG AA contrast against what is behind it. Screenshots of both
widths are kept in the test's folder for a person to look at.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from auditor.render import RenderOptions, render
from auditor.render.overview import overview, render_html
from auditor.render.overview import Part
from auditor.render.split import group_result, groups

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags chromium keeps trying to reach Google on a closed network.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
WIDTHS = (390, 1366)

MEASURE = """() => {
  const page = document.documentElement;
  const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden'
    && !e.closest('thead') && e.closest('[aria-hidden=true]') === null;
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const behind = (e) => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3); } return [255, 255, 255]; };
  const texts = [...document.querySelectorAll('body *')].filter(e => visible(e)
    && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()));
  const small = [], faint = [], squeezed = [];
  for (const e of texts) {
    const style = getComputedStyle(e), size = parseFloat(style.fontSize);
    const what = e.tagName + '.' + e.className + ' ' + e.textContent.trim().slice(0, 40);
    if (size < 12) small.push(what + ' ' + size + 'px');
    // A sentence in a box a few letters wide (a column or caption squeezed to nothing) reads one letter a line.
    if (e.textContent.trim().length >= 12 && e.getBoundingClientRect().width < 4 * size) squeezed.push(what);
    const [a, b] = [lum(rgb(style.color)), lum(behind(e))].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const large = size >= 24 || (size >= 18.66 && parseInt(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) faint.push(what + ' ' + ratio.toFixed(2));
  }
  const charts = [...document.querySelectorAll('figure.chart img')].filter(visible)
    .map(i => [i.naturalWidth, i.getBoundingClientRect().width, i.className]);
  const outside = [...document.querySelectorAll('body *')].filter(e => visible(e)
    && e.getBoundingClientRect().right > page.clientWidth + 1).map(e => e.tagName + '.' + e.className).slice(0, 5);
  return {scrollWidth: page.scrollWidth, clientWidth: page.clientWidth, outside, small: small.slice(0, 5),
          faint: faint.slice(0, 5), squeezed: squeezed.slice(0, 5), charts, h1: document.querySelectorAll('h1').length,
          main: document.querySelectorAll('main').length, nav: document.querySelectorAll('nav').length,
          header: document.querySelectorAll('body > header').length,
          rules: document.querySelectorAll('section.rule').length,
          ruleHeadings: document.querySelectorAll('section.rule > .rule-head > h3').length,
          cards: document.querySelectorAll('section.scorecard').length,
          cardHeadings: document.querySelectorAll('section.scorecard > h3').length,
          findings: document.querySelectorAll('article.finding').length,
          findingHeadings: document.querySelectorAll('article.finding > h4').length,
          attention: document.querySelectorAll('.scorecard-attention').length,
          attentionWords: document.querySelectorAll('.scorecard-attention .attention-tag').length};
}"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield launched
        launched.close()


def measure(browser, html: bytes, folder: Path, name: str) -> dict[int, dict]:
    path = folder / f"{name}.html"
    path.write_bytes(html)
    seen = {}
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(path.as_uri())
        seen[width] = page.evaluate(MEASURE)
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=False)
        page.close()
    return seen


def check_layout(seen: dict[int, dict]) -> None:
    for width, m in seen.items():
        assert m["scrollWidth"] <= m["clientWidth"] == width, (width, m["outside"])
        assert m["outside"] == [], (width, m["outside"])
        assert m["small"] == [], (width, m["small"])  # every text at least 12 px
        assert m["squeezed"] == [], (width, m["squeezed"])
        assert m["faint"] == [], (width, m["faint"])  # WCAG AA: 4.5:1, 3:1 for large text
        assert m["h1"] == 1 and m["main"] == 1
        for natural, shown, kind in m["charts"]:
            assert shown <= natural + 1, (width, kind, natural, shown)  # never stretched past its drawing
            if width == 390:
                assert kind == "chart-narrow" and shown >= 0.85 * natural, (natural, shown)  # legible: near natural size
            else:
                assert kind == "chart-wide" and shown >= natural - 1, (natural, shown)  # natural size on a desktop


def test_the_company_report_on_a_phone_and_a_desktop(browser, demo_result, tmp_path):
    seen = measure(browser, render(demo_result, "html", RenderOptions()), tmp_path, "report")
    check_layout(seen)
    m = seen[390]
    assert (m["nav"], m["header"]) == (1, 1)
    assert m["rules"] == m["ruleHeadings"] == len(demo_result.rules)
    assert m["cards"] == m["cardHeadings"] == len(demo_result.accounts)
    assert m["findings"] == m["findingHeadings"] > 0
    assert m["attention"] == m["attentionWords"] > 0  # "needs attention" in words, not by colour alone
    assert len(m["charts"]) >= 7


def test_a_managers_report_and_the_overview_fit_too(browser, demo_result, tmp_path):
    dana = next(g for g in groups(demo_result, "manager") if g.name == "Dana Reyes")
    check_layout(measure(browser, render(group_result(demo_result, dana), "html", RenderOptions()), tmp_path, "dana"))
    parts = [Part(g, group_result(demo_result, g), {"pdf": f"{g.slug}.pdf"}) for g in groups(demo_result, "manager")]
    data = overview(demo_result, "manager", parts, {}, {})
    check_layout(measure(browser, render_html(data), tmp_path, "overview"))


def test_endless_words_from_the_data_wrap_instead_of_widening_the_page(browser, demo_result, tmp_path):
    word = "W" * 300
    findings = tuple(replace(f, counterpart=word, message=f"@{word} {word}") if n < 40 else f
                     for n, f in enumerate(demo_result.findings))
    seen = measure(browser, render(replace(demo_result, findings=findings), "html", RenderOptions()), tmp_path,
                   "endless")
    for width, m in seen.items():
        assert m["scrollWidth"] <= m["clientWidth"] == width, (width, m["outside"])


def test_the_report_names_its_policy_by_name_and_hash_never_by_its_path(demo_result):
    html = render(demo_result, "html", RenderOptions()).decode()
    assert demo_result.policy["file"] not in html and "example.yaml" not in html
    assert demo_result.policy["sha256"] in html and "Acme social media policy, version 2026.1" in html
