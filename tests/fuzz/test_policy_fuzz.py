"""Broken policies: whatever the file holds, `load_policy` returns a policy or raises the project's own error.

Bytes, YAML-ish soup, generated structures mixing the real keys of the format with garbage,
mutations of policies/example.yaml, invalid UTF-8, deep nesting, anchors and aliases; and the
same through `auditor validate`, which must exit 0 or 2 with one line per problem, never a traceback.
"""

from __future__ import annotations

import copy
import io
import json
import warnings
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import strategies as st
from ruamel.yaml import YAML
from typer.testing import CliRunner

from auditor.cli import app
from auditor.errors import AuditorError, PolicyError
from auditor.policy.loader import LoadedPolicy, load_policy
from auditor.policy.schema import policy_schema
from auditor.yamlsrc import MAX_FLOW_DEPTH
from tests.fuzz.support import budget, messy_scalar, messy_text, scratch, watchdog

POLICIES = Path(__file__).parent.parent.parent / "policies"
runner = CliRunner()


def _schema_keys() -> list[str]:
    keys: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "properties" and isinstance(value, dict):
                    keys.update(value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(policy_schema())
    return sorted(keys)


#: Every key of the policy format (derived from its schema, so a new option is fuzzed too).
POLICY_KEYS = _schema_keys()
#: Values the format accepts somewhere, so generated documents get past the first checks.
GOOD_VALUES = (
    "4h", "90m", "1h30m", "PT4H", "2d", "0m", "95%", "0.95", 0.95, 1.5, "150%", "high", "critical", "info", "medium",
    "America/Toronto", "UTC", "Mars/Olympus", "support-hours", "mon", "sun", "09:00-17:00", "17:00-09:00", "25:00-26:00",
    "2026-12-24", date(2026, 12, 24), datetime(2026, 12, 24, 9, 0), "response_time", "follow_through", "tone",
    "disclosure", "escalation", "engagement", "mention", "reply", "dm", "email", "phone", "url", "account", "team",
    "question", "complaint", "brand", "employee", "acme_support", "@Acme_Support", "jdoe", "support", "sales",
    "roster.yaml", "CA", "ON", "XX", "/\\bwhatever\\b/", "/(/", "/(a+)+$/", "ping me", True, False, None, 0, -1, 2, 12,
)
RULE_TYPES = ("response_time", "follow_through", "tone", "disclosure", "escalation", "engagement")

#: Pieces of YAML syntax, glued together at random: tags, anchors, flow and block collections, directives.
SNIPPETS = (
    "name: x\n", "accounts: []\n", "accounts:\n", "rules:\n", "calendars:\n", "timezone: UTC\n", "- ", "  ", "    ",
    ": ", ", ", "&a ", "&b ", "*a", "*b", "<<: *a\n", "<<: [*a, *b]\n", "[", "]", "{", "}", "? ", "!!binary ",
    "!!python/object:os.system ", "!!set ", "!!omap ", "!!pairs ", "!!timestamp ", "!!int ", "!!float ", "!!bool ",
    "!!null ", "!!str ", "!!map ", "!!seq ", "!!merge ", "!foo ", "!<tag:x> ", "2026-10-01", "---\n", "...\n",
    "%YAML 1.2\n", "%YAML 9.9\n", "%TAG ! tag:x,2000:\n", "'", '"', "\\", "\n", "- id: a\n", "  type: response_time\n",
    "  within: 4h\n", "  severity: high\n", "  clock: c\n", "  applies_to: {teams: [x]}\n", "1.5", "null", "~", "true",
    "0x10", "0o17", "1e400", ".inf", ".nan", "|", "|-\n", ">", "#", "\t", "\ufeff", "\x00", "\x85", "\u2028", "é",
    "accounts: roster.yaml\n", "accounts: /etc/passwd\n", "accounts: .\n", "accounts: ../\n", "accounts: \"\"\n",
    "[1,2]: 3\n", "{a: 1}: 2\n", "? [a]\n: b\n", "- handle: x\n", "  team: support\n", "hours: '09:00-17:00'\n",
)


def _scalar():
    return st.one_of(st.sampled_from(GOOD_VALUES), messy_scalar(), st.dates(), st.binary(max_size=8))


_KEYS = st.one_of(st.sampled_from(POLICY_KEYS), messy_text(12), st.integers(-3, 3), st.booleans(), st.none())


def yamlish(max_leaves: int = 25) -> st.SearchStrategy:
    """Nested dicts, lists and scalars whose keys are mostly the format's own."""
    return st.recursive(
        _scalar(),
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(_KEYS, children, max_size=5),
        ),
        max_leaves=max_leaves,
    )


