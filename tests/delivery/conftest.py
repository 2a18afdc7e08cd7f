"""The bundled demo audited once (October 2026), and split by manager into a folder, for the split and mail tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.bundled import policies_folder, sample_data
from auditor.cli import app

POLICY = policies_folder() / "example.yaml"
MANAGERS = ("Dana Reyes", "Marcus Bell", "Olivia Grünwald")


@pytest.fixture(scope="session")
def split_folder(tmp_path_factory) -> Path:
    """`auditor audit --split manager --format pdf,json,csv` of the demo, as a user runs it."""
    folder = tmp_path_factory.mktemp("reports") / "2026-10"
    result = CliRunner().invoke(app, ["audit", "--policy", str(POLICY), "--data", str(sample_data()),
                                      "--period", "2026-10", "--split", "manager", "--format", "pdf,json,csv",
                                      "--out-dir", str(folder)])
    assert result.exit_code == 0, result.output
    return folder
