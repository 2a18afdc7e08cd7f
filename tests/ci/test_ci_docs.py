"""docs/ci.md and docs/examples/: every `auditor` command the recipes run exists, with those options."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from auditor.cli import app
from auditor.types import SEVERITIES
from auditor.render import FORMATS
from tests.ci.scenario import write_events

DOCS = Path(__file__).parent.parent.parent / "docs"
WORKFLOWS = sorted((DOCS / "examples").glob("*.yml"))
runner = CliRunner()


def help_text(*command: str) -> str:
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def auditor_commands(script: str) -> list[list[str]]:
    """The argument lists of every `auditor ...` (or `.venv/bin/auditor ...`) a shell script runs."""
    script = re.sub(r"\\\n\s*", " ", script)  # join continued lines
    commands = []
    for line in script.splitlines():
        line = line.split(" #", 1)[0].strip()
        if line.startswith("#"):
            continue
        for part in re.split(r"&&|\|\||;|\|(?!\|)", line):
            words = shlex.split(part.replace("$(", "(").replace("${{", "{{"), posix=True)
            if words and (words[0] == "auditor" or words[0].endswith("/auditor")):
                redirect = next((i for i, w in enumerate(words) if re.match(r"\d?[<>]", w)), len(words))
                commands.append(words[1:redirect])
    return commands


def workflow_scripts(path: Path) -> list[str]:
    document = YAML(typ="safe").load(path.read_text())
    return [step["run"] for job in document["jobs"].values() for step in job["steps"] if "run" in step]


def doc_scripts() -> list[str]:
    text = (DOCS / "ci.md").read_text()
    return [body for lang, body in re.findall(r"```(\w*)\n(.*?)```", text, re.S) if lang in ("sh", "crontab")]


def all_commands() -> list[tuple[str, list[str]]]:
    found = [(path.name, words) for path in WORKFLOWS for script in workflow_scripts(path)
             for words in auditor_commands(script)]
    found += [("ci.md", words) for script in doc_scripts() for words in auditor_commands(script)]
    return found


def test_the_recipes_run_the_commands_the_brief_asks_for():
    runs = [(where, words[0]) for where, words in all_commands()]
    for where in ("audit.yml", "ci.md"):
        assert {"fetch", "audit"} <= {command for place, command in runs if place == where}, where
    assert len(WORKFLOWS) >= 1 and (DOCS / "examples" / "audit.yml") in WORKFLOWS


@pytest.mark.parametrize(("where", "words"), all_commands(), ids=lambda v: v if isinstance(v, str) else " ".join(v[:1]))
def test_every_command_and_option_exists_in_auditor_help(where, words):
    command, *args = words
    assert re.search(rf"^\W*{command}\s", help_text(), re.M), f"{where}: auditor {command} is not in auditor --help"
    options = help_text(command)
    for arg in args:
        if arg.startswith("--"):
            option = arg.split("=", 1)[0]
            assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", options), \
                f"{where}: auditor {command} has no option {option}"
    values = dict(zip(args, args[1:]))
    if "--format" in values:
        assert set(values["--format"].split(",")) <= set(FORMATS), f"{where}: unknown format in {values['--format']}"
    if "--fail-on" in values:
        assert values["--fail-on"] in SEVERITIES


def test_the_workflow_in_ci_md_is_the_example_file():
    assert (DOCS / "examples" / "audit.yml").read_text() in (DOCS / "ci.md").read_text()


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_the_workflows_are_valid_github_actions_yaml(path):
    document = YAML(typ="safe").load(path.read_text())
    assert document["name"] and document["jobs"]
    assert "on" in document or True in document  # YAML 1.1 readers turn the key `on` into True
    for job in document["jobs"].values():
        assert job["runs-on"] and job["steps"]
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step


def test_the_monthly_audit_fails_on_high_keeps_json_splits_by_manager_and_mails():
    [audit] = [words for where, words in all_commands() if where == "audit.yml" and words[0] == "audit"]
    values = dict(zip(audit, audit[1:]))
    document = YAML(typ="safe").load((DOCS / "examples" / "audit.yml").read_text())
    assert values["--period"] == "$PERIOD" and document["env"]["PERIOD"] == "last-month"
    assert values["--fail-on"] == "high" and values["--split"] == "manager" and "--mail" in audit
    assert {"json", "pdf"} <= set(values["--format"].split(","))
    text = (DOCS / "examples" / "audit.yml").read_text()
    assert "reports/report.json" in text and "reports/*.pdf" in text


def test_no_recipe_installs_the_auditor_from_a_package_index():
    for path in [*WORKFLOWS, DOCS / "ci.md"]:
        text = path.read_text()
        assert "auditor==" not in text and "pip install auditor" not in text, path.name


def test_the_audit_command_of_the_workflow_runs(tmp_path):
    """The workflow's audit line, with the example policy and a small timeline in place of the store."""
    [audit] = [words for where, words in all_commands() if where == "audit.yml" and words[0] == "audit"]
    values = dict(zip(audit, audit[1:]))
    data = write_events(tmp_path / "events.jsonl")
    args = [{"$POLICY": str(DOCS.parent / "policies" / "example.yaml"), "$STORE": str(data),
             "reports": str(tmp_path / "reports"), "$COMPLIANCE_EMAIL": "compliance@acme.example"}.get(word, word)
            for word in audit]
    args[args.index("--period") + 1] = "2026-10"  # the month the timeline covers
    args += ["--dry-run"]  # the mail as .eml files (tests/ci/test_recipes.py sends it through a real server)
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    assert ("fail-on high:" in result.stderr.splitlines()[-1]), result.stderr
    written = sorted(p.name for p in (tmp_path / "reports").iterdir())
    machine = [f"report{FORMATS[f][1]}" for f in values["--format"].split(",") if f not in ("pdf", "html")]
    assert set(machine) | {"overview.json", "overview.pdf", "overview.csv", "outbox"} <= set(written)
