"""managers: where each manager's report goes, in the policy or beside accounts: in the roster file."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.errors import PolicyError
from auditor.policy.loader import load_policy

ROSTER = """accounts:
  - {handle: acme_support, manager: Dana Reyes}
  - {handle: bsmith, manager: Olivia Grünwald}
"""


def write(tmp_path, policy: str, roster: str | None = None):
    if roster is not None:
        (tmp_path / "roster.yaml").write_text(roster)
    path = tmp_path / "policy.yaml"
    path.write_text("name: Acme\n" + policy + "rules: []\n")
    return path


def problems(path) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    return caught.value.lines()


def test_managers_in_the_policy_and_in_the_roster_file_are_joined(tmp_path):
    path = write(tmp_path, "accounts: roster.yaml\nmanagers:\n  Dana Reyes: {email: dana@acme.example}\n",
                 ROSTER + "managers:\n  Olivia Grünwald: {email: olivia.grunwald@acme.example}\n")
    managers = load_policy(path).policy.managers
    assert {name: m.email for name, m in managers.items()} == {
        "Olivia Grünwald": "olivia.grunwald@acme.example", "Dana Reyes": "dana@acme.example"}


def test_the_example_roster_gives_every_manager_an_address():
    from auditor.bundled import policies_folder

    policy = load_policy(policies_folder() / "example.yaml").policy
    assert set(policy.managers) == {a.manager for a in policy.roster}


@pytest.mark.parametrize("managers, expected", [
    ("  Dana Reyez: {email: dana@acme.example}\n",
     "policy.yaml:5:3: managers.Dana Reyez: no account of the roster has manager 'Dana Reyez'; did you mean 'Dana Reyes'?"),
    ("  Dana Reyes: {email: 'dana at acme'}\n",
     "policy.yaml:5:23: managers.Dana Reyes.email: expected an e-mail address like dana.reyes@acme.example, "
     "got 'dana at acme'"),
    ("  Dana Reyes: {email: \"dana@acme.example\\r\\nBcc: all@acme.example\"}\n",
     "policy.yaml:5:23: managers.Dana Reyes.email: expected an e-mail address like dana.reyes@acme.example, "
     "got 'dana@acme.example\\r\\nBcc: all@acme.example'"),
    ("  Dana Reyes: {mail: dana@acme.example}\n",
     "policy.yaml:5:16: managers.Dana Reyes.mail: unknown key 'mail'; did you mean 'email'?"),
])
def test_mistakes_in_managers_are_one_line_each_with_their_place(tmp_path, managers, expected):
    path = write(tmp_path, "accounts:\n  - {handle: acme_support, manager: Dana Reyes}\nmanagers:\n" + managers)
    assert expected.replace("policy.yaml", str(path)) in problems(path)


def test_a_manager_in_both_the_policy_and_the_roster_file_is_a_mistake(tmp_path):
    path = write(tmp_path, "accounts: roster.yaml\nmanagers:\n  Dana Reyes: {email: dana@acme.example}\n",
                 ROSTER + "managers:\n  Dana Reyes: {email: d.reyes@acme.example}\n")
    assert any("manager 'Dana Reyes' is also under managers: in the roster file" in line for line in problems(path))


def test_a_manager_name_on_two_lines_is_refused(tmp_path):
    path = write(tmp_path, 'accounts:\n  - {handle: acme_support, manager: "Dana\\nReyes"}\n')
    assert any("expected a manager's name on one line" in line for line in problems(path))


def test_validate_and_schema_know_managers(tmp_path):
    path = write(tmp_path, "accounts: roster.yaml\n", ROSTER + "managers:\n  Dana Reyes: {email: dana@acme.example}\n")
    path.write_text(path.read_text().replace("rules: []", "rules: [{id: a, type: engagement, severity: low, "
                                                          "min_reply_share: 50%}]"))
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 0 and result.output == f"{path}: ok (1 rule, 2 accounts)\n"
    schema = json.loads(CliRunner().invoke(app, ["schema"]).output)
    assert "managers" in schema["properties"]
