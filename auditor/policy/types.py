"""Field types shared by the policy and every rule kind: durations, shares, severities, selectors."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema

from auditor.time.durations import DURATION_PATTERN, format_duration, parse_duration

SEVERITIES = ("info", "low", "medium", "high", "critical")
Severity = Literal["info", "low", "medium", "high", "critical"]


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


class Strict(BaseModel):
    """Policy models: unknown keys are errors, and a loaded policy never changes."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _duration(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError(f"expected a duration like 4h, 90m, 1h30m or PT4H, got {value!r}")
    return parse_duration(value)


Duration = Annotated[
    timedelta,
    BeforeValidator(_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN, "examples": ["4h", "90m", "1h30m", "PT4H"]}),
]

_PERCENT_RE = re.compile(r"^\s*(\d{1,3}(?:\.\d+)?)\s*%\s*$")
PERCENT_PATTERN = r"^\s*\d{1,3}(\.\d+)?\s*%\s*$"


def _share(value: Any) -> float:
    if isinstance(value, str):
        match = _PERCENT_RE.match(value)
        if not match:
            raise ValueError(f"expected a share like 95% or 0.95, got {value[:40]!r}")
        share = float(match.group(1)) / 100
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        share = float(value)
        if share > 1:
            raise ValueError(f"expected a share like 95% or 0.95, got {value!r} (write {value:g}% for a percentage)")
    else:
        raise ValueError(f"expected a share like 95% or 0.95, got {value!r}")
    if not 0 <= share <= 1:
        raise ValueError(f"a share must be between 0% and 100%, got {value!r}")
    return share


def is_share(metadata: list) -> bool:
    """Whether a field's pydantic metadata makes it a `Share` (for describing options to people)."""
    return any(getattr(item, "func", None) is _share for item in metadata)


def _format_share(share: float) -> str:
    return f"{share * 100:g}%"


Share = Annotated[
    float,
    BeforeValidator(_share),
    PlainSerializer(_format_share, return_type=str),
    WithJsonSchema({
        "anyOf": [
            {"type": "string", "pattern": PERCENT_PATTERN},
            {"type": "number", "minimum": 0, "maximum": 1},
        ],
        "examples": ["95%", 0.95],
    }),
]

# X (acme_support), Bluesky (acme.bsky.social, or a did:plc:...) or Mastodon (@acme@mastodon.social) handles.
Handle = Annotated[str, Field(pattern=r"^@?[\w.:-]+(@[\w.:-]+)?$", max_length=300,
                              examples=["acme_support", "acme.bsky.social", "@acme@mastodon.social"])]
# A handle, or a glob pattern over handles ("*_bot", "status?age", "*@botsin.space"): `*`, `?` and `[...]` as in fnmatch.
HandlePattern = Annotated[str, Field(pattern=r"^@?[\w*?\[\]!.:-]+(@[\w*?\[\]!.:-]+)?$", max_length=300,
                                     examples=["statuspage", "*_bot", "*.bsky.social", "*@botsin.space"])]


class AppliesTo(Strict):
    """Which roster accounts a rule audits: "and" between keys, "or" within one list."""

    teams: list[str] | None = None
    kinds: list[Literal["brand", "employee"]] | None = None
    accounts: list[Handle] | None = None
