"""The manager's PDF, read back with poppler: sections, page numbers, contents, quotes, fonts, paper."""

from __future__ import annotations

import dataclasses
import re

import pytest

from auditor.render import RenderOptions, render
from tests.render.conftest import ARABIC, CJK, DM_SECRET, HOSTILE, needs_poppler, pdftotext, poppler

pytestmark = needs_poppler

SECTIONS = ("Executive summary", "Rules", "Account scorecards", "Evidence", "Methodology and data coverage",
            "Sign-off")


def pages(pdf: bytes, tmp_path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", poppler("pdfinfo", pdf, tmp_path), re.M).group(1))


def test_the_pdf_has_every_section_in_the_contents_with_the_right_page(small_pdf, tmp_path):
    text = pdftotext(small_pdf, tmp_path)
    total = pages(small_pdf, tmp_path)
    for section in SECTIONS:
        match = re.search(rf"^\s*{re.escape(section)}\s*\.{{3,}}\s*(\d+)\s*$", text, re.M)
        assert match, f"{section} is not in the table of contents"
        page = int(match.group(1))
        assert 3 <= page <= total
        on_page = pdftotext(small_pdf, tmp_path, first=page, last=page)
        assert section in on_page and f"Page {page} of {total}" in on_page, section


def test_pages_are_numbered_and_carry_running_heads(small_pdf, tmp_path):
    total = pages(small_pdf, tmp_path)
    cover = pdftotext(small_pdf, tmp_path, first=1, last=1)
    assert "Page 1 of" not in cover  # the cover has no page furniture
    summary = pdftotext(small_pdf, tmp_path, first=3, last=3)
    assert f"Page 3 of {total}" in summary
    assert "Test policy · October 2026" in summary  # running head: company and period
    assert "Executive summary" in summary.splitlines()[0]  # running head: the chapter


def test_the_cover_and_summary_say_what_matters(small_pdf, tmp_path):
    cover = pdftotext(small_pdf, tmp_path, first=1, last=1)
    for expected in ("Test policy", "October 2026", "version 1", "Generated", "auditor 0.1.0", "Events read",
                     "Channels the data", "1 Oct 2026 – 31 Oct 2026"):
        assert expected in cover, expected
    summary = pdftotext(small_pdf, tmp_path, first=3, last=3)
    for expected in ("score out of 100", "Each rule against its target", "Accounts that need attention",
                     "Customers left waiting longest", "@carol", "FAIL"):
        assert expected in summary, expected


def test_quoted_text_is_in_the_pdf_as_text(small_pdf, tmp_path):
    text = pdftotext(small_pdf, tmp_path, layout=False)
    assert "where is my order?" in text
    # Markup in a post is printed, not interpreted.
    for piece in HOSTILE.split(" "):
        assert piece in text, piece
    assert "How the clock ran" in text
    assert "https://x.com/bob/status/" in text


def test_dm_text_is_withheld_by_default_and_shown_with_redact_none(small_pdf, small_pdf_letter_unredacted, tmp_path):
    assert DM_SECRET not in pdftotext(small_pdf, tmp_path, layout=False)
    assert "[direct message: text withheld]" in pdftotext(small_pdf, tmp_path, layout=False)
    assert DM_SECRET in pdftotext(small_pdf_letter_unredacted, tmp_path, layout=False)


def test_a4_and_letter(small_pdf, small_pdf_letter_unredacted, tmp_path):
    assert "595.276 x 841.89 pts (A4)" in poppler("pdfinfo", small_pdf, tmp_path)
    assert "612 x 792 pts (letter)" in poppler("pdfinfo", small_pdf_letter_unredacted, tmp_path)


def test_emoji_cjk_and_arabic_render_with_real_fonts(small_pdf, tmp_path):
    fonts = poppler("pdffonts", small_pdf, tmp_path)
    assert "Noto-Sans-CJK" in fonts
    assert "Noto-Color-Emoji" in fonts
    assert "DejaVu-Sans" in fonts  # Latin and Arabic
    text = pdftotext(small_pdf, tmp_path, layout=False)
    assert CJK in text
    # poppler gives right-to-left runs back in logical order when the glyphs map to characters.
    assert all(word in text for word in ARABIC.split()), "Arabic text lost"
    assert "\ufffd" not in text


def test_unknown_paper_is_a_render_error(small_result):
    from auditor.errors import RenderError

    with pytest.raises(RenderError, match="paper"):
        render(small_result, "pdf", RenderOptions(paper="A3"))


def test_a_long_policy_name_keeps_the_cover_on_one_page(small_result, tmp_path):
    name = ("Acme Corporation Global Social Media, Public Communications and Customer Care Policy for Employees, "
            "Contractors and Brand Accounts (North America and Europe)")
    long_named = dataclasses.replace(small_result, policy={**small_result.policy, "name": name, "company": name})
    pdf = render(long_named, "pdf", RenderOptions())
    second = pdftotext(pdf, tmp_path, first=2, last=2)
    assert "Contents" in second and "Events read" not in second  # the cover's facts stayed on page 1
