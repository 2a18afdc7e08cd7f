"""One audit, many readers: the result cut into one sub-result per manager, team or account.

Splitting renders, it never audits again. A group's result holds only its accounts,
their findings and their figures; a rule's figures for the group are the sum of its
accounts' figures (so the groups add up to the company), and its kind's own metrics
are added up where they are counts (see `combine_metrics`). What the accounts'
figures cannot give is left out rather than guessed: a group has no week-by-week
share, and its trend is the company's, said as such. The company-wide figures ride
along in `AuditResult.scope` for the group report's summary page.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from auditor.result import AuditResult, Figures, RuleResult, status_of

from auditor.types import share_of

SPLITS = ("manager", "team", "account")
# Words that make a metric a measure (a time, a share, a middle value), not a count that adds up.
_MEASURE_WORDS = {"seconds", "share", "median", "p90", "mean", "average", "ratio", "rate"}


@dataclass(frozen=True)
class Group:
    by: str  # manager | team | account
    name: str | None  # the manager's or team's name, the account's handle; None: accounts with none
    slug: str  # file stem: manager-dana-reyes, team-support, account-jdoe
    handles: tuple[str, ...]
    managers: tuple[str, ...]  # the managers of its accounts (who its report is for)

    @property
    def label(self) -> str:
        """`Dana Reyes`, `team support`, `@jdoe`, `no manager`."""
        if self.name is None:
            return f"no {self.by}"
        return {"manager": self.name, "team": f"team {self.name}", "account": f"@{self.name}"}[self.by]


def slug(text: str) -> str:
    """A file-name part anyone can type: `Olivia Grünwald` -> `olivia-grunwald`, `acme_support` stays."""
    folded = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).encode("ascii", "ignore").decode()
    made = re.sub(r"[^a-z0-9_]+", "-", ascii_text.lower()).strip("-_")
    if not made:  # a name in a script with no Latin letters keeps its own letters
        made = re.sub(r"[^\w]+", "-", unicodedata.normalize("NFC", text).casefold()).strip("-_")
    if not made:
        made = hashlib.sha256(text.encode()).hexdigest()[:8]
    return made[:60].strip("-_")


def groups(result: AuditResult, by: str) -> list[Group]:
    """The result's accounts grouped `by` manager, team or account, by name; accounts with no
    manager (or team) form one last group. Every roster account is in exactly one group."""
    if by not in SPLITS:
        raise ValueError(f"unknown split {by!r}")
    members: dict[str | None, list] = {}
    for account in result.accounts:
        key = account.handle if by == "account" else getattr(account, by)
        members.setdefault(key, []).append(account)
    names = sorted((name for name in members if name is not None), key=lambda n: (n.casefold(), n))
    if None in members:
        names.append(None)
    out, taken = [], set()
    for name in names:
        stem = f"{by}-{slug(name) if name is not None else 'unassigned'}"
        unique, n = stem, 1
        while unique in taken:  # "José Ruiz" and "Jose Ruiz": both kept, in name order
            n += 1
            unique = f"{stem}-{n}"
        taken.add(unique)
        accounts = members[name]
        managers = tuple(dict.fromkeys(a.manager for a in accounts if a.manager))
        out.append(Group(by, name, unique, tuple(a.handle for a in accounts), managers))
    return out


def group_result(result: AuditResult, group: Group) -> AuditResult:
    """The part of `result` about the group's accounts, with the company's figures for context."""
    members = set(group.handles)
    accounts = tuple(a for a in result.accounts if a.handle in members)
    findings = tuple(f for f in result.findings if f.account in members)
    rules = tuple(
        _group_rule(rule, [a.rules[rule.id] for a in accounts if rule.id in a.rules])
        for rule in result.rules if any(rule.id in a.rules for a in accounts)
    )
    from auditor.audit import summarize

    summary = summarize(rules, findings)
    if "baseline" in result.summary:
        counted = [f for f in findings if f.is_failure and not f.waived]
        summary["baseline"] = {
            "file": result.summary["baseline"].get("file"),
            "new": sum(1 for f in counted if f.baseline == "new"),
            "existing": sum(1 for f in counted if f.baseline == "existing"),
        }
    others = {a.handle for a in result.accounts} - members
    return replace(
        result,
        summary=summary,
        rules=rules,
        accounts=accounts,
        findings=findings,
        data=replace(result.data, dms_not_held=tuple(h for h in result.data.dms_not_held if h in members)),
        notes=tuple(note for note in result.notes if not _names_any(note, others)),
        scope=scope_of(result, group),
    )


def scope_of(result: AuditResult, group: Group) -> dict[str, Any]:
    """What a group report says about itself, and the company's figures beside its own."""
    summary = result.summary
    return {
        "by": group.by,
        "name": group.name,
        "label": group.label,
        "slug": group.slug,
        "accounts": list(group.handles),
        "managers": list(group.managers),
        "company": {
            "accounts": len(result.accounts),
            "score": summary.get("score"),
            "rules_passed": summary.get("rules_passed", 0),
            "rules_failed": summary.get("rules_failed", 0),
            "rules_no_data": summary.get("rules_no_data", 0),
            "findings": summary.get("findings", 0),
            "rules": {
                rule.id: {
                    "checked": rule.figures.checked, "passed": rule.figures.passed, "failed": rule.figures.failed,
                    "compliance": rule.figures.compliance, "status": rule.status,
                    "previous_compliance": rule.previous_compliance, "previous_checked": rule.previous_checked,
                }
                for rule in result.rules
            },
        },
    }


