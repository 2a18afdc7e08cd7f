"""What `auditor fetch` did: per account, what was read and what is missing; the run's exit code."""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.activity.ingest.x_costs import Reads, count

@dataclass
class AccountResult:
    handle: str
    user_id: str | None = None
    fetched: dict[str, int] = field(default_factory=dict)  # endpoint -> events received
    added: int = 0
    updated: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # endpoint -> reason (needed, not read)
    not_fetched: dict[str, str] = field(default_factory=dict)  # endpoint -> why it is not asked (no user context)
    read: set[str] = field(default_factory=set)  # endpoints of which at least a page was read
    resumed: list[str] = field(default_factory=list)  # endpoints an earlier, interrupted run had started

    def line(self) -> str:
        parts = [f"{count} {endpoint}" for endpoint, count in self.fetched.items()]
        text = f"@{self.handle}: " + (", ".join(parts) if parts else "nothing fetched")
        text += f" ({self.added} new, {self.updated} updated)"
        missing = {**self.failures, **self.not_fetched}
        reasons = set(missing.values())
        if len(missing) > 1 and len(reasons) == 1:
            text += f"; missing: {', '.join(missing)} ({reasons.pop()})"
        elif missing:
            text += "; missing: " + "; ".join(f"{e} ({r})" for e, r in missing.items())
        return text


@dataclass
class FetchSummary:
    accounts: list[AccountResult]
    requests: int = 0
    reads: Reads = field(default_factory=Reads)
    stopped: str | None = None  # why the run ended early (usage cap, credits, a limit)
    priced: bool = True  # whether the run read a paid API (X): its reads and their cost are said

    @property
    def added(self) -> int:
        return sum(a.added for a in self.accounts)

    @property
    def updated(self) -> int:
        return sum(a.updated for a in self.accounts)

    @property
    def failures(self) -> int:
        """Endpoints the run needed and could not read (not those it had no credentials for)."""
        return sum(len(a.failures) for a in self.accounts)

    @property
    def resumed(self) -> int:
        return sum(len(a.resumed) for a in self.accounts)

    def missing(self) -> list[str]:
        """Each endpoint needed and not read, those with the same reason together: "@a posts, @b posts (why)"."""
        by_reason: dict[str, list[str]] = {}
        for account in self.accounts:
            for endpoint, reason in account.failures.items():
                by_reason.setdefault(reason, []).append(f"@{account.handle} {endpoint}")
        return [f"{', '.join(names)} ({reason})" for reason, names in by_reason.items()]

    @property
    def exit_code(self) -> int:
        """0 every endpoint needed was read; 1 some could not be (what was read is kept); 2 none could."""
        if not self.failures:
            return 0
        return 1 if any(a.read for a in self.accounts) else 2

    def line(self) -> str:
        text = (f"fetched {count(len(self.accounts), 'account')} in {count(self.requests, 'request')}: "
                f"{count(self.added, 'new event')}, "
                f"{self.updated} updated" + (f"; {self.reads.line()}" if self.priced else ""))
        if self.failures:
            text += f"; {self.failures} endpoint{'s' if self.failures > 1 else ''} missing"
        if self.resumed:
            text += f"; resumed {self.resumed} interrupted endpoint fetch{'es' if self.resumed > 1 else ''}"
        return text