def rule_like() -> st.SearchStrategy[dict]:
    """A rule with a real type and id and a few real or made-up options."""
    return st.fixed_dictionaries(
        {"id": st.sampled_from(["a", "b", "a", "x y", ""]), "type": st.sampled_from(RULE_TYPES),
         "severity": st.sampled_from(["high", "low", "urgent"])},
        optional={key: yamlish(6) for key in ("within", "target", "clock", "applies_to", "checks", "enabled",
                                               "inbound", "responders", "only", "promises", "offer",
                                               "min_reply_share", "max_duplicates", "when_mentioning")},
    )


def policy_like() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {"name": st.one_of(st.just("Fuzzed policy"), _scalar())},
        optional={
            "version": _scalar(),
            "timezone": st.one_of(st.sampled_from(["UTC", "America/Toronto", "Nowhere/City", "", "zone.tab"]), _scalar()),
            "accounts": st.one_of(st.lists(st.fixed_dictionaries({"handle": st.sampled_from(["acme_support", "@JDoe", "jdoe", "", "a b"])},
                                                                 optional={"team": st.sampled_from(["support", "sales"]),
                                                                           "kind": st.sampled_from(["brand", "employee", "robot"])}),
                                           max_size=4),
                                  yamlish(8)),
            "calendars": st.one_of(st.dictionaries(st.sampled_from(["c", "support-hours"]), yamlish(8), max_size=2), yamlish(6)),
            "rules": st.one_of(st.lists(st.one_of(rule_like(), yamlish(8)), max_size=4), yamlish(6)),
            "extra": yamlish(6),
        },
    )


def _example_document() -> dict:
    yaml = YAML(typ="safe", pure=True)
    document = yaml.load((POLICIES / "example.yaml").read_text(encoding="utf-8"))
    document["accounts"] = yaml.load((POLICIES / "roster.yaml").read_text(encoding="utf-8"))["accounts"]
    return document


EXAMPLE = _example_document()


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, prefix + (i,))


