"""Load YAML into plain Python while remembering where every key and value was written.

ruamel.yaml's round-trip loader keeps 0-based positions on each mapping and
sequence (`.lc`); we flatten them into a dict from path to (file, line, col),
1-based, so a validation error can point at the exact spot. Aliases are expanded,
so the node count is bounded: a "billion laughs" document is refused, not expanded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from auditor.errors import PolicyError, PolicyProblem

MAX_BYTES = 1_000_000  # a policy is a few kilobytes; a megabyte is a mistake or an attack
MAX_NODES = 100_000

Path_ = tuple[str | int, ...]


@dataclass
class Positions:
    """Where each path of a document was written: values, and the keys that hold them."""

    values: dict[Path_, tuple[str, int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[str, int, int]] = field(default_factory=dict)

    def of_value(self, path: Path_) -> tuple[str, int, int]:
        # The nearest written ancestor when the exact path has no position (a missing key).
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, next(iter(self.values.values()), ("?", 1, 1)))

    def of_key(self, path: Path_) -> tuple[str, int, int]:
        return self.keys.get(path) or self.of_value(path)

    def graft(self, at: Path_, other: "Positions") -> None:
        """Take another file's positions under a path (a roster file named by the policy)."""
        for path, where in other.values.items():
            self.values[at + path] = where
        for path, where in other.keys.items():
            self.keys[at + path] = where


def load_yaml(path: Path, display: str) -> tuple[Any, Positions]:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PolicyError([PolicyProblem(display, 1, 1, "", f"cannot read: {exc.strerror}")]) from None
    if size > MAX_BYTES:
        raise PolicyError([PolicyProblem(display, 1, 1, "", f"file is {size} bytes; a policy may be at most {MAX_BYTES}")])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PolicyError([PolicyProblem(display, 1, 1, "", f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise PolicyError([PolicyProblem(display, 1, 1, "", f"cannot read: {exc.strerror}")]) from None
    yaml = YAML(typ="rt")
    try:
        document = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(part) for part in (exc.problem or exc.context or "invalid YAML",)).strip()
        if "found duplicate key" in str(exc):
            message = "duplicate key " + str(exc).split("duplicate key", 1)[1].split("\n")[0].strip()
        raise PolicyError([PolicyProblem(display, line, col, "", f"invalid YAML: {message}")]) from None
    except (YAMLError, RecursionError, ValueError) as exc:
        raise PolicyError([PolicyProblem(display, 1, 1, "", f"invalid YAML: {str(exc).splitlines()[0][:200]}")]) from None
    positions = Positions()
    positions.values[()] = (display, 1, 1)
    budget = [MAX_NODES]
    try:
        data = _plain(document, (), positions, display, budget)
    except RecursionError:
        raise PolicyError([PolicyProblem(display, 1, 1, "", "document is nested too deeply")]) from None
    return data, positions


def _plain(node: Any, path: Path_, positions: Positions, display: str, budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise PolicyError([PolicyProblem(display, 1, 1, "", f"document has more than {MAX_NODES} nodes (aliases expanded)")])
    if isinstance(node, CommentedMap):
        result = {}
        for key, value in node.items():
            child = path + (str(key),)
            key_line, key_col = node.lc.key(key)
            value_line, value_col = node.lc.value(key)
            positions.keys[child] = (display, key_line + 1, key_col + 1)
            positions.values[child] = (display, value_line + 1, value_col + 1)
            result[str(key)] = _plain(value, child, positions, display, budget)
        return result
    if isinstance(node, CommentedSeq):
        result_list = []
        for i, value in enumerate(node):
            child = path + (i,)
            line, col = node.lc.item(i)
            positions.values[child] = (display, line + 1, col + 1)
            result_list.append(_plain(value, child, positions, display, budget))
        return result_list
    if isinstance(node, str):
        return str(node)  # ruamel's scalar string subclasses carry style, not meaning
    return node
