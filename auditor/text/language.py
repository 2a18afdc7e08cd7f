"""The language of a post, for the checks that only read English (sentiment, toxicity, the profanity list).

The source's word comes first: X gives every post a `lang` (BCP 47: `en`,
`es`, `pt-BR`...), and canonical JSONL may carry it too. X's own codes for
"no language" (`und`, `zxx`, `qme`, `qst`, `qam`, `qht`, `art`) and a missing
`lang` leave the question to an offline detector: py3langid (BSD-3-Clause,
its model ships in its wheel; nothing is downloaded). It is asked to choose
among the languages most used on X, and its answer counts only when it is at
least `CONFIDENT` sure; otherwise the language is unknown.

Unknown is scored as English. A wrong "not English" would silence the checks
on an English insult, so the detector is held to "unknown rather than wrong":
on the X archives in shared/data it called none of 1,251 posts that X labels
English another language, and it found 581 of the 878 Spanish, German,
Portuguese, French, Catalan, Italian and Dutch ones (docs/detectors.md).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from auditor.text.spans import EMAIL_RE, HANDLE_RE, URL_RE

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

ENGLISH = "en"
# The detector's answer counts from this (normalised) probability on: measured in docs/detectors.md.
CONFIDENT = 0.9
# X's codes for a post it could not or would not tag with a language.
_NO_LANGUAGE = frozenset({"und", "zxx", "qme", "qst", "qam", "qht", "qct", "art", "mis", "mul"})
# The languages most used on X (and Spain's co-official ones, which the detector otherwise confuses
# with Spanish). A choice among fewer languages is surer; a text in a language not listed still
# comes out as one of them, not as English.
_CANDIDATES = (
    "en ja es pt ar th ko fr tr id ru de it tl hi nl pl fa ur sv ca zh el he uk cs ro ms hu da fi no vi bn ta gl eu"
).split()
# What the detector should not read: links, addresses, @handles, "#" and HTML entities.
_NOISE = re.compile(r"&(?:amp|lt|gt|quot|#\d+);|#")


def source_language(lang: str | None) -> str | None:
    """The primary language subtag a source gave (`pt-BR` -> `pt`), or None when it gave none."""
    if not lang:
        return None
    primary = lang.strip().lower().replace("_", "-").split("-", 1)[0]
    if not primary or primary in _NO_LANGUAGE:
        return None
    return primary


def language_of(text: str, lang: str | None = None) -> str | None:
    """The language of ``text``: the source's ``lang`` where it gave one, else the detector's confident
    guess, else None (unknown)."""
    given = source_language(lang)
    if given is not None:
        return given
    return detect(text)


def reads_as_english(text: str, lang: str | None = None) -> bool:
    """True when the English-only checks apply: the language is English or unknown."""
    return language_of(text, lang) in (None, ENGLISH)


@lru_cache(maxsize=50_000)
def detect(text: str) -> str | None:
    """The detector's language for ``text`` when it is at least `CONFIDENT` sure, else None."""
    cleaned = _NOISE.sub(" ", HANDLE_RE.sub(" ", EMAIL_RE.sub(" ", URL_RE.sub(" ", text))))
    if not any(c.isalpha() for c in cleaned):
        return None
    language, probability = _identifier().classify(cleaned)
    return language if probability >= CONFIDENT else None


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    # Imported and built on first use (~0.3 s): most commands never need it.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(_CANDIDATES)
    return identifier


def load_detector() -> None:
    """Build the detector now (worker processes forked afterwards share it)."""
    _identifier()