@st.composite
def mutated_example(draw) -> dict:
    """policies/example.yaml (roster inlined) with a few keys dropped, values replaced, keys added, items doubled."""
    document = copy.deepcopy(EXAMPLE)
    for _ in range(draw(st.integers(1, 6))):
        paths = [p for p in _paths(document) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = document
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        action = draw(st.sampled_from(["drop", "replace", "add", "double", "wrap"]))
        if action == "drop":
            del parent[last]
        elif action == "replace":
            parent[last] = draw(yamlish(8))
        elif action == "add" and isinstance(parent[last], dict):
            parent[last][draw(_KEYS)] = draw(yamlish(4))
        elif action == "double" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        elif action == "wrap":
            parent[last] = [parent[last]]
    return document


def to_text(document, style: str) -> str:
    if style == "json":
        return json.dumps(document, default=str, ensure_ascii=False)
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = style == "flow"
    yaml.allow_unicode = True
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def load(folder: Path, data: bytes, roster: bytes | None = None) -> LoadedPolicy | AuditorError:
    """Load a policy file holding `data`; the project's own error is returned, anything else propagates."""
    path = folder / "policy.yaml"
    path.write_bytes(data)
    if roster is not None:
        (folder / "roster.yaml").write_bytes(roster)
    # A warning would print several lines (with a line of ruamel's source) next to `validate`'s output.
    with watchdog(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            return load_policy(path)
        except AuditorError as error:
            return error
        finally:
            assert not caught, [str(w.message) for w in caught]


def assert_one_line_problems(error: AuditorError, folder: Path) -> None:
    """Every problem is one line naming a file (the policy, or the roster it names), with a 1-based line and column."""
    lines = error.lines()
    assert lines, "an error without a message"
    if isinstance(error, PolicyError):
        assert error.problems
        for problem in error.problems:
            # `accounts: /etc/passwd` names a roster outside the folder: its problems name that file
            assert Path(problem.file).parent == folder or Path(problem.file).is_absolute(), problem
            assert problem.line >= 1 and problem.col >= 1, problem
            assert problem.message.strip(), problem
    for line in lines:
        assert len(line.splitlines()) == 1, f"a problem printed on several lines: {line!r}"


def check(folder: Path, data: bytes, roster: bytes | None = None) -> None:
    outcome = load(folder, data, roster)
    if isinstance(outcome, AuditorError):
        assert_one_line_problems(outcome, folder)
    else:
        assert isinstance(outcome, LoadedPolicy)


# Inputs that once escaped as AttributeError, IndexError, KeyError or TypeError from ruamel.yaml
# (now PolicyError "invalid YAML: ..."), or took 15 s and more to be refused (flow nesting).
FOUND_BY_FUZZING = [
    b"!!int ",
    b"!!bool ",
    b"!!float true",
    b"!!omap ",
    b"!!set \xc3\xa9",
    b"? - id: a\n? ? - id: a\n? ",
    b"? : true  rules:\n",
    b"? {a: [b, {c: d}]}\n: 1\n",
    b"a: " + b"[" * 2000,
    b"a: " + b"{" * 2000,
    b"a: " + b"[{" * 2000,
]


def test_a_reused_anchor_loads_without_a_warning(tmp_path):
    # YAML lets a later anchor reuse a name; ruamel warned about it on stderr, in several lines (found by fuzzing)
    outcome = load(tmp_path, b'name: &a x\nversion: &a "1"\ncompany: *a\naccounts: []\n')
    assert isinstance(outcome, LoadedPolicy), outcome
    assert (outcome.policy.name, outcome.policy.version, outcome.policy.company) == ("x", "1", "1")


@pytest.mark.parametrize("data", FOUND_BY_FUZZING, ids=lambda d: repr(d[:24]))
def test_found_by_fuzzing_is_a_policy_error(tmp_path, data):
    outcome = load(tmp_path, data)
    assert isinstance(outcome, PolicyError), outcome
    assert outcome.lines()[0].startswith(f"{tmp_path / 'policy.yaml'}:")
    assert "invalid YAML" in outcome.lines()[0]


def test_deep_flow_nesting_is_refused_quickly_at_its_place(tmp_path):
    # A megabyte of "[" used to keep ruamel's scanner busy for hours (quadratic in the depth).
    with watchdog(10):
        outcome = load(tmp_path, b"rules: " + b"[" * 900_000)
    assert isinstance(outcome, PolicyError)
    [line] = outcome.lines()
    assert line == (f"{tmp_path / 'policy.yaml'}:1:{len('rules: ') + MAX_FLOW_DEPTH + 1}: "
                    f"invalid YAML: [...] or {{...}} nested more than {MAX_FLOW_DEPTH} deep")


def test_an_endless_file_is_refused_at_the_size_limit():
    # Its size is 0 (a device; a pipe or /proc are alike): `auditor validate /dev/zero` read until memory ran out.
    with watchdog(10):
        result = runner.invoke(app, ["validate", "/dev/zero"])
    assert result.exit_code == 2, result.output
    assert result.output == "/dev/zero:1:1: file is more than 1000000 bytes; a policy may be at most 1000000\n"


def test_nesting_a_little_below_the_limit_still_loads_as_yaml(tmp_path):
    depth = MAX_FLOW_DEPTH - 1
    outcome = load(tmp_path, b"name: x\naccounts: []\nextra: " + b"[" * depth + b"]" * depth + b"\n")
    assert isinstance(outcome, PolicyError)
    assert [p.message for p in outcome.problems] == [
        "unknown key 'extra'; expected one of: name, version, company, timezone, accounts, managers, calendars, ignore_accounts, rules"]


MERGED = """\
name: Merged
accounts: [{handle: acme_support, team: support}]
rules:
  - &answer
    id: answer
    type: response_time
    severity: high
    within: 4h
  - <<: *answer
    id: answer-fast
    within: 1h
  - <<: [*answer]
    id: answer-slow
    within: 1d
    unknown_option: 1
"""


def test_merge_keys_load_and_errors_inside_them_have_a_position(tmp_path):
    # `<<: *answer` used to raise KeyError from ruamel's position lookup (found by fuzzing).
    outcome = load(tmp_path, MERGED.encode())
    assert isinstance(outcome, PolicyError)
    assert outcome.lines() == [f"{tmp_path / 'policy.yaml'}:15:5: rules[2].unknown_option: unknown key 'unknown_option'; "
                               "expected one of: id, severity, description, applies_to, target, enabled, inbound, "
                               "within, clock, responders, needs_answer, only, complaint_below"]
    fixed = load(tmp_path, MERGED.replace("    unknown_option: 1\n", "").encode())
    assert isinstance(fixed, LoadedPolicy), fixed
    assert [(r.id, r.within.total_seconds(), r.severity) for r in fixed.policy.rules] == [
        ("answer", 4 * 3600, "high"), ("answer-fast", 3600, "high"), ("answer-slow", 86400, "high")]


@pytest.mark.parametrize(("data", "expected"), [
    (b'name: x\naccounts: []\n"\\n": 1\n',
     "3:1: \\n: unknown key '\\n'; expected one of: name, version, company, timezone, accounts, managers, calendars, ignore_accounts, rules"),
    (b'"\\r": 1\n"\\r": 2\n', '2:1: invalid YAML: duplicate key "\\r" with value "2" (original value: "1")'),
    (b'name: x\naccounts: [{handle: a, team: "s\\u2028t"}]\nrules: [{id: a, type: engagement, severity: low, '
     b'applies_to: {teams: [q]}}]\n',
     "3:71: rules[0].applies_to.teams[0]: no account of the roster is in team 'q'; teams: s\\u2028t"),
])
def test_keys_and_names_with_line_breaks_stay_on_one_line(tmp_path, data, expected):
    # Found by fuzzing: a key or a team name holding a line break split its problem over two lines.
    outcome = load(tmp_path, data)
    assert isinstance(outcome, PolicyError)
    assert outcome.lines() == [f"{tmp_path / 'policy.yaml'}:{expected}"]


@budget(60)
@given(st.binary(max_size=300))
@example(b"\xff\xfe")
@example(b"name: \xed\xa0\x80\n")  # a lone surrogate written as UTF-8
@example(b"\xef\xbb\xbfname: x\n")
@example(b"- " * 3000 + b"x")  # block nesting: ruamel recurses, and is stopped by Python's recursion limit
def test_arbitrary_bytes(data):
    with scratch() as folder:
        check(folder, data)


@budget(80)
@given(st.lists(st.sampled_from(SNIPPETS), max_size=40))
@example(["- id: a\n", "<<: *a\n"])
@example(["&a ", "name: x\n", "<<: *a\n"])
def test_yaml_soup(parts):
    with scratch() as folder:
        check(folder, "".join(parts).encode("utf-8", "surrogatepass"))


@budget(40, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(yamlish(), policy_like()), st.sampled_from(["block", "flow", "json"]))
@example({"\n": None}, "block")
@example({"name": "x", "accounts": [{"handle": "a", "\r\n": 1}]}, "flow")
def test_generated_structures(document, style):
    with scratch() as folder:
        check(folder, to_text(document, style).encode("utf-8", "surrogatepass"))


@budget(20, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_example(), st.sampled_from(["block", "flow", "json"]))
def test_mutations_of_the_example_policy(document, style):
    with scratch() as folder:
        check(folder, to_text(document, style).encode("utf-8", "surrogatepass"))


@budget(30, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=100), yamlish().map(lambda d: to_text(d, "block").encode()),
                 st.lists(st.sampled_from(SNIPPETS), max_size=20).map(lambda p: "".join(p).encode())))
