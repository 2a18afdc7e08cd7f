"""What every rule kind shares: the common options, what `evaluate` gets, and what it returns.

A rule kind is one module: its options (a pydantic model with a `type` literal),
`evaluate(ctx)` producing one `Check` per checked item, and `metrics(checks)`.
Counting, compliance, per-account figures, findings and fingerprints are the
audit's job (`auditor/audit.py`), so every kind is judged the same way.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import msgspec
from pydantic import Field

from auditor.types import Severity, Share, Strict

from auditor.roster import AppliesTo
from auditor.result import Timing, Wait

if TYPE_CHECKING:
    from auditor.rules.context import RuleContext

# What became of a checked item. Only passed and failed count (a rule's share, the score); pending
# (its deadline is still ahead) and uncounted (looked at, but not judged against anyone: a promise
# nobody took up, an outcome the data cannot show) are listed or counted in the kind's metrics only.
# The findings of a pending or uncounted item carry a status in `result.LISTED_ONLY`.
CheckStatus = Literal["passed", "failed", "pending", "uncounted"]


@dataclass(frozen=True, slots=True)
class EvidenceRef:
    """A post or DM that shows a finding; `role` says what it is in the story."""

    id: str
    kind: Literal["post", "dm"]
    role: str  # e.g. "inbound", "response", "promise", "unanswered-dm", "offending"


@dataclass(frozen=True, slots=True)
class Draft:
    """A finding as a rule sees it; the audit adds severity, evidence text and fingerprint."""

    status: str  # what went wrong, in the kind's words: breached, broken, violation, pending, cannot_tell...
    message: str
    evidence: tuple[EvidenceRef, ...]
    measure: dict[str, Any] = field(default_factory=dict)
    # Which part of the rule found it (a tone check's name); part of the fingerprint.
    check: str | None = None
    # How long somebody waited, for findings about a wait (every report says it from here).
    wait: Wait | None = None
    # How the clock ran, for findings about a time limit (the reports' story says it from here).
    timing: Timing | None = None


NO_COUNTS: Mapping[str, int] = MappingProxyType({})


# A msgspec Struct, as the events are (activity/model.py): built in C, and a month's audit builds a
# million or more. Not frozen, but nothing changes a Check once a rule returns it.
class Check(msgspec.Struct):
    """One checked item (an episode, a promise, a post, an account-period)."""

    account: str
    occurred_at: datetime
    status: CheckStatus
    counterpart: str | None = None
    # The kind's own measure for its metrics, e.g. response time in seconds.
    value: float | None = None
    findings: tuple[Draft, ...] = ()
    # More of the kind's own counts for its metrics, when one value is not enough
    # (engagement: an account-period's posts and replies). Read only; without any, every check
    # shares one empty mapping rather than holding a dict of its own (a month has a million checks).
    counts: Mapping[str, int] = NO_COUNTS


@dataclass(frozen=True)
class TextsAhead:
    """The texts a rule will have the workers score, named before the data is read, so they can be
    scored while it is (auditor/texts_ahead.py): the texts of the posts `authors` wrote in the
    period, reposts left out. `key(text, lang)` is what the rule asks about for such a post (`lang`:
    the language its source gave, or None), and `score` answers a batch of keys as the rule's own
    `parallel_map` would."""

    authors: frozenset[str]
    key: Callable[[str, str | None], Hashable]
    score: Callable[[Sequence[Hashable]], list]


class RuleBase(Strict):
    """Options every rule has."""

    # The plain-words meaning of the kind, shown by `auditor rules` and in the PDF.
    meaning: ClassVar[str] = ""
    # The name a kind's checked items go by in reports ("episodes", "promises", "posts").
    item_name: ClassVar[str] = "items"
    # Most of the kind's work is scoring texts in the worker processes: the audit starts it before
    # the other rules and evaluates them meanwhile (speedups.in_background). Its `evaluate` must only
    # read the context, as every rule's does.
    scores_texts_in_workers: ClassVar[bool] = False

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", description="unique id of the rule")
    severity: Severity
    description: str | None = None
    applies_to: AppliesTo | None = None
    target: Share = 1.0
    enabled: bool = True

    def evaluate(self, ctx: "RuleContext") -> list[Check]:  # pragma: no cover - each kind implements it
        raise NotImplementedError

    def evaluate_periods(self, ctx: "RuleContext", previous: "RuleContext | None"
                         ) -> tuple[list[Check], list[Check] | None]:
        """The checks of the period, and of the previous one for the trend (None without `previous`).

        The two contexts differ only in their period. A kind whose work over the whole window is
        the same for both overrides this to do that work once; the answers must stay `evaluate`'s.
        The previous period's checks are only counted (the trend's figures), so their findings may
        be left out.
        """
        return self.evaluate(ctx), self.evaluate(previous) if previous is not None else None

    def metrics(self, checks: list[Check]) -> dict[str, Any]:
        """The kind's own figures over some checks (the audit calls it overall and per account)."""
        return {}

    def prepare(self) -> None:
        """Load what `evaluate` will need (a model) before worker processes are forked to share it."""

    def texts_ahead(self, accounts: list) -> TextsAhead | None:
        """What may be scored for this rule while the data is read, given the roster accounts it
        applies to; None for a kind whose texts depend on the data (which posts answer which)."""
        return None


def kind_name(kind: type[RuleBase]) -> str:
    """The `type:` a rule kind is written with in a policy."""
    return typing.get_args(kind.model_fields["type"].annotation)[0]
