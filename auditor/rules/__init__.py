"""THE list of rule kinds. `auditor rules`, the JSON Schema and the docs are derived from it.

Adding a kind: write `auditor/rules/<kind>.py` (options, `evaluate`, `metrics`, a
docstring with a YAML example) and add its class to `RULE_KINDS`.
"""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from auditor.rules.base import Check, Draft, EvidenceRef, RuleBase, kind_name
from auditor.rules.disclosure import DisclosureRule
from auditor.rules.engagement import EngagementRule
from auditor.rules.escalation import EscalationRule
from auditor.rules.follow_through import FollowThroughRule
from auditor.rules.response_time import ResponseTimeRule
from auditor.rules.tone import ToneRule

RULE_KINDS: tuple[type[RuleBase], ...] = (
    ResponseTimeRule,
    FollowThroughRule,
    ToneRule,
    DisclosureRule,
    EscalationRule,
    EngagementRule,
)

Rule = Annotated[Union[RULE_KINDS], Field(discriminator="type")]  # type: ignore[valid-type]

KIND_BY_TYPE: dict[str, type[RuleBase]] = {kind_name(kind): kind for kind in RULE_KINDS}

__all__ = ["Check", "Draft", "EvidenceRef", "KIND_BY_TYPE", "RULE_KINDS", "Rule", "RuleBase"]
