"""Every bad policy in tests/policy/bad/ gives exactly the error lines in its .expected file.

To add a case: write NAME.yaml and NAME.expected (one `file:line:col: path: message` line per
mistake; paths relative to this folder).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.errors import PolicyError
from auditor.policy.loader import load_policy

BAD = Path(__file__).parent / "bad"
CASES = sorted(p.stem for p in BAD.glob("*.yaml"))


@pytest.mark.parametrize("name", CASES)
def test_bad_policy_errors_are_pinned(name, monkeypatch):
    monkeypatch.chdir(BAD)
    with pytest.raises(PolicyError) as caught:
        load_policy(Path(f"{name}.yaml"))
    expected = (BAD / f"{name}.expected").read_text().splitlines()
    assert caught.value.lines() == expected


def test_every_case_has_an_expectation():
    assert CASES, "no bad policies found"
    assert all((BAD / f"{name}.expected").exists() for name in CASES)


def test_one_kind_that_no_account_has_is_no_data_not_an_error(tmp_path):
    # A policy shared by companies: `kinds: [employee]` over a roster of brands audits nobody, and says so.
    policy = tmp_path / "policy.yaml"
    policy.write_text("""name: Acme
timezone: UTC
accounts:
  - {handle: acme_support, kind: brand}
rules:
  - {id: disclose, type: disclosure, severity: low, applies_to: {kinds: [employee]}, when_mentioning: [Acme],
     require_any: ["#employee"]}
""")
    assert [rule.id for rule in load_policy(policy).policy.rules] == ["disclose"]
