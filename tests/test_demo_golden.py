"""The demo's report.json, pinned byte for byte by a committed golden file.

Any change to what the audit finds, counts or writes shows here as a diff a reviewer
reads. When a change to the report is meant, write the golden file again and commit
the diff with the change that caused it:

    AUDITOR_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_demo_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from typer.testing import CliRunner

from auditor import __version__
from auditor.bundled import policies_folder
from auditor.cli import app

GOLDEN = Path(__file__).parent / "golden" / "demo-report.json"


def _portable(report: bytes) -> bytes:
    """The report without what depends on the checkout: the policy's absolute path and the version."""
    policy_file = json.dumps(str(policies_folder() / "example.yaml")).encode()
    version = f'"name": "auditor",\n    "version": {json.dumps(__version__)}'.encode()
    assert report.count(policy_file) == 1 and report.count(version) == 1
    return (report.replace(policy_file, b'"<policies>/example.yaml"')
            .replace(version, b'"name": "auditor",\n    "version": "<version>"'))


def test_demo_report_json_is_the_golden_file(tmp_path):
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    report = _portable((tmp_path / "report.json").read_bytes())
    if os.environ.get("AUDITOR_UPDATE_GOLDEN"):
        GOLDEN.write_bytes(report)
    assert report == GOLDEN.read_bytes()
