"""Profanity: whole words from a curated list, including disguised spellings.

Why not a package's matcher: better_profanity checks 23-60 texts a second and
flagged 20 % of ordinary human-rated tweets (docs/detectors.md), and the merged lists
on PyPI mix swear words with words like "domination" or "intercourse". The
list here (``profanity_words.txt``) says where each part came from.

The whole list is one compiled regular expression, built once per allow-list:
a word matches only as a whole word (Scunthorpe, assess, class, cocktail,
Dickens, Penistone, Middlesex and shiitake are clean), in any case, with

* repeated letters: "fuuuck", "shiiit" (two extra letters at least);
* look-alike characters: "sh1t", "a$$", "sh!t", "b@stard", "fvck";
* "*" standing for letters after the first: "f*ck", "f**k", "f***", "a**";
* Unicode look-alikes, read as the Latin letter they imitate: full-width
  "ｆｕｃｋ", letters with diacritics "fůck", Cyrillic and Greek homoglyphs
  ("fuсk" with a Cyrillic "с"), and invisible characters inside a word;
* single letters split by spaces, dots, dashes or underscores: "f u c k",
  "f.u.c.k", "s-h-i-t" (the whole run must spell one listed word);
* respellings, which are entries of the list ("fcuk", "phuck", "biatch", "a-hole").

Each branch is deterministic (a letter run, or exactly one "*" per letter),
so the pattern cannot backtrack badly on long runs of "*" or letters.
Harmless idioms ("dependency hell") are the tone rule's business: see idioms.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib.resources import files

import re2

from auditor import speedups
from auditor.text.spans import EMAIL_RE, HANDLE_RE, URL_RE, Match, blank_out

# Characters people type instead of a letter.
_LOOKALIKES = {
    "a": "a@4",
    "e": "e3",
    "i": "i1!",
    "o": "o0",
    "s": "s$5",
    "t": "t7",
    "u": "uv",
}


# Words of the list that, written with a capital, are names far more often than insults in posts: "Philip K.
# Dick", "Dick's Sporting Goods", "Dr. Emily Dyke", "Dick Van Dyke", Kike (Enrique, in Spanish).
_NAMES = frozenset({"Dick", "Dicks", "Dyke", "Dykes", "Kike"})

# Letters of other scripts that look Latin (the rest is left to Unicode's own decomposition:
# full-width and mathematical letters, and letters with diacritics, fold to their base letter).
_HOMOGLYPHS = dict(zip(
    "аеорсухкіїјѕԁԛԝһӏвмнтАВЕКМНОРСТХУІЈЅ" "αοειικνρτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ" "‐‑‒–—−",
    "aeopcyxkiijsdqwhlbmhtABEKMHOPCTXYIJS" "aoeiikvptuxABEZHIKMNOPTYX" "------",
))
# Characters that do not show, typed inside a word to break a filter: skipped when reading.
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
_SKIP = "\x00"  # what an invisible character folds to, before it is taken out

# Single letters (or look-alike symbols) split by one kind of separator, three letters at least:
# "f u c k", "f.u.c.k", "s-h-1-t". A run of more than 21 is no word, and is not tried at all.
_SPACED = re.compile(
    r"(?<![\w$@!*.-])(?:[^\W_]|[$@!])(?P<sep>[ ._-])(?:(?:[^\W_]|[$@!])(?P=sep)){1,20}(?:[^\W_]|[$@!])"
    r"(?![\w$@!*])(?!(?P=sep)(?:[^\W_]|[$@!])(?![\w$@!*]))"
)


@lru_cache(maxsize=1)
def words() -> tuple[str, ...]:
    """The built-in list, in file order."""
    raw = files("auditor.text").joinpath("profanity_words.txt").read_text(encoding="utf-8")
    out = []
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line:
            out.append(line)
    return tuple(dict.fromkeys(out))


def _runs(word: str) -> list[tuple[str, int]]:
    """ "ass" -> [("a", 1), ("s", 2)]."""
    out: list[tuple[str, int]] = []
    for ch in word:
        if out and out[-1][0] == ch:
            out[-1] = (ch, out[-1][1] + 1)
        else:
            out.append((ch, 1))
    return out


def _run_pattern(ch: str, count: int, first: bool, space: str = r"[\s_-]+") -> str:
    if ch == " ":
        return space
    if ch == "-":
        return "-"  # "a-hole" is not "a hole" (nor "a hole in the roof")
    cls = "[" + re.escape(_LOOKALIKES.get(ch, ch)) + "]"
    # A stretched letter is typed at least twice more ("fuuuck"): one extra
    # letter would turn "asses" into "assess" and "hel" into "hell".
    letters = f"{cls}{{{count}}}(?:{cls}{{2,}})?"
    if first:
        return letters
    # A "*" hides exactly one letter, so "a**" is "ass" and "f***" is "fuck".
    return f"(?:{letters}|\\*{{{count}}})"


def _word_pattern(word: str, space: str = r"[\s_-]+") -> str:
    return "".join(_run_pattern(ch, n, i == 0, space) for i, (ch, n) in enumerate(_runs(word)))


@lru_cache(maxsize=32)
def _compiled(allow: frozenset[str]) -> re.Pattern[str]:
    # Longest first, so "fuckers" is reported whole rather than as "fucker".
    by_first: dict[str, list[str]] = {}
    for word in sorted((w for w in words() if w not in allow), key=len, reverse=True):
        by_first.setdefault(word[0], []).append(_word_pattern(word))
    if not by_first:
        return re.compile(r"(?!)")
    # Python's re tries every branch at every position; a look-ahead on the
    # first character in front of each group of branches skips most of them
    # at once (4x faster on tweets than one flat alternation).
    groups = [f"(?=[{re.escape(_LOOKALIKES.get(f, f))}])(?:{'|'.join(b)})" for f, b in by_first.items()]
    firsts = "".join(sorted({c for f in by_first for c in _LOOKALIKES.get(f, f)}))
    body = f"(?=[{re.escape(firsts)}])(?:{'|'.join(groups)})"
    # Whole words: no letter, digit, "*" or look-alike symbol on either side.
    # Excluding "$" and "!" before a match also keeps a long run of them from
    # being tried at every position (quadratic time).
    return re.compile(rf"(?<![\w*@$!])(?:{body})(?![\w*])", re.IGNORECASE)


def find_profanity(text: str, allow: Iterable[str] = ()) -> list[Match]:
    """Every listed word in ``text``, left to right, except those in ``allow``
    (entries of the list, any case). Words inside links, e-mail addresses and
    @handles are not the author's language and are skipped."""
    allowed = frozenset(a.strip().lower() for a in allow)
    pattern = _compiled(allowed)
    clean = blank_out(text, URL_RE, EMAIL_RE, HANDLE_RE)
    folded, where = _fold(clean)
    words_may, spaced_may = _may_match(folded, allowed) if speedups.enabled() else (True, True)
    found: list[tuple[int, int]] = []
    for m in pattern.finditer(folded) if words_may else ():
        if _is_word(m.group()):
            found.append(m.span())
    for m in _SPACED.finditer(folded) if spaced_may else ():
        letters = m.group().replace(m.group("sep"), "")
        if pattern.fullmatch(letters) and _is_word(letters):
            found.append(m.span())
    out = []
    for start, end in sorted(found):
        if where is not None:
            start, end = where[start], where[end - 1] + 1
        if end >= _SHORTENED_FROM and _SHORTENED.match(text, end):
            continue  # the last word of a shortened post, cut short: "as we ass... https://t.co/x" was "assist"
        out.append(Match(start, end, text[start:end]))
    return out


