"""What X API reads cost: the prices (one table, overridable), the reads of a run, and its limits.

X's pay-per-use plan bills every resource an answer returns (docs.x.com, "Pricing"): a post
$0.005, a user $0.010, a DM event $0.010, and a post of the app owner's own timeline or
mentions read with the owner's user context $0.001 ("owned reads"). The same resource read
again in the same UTC day is billed once. Reads are counted the way X bills them: every post
in `data` and in `includes.tweets` (the post a reply answers, a quoted post), every DM event,
every user a lookup returns; users that an expansion adds to a page are not counted.

Money is kept in millionths of a dollar (integers): sums of $0.005 never drift.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

from auditor.errors import UsageError

# Dollars per resource read. `owned_posts`: posts and mentions of the account whose OAuth 1.0a
# keys are given (X's developer portal makes those keys for the app owner's own account).
PRICES = {"posts": "0.005", "owned_posts": "0.001", "users": "0.010", "dm_events": "0.010"}
RESOURCE_NAMES = {"posts": "post", "owned_posts": "owned post", "users": "user", "dm_events": "DM event"}
MICRO = 1_000_000


def parse_prices(overrides: list[str] | None = None) -> dict[str, int]:
    """The price table in millionths of a dollar, with `--price RESOURCE=DOLLARS` overrides applied."""
    prices = {name: _micro(value) for name, value in PRICES.items()}
    for item in overrides or ():
        name, sep, value = item.partition("=")
        name = name.strip().replace(" ", "_").replace("-", "_").lower()
        if not sep or name not in prices:
            raise UsageError(f"--price must be RESOURCE=DOLLARS with RESOURCE one of {', '.join(PRICES)}, "
                             f"got {item[:40]!r}")
        try:
            prices[name] = _micro(value.strip().lstrip("$"))
        except (InvalidOperation, ValueError):
            raise UsageError(f"--price {name}: not an amount of dollars: {value[:20]!r}") from None
    return prices


def parse_budget(text: str) -> int:
    """`--budget`: dollars ("5", "$5", "2.50"), in millionths."""
    try:
        amount = _micro(text.strip().lstrip("$").replace(",", ""))
    except (InvalidOperation, ValueError):
        raise UsageError(f"--budget must be an amount of dollars, like 5 or 2.50, got {text[:20]!r}") from None
    if amount <= 0:
        raise UsageError("--budget must be more than 0")
    return amount


def parse_max_reads(text: str) -> int:
    """`--max-reads`: a whole number of reads, at least 1 ("5000", "5,000")."""
    value = text.strip().replace(",", "").replace("_", "")
    if not value.isdigit() or int(value) < 1 or len(value) > 12:
        raise UsageError(f"--max-reads must be a whole number of reads, at least 1, got {text[:20]!r}")
    return int(value)


def _micro(text: str) -> int:
    value = Decimal(text)
    if not value.is_finite() or value < 0 or value > 1000:
        raise ValueError(text)
    return int((value * MICRO).to_integral_value())


def dollars(micro: int) -> str:
    """$16.00, $0.135, $1,204.50: cents unless a fraction of a cent is there to show."""
    if micro % 10_000 == 0:
        return f"${micro / MICRO:,.2f}"
    return f"${micro / MICRO:,.3f}"


def count(n: int, what: str) -> str:
    """"1 read", "1,204 reads"."""
    return f"{n:,} {what}{'' if n == 1 else 's'}"


@dataclass
class Reads:
    """Reads and their cost by resource type (keys of PRICES)."""

    reads: dict[str, int] = field(default_factory=dict)
    cost: dict[str, int] = field(default_factory=dict)

    def add(self, resource: str, n: int, prices: dict[str, int]) -> None:
        if n:
            self.reads[resource] = self.reads.get(resource, 0) + n
            self.cost[resource] = self.cost.get(resource, 0) + n * prices[resource]

    def merge(self, other: "Reads") -> None:
        for resource, n in other.reads.items():
            self.reads[resource] = self.reads.get(resource, 0) + n
            self.cost[resource] = self.cost.get(resource, 0) + other.cost.get(resource, 0)

    @property
    def total(self) -> int:
        return sum(self.reads.values())

    @property
    def total_cost(self) -> int:
        return sum(self.cost.values())

    def line(self) -> str:
        """"25 reads ($0.130: 23 posts, 2 users)"."""
        if not self.reads:
            return "0 reads ($0.00)"
        parts = ", ".join(count(self.reads[r], RESOURCE_NAMES[r]) for r in PRICES if self.reads.get(r))
        return f"{count(self.total, 'read')} ({dollars(self.total_cost)}: {parts})"


class Ledger:
    """The reads of one run, deduplicated as X bills them: a resource once per UTC day."""

    def __init__(self, prices: dict[str, int]):
        self.prices = prices
        self.run = Reads()
        self._seen: set[tuple[str, str, str]] = set()  # (resource kind, id, UTC day)

    def charge(self, resource: str, ids: list[str], moment: float) -> Reads:
        """The reads `ids` cost now (those not read already today), added to the run's."""
        day = datetime.fromtimestamp(moment, timezone.utc).strftime("%Y-%m-%d")
        kind = "posts" if resource == "owned_posts" else resource
        new = 0
        for item in ids:
            key = (kind, item, day)
            if key not in self._seen:
                self._seen.add(key)
                new += 1
        reads = Reads()
        reads.add(resource, new, self.prices)
        self.run.merge(reads)
        return reads


class LimitReached(Exception):
    """The next request could take the run past `--max-reads` or `--budget`."""


@dataclass
class Limits:
    """`--max-reads` and `--budget` (millionths of a dollar); None: no limit."""

    max_reads: int | None = None
    budget: int | None = None

    def room(self, spent: Reads, reads_per_item: int, cost_per_item: int) -> int | None:
        """How many items one request may ask for without the run passing a limit; None: any number.

        `reads_per_item` and `cost_per_item` are the most one item can bring (with the posts it references).
        """
        rooms = []
        if self.max_reads is not None:
            rooms.append((self.max_reads - spent.total) // reads_per_item)
        if self.budget is not None and cost_per_item:
            rooms.append((self.budget - spent.total_cost) // cost_per_item)
        return max(0, min(rooms)) if rooms else None

    def describe(self) -> str:
        """"--max-reads 5,000 or --budget $2.50"."""
        parts = []
        if self.max_reads is not None:
            parts.append(f"--max-reads {self.max_reads:,}")
        if self.budget is not None:
            parts.append(f"--budget {dollars(self.budget)}")
        return " or ".join(parts)

    def __bool__(self) -> bool:
        return self.max_reads is not None or self.budget is not None
