"""How the clock ran for a finding, told from the `Timing` its rule filled: its moments in time order,
the limit, the deadline, and the time measured (or the wait, as every part of the report says it)."""

from __future__ import annotations

from datetime import timedelta

from auditor.render.formatting import Formatter
from auditor.result import Timing, Wait
from auditor.time.durations import format_elapsed, format_open_hours

_MOMENT_LABELS = {"started": "Clock started", "promised": "Promise made"}


def waited_text(wait: Wait | None, timing: Timing | None, fmt: Formatter) -> str | None:
    """The finding's one wait: as the rule measured and worded it, else the time it measured."""
    if wait is not None:
        return wait.text
    return fmt.rounded(timing.elapsed_seconds) if timing and timing.elapsed_seconds is not None else None


def has_story(timing: Timing | None) -> bool:
    """A clock story needs a limit, or at least two moments to put in order."""
    if timing is None:
        return False
    return timing.within_seconds is not None or len(timing.moments) + (timing.deadline is not None) >= 2


def story_keys(timing: Timing | None) -> set[str]:
    """The measure keys the clock story tells, so they are not listed again as details."""
    return set(timing.measure_keys) if has_story(timing) else set()


def clock_story(timing: Timing | None, fmt: Formatter, wait: Wait | None = None) -> list[str]:
    if not has_story(timing):
        return []
    clock = timing.clock or "wall clock"
    moments = []
    for moment in timing.moments:
        local = fmt.moment(moment.at)
        text = f"{_moment_label(moment.what)} {fmt.when(local)}" + (f" by @{moment.by}" if moment.by else "")
        if moment.what == "started":
            if timing.items is not None and timing.items > 1:
                text += f", at the first of {timing.items} messages"
            if timing.channel:
                text += f" (by {timing.channel})"
        moments.append((local, True, text + "."))
    if timing.deadline is not None:
        local = fmt.moment(timing.deadline)
        moments.append((local, False, f"Deadline {fmt.when(local)}."))
    moments.sort(key=lambda m: (m[0], m[1]))  # a deadline before what happens at the same minute
    steps = [text for _, _, text in moments]
    within = timing.within_seconds
    if within is not None:
        limit = f"Limit: {fmt.duration(within)} on the {clock}" + (" (open hours only)." if clock != "wall clock" else ".")
        steps.insert(1 if steps else 0, limit)
    if timing.unanswered:
        steps.append("No answer in the data.")
    if wait is not None:
        # The wait as every part of the report says it; over the limit on the same clock.
        line = f"Waited {wait.text}"
        if wait.seconds > wait.within_seconds:
            over = wait.seconds - wait.within_seconds
            line += f": {_on_clock(over, wait.clock)} over the limit."
        else:
            line += ": within the limit."
        steps.append(line)
    elif timing.elapsed_seconds is not None:
        elapsed = timing.elapsed_seconds
        if clock == "wall clock":
            line = f"{fmt.duration(elapsed)} on the clock"
        else:
            # "2d" of open hours is 48 open hours, not two working days: say it in hours too.
            hours = (f" ({elapsed / 3600:,.1f}".removesuffix(".0") + " open hours)") if elapsed >= 86400 else ""
            line = f"{fmt.duration(elapsed)}{hours} of {clock} time"
        if within is not None:
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


def _moment_label(what: str) -> str:
    """`started` -> "Clock started", `counterpart_wrote` -> "Counterpart wrote", `first_dm` -> "First DM"."""
    if what in _MOMENT_LABELS:
        return _MOMENT_LABELS[what]
    text = " ".join("DM" if word == "dm" else word for word in what.split("_"))
    return text[0].upper() + text[1:]
