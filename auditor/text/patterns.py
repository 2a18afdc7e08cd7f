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

RE2 is linear in the text, but the constant is the size of the compiled
program when its fast DFA gives up (counted repetitions such as ``[ab]{1000}``
make it give up on text built for it): a ``/regex/`` may compile to at most
``MAX_PROGRAM`` instructions, and runs without capture groups (a finding
quotes the whole match), which keeps RE2 on its DFA. A text is searched as
UTF-8 bytes encoded once: the Python wrapper re-encodes a ``str`` on every
call, which made 50,000 matches in a 50,000-character post take 30 s. At most
``MAX_MATCHES`` matches of each entry are collected from one text.
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
# Instructions in one /regex/ entry's RE2 program. When RE2's DFA gives up it
# simulates the program, at ~16 ns per instruction per byte: a 3,000-instruction
# pattern spends ~5 s on a hostile 100,000-character post (the longest text an
# event may hold), ~50 ms on 1,000 characters. Real patterns are far smaller:
# `\bwhatever\b` is 20, an e-mail pattern 40, `(.*a){20}` 184, and Unicode
# classes are the largest legitimate part (`\pL+\s+\pL+` is 2,406).
MAX_PROGRAM = 3_000
# Matches of one entry collected from one text: a finding quotes the words it
# found, it does not count them, and a pattern that matches at every character
# of a long post must not cost one search per character.
MAX_MATCHES = 100


def _options(*, capture: bool = True) -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # errors become ValueError; RE2 should not print
    options.max_mem = _MAX_MEM
    # Without capture groups RE2 answers a search with its DFA alone; with them it runs a
    # slower engine over the match, which for `(.*a){20}` is the whole text.
    options.never_capture = not capture
    return options


def _error_text(error: Exception) -> str:
    arg = error.args[0] if error.args else error
    return arg.decode("utf-8", "replace") if isinstance(arg, bytes) else str(arg)


def is_regex(entry: str) -> bool:
    return len(entry) >= 2 and entry.startswith("/") and entry.endswith("/")


def _phrase_pattern(words: list[str]) -> str:
    return r"\s+".join(re2.escape(word) for word in words)


def compile_regex(entry: str) -> re2._Regexp:
    """Compile one ``/regex/`` entry (case-insensitive), or raise ValueError."""
    body = entry[1:-1]
    if not body:
        raise ValueError(f"empty regular expression {entry!r}")
    try:
        regex = re2.compile("(?i)" + body, _options(capture=False))
    except re2.error as error:
        raise ValueError(
            f"invalid regular expression {entry!r}: {_error_text(error)} "
            "(patterns use RE2 syntax: no back-references or look-around)"
        ) from None
    if regex.programsize > MAX_PROGRAM:
        raise ValueError(
            f"regular expression {_show(entry)} is too complex: it compiles to {regex.programsize} "
            f"instructions, at most {MAX_PROGRAM} are allowed (use smaller {{n,m}} counts, "
            "fewer alternatives or plain phrases)"
        )
    if regex.search(b"") is not None:
        # `/x*/`, `/(foo)?/`, a stray `|`: it "matches" at every character of every post
        # (one search each, nothing to quote), which is always a mistake.
        raise ValueError(f"regular expression {_show(entry)} matches empty text, so it would match "
                         "anywhere (use + instead of *, or drop an empty alternative)")
    return regex


def _show(entry: str, limit: int = 60) -> str:
    return repr(entry) if len(entry) <= limit else repr(entry[: limit - 3] + "...")


