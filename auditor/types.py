"""The vocabulary: shares (read, computed, judged against a target and written one way), severities,
handles as a policy writes them, and the frozen model every policy part is."""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema


SEVERITIES = ("info", "low", "medium", "high", "critical")
Severity = Literal["info", "low", "medium", "high", "critical"]


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


class Strict(BaseModel):
    """Policy models: unknown keys are errors, and a loaded policy never changes."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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


def share_of(passed: int, checked: int) -> float | None:
    """passed / checked to four decimals, rounded toward the truth: 1.0 only when every item
    passed and 0.0 only when none did (10,656 of 10,658 is 0.9998, never 1.0). None: nothing checked."""
    if not checked:
        return None
    share = round(passed / checked, 4)
    if share == 1.0 and passed < checked:
        return 0.9999
    if share == 0.0 and passed > 0:
        return 0.0001
    return share


def score_of(shares: list[float]) -> float | None:
    """The score: the mean of the rules' shares, out of 100 to one decimal, rounded toward the truth as a
    share is: 100 only when every rule's share is 1 and 0 only when every one is 0 (rules at 99.95% and 100%
    score 99.9, never 100). None: no rule had anything to check."""
    if not shares:
        return None
    score = round(100 * sum(shares) / len(shares), 1)
    if score == 100.0 and any(share < 1 for share in shares):
        return 99.9
    if score == 0.0 and any(share > 0 for share in shares):
        return 0.1
    return score


def meets_target(passed: int, checked: int, target: float) -> bool:
    """Whether a share reaches its target, judged on the counts (not on a rounded share)."""
    return passed + 1e-9 >= target * checked


def format_target(target: float) -> str:
    """A rule's target as the policy wrote it, to a hundredth of a percent: "95%", "99.54%"."""
    return f"{target * 100:.2f}".rstrip("0").rstrip(".") + "%"


def format_share_against(share: float | None, target: float | None) -> str:
    """`format_share`, and for a share below its target never a figure that reads as reaching it ("95%" beside
    "target 95%" for 1,899 of 2,000): then rounded down, with as many decimals as it takes."""
    text = format_share(share)
    if share is None or target is None or share >= target or float(text.rstrip("%")) < round(target * 100, 2):
        return text
    for places in (2, 3, 4):
        shown = math.floor(round(share * 100, 8) * 10 ** places) / 10 ** places
        if shown < round(target * 100, 2):
            return f"{shown:.{places}f}".rstrip("0").rstrip(".") + "%"
    return text


def format_share(share: float | None) -> str:
    """A share as every report writes it: "95%", "94.7%", "–" when nothing was checked. Never
    "100%" unless all passed, nor "0%" unless none did (the share is rounded toward the truth)."""
    if share is None:
        return "–"
    text = f"{share * 100:.1f}"
    if text == "100.0" and share < 1:
        text = "99.9"
    elif text == "0.0" and share > 0:
        text = "0.1"
    return text.removesuffix(".0") + "%"
