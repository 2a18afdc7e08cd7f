"""What a rule's `evaluate` is given: the indexed activity, the period, the end of the data, and
what it needs of the policy (its accounts, clocks, time zone and ignored counterparts), all
built up front by the audit (`audit.rule_context`). A rule sees nothing else of the policy."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from auditor.index import ActivityIndex
from auditor.roster import Account
from auditor.time.calendars import BusinessClock, WallClock
from auditor.time.period import Period


class ScoredAhead:
    """What the workers would answer for some rules' keys, found while the data was read
    (auditor/texts_ahead.py): by rule id, each key scored with its answer. A rule takes its own once
    (and so lets them go); they are its batch function's answers, so it uses them as its own."""

    def __init__(self, answers: dict[str, dict[Hashable, object]] | None = None) -> None:
        self._answers = answers or {}

    def take(self, rule_id: str) -> dict[Hashable, object]:
        return self._answers.pop(rule_id, {})


@dataclass(frozen=True)
class RuleContext:
    index: ActivityIndex
    period: Period
    # The end of the data: the latest event read, or --as-of. A deadline that passed
    # before it is a breach; one still ahead of it is pending.
    as_of: datetime
    zone: ZoneInfo  # the policy's time zone
    # One clock per calendar per audit (None: the wall clock), so a clock's per-day cache is
    # shared by every rule and by both periods.
    clocks: Mapping[str | None, WallClock | BusinessClock]
    accounts: Mapping[str, list[Account]]  # rule id -> the roster accounts it applies to
    ignored: Callable[[str], bool]  # the policy's ignore_accounts
    scored_ahead: ScoredAhead = field(default_factory=ScoredAhead)
    # How a finding names `as_of`: the window's end when the sources run on past what the audit reads.
    data_end: str = "the end of the data"

    def for_period(self, period: Period) -> "RuleContext":
        """The same audit over another period (the previous one, for the trend)."""
        return replace(self, period=period)

    def audited(self, rule_id: str) -> list[Account]:
        """The roster accounts the rule `rule_id` applies to."""
        return self.accounts[rule_id]

    def clock(self, name: str | None) -> WallClock | BusinessClock:
        return self.clocks[name]

    def is_ignored(self, handle: str) -> bool:
        """A counterpart the policy's `ignore_accounts` sets aside: never treated as a person."""
        return self.ignored(handle)

    def holds_dms(self, handle: str) -> bool:
        """Whether the data holds this account's DMs: what depends on DMs it does not hold cannot be judged."""
        return self.index.holds_dms(handle)

    def local(self, moment: datetime) -> str:
        """A time as the policy's readers see it, for messages."""
        return moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M %Z")
