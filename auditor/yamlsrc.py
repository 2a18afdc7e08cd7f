"""Load YAML into plain Python while remembering where every key and value was written.

ruamel.yaml's round-trip loader keeps 0-based positions on each mapping and
sequence (`.lc`); we flatten them into a dict from path to (file, line, col),
1-based, so a validation error can point at the exact spot. Aliases are expanded,
so the node count is bounded: a "billion laughs" document is refused, not expanded.
"""

from __future__ import annotations

import sys

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError, YAMLFutureWarning, YAMLWarning
from ruamel.yaml.scanner import RoundTripScanner, ScannerError

from auditor.errors import PolicyError, PolicyProblem

MAX_BYTES = 1_000_000  # a policy is a few kilobytes; a megabyte is a mistake or an attack
MAX_NODES = 100_000
# Characters of all scalars once aliases are expanded. Without aliases a document holds at most
# MAX_BYTES of them; reusing an anchored list a few times is fine, but `*big` written 100,000
# times after a 400 KB `&big |` block would copy 40 GB (the node count alone did not stop it).
MAX_EXPANDED_CHARS = 4 * MAX_BYTES
MAX_FLOW_DEPTH = 100  # `[[[...`: a policy nests a few levels; see _Scanner

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


class _Scanner(RoundTripScanner):
    """ruamel's round-trip scanner, refusing flow collections (`[`, `{`) nested deeper than MAX_FLOW_DEPTH.

    Its simple-key bookkeeping costs time in proportion to the flow depth for every token, and it
    reads a whole run of `[` ahead before the parser sees the first: 2,000 of them took 15 s to be
    refused, a megabyte of them would never finish (found by tests/fuzz). Refusing early bounds both.
    """

    def fetch_flow_collection_start(self, TokenClass: Any, to_push: str) -> None:
        if len(self.flow_context) >= MAX_FLOW_DEPTH:
            raise ScannerError(None, None, f"[...] or {{...}} nested more than {MAX_FLOW_DEPTH} deep",
                               self.reader.get_mark())
        super().fetch_flow_collection_start(TokenClass, to_push)