def _group_rule(rule: RuleResult, parts: Sequence[Figures]) -> RuleResult:
    checked = sum(p.checked for p in parts)
    passed = sum(p.passed for p in parts)
    figures = Figures(checked, passed, sum(p.failed for p in parts), sum(p.pending for p in parts),
                      share_of(passed, checked), combine_metrics([p.metrics for p in parts]))
    status = status_of(figures, rule.target)
    # The trend and the weeks are the company's: accounts' figures do not hold them.
    return replace(rule, status=status, figures=figures, previous_compliance=None, previous_checked=None, weeks=())


def combine_metrics(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A rule kind's metrics for several accounts together, from each account's metrics alone.

    Counts add up (ints, and mappings of them such as reasons or checks); histogram bins add
    up bin by bin when their edges agree. A measure (a median, a share, a time: a key naming
    seconds, share, median...) cannot be added: it is kept when every account that has one
    agrees (a limit), and otherwise left out rather than guessed. One account's metrics are
    its own.
    """
    parts = [p for p in parts if isinstance(p, dict)]
    if len(parts) == 1:
        return dict(parts[0])
    out: dict[str, Any] = {}
    for key in dict.fromkeys(k for p in parts for k in p):
        combined = _combine(key, [p[key] for p in parts if key in p])
        if combined is not _UNKNOWN:
            out[key] = combined
    return out


_UNKNOWN = object()


def _is_measure(key: str) -> bool:
    return bool(_MEASURE_WORDS & set(key.lower().split("_")))


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _combine(key: str, values: list[Any]) -> Any:
    present = [v for v in values if v is not None]
    if not present:
        return None
    if _is_measure(key) or not all(_is_count(v) or isinstance(v, (dict, list)) for v in present):
        first = present[0]
        return first if all(v == first for v in present) else _UNKNOWN
    if all(_is_count(v) for v in present):
        return sum(present)
    if all(isinstance(v, dict) for v in present):
        return combine_metrics(present)
    if all(isinstance(v, list) for v in present):
        return _combine_bins(present)
    return _UNKNOWN


def _combine_bins(lists: list[list]) -> Any:
    """`[[edge, count], ...]` lists with the same edges, added count by count."""
    try:
        edges = [[pair[0] for pair in items] for items in lists]
        if any(e != edges[0] for e in edges) or not all(_is_count(pair[1]) for items in lists for pair in items):
            return _UNKNOWN
        return [[edge, sum(items[i][1] for items in lists)] for i, edge in enumerate(edges[0])]
    except (TypeError, IndexError, KeyError):
        return _UNKNOWN


def _names_any(note: str, handles: Iterable[str]) -> bool:
    """Whether a note names one of these accounts (as a word): such a note stays out of a group's report."""
    words = set(re.findall(r"\w+", note.lower()))
    return any(handle in words for handle in handles)