# How X's old API and exports of it (TWCS) shorten a long post: its first 100-140 characters, an ellipsis, and
# the link to the whole post. The word before the ellipsis may be cut, and what it was cannot be told. A short
# post ending "... <link>" or a long one ending "..." with no link is written so ("what the hell…").
_SHORTENED = re.compile(r"(?:\.\.\.|\u2026) https?://\S+\s*\Z")
_SHORTENED_FROM = 100


def _may_match(folded: str, allowed: frozenset[str]) -> tuple[bool, bool]:
    """Whether a listed word, and whether a run of spaced letters, may be in ``folded`` (blanked, folded).

    Two screens run with RE2 (linear: a DFA over the text) before Python's backtracking `re`,
    which then runs only on the few texts that pass. Each screen is its pattern with the
    look-arounds replaced by ASCII characters that the look-arounds also refuse, and white space
    inside a phrase loosened to any characters: every match of the real pattern lies inside a
    match of its screen, so a text a screen refuses has nothing that pattern would find (the
    tests hold the two ways equal on real posts and random text).
    """
    if not folded.isascii():
        folded = folded.translate(_CASE_FOLDS)
    found = _screens(allowed).Match(folded) or ()  # one pass of RE2 for both (None when neither)
    return 0 in found, 1 in found


# The four characters Python's case-insensitive `re` matches to ASCII letters ("ſ" to "s"):
# the screens see them as those letters.
_CASE_FOLDS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


