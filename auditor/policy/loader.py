"""Policy file -> validated `Policy`, or every problem found, each with file:line:col and its path.

Validation is pydantic's; this module resolves the roster file, maps pydantic's
error locations back to YAML positions, words the messages for HR, and adds the
checks that need the whole policy (unique ids, calendars and teams that exist).
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from auditor.networks import normalize_handle
from auditor.errors import PolicyError, PolicyProblem
from auditor.policy.model import Policy
from auditor.policy.problems import problem, pydantic_problems
from auditor.yamlsrc import Positions, load_yaml, load_yaml_quickly, one_line


@dataclass(frozen=True)
class LoadedPolicy:
    policy: Policy
    path: Path
    display_path: str
    # Hash of the policy file and the roster file it names, so a report pins exactly what was checked.
    sha256: str

    def checks_nothing(self, shown: Path | str) -> str | None:
        """Why an audit with this policy would check nothing (no rule enabled), named as `shown`; None when a rule is.
        `validate` and `audit` refuse such a policy: a CI job must not go green on a policy that checks nothing."""
        if any(rule.enabled for rule in self.policy.rules):
            return None
        return (f"{shown}: no rule is enabled (rules is empty, or every rule says enabled: false): an audit with it "
                "would check nothing")


def load_policy(path: Path | str, *, allow_outside: bool = False) -> LoadedPolicy:
    """The policy and its roster. A roster file outside the policy's folder (after symlinks) is
    refused unless `allow_outside`: `accounts: /etc/passwd` must not read, nor echo, any file."""
    try:
        return _load_policy(Path(path), quick_roster=True, allow_outside=allow_outside)
    except PolicyError:
        # A roster read quickly has no positions: read it again, slowly, to place every problem.
        return _load_policy(Path(path), quick_roster=False, allow_outside=allow_outside)


def _as_written(path: Path, where: tuple[str, int, int], value: int | float) -> str:
    """A number's text as the file writes it: `version: 2026.10` unquoted is the YAML float 2026.1, and HR means the
    October version, not January's."""
    _, line, column = where
    try:
        written = path.read_text(encoding="utf-8-sig").splitlines()[line - 1][column - 1:]
    except (OSError, UnicodeError, IndexError):
        return str(value)
    token = written.split("#", 1)[0].split(",", 1)[0].strip().rstrip("}] ")
    return token if token and token[0] in "+-.0123456789" else str(value)


def _load_policy(path: Path, quick_roster: bool, allow_outside: bool = False) -> LoadedPolicy:
    display = str(path)
    data, positions = load_yaml(path, display)
    digest = hashlib.sha256(path.read_bytes())
    if not isinstance(data, dict):
        raise PolicyError([PolicyProblem(display, 1, 1, "", "a policy is a mapping with name, timezone, accounts and rules")])
    problems: list[PolicyProblem] = []
    version = data.get("version")
    if isinstance(version, (int, float)) and not isinstance(version, bool):
        data = {**data, "version": _as_written(path, positions.of_value(("version",)), version)}
    roster = data.get("accounts")
    if isinstance(roster, str):
        roster_data, managers = _load_roster(path, roster, positions, problems, digest, quick_roster, allow_outside)
        data = {k: v for k, v in data.items() if k != "accounts"}
        data["accounts"] = [] if roster_data is None else roster_data
        if managers is not None:
            data = _with_roster_managers(data, managers, positions, problems)
    problems.extend(_whole_policy_problems(data, positions))
    problems.extend(_pattern_budget_problems(data, positions))
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, data, positions))
    if problems:
        raise PolicyError(_sorted(problems))
    return LoadedPolicy(policy, path, display, digest.hexdigest())


def _load_roster(policy_path: Path, name: str, positions: Positions, problems: list, digest,
                 quick: bool = False, allow_outside: bool = False) -> tuple[list | None, Any]:
    """The roster file's accounts, and its `managers:` map when it has one (None when it has not)."""
    roster_path = policy_path.parent / name
    file, line, col = positions.of_value(("accounts",))
    shown = name if len(name) <= 80 else name[:77] + "..."
    try:
        found = roster_path.is_file()
        outside = found and not roster_path.resolve().is_relative_to(policy_path.parent.resolve())
    except (OSError, ValueError, RuntimeError) as exc:  # a name too long for the file system, a NUL, a link loop
        reason = getattr(exc, "strerror", None) or "not a usable file name"
        problems.append(PolicyProblem(file, line, col, "accounts", f"roster file {shown!r} cannot be read: {reason}"))
        return None, None
    if not found:
        what = "is a folder, not a file" if roster_path.is_dir() else "not found next to the policy"
        problems.append(PolicyProblem(file, line, col, "accounts", f"roster file {shown!r} {what}"))
        return None, None
    if outside and not allow_outside:
        problems.append(PolicyProblem(file, line, col, "accounts", f"roster file {shown!r} is outside the policy's "
                                      "folder: refused (pass --allow-outside to read it)"))
        return None, None
    # A roster of thousands of accounts is where the round-trip loader's time goes.
    roster = load_yaml_quickly(roster_path) if quick else None
    roster_positions = Positions()
    try:
        if roster is None:
            roster, roster_positions = load_yaml(roster_path, str(roster_path))
    except PolicyError as exc:
        problems.extend(exc.problems)
        return None, None
    digest.update(b"\0" + roster_path.read_bytes())
    managers = None
    if isinstance(roster, dict) and "accounts" in roster and set(roster) <= {"accounts", "managers"}:
        if "managers" in roster:
            managers = roster["managers"]
            positions.graft(("managers",), _strip(roster_positions, "managers"))
        roster = roster["accounts"]
        roster_positions = _strip(roster_positions, "accounts")
    if not isinstance(roster, list):
        problems.append(PolicyProblem(str(roster_path), 1, 1, "", "a roster is a list of accounts (or a mapping "
                                      "with the key accounts, and managers beside it)"))
        return None, managers
    positions.graft(("accounts",), roster_positions)
    return roster, managers


