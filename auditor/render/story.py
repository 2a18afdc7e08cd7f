"""How the clock ran for a finding: its moments in time order, the limit, the time measured."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from auditor.time.durations import format_elapsed, format_open_hours
from auditor.render.formatting import ISO_RE, Formatter
from auditor.result import (
    Wait,
)

_MOMENT_LABELS = {"started": "Clock started", "promised": "Promise made"}


def waited_text(wait: Wait | None, elapsed: Any, fmt: Formatter) -> str | None:
    """The finding's one wait: as the rule measured and worded it, else the measure's time."""
    if wait is not None:
        return wait.text
    return fmt.rounded(elapsed) if isinstance(elapsed, (int, float)) else None


def _is_time(key: str, value: Any) -> bool:
    return isinstance(value, str) and (key.endswith("_at") or key == "deadline") and ISO_RE.match(value) is not None


def elapsed_key(measure: dict[str, Any]) -> str | None:
    """The measured time of a finding: `elapsed_seconds`, `waited_seconds`, ... (not the limit)."""
    for key, value in measure.items():
        if key.endswith("_seconds") and key != "within_seconds" and isinstance(value, (int, float)) \
                and not isinstance(value, bool):
            return key
    return None


def has_story(measure: dict[str, Any]) -> bool:
    """A clock story needs a limit, or at least two moments to put in order."""
    times = sum(1 for k, v in measure.items() if _is_time(k, v))
    return isinstance(measure.get("within_seconds"), (int, float)) or times >= 2


def story_keys(measure: dict[str, Any]) -> set[str]:
    """The measure keys the clock story tells, so they are not listed again as details."""
    if not has_story(measure):
        return set()
    keys = {k for k, v in measure.items() if _is_time(k, v)}
    keys |= {k[:-3] + "_by" for k in keys if k.endswith("_at")}
    keys |= {"within_seconds", "clock", "items", "channel", elapsed_key(measure) or "within_seconds"}
    return keys


def clock_story(measure: dict[str, Any], fmt: Formatter, wait: Wait | None = None) -> list[str]:
    """How the clock ran: the measure's moments in time order, the limit, and the time measured.

    Built from whatever the measure holds (`started_at`, `promised_at`, `deadline`,
    `answered_at` with `answered_by`, `within_seconds`, `elapsed_seconds` or
    `waited_seconds`, `clock`), so any kind that measures time gets one.
    """
    if not has_story(measure):
        return []
    clock = measure.get("clock") or "wall clock"
    moments = []
    for key, value in measure.items():
        if not _is_time(key, value):
            continue
        moment = fmt.moment(value)
        if key == "deadline":
            text = f"Deadline {fmt.when(moment)}."
        else:
            name = key[:-3]
            by = measure.get(name + "_by")
            text = f"{_moment_label(name)} {fmt.when(moment)}" + (f" by @{by}" if isinstance(by, str) and by else "")
            if key == "started_at":
                items = measure.get("items")
                if isinstance(items, int) and items > 1:
                    text += f", at the first of {items} messages"
                if measure.get("channel"):
                    text += f" (by {measure['channel']})"
            text += "."
        moments.append((moment, key != "deadline", text))
    moments.sort(key=lambda m: (m[0], m[1]))
    steps = [text for _, _, text in moments]
    within = measure.get("within_seconds")
    if isinstance(within, (int, float)):
        limit = f"Limit: {fmt.duration(within)} on the {clock}" + (" (open hours only)." if clock != "wall clock" else ".")
        steps.insert(1 if steps else 0, limit)
    answered = any(k in measure for k in ("answered_at", "kept_at", "first_dm_at"))
    if "deadline" in measure and not answered:
        steps.append("No answer in the data.")
    key = elapsed_key(measure)
    if wait is not None:
        # The wait as every part of the report says it; over the limit on the same clock.
        line = f"Waited {wait.text}"
        if wait.seconds > wait.within_seconds:
            over = wait.seconds - wait.within_seconds
            line += f": {_on_clock(over, wait.clock)} over the limit."
        else:
            line += ": within the limit."
        steps.append(line)
    elif key is not None:
        elapsed = measure[key]
        if clock == "wall clock":
            line = f"{fmt.duration(elapsed)} on the clock"
        else:
            # "2d" of open hours is 48 open hours, not two working days: say it in hours too.
            hours = (f" ({elapsed / 3600:,.1f}".removesuffix(".0") + " open hours)") if elapsed >= 86400 else ""
            line = f"{fmt.duration(elapsed)}{hours} of {clock} time"
        if isinstance(within, (int, float)):
            line += (f": {fmt.duration(elapsed - within)} over the limit." if elapsed > within
                     else ": within the limit.")
        else:
            line += "."
        steps.append(line[0].upper() + line[1:])
    return steps


def _on_clock(seconds: int, clock: str) -> str:
    """A time on a wall or business-hours clock, open hours never written as days."""
    if clock == "wall clock":
        return format_elapsed(timedelta(seconds=seconds))
    return format_open_hours(timedelta(seconds=seconds)) + " of open hours"


def _moment_label(name: str) -> str:
    if name in _MOMENT_LABELS:
        return _MOMENT_LABELS[name]
    words = [("DM" if w == "dm" else w) for w in name.split("_")]
    text = " ".join(words)
    return text[0].upper() + text[1:]
