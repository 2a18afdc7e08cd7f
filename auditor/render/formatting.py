"""The report's one way of writing times (in the policy's time zone), durations, shares and
measure values, for every format that writes for people (PDF, HTML, mail, the overview)."""

from __future__ import annotations

import hashlib
import os
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from auditor.networks import platform_label
from auditor.time.durations import format_duration
from auditor.types import format_share

SAFE_LINK_SCHEMES = ("https://", "http://")
ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_DAYS = "Mon Tue Wed Thu Fri Sat Sun".split()


class Formatter:
    """Times in one time zone, durations, shares: the report's one way of writing each."""

    def __init__(self, zone_name: str | None):
        try:
            self.zone = ZoneInfo(zone_name or "UTC")
        except (ValueError, KeyError, OSError):
            self.zone = ZoneInfo("UTC")
        self.networks = False  # whether the report spans several networks (so each account's is named)

    def network(self, platform: str) -> str | None:
        """The network's name beside an account ("Bluesky"), when the report spans several networks."""
        return platform_label(platform) if self.networks else None

    def moment(self, value: str | datetime | None) -> datetime | None:
        if value is None or value == "":
            return None
        if isinstance(value, datetime):
            moment = value
        else:
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(self.zone)

    def when(self, value: str | datetime | None) -> str:
        """`Mon 5 Oct 2026, 10:02 EDT`"""
        local = self.moment(value)
        if local is None:
            return "–"
        return (f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]} {local.year}, "
                f"{local:%H:%M} {local.tzname()}")

    def short(self, value: str | datetime | None) -> str:
        """`5 Oct 10:02`: for table cells, where the year and zone are in the heading."""
        local = self.moment(value)
        if local is None:
            return "–"
        return f"{local.day} {_MONTHS[local.month - 1]} {local:%H:%M}"

    def day(self, value: str | date | datetime | None) -> str:
        """`5 Oct 2026`"""
        if value is None or value == "":
            return "–"
        if isinstance(value, str) and len(value) == 10:
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return value
        if isinstance(value, (str, datetime)):
            local = self.moment(value)
            if local is None:
                return "–"
            value = local.date()
        return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"

    @staticmethod
    def duration(seconds: float | None) -> str:
        """Exact: `6d 21h46m56s`. For the clock story, where a second over the limit matters."""
        return "–" if seconds is None else format_duration(timedelta(seconds=seconds))

    @staticmethod
    def rounded(seconds: float | None) -> str:
        """For tables: to the minute past an hour, to the hour past a day; always rounded *up*,
        so a wait that missed a limit never reads as the limit itself."""
        if seconds is None:
            return "–"
        unit = 3600 if seconds >= 86400 else 60 if seconds >= 3600 else 1
        return format_duration(timedelta(seconds=-(-int(seconds) // unit) * unit))

    @staticmethod
    def share(value: float | None) -> str:
        """`95%`, `94.7%`, `–` for nothing checked (rounded toward the truth: result.format_share)."""
        return format_share(value)

    def value(self, key: str, value: Any) -> str:
        """A measure or metric value, written by what its key says it is."""
        if value is None:
            return "–"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if "seconds" in key.split("_") and isinstance(value, (int, float)):
            return self.rounded(value)
        if isinstance(value, str) and ISO_RE.match(value):
            return self.when(value)
        if (key.startswith("share") or key.endswith("_share")) and isinstance(value, float):
            return self.share(value)
        if isinstance(value, float):
            return f"{value:g}"
        if isinstance(value, (list, tuple)):
            return ", ".join(self.value("", item) for item in value)
        if isinstance(value, dict):
            return "; ".join(f"{label(k)}: {self.value(k, v)}" for k, v in value.items())
        return str(value)

    def lines(self, key: str, value: Any) -> list[str]:
        """A value as lines: one per key of a mapping (`checks: {profanity: true, ...}`), else one."""
        if isinstance(value, dict) and value:
            return [f"{label(k)}: {self.value(k, v)}" for k, v in value.items()]
        return [self.value(key, value)]


def label(key: str) -> str:
    """`median_response_seconds` -> `median response`, `median_seconds_to_keep` -> `median time to keep`."""
    words = key.split("_")
    if words[-1] == "seconds" and len(words) > 1:
        words = words[:-1]
    return " ".join("time" if w == "seconds" else "DM" if w == "dm" else "DMs" if w == "dms" else w for w in words)


def finding_anchor(finding) -> str:
    """The id a page links a finding by. Not its fingerprint: that hashes the customer's real handle with no
    secret, and `--redact customers` pages would let a reader test guesses against it. This hashes what the
    (redacted) finding itself shows: a pseudonym, hidden ids."""
    shown = "\x1f".join([finding.rule, finding.account, finding.counterpart or "", finding.status,
                         finding.occurred_at, finding.message, *(e.id for e in finding.evidence)])
    return "finding-" + hashlib.sha256(shown.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def safe_link(url: str | None) -> str | None:
    """Only web links become links; `file:`, `javascript:` and the like stay plain text."""
    if url and url.lower().startswith(SAFE_LINK_SCHEMES):
        return url
    return None


def generated_now() -> datetime:
    # SOURCE_DATE_EPOCH makes the "generated at" line (and so the report) reproducible.
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)
