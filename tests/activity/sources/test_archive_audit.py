"""The real archives in shared/data go through import and audit as a user would run them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from tests.shared_data import shared


POLICY = """\
name: Archive check
timezone: UTC
accounts: [{{handle: {owner}, kind: employee, team: dev}}]
rules:
  - {{id: answer, type: response_time, severity: high, within: 1d}}
  - {{id: tone, type: tone, severity: medium, checks: {{profanity: true, shouting: {{}}}}}}
  - {{id: engagement, type: engagement, severity: low, min_reply_share: 10%}}
"""


@pytest.mark.parametrize(("owner", "period"), [("andreruffert", "2021"), ("alrocar", "2023")])
def test_a_real_archive_imports_and_audits_and_says_what_it_cannot_show(tmp_path, owner, period):
    runner = CliRunner()
    store = tmp_path / "audit.db"
    imported = runner.invoke(app, ["import", str(shared("x-archive", owner)), "--store", str(store)])
    assert imported.exit_code == 0, imported.output
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY.format(owner=owner))
    out = tmp_path / "report.json"
    audited = runner.invoke(app, ["audit", "--policy", str(policy), "--data", str(store), "--period", period,
                                  "--out", str(out)])
    assert audited.exit_code == 0, audited.output
    report = json.loads(out.read_text())
    tone = next(r for r in report["rules"] if r["id"] == "tone")
    assert tone["checked"] > 0  # the owner's own posts are there
    # An archive holds no one else's mentions or replies: the report must not read "no breaches".
    assert {"mention", "reply"} <= set(report["data"]["channels_missing"])
    assert "cannot show" in audited.output