class _Constructor(RoundTripConstructor):
    """ruamel's round-trip constructor, keeping an impossible date (`2026-02-30`, `2027-13-01`) as the text
    written: the model then says what is wrong with it at its own line, instead of the whole file failing
    at 1:1."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


class _TooManyNodes(Exception):
    def __init__(self, mark: Any):
        self.mark = mark


class _Composer(Composer):
    """ruamel's composer, stopping at MAX_NODES nodes (not counting keys) while it builds them.

    The same limit is checked again after aliases are expanded; checking it here too stops a
    megabyte of `- 1` lines at 100,000 items instead of building all 250,000 of them (ruamel
    takes ~0.2 ms and ~1 KB a node: 50 s and 300 MB for that file before this check).
    """

    nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if index is not None or parent is None:  # `index is None` under a mapping: a key
            self.nodes += 1
            if self.nodes > MAX_NODES:
                raise _TooManyNodes(self.parser.peek_event().start_mark)
        return super().compose_node(parent, index)


def load_yaml(path: Path, display: str) -> tuple[Any, Positions]:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PolicyError([PolicyProblem(display, 1, 1, "", f"cannot read: {exc.strerror}")]) from None
    if size > MAX_BYTES:
        raise PolicyError([PolicyProblem(display, 1, 1, "", f"file is {size} bytes; a policy may be at most {MAX_BYTES}")])
    try:
        with open(path, "rb") as handle:
            # At most one byte more than allowed, whatever the size said: it is 0 for /dev/zero, a pipe
            # or /proc, and `auditor validate /dev/zero` read until memory ran out (found fuzzing).
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise PolicyError([PolicyProblem(display, 1, 1, "", f"cannot read: {exc.strerror}")]) from None
    if len(raw) > MAX_BYTES:
        raise PolicyError([PolicyProblem(display, 1, 1, "", f"file is more than {MAX_BYTES} bytes; "
                                                            f"a policy may be at most {MAX_BYTES}")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PolicyError([PolicyProblem(display, 1, 1, "", f"not UTF-8 text ({exc.reason})")]) from None
    yaml = YAML(typ="rt")
    yaml.Scanner = _Scanner
    yaml.Composer = _Composer
    yaml.Constructor = _Constructor
    try:
        with warnings.catch_warnings():
            # ruamel warns on stderr, in several lines quoting its own source, about things that are
            # valid YAML (an anchor name used twice: the later one counts). `validate` prints one
            # line per problem and nothing else (found by tests/fuzz).
            warnings.simplefilter("ignore", YAMLWarning)
            warnings.simplefilter("ignore", YAMLFutureWarning)
            document = yaml.load(text)
    except _TooManyNodes as exc:
        line, col = exc.mark.line + 1, exc.mark.column + 1
        problem = PolicyProblem(display, line, col, "", f"document has more than {MAX_NODES} nodes")
        raise PolicyError([problem]) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(part) for part in (exc.problem or exc.context or "invalid YAML",)).strip()
        if "found duplicate key" in str(exc):
            message = "duplicate key " + str(exc).split("duplicate key", 1)[1].split("\n")[0].strip()
        # one_line: the duplicate key is quoted raw, and `"\r": 1` twice broke the line (found by tests/fuzz)
        raise PolicyError([PolicyProblem(display, line, col, "", f"invalid YAML: {one_line(message)}")]) from None
    except (YAMLError, RecursionError, ValueError) as exc:
        raise PolicyError([PolicyProblem(display, 1, 1, "", f"invalid YAML: {_first_line(exc)}")]) from None
    except (AttributeError, IndexError, KeyError, TypeError) as exc:
        # ruamel's constructors crash instead of raising a YAMLError on some malformed input
        # (found by tests/fuzz): an empty tagged scalar (`!!int `, `!!bool `), a scalar tagged
        # `!!omap` or `!!set`, a mapping used as a key (unhashable). All are bad YAML, not our bug.
        raise PolicyError([PolicyProblem(display, 1, 1, "", f"invalid YAML: cannot read this document "
                                                            f"({type(exc).__name__}: {_first_line(exc)})")]) from None
    positions = Positions()
    positions.values[()] = (display, 1, 1)
    budget = [MAX_NODES, MAX_EXPANDED_CHARS]
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
            written = node.lc.data.get(key)
            if written is not None:
                key_line, key_col, value_line, value_col = written[:4]
            else:
                # A key brought in by a merge (`<<: *defaults`) is not written in this mapping, and
                # `.lc.key()` raised KeyError for it (found by tests/fuzz): point at the mapping.
                key_line = value_line = node.lc.line
                key_col = value_col = node.lc.col
            positions.keys[child] = (display, key_line + 1, key_col + 1)
            positions.values[child] = (display, value_line + 1, value_col + 1)
            result[str(key)] = _plain(value, child, positions, display, budget)
        return result
    if isinstance(node, CommentedSeq):
        result_list = []
        for i, value in enumerate(node):
            child = path + (i,)
            # A sequence ruamel built from an unknown tag (`!!python/object/apply:os.system [...]`)
            # has no item positions: point at the sequence.
            line, col = node.lc.item(i) or (node.lc.line or 0, node.lc.col or 0)
            positions.values[child] = (display, line + 1, col + 1)
            result_list.append(_plain(value, child, positions, display, budget))
        return result_list
    if isinstance(node, (str, bytes)):
        budget[1] -= len(node)
        if budget[1] < 0:
            raise PolicyError([PolicyProblem(display, 1, 1, "", f"document expands to more than {MAX_EXPANDED_CHARS} "
                                             "characters (aliases expanded): a policy is a few kilobytes")])
    if isinstance(node, str):
        return str(node)  # ruamel's scalar string subclasses carry style, not meaning
    return node


def _first_line(exc: BaseException) -> str:
    # str() of some exceptions is empty (KeyError('') is "''"), and `"".splitlines()` is []: never index it blindly
    lines = str(exc).splitlines()
    if lines and "integer string conversion" in lines[0]:
        # Python's advice (sys.set_int_max_str_digits) is for programmers, not for a policy's author.
        return f"a number with more than {sys.get_int_max_str_digits()} digits"
    return one_line((lines[0] if lines else type(exc).__name__)[:200])


def one_line(text: str) -> str:
    """Text from a document made safe for a one-line problem: unprintable characters (newlines,
    carriage returns, U+2028...) are shown escaped, as Python writes them, the rest as typed."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def load_yaml_quickly(path: Path) -> Any | None:
    """The document as plain Python from libyaml's C parser, without positions; None when it cannot
    say for sure (no C parser, anchors or aliases, odd scalars, too many nodes, any error).

    A roster of a few thousand accounts took ~5 s through the round-trip loader above and takes a
    tenth of that here. Callers use it only where a valid document needs no positions and fall back
    to `load_yaml` for the messages of an invalid one, so the two must agree on every valid
    document: tests/policy compare them on every YAML file of the project.
    """
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if "&" in text or "*" in text or "!" in text:
        return None  # anchors, aliases and tags: the round-trip loader bounds and reports them
    try:
        yaml = YAML(typ="safe", pure=False)
        if not yaml.Parser.__module__.endswith("_ruamel_yaml"):
            return None  # no C parser here: the pure one is no faster than load_yaml
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            document = yaml.load(text)
    except Exception:  # noqa: BLE001 - any doubt sends the document to load_yaml, which explains it
        return None
    return document if _plain_enough(document, [MAX_NODES]) else None


def _plain_enough(node: Any, budget: list[int]) -> bool:
    """Only the types `load_yaml` gives (no dates or timestamps: it keeps ruamel's own types), within MAX_NODES."""
    budget[0] -= 1
    if budget[0] < 0:
        return False
    if isinstance(node, dict):
        return all(type(key) is str and _plain_enough(value, budget) for key, value in node.items())
    if isinstance(node, list):
        return all(_plain_enough(item, budget) for item in node)
    return node is None or type(node) in (str, int, float, bool)
