"""The quick C-parser path for rosters must read every valid document exactly as the positioned loader does."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.errors import PolicyError
from auditor.policy.loader import load_policy
from auditor.yamlsrc import load_yaml, load_yaml_quickly

ROOT = Path(__file__).resolve().parents[2]
YAML_FILES = sorted(
    p for folder in ("policies", "tests", "docs", "benchmarks") for p in (ROOT / folder).rglob("*.yaml")
    if "data" not in p.relative_to(ROOT).parts
)


def test_the_c_parser_is_installed():
    # ruamel.yaml.clib is a dependency: without it rosters load ten times slower, silently.
    assert load_yaml_quickly(ROOT / "policies" / "roster.yaml") is not None


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_quick_and_positioned_loaders_agree(path):
    quick = load_yaml_quickly(path)
    if quick is None:
        return  # the quick path declined: load_yaml alone reads this file
    data, _ = load_yaml(path, str(path))
    assert quick == data
    assert repr(quick) == repr(data)  # the same types too (1 is not 1.0 or True)


@pytest.mark.parametrize("text", [
    "- handle: a\n  x: &anchor 1\n- handle: b\n  x: *anchor\n",  # aliases: load_yaml bounds them
    "- handle: a\n  since: 2026-01-01\n",  # a date: load_yaml keeps ruamel's own type
    "- !!python/object:os.system {}\n",  # tags
    "- handle: a\n  handle: b\n",  # a duplicate key
    "- [" * 50,  # broken
])
def test_quick_path_declines_what_it_cannot_vouch_for(tmp_path, text):
    path = tmp_path / "roster.yaml"
    path.write_text(text)
    assert load_yaml_quickly(path) is None


def test_a_big_roster_with_a_mistake_is_still_placed_by_line(tmp_path):
    lines = [f"- handle: agent{n}\n  kind: employee\n  team: support\n" for n in range(3000)]
    lines[2500] = "- handle: agent 2500\n  kind: employee\n  team: support\n"
    (tmp_path / "roster.yaml").write_text("".join(lines))
    (tmp_path / "policy.yaml").write_text("name: Acme\ntimezone: UTC\naccounts: roster.yaml\nrules: []\n")
    with pytest.raises(PolicyError) as caught:
        load_policy(tmp_path / "policy.yaml")
    [problem] = caught.value.problems
    assert (Path(problem.file).name, problem.line, problem.path) == ("roster.yaml", 7501, "accounts[2500].handle")
