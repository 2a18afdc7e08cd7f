"""Shared fixtures: a small result from the real audit pipeline, PDF text extraction with poppler."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from auditor.render import RenderOptions, render
from tests.factories import dm, policy, post, run

CJK = "注文はどこですか"
ARABIC = "مرحبا بكم"
EMOJI = "😀🚀"
DM_SECRET = "my phone is 555-0100 SECRET-DM-TEXT"
HOSTILE = '<script>alert(1)</script> <img src="http://127.0.0.1:9/x"> </style> file:///etc/passwd'

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def pdftotext(pdf: bytes, tmp_path: Path, *, first: int | None = None, last: int | None = None,
              layout: bool = True) -> str:
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    command = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else [])
    command += (["-f", str(first)] if first else []) + (["-l", str(last)] if last else [])
    return subprocess.run(command + [str(source), "-"], check=True, capture_output=True, timeout=60,
                          text=True).stdout


def poppler(tool: str, pdf: bytes, tmp_path: Path) -> str:
    source = tmp_path / "info.pdf"
    source.write_bytes(pdf)
    return subprocess.run([tool, str(source)], check=True, capture_output=True, timeout=60, text=True).stdout


@pytest.fixture(scope="session")
def small_result(tmp_path_factory):
    """Three customers of Acme: one answered late (emoji, CJK, Arabic), one left waiting by DM, one hostile."""
    loaded = policy(tmp_path_factory.mktemp("policy"), [
        {"id": "answer", "type": "response_time", "severity": "high", "within": "4h", "target": "95%",
         "description": "Customers get an answer within 4 hours."},
    ])
    ask = post("bob", "2026-10-05 14:02", f"@acme_support where is my order? {EMOJI} {CJK} {ARABIC}",
               mentions=("acme_support",))
    late = post("acme_support", "2026-10-06 09:30", "@bob on its way, sorry for the wait", reply_to=ask)
    secret = dm("carol", "jdoe", "2026-10-07 10:00", DM_SECRET)
    hostile = post("mallory", "2026-10-08 12:00", f"@lchen {HOSTILE}", mentions=("lchen",))
    on_time = post("dave", "2026-10-09 12:00", "@acme_support thanks?", mentions=("acme_support",))
    quick = post("acme_support", "2026-10-09 12:30", "@dave you're welcome", reply_to=on_time)
    end = post("acme", "2026-10-30 10:00", "Have a good weekend")
    return run(loaded, ask, late, secret, hostile, on_time, quick, end)


@pytest.fixture(scope="session")
def small_pdf(small_result) -> bytes:
    return render(small_result, "pdf", RenderOptions())


@pytest.fixture(scope="session")
def small_pdf_letter_unredacted(small_result) -> bytes:
    return render(small_result, "pdf", RenderOptions(paper="Letter", redact="none"))