def _with_roster_managers(data: dict, managers: Any, positions: Positions, problems: list) -> dict:
    """The roster file's `managers:` joined to the policy's; a name in both is a mistake (which to believe?)."""
    own = data.get("managers")
    if own is None:
        return {**data, "managers": managers}
    if isinstance(own, dict) and isinstance(managers, dict):
        for name in own:
            if name in managers:
                problems.append(problem(positions.of_key(("managers", name)), ("managers", name),
                                         f"manager {str(name)[:60]!r} is also under managers: in the roster file"))
        return {**data, "managers": {**managers, **own}}
    return data  # one of them is not a mapping: pydantic says so about the policy's own


def _strip(positions: Positions, key: str) -> Positions:
    stripped = Positions()
    stripped.values = {p[1:]: w for p, w in positions.values.items() if p[:1] == (key,)}
    stripped.keys = {p[1:]: w for p, w in positions.keys.items() if p[:1] == (key,)}
    return stripped


def _sorted(problems: list[PolicyProblem]) -> list[PolicyProblem]:
    # One problem, one line: keys and team names from the document may hold newlines, which split
    # a problem over two lines (`"\n": 1`, `team: "a\nb"`; found by tests/fuzz). Escape them.
    problems = [PolicyProblem(p.file, p.line, p.col, one_line(p.path), one_line(p.message)) for p in problems]
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.file, p.line, p.col, p.message))


# What all the /regex/ entries of one policy may compile to, together. One entry may be 3,000
# instructions (MAX_PROGRAM: ~5 s on a hostile 100,000-character post when RE2's DFA gives up), and
# every entry runs on every post: ten such entries took 36 s on three long posts. Together they may
# cost what two of the largest cost; ordinary patterns are 20 to 200 instructions, so hundreds fit.
MAX_POLICY_PROGRAM = 6_000
MAX_POLICY_PATTERNS = 200  # /regex/ entries in one policy, whatever their size


def _pattern_budget_problems(data: dict, positions: Positions) -> list[PolicyProblem]:
    """The policy's /regex/ entries, together, within the budget; the entry that crosses it is named.
    A bad entry is left to its rule's own check, which says what is wrong with it."""
    from auditor.text.patterns import compile_regex, is_regex

    total = count = 0
    for path, entry in _list_strings(data.get("rules"), ("rules",)):
        if not is_regex(entry):
            continue
        try:
            size = compile_regex(entry).programsize
        except ValueError:
            continue
        total += size
        count += 1
        if count > MAX_POLICY_PATTERNS or total > MAX_POLICY_PROGRAM:
            what = (f"more than {MAX_POLICY_PATTERNS} regular expressions in one policy" if count > MAX_POLICY_PATTERNS
                    else f"the policy's regular expressions compile to more than {MAX_POLICY_PROGRAM} RE2 "
                         "instructions together")
            return [problem(positions.of_value(path), path, f"{what}: each runs on every post; "
                             "use plain phrases or fewer, smaller patterns")]
    return []


