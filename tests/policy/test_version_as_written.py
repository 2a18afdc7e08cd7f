"""A policy's version is the text HR wrote: `version: 2026.10` unquoted is the YAML float 2026.1, and the
managers' PDF named January's version for October's."""

from __future__ import annotations

import pytest

from auditor.policy.loader import load_policy

RULES = "rules: [{id: a, type: engagement, severity: low, min_reply_share: 50%}]\n"


@pytest.mark.parametrize("written, version", [
    ("2026.10", "2026.10"), ("1.10", "1.10"), ("3", "3"), ('"2026.10"', "2026.10"), ("2026.10  # October's", "2026.10"),
    ("2026.1", "2026.1"), ("v3", "v3"),
])
def test_the_version_is_kept_as_written(tmp_path, written, version):
    path = tmp_path / "policy.yaml"
    path.write_text(f"name: Acme\nversion: {written}\ntimezone: UTC\naccounts: [{{handle: acme}}]\n{RULES}")
    assert load_policy(path).policy.version == version


def test_in_a_flow_mapping_too(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text("{name: Acme, version: 1.20, timezone: UTC, accounts: [{handle: acme}],\n"
                    " rules: [{id: a, type: engagement, severity: low, min_reply_share: 50%}]}\n")
    assert load_policy(path).policy.version == "1.20"
