"""Compile policy-supplied phrases and ``/regex/`` entries into one matcher.

Policies are written by people, and a pattern such as ``/(a+)+$/`` would make
Python's backtracking ``re`` run for minutes on a long post. Everything a
policy supplies is therefore compiled with RE2 (``google-re2``), which runs in
time linear in the text whatever the pattern, and refuses the features
(back-references, look-around) that cannot be run that way.

Syntax of one entry:

* ``not my problem``: a phrase, matched as whole words in any case; runs of
  spaces in the phrase match any run of white space.
* ``/\\bwhatever\\b/``: an RE2 regular expression, matched case-insensitively.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import re2

from auditor.text.spans import Match, normalize_apostrophes

# A word character for phrase boundaries: any letter, digit, combining mark or
# "_". RE2's \b only knows ASCII, so "\bcafé\b" would never match "café!".
_WORD = r"\pL\pN\pM_"
# RE2 keeps its compiled program within max_mem; a policy pattern that needs
# more is refused instead of eating the machine.
_MAX_MEM = 8 << 20


def _options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # errors become ValueError; RE2 should not print
    options.max_mem = _MAX_MEM
    return options


def _error_text(error: Exception) -> str:
    arg = error.args[0] if error.args else error
    return arg.decode("utf-8", "replace") if isinstance(arg, bytes) else str(arg)


def is_regex(entry: str) -> bool:
    return len(entry) >= 2 and entry.startswith("/") and entry.endswith("/")


def _phrase_pattern(phrase: str) -> str:
    words = normalize_apostrophes(phrase).split()
    return r"\s+".join(re2.escape(word) for word in words)


def compile_regex(entry: str) -> re2._Regexp:
    """Compile one ``/regex/`` entry (case-insensitive), or raise ValueError."""
    body = entry[1:-1]
    if not body:
        raise ValueError(f"empty regular expression {entry!r}")
    try:
        return re2.compile("(?i)" + body, _options())
    except re2.error as error:
        raise ValueError(
            f"invalid regular expression {entry!r}: {_error_text(error)} "
            "(patterns use RE2 syntax: no back-references or look-around)"
        ) from None


@dataclass(frozen=True)
class Matcher:
    """Finds any of a list of phrases and regexes in a text."""

    entries: tuple[str, ...]
    _phrases: object | None  # one RE2 program for all plain phrases
    _regexes: tuple[object, ...]  # one RE2 program per /regex/ entry

    def find_all(self, text: str) -> list[Match]:
        """Every match, left to right, without overlaps (the earlier, then the longer, wins)."""
        text_n = normalize_apostrophes(text)
        spans: list[tuple[int, int]] = []
        if self._phrases is not None:
            pos = 0
            while True:
                m = self._phrases.search(text_n, pos)
                if m is None:
                    break
                start, end = m.span(1)
                spans.append((start, end))
                # Restart at the phrase's end, not the match's: the match ate
                # the boundary character the next phrase may need.
                pos = max(end, start + 1)
        for regex in self._regexes:
            pos = 0
            while pos <= len(text_n):
                m = regex.search(text_n, pos)
                if m is None:
                    break
                start, end = m.span()
                if end > start:  # an empty match quotes nothing
                    spans.append((start, end))
                pos = end if end > start else end + 1
        spans.sort(key=lambda s: (s[0], -s[1]))
        out: list[Match] = []
        last_end = -1
        for start, end in spans:
            if start >= last_end:
                out.append(Match(start, end, text[start:end]))
                last_end = end
        return out

    def search(self, text: str) -> Match | None:
        """The first match, or None."""
        found = self.find_all(text)
        return found[0] if found else None

    def __bool__(self) -> bool:
        return bool(self.entries)


def compile_phrases(entries: Iterable[str]) -> Matcher:
    """Compile phrases and ``/regex/`` entries; ValueError names a bad entry."""
    entries = tuple(entries)
    phrases: list[str] = []
    regexes = []
    for entry in entries:
        if not isinstance(entry, str):
            raise ValueError(f"pattern must be a string, not {type(entry).__name__}: {entry!r}")
        if is_regex(entry):
            regexes.append(compile_regex(entry))
        elif entry.strip():
            phrases.append(_phrase_pattern(entry))
        else:
            raise ValueError("empty phrase")
    program = None
    if phrases:
        # Longest first, so "not my problem" wins over "not my" at one place.
        body = "|".join(sorted(set(phrases), key=len, reverse=True))
        pattern = f"(?i)(?:^|[^{_WORD}])({body})(?:[^{_WORD}]|$)"
        try:
            program = re2.compile(pattern, _options())
        except re2.error as error:
            raise ValueError(f"phrase list too large or invalid: {_error_text(error)}") from None
    return Matcher(entries, program, tuple(regexes))