@lru_cache(maxsize=32)
def _screens(allow: frozenset[str]) -> "re2.Set":
    """The screen of the listed words (without ``allow``), 0, and of spaced letters, 1, in one RE2 set."""
    words_screen = "|".join(_word_pattern(word, space=r"(?s:.+)") for word in words() if word not in allow)
    options = re2.Options()
    options.never_capture = True
    options.max_mem = 64 << 20
    screens = re2.Set.SearchSet(options)
    # No word left to find: a screen nothing matches (a character class of nothing).
    screens.Add(f"(?i)(?:^|[^A-Za-z0-9_*@$!])(?:{words_screen})(?:$|[^A-Za-z0-9_*])" if words_screen else r"[^\x00-\x{10FFFF}]")
    # Three single letters or symbols split by separators, alone: the least a `_SPACED` run holds.
    screens.Add(r"(?:^|[^A-Za-z0-9_$@!*.\-])[^\s._\-][ ._\-][^\s._\-][ ._\-][^\s._\-](?:$|[^A-Za-z0-9$@!*])")
    screens.Compile()
    return screens


def _is_word(found: str) -> bool:
    # "A55" is a phone model and "7175" a number, not "ass" and "tits":
    # a disguised word needs at least two real letters.
    if any(c.isdigit() for c in found) and sum(c.isalpha() for c in found) < 2:
        return False
    return found not in _NAMES


def _fold(text: str) -> tuple[str, list[int] | None]:
    """``text`` with look-alike letters read as Latin ones, and where each folded character came from.

    One character in, one out, so offsets stay those of ``text``; only invisible characters are taken
    out, and then the second value maps each folded position back (None when nothing was taken out).
    """
    if text.isascii():
        return text, None  # nearly every post: nothing to fold
    folded = text.translate(_FOLDS)
    if _SKIP not in folded:
        return folded, None
    where = [i for i, c in enumerate(folded) if c != _SKIP]
    return folded.replace(_SKIP, ""), where


class _Folds(dict):
    """`str.translate` table, filled one character at a time as texts bring new ones."""

    def __missing__(self, code: int) -> str:
        self[code] = value = _fold_char(chr(code))
        return value


def _fold_char(ch: str) -> str:
    if ch in _HOMOGLYPHS:
        return _HOMOGLYPHS[ch]
    if ch in _INVISIBLE or unicodedata.combining(ch):
        return _SKIP
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    # Only a single Latin letter or digit: "ﬁ" or "½" would change the text's length.
    return base if len(base) == 1 and base.isascii() and base.isalnum() else ch


_FOLDS = _Folds()
