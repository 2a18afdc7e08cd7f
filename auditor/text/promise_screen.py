"""Which built-in promise patterns may match a text, found in one pass of RE2.

The built-in patterns (:mod:`auditor.text.promise_patterns`) need Python's ``re``: they look
around ("PM" but not the PM of "5 PM") and read words the Unicode way. Run as one alternation they
cost some 25 µs a post, and most posts hold none of them. So each pattern is first loosened into
one RE2 can run: its look-arounds and word boundaries dropped, ``\\s`` read as any separator or
control character, ``\\w`` as any character but ASCII white space, ``\\d`` as any number. The
loosened pattern matches wherever the pattern does (it only asks less), and all of them go into
one RE2 set, which reads a text once and says which may match. `re` then runs only those, most
often none or one: leaving out an alternative that cannot match anywhere in the text changes no
match of the others (promises._alternation).

Case is ignored as ``re.IGNORECASE`` ignores it: the four non-ASCII letters it also matches to
ASCII ones are turned into them first. A pattern written with a construct this loosening does not
know is refused when the set is built. tests/text/test_shortcuts.py holds the set to ``re`` on
texts generated from each pattern, on real tweets and on any text.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import re2

from auditor import speedups
from auditor.text.promise_patterns import PATTERNS

# Case-insensitive `re` also matches these four letters to ASCII ones.
FOLD = str.maketrans({"\u0131": "i", "\u017f": "s", "\u212a": "k", "\u0130": "i"})

# What each escape of a pattern becomes: `\s` (Unicode white space, all of it in the separator and
# control categories), `\w` (never ASCII white space), `\d` (a decimal digit is a number); `\b`
# asks something of the text around and is dropped. Inside a class the same without brackets.
_LOOSER = {"s": (r"[\pZ\pC]", r"\pZ\pC"), "w": (r"\S", r"\S"), "d": (r"\pN", r"\pN"), "b": ("", None)}
_LOOK_AROUNDS = ("(?=", "(?!", "(?<=", "(?<!")


def may_match(norm: str, allowed: tuple[int, ...]) -> tuple[int, ...]:
    """The patterns of ``allowed`` that may match ``norm`` (a text with its apostrophes normalized)."""
    if not speedups.enabled():
        return allowed
    found = _screen().Match(norm if norm.isascii() else norm.translate(FOLD))
    if not found:
        return ()
    return tuple(i for i in allowed if i in found)


@lru_cache(maxsize=1)
def _screen() -> "re2.Set":
    options = re2.Options()
    options.never_capture = True
    options.case_sensitive = False
    screen = re2.Set.SearchSet(options)
    for pattern in PATTERNS:
        screen.Add(loosened(pattern.regex))  # the set numbers them in PATTERNS' order
    screen.Compile()
    return screen


def loosened(regex: str) -> str:
    """An RE2 pattern that matches wherever the Python pattern ``regex`` does (see the module's
    docstring). Raises ValueError on what it does not know: a negated class, an anchor, a dot, an
    inline flag, a group of another kind, an escape other than ``\\s \\w \\d \\b`` and punctuation."""
    out: list[str] = []
    dropping = 0  # the open parentheses of a look-around being dropped
    for at, piece, in_class in _pieces(regex):
        if dropping:
            if not in_class and piece in ("(", ")"):
                dropping += 1 if piece == "(" else -1
        elif not in_class and regex.startswith(_LOOK_AROUNDS, at):
            dropping = 1
        elif piece.startswith("\\"):
            escaped = piece[1:]
            if escaped in _LOOSER:
                replacement = _LOOSER[escaped][1 if in_class else 0]
                if replacement is None:
                    raise ValueError(f"\\{escaped} inside a class: {regex!r}")
                out.append(replacement)
            elif escaped and not escaped.isalnum():
                out.append(piece)
            else:
                raise ValueError(f"an escape the screen cannot loosen, \\{escaped}: {regex!r}")
        elif in_class:
            out.append(piece)
        elif regex.startswith("[^", at):
            raise ValueError(f"a negated class cannot be loosened: {regex!r}")
        elif piece == "(" and not regex.startswith("(?:", at):
            raise ValueError(f"only (?:...) groups and look-arounds can be loosened: {regex!r}")
        elif piece in (".", "^", "$"):
            raise ValueError(f"{piece!r} cannot be loosened: {regex!r}")
        else:
            out.append(piece)
    return "".join(out)


def _pieces(regex: str) -> Iterator[tuple[int, str, bool]]:
    """Each piece of ``regex`` (an escape, two characters, or one character) with where it starts and
    whether it is inside a class (the opening bracket is not, the closing one is)."""
    at, in_class = 0, False
    while at < len(regex):
        piece = regex[at:at + 2] if regex[at] == "\\" else regex[at]
        yield at, piece, in_class
        in_class = piece != "]" if in_class else piece == "["
        at += len(piece)
