"""The errors the auditor raises for bad input. Anything else escaping is a bug.

The CLI maps every `AuditorError` to one line per problem and exit code 2.
"""

from __future__ import annotations

from dataclasses import dataclass


class AuditorError(Exception):
    """Base of every error caused by input the user gave us."""

    def lines(self) -> list[str]:
        return [str(self)]


@dataclass(frozen=True)
class PolicyProblem:
    """One mistake in a policy or roster file, with where it is."""

    file: str
    line: int  # 1-based
    col: int  # 1-based
    path: str  # e.g. "rules[2].within"
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}:{self.col}: {where}{self.message}"


class PolicyError(AuditorError):
    """A policy (or the roster it names) is invalid; holds every problem found."""

    def __init__(self, problems: list[PolicyProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class DataError(AuditorError):
    """Activity data cannot be read at all (a single bad line is skipped, not raised)."""


class UsageError(AuditorError):
    """Bad command-line usage: a period we cannot parse, an unknown format."""


class RenderError(AuditorError):
    """A report could not be written."""