def _list_strings(value: Any, path: tuple):
    """(path, text) of every string in a list anywhere under `value`: where patterns are written."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _list_strings(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str):
                yield path + (i,), item
            else:
                yield from _list_strings(item, path + (i,))


def _whole_policy_problems(data: dict, positions: Positions) -> list[PolicyProblem]:
    """Checks that need the whole policy, each a likely typo that would otherwise audit nothing.

    They read the raw document, not the model, so they run (and report) even when
    another part of the policy is invalid.
    """
    problems = []
    accounts = data.get("accounts") if isinstance(data.get("accounts"), list) else []
    handles: dict[str, int] = {}
    dids: dict[str, int] = {}
    teams = set()
    for i, account in enumerate(accounts):
        if not isinstance(account, dict):
            continue
        if isinstance(account.get("team"), str):
            teams.add(account["team"])
        if isinstance(account.get("did"), str):
            did = account["did"].strip().lower()
            if did in dids:  # a repository export would belong to both
                problems.append(problem(positions.of_value(("accounts", i, "did")), ("accounts", i, "did"),
                                        f"duplicate did {did[:60]!r} (also accounts[{dids[did]}])"))
            dids.setdefault(did, i)
        if not isinstance(account.get("handle"), str):
            continue
        handle = normalize_handle(account["handle"])
        if handle in handles:
            problems.append(problem(positions.of_value(("accounts", i, "handle")), ("accounts", i, "handle"),
                                     f"duplicate account {handle!r} (also accounts[{handles[handle]}])"))
        handles.setdefault(handle, i)
    problems.extend(_manager_problems(data, accounts, positions))
    calendars = data.get("calendars") if isinstance(data.get("calendars"), dict) else {}
    rules = data.get("rules") if isinstance(data.get("rules"), list) else []
    rule_ids: dict[str, int] = {}
    for i, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        base = ("rules", i)
        rule_id = rule.get("id")
        if isinstance(rule_id, str):
            if rule_id in rule_ids:
                problems.append(problem(positions.of_value(base + ("id",)), base + ("id",),
                                         f"duplicate rule id {rule_id!r} (also rules[{rule_ids[rule_id]}])"))
            rule_ids.setdefault(rule_id, i)
        clock = rule.get("clock")
        if isinstance(clock, str) and clock not in calendars:
            known = ", ".join(calendars) or "none defined under calendars:"
            problems.append(problem(positions.of_value(base + ("clock",)), base + ("clock",),
                                     f"unknown calendar {clock!r}; known: {known}"))
        selector = rule.get("applies_to")
        if not isinstance(selector, dict):
            continue
        # Only lists are walked here: `accounts: 9` is pydantic's to report, and enumerate(9)
        # raised TypeError, an internal error for a typo (found by tests/fuzz).
        before = len(problems)
        for j, team in enumerate(_list(selector.get("teams"))):
            if isinstance(team, str) and team not in teams:
                where = base + ("applies_to", "teams", j)
                problems.append(problem(positions.of_value(where), where,
                                         f"no account of the roster is in team {team!r}; teams: {', '.join(sorted(teams)) or 'none'}"))
        for j, handle in enumerate(_list(selector.get("accounts"))):
            if isinstance(handle, str) and normalize_handle(handle) not in handles:
                where = base + ("applies_to", "accounts", j)
                problems.append(problem(positions.of_value(where), where, f"account {handle!r} is not in the roster"))
        keys = sum(selector.get(key) is not None for key in ("teams", "kinds", "accounts"))
        if len(problems) == before and keys > 1 and accounts and not _any_selected(accounts, selector):
            # Each key names something on the roster, but no account has them all ("and" between keys):
            # the rule would audit nobody and say only "no data". One key alone is checked above (teams,
            # accounts), or may match nobody on this roster (a shared policy's `kinds: [employee]` over a
            # roster of brands: "no data" says so).
            where = base + ("applies_to",)
            problems.append(problem(positions.of_value(where), where,
                                     "no account of the roster has all of these (a rule audits the accounts that "
                                     "match every key)"))
    return problems


def _any_selected(accounts: list, selector: dict) -> bool:
    """Whether some roster account matches every key of `applies_to`, as `roster.accounts_for` chooses."""
    teams, kinds, handles = (selector.get(key) for key in ("teams", "kinds", "accounts"))
    if not all(value is None or isinstance(value, list) for value in (teams, kinds, handles)):
        return True  # a malformed key is pydantic's to report
    wanted = {normalize_handle(h) for h in handles if isinstance(h, str)} if handles is not None else None
    for account in accounts:
        if not isinstance(account, dict):
            continue
        if teams is not None and account.get("team") not in teams:
            continue
        if kinds is not None and account.get("kind", "employee") not in kinds:
            continue
        if wanted is not None and (not isinstance(account.get("handle"), str)
                                   or normalize_handle(account["handle"]) not in wanted):
            continue
        return True
    return False


def _manager_problems(data: dict, accounts: list, positions: Positions) -> list[PolicyProblem]:
    """A `managers:` entry no account names as its manager is a typo: that manager's report would never go."""
    managers = data.get("managers")
    if not isinstance(managers, dict):
        return []
    named = {a["manager"] for a in accounts if isinstance(a, dict) and isinstance(a.get("manager"), str)}
    problems = []
    for name in managers:
        if isinstance(name, str) and name not in named:
            close = difflib.get_close_matches(name, sorted(named), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else (
                f"; managers named in the roster: {', '.join(sorted(named)[:10])}" if named else "")
            problems.append(problem(positions.of_key(("managers", name)), ("managers", name),
                                     f"no account of the roster has manager {name[:60]!r}{hint}"))
    return problems


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []
