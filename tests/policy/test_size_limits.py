"""Huge and hostile policies: `auditor validate` refuses them with one line, exit 2, quickly.

Each runs `python -m auditor validate` in a child process, as a user would, with a generous
timeout as the only time guard and an address-space limit, so that a regression fails the test
(MemoryError) instead of taking the machine's memory.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

from auditor.yamlsrc import MAX_BYTES, MAX_EXPANDED_CHARS, MAX_NODES

ROOT = Path(__file__).resolve().parents[2]
HEAD = 'name: P\nversion: "1"\ntimezone: UTC\n'
MEMORY_LIMIT = 3 << 30  # bytes of address space for the child: far above what validating needs
HEAVY = os.environ.get("AUDITOR_FUZZ", "").strip() not in ("", "0")  # as tests/conftest.py reads it


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def validate(*paths: Path) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "auditor", "validate", *map(str, paths)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, preexec_fn=limit_memory)
    assert "Traceback" not in done.stdout + done.stderr
    return done


def test_a_50_mb_policy_is_refused_without_being_read(tmp_path):
    path = tmp_path / "huge.yaml"
    rule = "  - id: r\n    type: tone\n    severity: low\n    checks: {profanity: true}\n"
    with path.open("w") as handle:
        handle.write(HEAD + "accounts: [{handle: acme}]\nrules:\n")
        for _ in range(50_000_000 // (len(rule) * 1000) + 1):
            handle.write(rule * 1000)
    size = path.stat().st_size
    assert size > 50_000_000
    done = validate(path)
    assert done.returncode == 2
    assert done.stdout == f"{path}:1:1: file is {size} bytes; a policy may be at most {MAX_BYTES}\n"


def test_a_huge_roster_named_by_the_policy_is_refused_the_same_way(tmp_path):
    (tmp_path / "roster.yaml").write_text("".join(f"- {{handle: user{i}, kind: employee}}\n" for i in range(40_000)))
    size = (tmp_path / "roster.yaml").stat().st_size
    assert size > MAX_BYTES
    (tmp_path / "p.yaml").write_text(HEAD + "accounts: roster.yaml\nrules: []\n")
    done = validate(tmp_path / "p.yaml")
    assert done.returncode == 2
    assert done.stdout == f"{tmp_path / 'roster.yaml'}:1:1: file is {size} bytes; a policy may be at most {MAX_BYTES}\n"


def test_billion_laughs_is_refused_once_aliases_pass_the_node_limit(tmp_path):
    # Nine levels of nine aliases: 9**9 (387 million) "lol"s from 700 bytes.
    lines = [HEAD.rstrip("\n"), "accounts: [{handle: acme}]", "rules:", "  - id: t", "    type: tone",
             "    severity: low", '    description: &l0 "lol"', "    checks:", "      banned:"]
    lines += [f"        - &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n")
    assert path.stat().st_size < 1000
    done = validate(path)
    assert done.returncode == 2
    assert done.stdout == f"{path}:1:1: document has more than {MAX_NODES} nodes (aliases expanded)\n"


def test_aliases_of_one_long_text_are_refused_before_they_are_copied(tmp_path):
    # 10,000 aliases of a 900 KB text are 9 GB once expanded, in fewer nodes than the node limit:
    # this took all the memory there was before the expanded size was bounded.
    block = "      " + "x" * 900_000
    lines = [HEAD.rstrip("\n"), "accounts: [{handle: acme}]", "rules:", "  - id: t", "    type: tone",
             "    severity: low", "    description: &s |", block, "    checks:",
             "      banned: [" + ", ".join(["*s"] * 10_000) + "]"]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    assert path.stat().st_size < MAX_BYTES
    done = validate(path)
    assert done.returncode == 2, done.stderr
    assert done.stdout == (f"{path}:1:1: document expands to more than {MAX_EXPANDED_CHARS} characters (aliases "
                           "expanded): a policy is a few kilobytes\n")


def test_deeply_nested_flow_collections_are_refused_quickly(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text(HEAD + "accounts: " + "[" * 100_000 + "]" * 100_000 + "\nrules: []\n")
    done = validate(path)
    assert done.returncode == 2
    assert done.stdout == f"{path}:4:111: invalid YAML: [...] or {{...}} nested more than 100 deep\n"


def test_a_python_object_tag_is_a_policy_error_not_a_crash(tmp_path):
    path = tmp_path / "tag.yaml"
    path.write_text(HEAD.replace('"1"', '!!python/object/apply:os.system ["echo owned"]')
                    + "accounts: [{handle: acme}]\nrules: []\n")
    done = validate(path)
    assert done.returncode == 2, done.stderr  # was exit 3, "internal error: TypeError"
    assert done.stdout == f"{path}:2:10: version: expected a valid string\n"


NODES_CHILD = """
import json, resource, sys
from pathlib import Path
from auditor.errors import PolicyError
from auditor import yamlsrc

yamlsrc.MAX_NODES = int(sys.argv[2])
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    yamlsrc.load_yaml(Path(sys.argv[1]), "p.yaml")
except PolicyError as error:
    lines = error.lines()
growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - baseline) / 1000
print(json.dumps({"lines": lines, "growth_mb": growth}))
"""


def test_a_megabyte_of_tiny_nodes_is_refused_while_it_is_read(tmp_path):
    # 240,000 one-character items in 0.96 MB: ruamel builds each at ~0.2 ms and ~1 KB, so the limit
    # is checked while it builds them (50 s and 300 MB for this file when checked only after).
    # The normal run lowers the limit to keep to a second; AUDITOR_FUZZ=1 uses the real one.
    limit = MAX_NODES if HEAVY else 5_000
    path = tmp_path / "many.yaml"
    path.write_text("x:\n" + "- 1\n" * 240_000)
    done = subprocess.run([sys.executable, "-c", NODES_CHILD, str(path), str(limit)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, preexec_fn=limit_memory)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    # The root mapping and the list are two nodes: the item that crosses the limit is on line limit.
    assert result["lines"] == [f"p.yaml:{limit}:3: document has more than {limit} nodes"]
    assert result["growth_mb"] < 150 * limit / MAX_NODES + 20, result["growth_mb"]