@example(b"accounts:\n  - handle: acme_support\n    <<: {team: support}\n")
def test_a_roster_file_holding_anything(roster):
    policy = b"name: x\naccounts: roster.yaml\nrules: [{id: a, type: response_time, severity: high, within: 4h}]\n"
    with scratch() as folder:
        check(folder, policy, roster)


@budget(30)
@given(st.integers(0, 2_000), st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf"]))
def test_invalid_utf8_anywhere_in_a_valid_policy(position, bad):
    text = (POLICIES / "example.yaml").read_bytes()
    position %= len(text)
    data = text[:position] + bad + text[position:]
    with scratch() as folder:
        outcome = load(folder, data)
    assert isinstance(outcome, PolicyError)
    assert [p.message.split(" (")[0] for p in outcome.problems] == ["not UTF-8 text"]


@st.composite
def aliased(draw) -> str:
    """A policy whose nodes are anchored and reused: merges, aliases of scalars, lists and mappings, laughs."""
    width = draw(st.integers(1, 12))
    depth = draw(st.integers(0, 6))
    lines = ["name: x", "accounts: &accounts [{handle: acme_support, team: support}]", f"laugh0: &l0 [{', '.join(['x'] * width)}]"]
    for level in range(1, depth + 1):
        lines.append(f"laugh{level}: &l{level} [{', '.join([f'*l{level - 1}'] * width)}]")
    lines.append("defaults: &defaults {type: response_time, severity: high, within: &w 4h}")
    lines.append("rules:")
    for i in range(draw(st.integers(0, 4))):
        body = draw(st.sampled_from([
            "<<: *defaults", "<<: [*defaults, {severity: low}]", "<<: *accounts", "<<: *w", "type: *w",
            f"applies_to: {{accounts: *l{depth}}}", "within: *w", "applies_to: *defaults", "<<: *l0",
        ]))
        lines.append(f"  - {{id: r{i}, {body}}}")
    lines.append(draw(st.sampled_from(["", "tail: *accounts", "tail: *undefined", "accounts: *w", f"extra: *l{depth}"])))
    return "\n".join(lines) + "\n"


@budget(25)
@given(aliased())
def test_anchors_and_aliases(text):
    with scratch() as folder:
        check(folder, text.encode())


# -- through the CLI -----------------------------------------------------------------------------

def validate(folder: Path, data: bytes):
    path = folder / "policy.yaml"
    path.write_bytes(data)
    with watchdog():
        return runner.invoke(app, ["validate", str(path)]), path


@budget(20, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.binary(max_size=200),
    st.lists(st.sampled_from(SNIPPETS), max_size=30).map(lambda p: "".join(p).encode()),
    policy_like().map(lambda d: to_text(d, "block").encode()),
    mutated_example().map(lambda d: to_text(d, "flow").encode()),
))
@example(FOUND_BY_FUZZING[0])
@example(MERGED.encode())
@example(b":\nrules:\n- applies_to:\n    :\n    accounts: 9")  # TypeError from the roster checks, exit 3 (found by fuzzing)
@example(b"name: x\naccounts: []\nrules: [{id: a, type: tone, severity: low, applies_to: {teams: 5, accounts: support}}]\n")
def test_validate_never_prints_a_traceback(data):
    with scratch() as folder:
        result, path = validate(folder, data)
    assert result.exit_code in (0, 2), (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    assert lines, "validate printed nothing"
    if result.exit_code == 0:
        assert len(lines) == 1 and lines[0].startswith(f"{path}: ok ("), result.output
    else:
        assert all(line.startswith("/") and ":" in line for line in lines), result.output
