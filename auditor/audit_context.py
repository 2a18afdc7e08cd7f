"""What a rule's `evaluate` is given: the policy, the indexed activity, the period and the end of the data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from auditor.index import ActivityIndex
from auditor.time.period import Period

if TYPE_CHECKING:
    from auditor.time.calendars import BusinessClock, WallClock
    from auditor.policy.model import Policy
    from auditor.roster import Account
    from auditor.rules import Rule


@dataclass
class RuleContext:
    policy: "Policy"
    index: ActivityIndex
    period: Period
    # The end of the data: the latest event read, or --as-of. A deadline that passed
    # before it is a breach; one still ahead of it is pending.
    as_of: datetime
    _clocks: dict = field(default_factory=dict)

    def audited(self, rule: "Rule") -> list["Account"]:
        return self.policy.audited_by(rule)

    def clock(self, name: str | None) -> "WallClock | BusinessClock":
        # One clock per calendar per audit, so its per-day cache is shared by all rules.
        if name not in self._clocks:
            self._clocks[name] = self.policy.clock(name)
        return self._clocks[name]

    def is_ignored(self, handle: str) -> bool:
        """A counterpart the policy's `ignore_accounts` sets aside: never treated as a person."""
        return self.policy.is_ignored(handle)

    def holds_dms(self, handle: str) -> bool:
        """Whether the data holds this account's DMs: what depends on DMs it does not hold cannot be judged."""
        return self.index.holds_dms(handle)

    def local(self, moment: datetime) -> str:
        """A time as the policy's readers see it, for messages."""
        return moment.astimezone(self.policy.zone).strftime("%Y-%m-%d %H:%M %Z")
