"""What the report templates are handed: plain records of formatted text, one per thing a
report shows (a rule, a finding, an account, a chart). Filled by `view.py` and its helpers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Trend:
    arrow: str  # ▲ ▼ ▶ or empty
    direction: str  # up | down | flat | none
    text: str  # "+3.2 pts vs 91.0%", "not fully in the data"


@dataclass
class EvidenceView:
    role: str
    type: str
    author: str
    when: str
    text: str
    link: str | None
    url: str | None  # as given, shown as text when it is not a web link


@dataclass
class FindingView:
    anchor: str | None
    number: int  # 1-based, within its rule
    rule: str
    rule_anchor: str
    severity: str
    status: str
    failure: bool
    account: str
    counterpart: str | None
    message: str
    when: str
    when_short: str
    waited: str | None  # the measured time, when the measure has one
    limit: str | None
    answered: str | None
    story: list[str]
    details: list[tuple[str, list[str]]]
    evidence: list[EvidenceView]
    waived: dict[str, str] | None
    baseline: str | None
    check: str | None
    network: str | None = None  # "Bluesky", beside the account, when the report spans several networks


@dataclass
class Chart:
    title: str
    caption: str
    uri: str  # a data: URI of an SVG
    alt: str
    narrow_uri: str | None = None  # the same chart drawn for a phone's width (the HTML file only)


@dataclass
class RuleView:
    anchor: str
    id: str
    type: str
    severity: str
    description: str
    meaning: str
    item_name: str
    target: str
    share: str
    status: str  # pass | fail | no_data
    status_label: str
    checked: int
    passed: int
    failed: int
    pending: int
    trend: Trend
    not_counted: str | None  # "Not counted: acknowledgement (80), passing mention (120)"
    metrics: list[tuple[str, list[str]]]
    notes: list[str]  # sentences about the figures (what was not scored, and why)
    settings: list[tuple[str, list[str]]]
    weeks: list[tuple[str, str, int]]
    findings_total: int
    worst: list[FindingView]
    worst_measured: bool  # whether any worst case has a measured time (else the column is left out)
    evidence: list[FindingView]
    in_appendix: int  # findings past the body that the appendix lists
    not_printed: int  # findings past the appendix's cap: counted, and in the JSON and CSV reports
    charts: list[Chart] = field(default_factory=list)
    company: dict[str, str] | None = None  # a group's report: the company's share and status of the rule


@dataclass
class ScoreRow:
    rule: str
    rule_anchor: str
    checked: int
    passed: int
    failed: int
    pending: int
    share: str
    target: str
    status: str
    status_label: str


@dataclass
class AccountView:
    anchor: str
    handle: str
    name: str | None
    kind: str
    team: str | None
    manager: str | None
    findings: int
    rules_below: list[str]
    rows: list[ScoreRow]
    network: str | None = None


@dataclass
class WaitingView:
    counterpart: str | None
    account: str
    rule: str
    rule_anchor: str
    anchor: str | None
    started: str
    waited: str
    limit: str | None
    answered: str
    network: str | None = None
