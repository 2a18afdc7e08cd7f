"""The HTML report: the content that matters, one self-contained file, post text kept as text."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from jinja2 import TemplateNotFound
from markupsafe import escape

from auditor.errors import RenderError
from auditor.render import FORMATS, RenderOptions, render
from auditor.render.html import environment, page_size
from tests.render import builders
from tests.render.conftest import ARABIC, CJK, DM_SECRET, EMOJI


def html(result, **options) -> str:
    return render(result, "html", RenderOptions(**options)).decode("utf-8")


def test_html_and_pdf_are_registered_formats():
    assert FORMATS["html"] == ("html", ".html")
    assert FORMATS["pdf"] == ("pdf", ".pdf")


def test_html_has_every_section_and_the_figures(small_result):
    text = html(small_result)
    for anchor in ("cover", "contents", "summary", "rules", "scorecards", "evidence", "methodology", "signoff"):
        assert f'id="{anchor}"' in text, anchor
    assert "Test policy" in text and "October 2026" in text
    assert "Customers get an answer within 4 hours." in text
    assert "Customers left waiting longest" in text
    assert "How the clock ran" in text
    assert "Clock started Mon 5 Oct 2026, 10:02 EDT" in text  # 14:02Z in the policy's time zone
    assert f"@acme_support where is my order? {EMOJI} {CJK} {ARABIC}" in text
    assert "https://x.com/bob/status/" in text
    assert small_result.policy["sha256"] in text


def test_html_is_self_contained_with_a_strict_csp(small_result):
    text = html(small_result)
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text).group(1)
    assert "default-src 'none'" in csp and "img-src data:" in csp and "script-src" not in csp
    [style] = re.findall(r"<style>(.*?)</style>", text, flags=re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in csp
    assert "<script" not in text.lower() and "<link" not in text.lower() and "<iframe" not in text.lower()
    sources = re.findall(r'\ssrc="([^"]*)"', text)
    assert sources and all(s.startswith("data:image/svg+xml;base64,") for s in sources)
    assert re.search(r"style=", text) is None  # inline style attributes would break the CSP


def test_post_text_is_escaped_never_markup():
    hostile = ('<script>alert(1)</script> <img src="http://127.0.0.1:8/x"> </style> '
               '<a href="file:///etc/passwd">x</a> file:///etc/passwd {{ 7*7 }}')
    result = builders.result([builders.sla_finding("answer", "agent001", "mallory", 1, text=hostile)],
                             company="Acme <b>Corp</b>")
    text = html(result)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=&#34;http://127.0.0.1:8/x&#34;&gt;" in text
    assert "&lt;/style&gt;" in text
    assert "&lt;a href=&#34;file:///etc/passwd&#34;&gt;x&lt;/a&gt; file:///etc/passwd {{ 7*7 }}" in text
    assert "Acme &lt;b&gt;Corp&lt;/b&gt;" in text
    assert "<script" not in text and "<b>Corp" not in text
    assert text.count("</style>") == 1
    assert 'href="file:' not in text and "127.0.0.1" not in re.sub(r"&[^;]+;", "", text).split("<body")[0]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,<b>x</b>"])
def test_only_web_links_become_links(url):
    result = builders.result([builders.sla_finding("answer", "agent001", "eve", 1, url=url)])
    text = html(result)
    assert f'href="{url.split(":")[0]}:' not in text
    assert escape(url) in text  # shown, as text


def test_dm_text_is_withheld_by_default_and_shown_with_redact_none(small_result):
    assert DM_SECRET not in html(small_result)
    assert "[direct message: text withheld]" in html(small_result)
    assert DM_SECRET in html(small_result, redact="none")
    assert DM_SECRET not in html(small_result, redact="dms")


def test_customers_redaction_hides_handles(small_result):
    text = html(small_result, redact="customers", pseudonym_key=b"a test key of 16+ chars")
    assert "@bob" not in text and "@carol" not in text
    assert "@customer-" in text


def test_the_environment_autoescapes_and_reads_only_the_templates_folder():
    env = environment()
    assert env.autoescape is True
    for name in ("../pyproject.toml", "/etc/passwd", "../../etc/passwd"):
        with pytest.raises(TemplateNotFound):
            env.get_template(name)


def test_paper_sizes():
    assert page_size("A4") == "A4" and page_size("letter") == "letter" and page_size("Letter") == "letter"
    with pytest.raises(RenderError):
        page_size("A4; } body { display: none")


def test_channels_the_data_cannot_show_are_on_the_cover():
    result = builders.result([builders.sla_finding("answer", "agent001", "bob", 1)], channels_missing=("mention",))
    text = html(result)
    assert "Channels the data cannot show" in text
    assert re.search(r"<strong class=\"warn\">mention</strong>", text)


def test_waivers_applied_are_listed():
    waived = builders.sla_finding("answer", "agent001", "bob", 1,
                                  waived={"reason": "outage, agreed", "approved_by": "Dana", "expires": "2026-12-31"})
    text = html(builders.result([waived, builders.sla_finding("answer", "agent002", "carl", 2)]))
    assert "Waivers applied" in text and "outage, agreed" in text and "Dana" in text
    assert "Waived: outage, agreed (approved by Dana, until 2026-12-31)" in text


def test_same_result_same_html(small_result, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")
    assert html(small_result) == html(small_result)


def test_a_business_hours_wait_in_the_worst_cases_breaks_only_before_its_calendar_time():
    # Kept whole on one line, "168h of open hours (32d 3h calendar time)" took the width of the message beside it,
    # which then ran one word a line down the page.
    finding = builders.sla_finding("answer", "agent001", "bob", 1, clock="support-hours", elapsed=142 * 3600 + 2400,
                                   calendar=6 * 86400 + 7200)
    page = html(builders.result([finding]))
    cell = re.search(r'<td class="num measured" data-label="Measured">(.*?)</td>', page).group(1)
    assert cell == ('<span class="nowrap">142h40m of open hours</span> '
                    '<span class="nowrap">(6d 2h calendar time)</span>')
    assert "table.grid td.measured { white-space: normal;" in page


def test_the_summary_says_nothing_was_judged_rather_than_nobody_waited_when_the_rules_had_no_data(tmp_path):
    # An X archive holds no inbound items: "Nobody was left waiting" in green was reassurance without data.
    from tests.factories import policy, post, run

    rules = [{"id": "answer", "type": "response_time", "severity": "high", "within": "4h"},
             {"id": "promises", "type": "follow_through", "severity": "high", "within": "24h"}]
    result = run(policy(tmp_path, rules), post("acme_support", "2026-10-05 10:00", "Our new widget is out"))
    assert {r.status for r in result.rules} == {"no_data"}
    page = html(result)
    assert "Nobody was left waiting" not in page and "No promise of private contact was broken" not in page
    assert "Not judged: the data holds nothing these rules check" in page
    assert "Not judged: the data holds no promise of private contact to check" in page
    # A DM header set aside (no text in the data) was before the rule: no "not judged" for it, nor "nobody waited".
    from tests.factories import dm

    result = run(policy(tmp_path, rules), dm("bob", "acme_support", "2026-10-05 10:00", ""))
    assert outcome_status(result, "answer") == "no_data"
    page = html(result)
    assert "Not judged: the data holds nothing these rules check" not in page
    assert "Nobody was left waiting" not in page
    assert "Not judged: no item could be counted; what was set aside or is still open is in each rule" in page


def outcome_status(result, rule_id):
    return next(r.status for r in result.rules if r.id == rule_id)