@dataclass(frozen=True)
class Matcher:
    """Finds any of a list of phrases and regexes in a text."""

    entries: tuple[str, ...]
    _phrases: object | None  # one RE2 program for all plain phrases
    _regexes: tuple[object, ...]  # one RE2 program per /regex/ entry
    # The phrases' longest words, lower-cased: the program can only match a text whose folded form
    # (`_folded`) holds one. None when a phrase has a word beyond ASCII (no such screen is proven).
    _needs: tuple[str, ...] | None = None

    def find_all(self, text: str) -> list[Match]:
        """Matches left to right, without overlaps (the earlier, then the longer, wins).

        At most ``MAX_MATCHES`` of each entry (all plain phrases count as one entry).
        """
        if not self.entries or not text:
            return []
        # Most texts hold none of the phrases: a substring test on the folded text is a tenth of the
        # cost of a search through RE2's Python wrapper.
        norm = normalize_apostrophes(text)
        phrases = self._phrases
        if phrases is not None and self._needs is not None:
            folded = _folded(norm)
            if not any(word in folded for word in self._needs):
                phrases = None
        if phrases is None and not self._regexes:
            return []
        # Offsets are found in the UTF-8 bytes and mapped back to characters once at the end.
        data = norm.encode("utf-8", "surrogatepass")
        size = len(data)
        spans: list[tuple[int, int]] = []
        if phrases is not None:
            pos = found = 0
            while found < MAX_MATCHES:
                m = phrases.search(data, pos)
                if m is None:
                    break
                start, end = m.span(1)
                spans.append((start, end))
                found += 1
                # Restart at the phrase's end, not the match's: the match ate
                # the boundary character the next phrase may need.
                pos = max(end, start + 1)
        for regex in self._regexes:
            pos = found = 0
            while pos <= size and found < MAX_MATCHES:
                m = regex.search(data, pos)
                if m is None:
                    break
                start, end = m.span()
                if end > start:  # an empty match quotes nothing
                    spans.append((start, end))
                    found += 1
                    pos = end
                else:
                    pos = _next_char(data, end)
        if size != len(text):  # not ASCII: byte offsets are not character offsets
            spans = _to_chars(data, spans)
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


def _folded(text: str) -> str:
    """``text`` lower-cased, with the one character RE2 matches case-insensitively to an ASCII letter
    that lower() leaves alone, long s (the Kelvin sign lower-cases to "k"): where a phrase of ASCII
    words matches, its words, lower-cased, are substrings of this."""
    folded = text.lower()
    return folded if folded.isascii() else folded.replace("\u017f", "s")


def _is_continuation(byte: int) -> bool:
    return byte & 0xC0 == 0x80


def _next_char(data: bytes, pos: int) -> int:
    """The offset of the character after the one at ``pos``."""
    pos += 1
    while pos < len(data) and _is_continuation(data[pos]):
        pos += 1
    return pos


def _to_chars(data: bytes, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Byte spans of ``data`` (UTF-8) as character spans, in one pass over it.

    RE2's ``\\C`` matches a single byte, so an offset may fall inside a character:
    a start moves back and an end forward to the character's edge.
    """
    def edge(offset: int, forward: bool) -> int:
        while 0 < offset < len(data) and _is_continuation(data[offset]):
            offset += 1 if forward else -1
        return offset

    edges = [(edge(start, False), edge(end, True)) for start, end in spans]
    chars: dict[int, int] = {0: 0}
    last = 0
    for offset in sorted({offset for span in edges for offset in span}):
        chars[offset] = chars[last] + len(data[last:offset].decode("utf-8", "surrogatepass"))
        last = offset
    return [(chars[start], chars[end]) for start, end in edges if end > start]


def compile_phrases(entries: Iterable[str]) -> Matcher:
    """Compile phrases and ``/regex/`` entries; ValueError names a bad entry."""
    entries = tuple(entries)
    phrases: list[str] = []
    longest: list[str] = []  # each phrase's longest word, lower-cased (`Matcher._needs`)
    regexes = []
    for entry in entries:
        if not isinstance(entry, str):
            raise ValueError(f"pattern must be a string, not {type(entry).__name__}: {entry!r}")
        if is_regex(entry):
            regexes.append(compile_regex(entry))
        elif entry.strip():
            words = normalize_apostrophes(entry).split()
            phrases.append(_phrase_pattern(words))
            longest.append(max(words, key=len).lower())
        else:
            raise ValueError("empty phrase")
    program = needs = None
    if phrases:
        needs = tuple(sorted(set(longest))) if all(word.isascii() for word in longest) else None
        # Longest first, so "not my problem" wins over "not my" at one place.
        body = "|".join(sorted(set(phrases), key=len, reverse=True))
        pattern = f"(?i)(?:^|[^{_WORD}])({body})(?:[^{_WORD}]|$)"
        try:
            program = re2.compile(pattern, _options())
        except re2.error as error:
            raise ValueError(f"phrase list too large or invalid: {_error_text(error)}") from None
    return Matcher(entries, program, tuple(regexes), needs)
