"""Where `audit` writes its reports: --out, --out-dir, or standard output (never a PDF onto a terminal)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.errors import UsageError
from auditor.options import report_targets


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_pdf_is_never_written_onto_a_terminal(monkeypatch):
    monkeypatch.setattr(sys, "stdout", _Terminal())
    with pytest.raises(UsageError, match=r"^--format pdf writes a binary file: give --out report.pdf"):
        report_targets(None, "pdf", None)
    assert report_targets(None, "json", None) == (["json"], [None])  # text is fine on a terminal
    assert report_targets(Path("r.pdf"), None, None) == (["pdf"], [Path("r.pdf")])


def test_a_pdf_to_a_pipe_or_a_file_is_written(monkeypatch):
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert report_targets(None, "pdf", None) == (["pdf"], [None])


def test_out_and_out_dir_together_are_bad_usage_not_one_of_them_silently():
    result = CliRunner().invoke(app, ["audit", "--policy", "p.yaml", "--data", "d.jsonl", "--out", "r.json",
                                      "--out-dir", "reports"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == ["error: give --out FILE or --out-dir DIR, not both"]


def test_a_sarif_json_name_is_sarif():
    # The name GitHub code scanning's examples give a SARIF file: it was written as report.json.
    assert report_targets(Path("results.sarif.json"), None, None) == (["sarif"], [Path("results.sarif.json")])
