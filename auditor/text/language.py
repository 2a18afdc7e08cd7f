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
from collections.abc import Sequence
from typing import TYPE_CHECKING

from auditor.text.spans import EMAIL_RE, HANDLE_RE, URL_RE, cannot_match

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


def languages_of(items: Sequence[tuple[str, str | None]], at_least: float = CONFIDENT) -> list[str | None]:
    """`language_of` for many (text, lang) pairs at once: the detector reads every text no source tagged in one batch
    (its guess counts when it is at least `at_least` sure)."""
    given = [source_language(lang) for _, lang in items]
    untagged = [text for (text, _), language in zip(items, given) if language is None]
    detected = iter(detect_many(untagged, at_least))
    return [language if language is not None else next(detected) for language in given]


def reads_as_english(items: Sequence[tuple[str, str | None]]) -> dict[tuple[str, str | None], bool]:
    """For each distinct (text, lang): whether a complaint may be read in it by sentiment, a check built for
    English (German "danke für die Info" is -0.46 to VADER: "die"). Here the detector's guess counts from
    `COMPLAINT_SURE` on, not `CONFIDENT`: a complaint missed costs less than one read in Spanish words
    ("Hola @AppleSupport necesito urgente la actualización..." was a complaint, the detector 0.9 sure of nothing)."""
    distinct = list(dict.fromkeys(items))
    return {item: language in (None, ENGLISH) for item, language in zip(distinct, languages_of(distinct, COMPLAINT_SURE))}


# How sure the detector must be of another language before a text is not read for complaints: 0.7 keeps short
# English ones ("horrible horrible" is Basque at 0.6, "fail fail fail" French) and drops clear Spanish.
COMPLAINT_SURE = 0.7


def detect(text: str) -> str | None:
    """The detector's language for ``text`` when it is at least `CONFIDENT` sure, else None."""
    return detect_many([text])[0]


def detect_many(texts: Sequence[str], at_least: float = CONFIDENT) -> list[str | None]:
    """`detect` for each text, as one batch (a language when the detector is at least `at_least` sure).

    py3langid walks a text's bytes through its automaton one byte at a time in Python (about 0.2 ms a
    tweet) and scores each text with its own small matrix product. Here the automaton walks every
    text of a batch in step, one numpy operation per byte position, and one sparse product scores them
    all: the same features, counts and model, so the same answers (tests/text/test_text_language.py
    holds it to py3langid's own `classify` on real tweets in several languages)."""
    answers: list[str | None] = [None] * len(texts)
    readable: list[int] = []
    encoded: list[bytes] = []
    for i, text in enumerate(texts):
        cleaned = readable_part(text)
        if _has_letter(cleaned):
            readable.append(i)
            encoded.append(_identifier()._encode(cleaned))
    if not readable:
        return answers
    model = _model()
    # Texts of like length walk together, so a batch pads little.
    order = sorted(range(len(encoded)), key=lambda k: len(encoded[k]))
    for start in range(0, len(order), _BATCH):
        chunk = order[start:start + _BATCH]
        for k, answer in zip(chunk, model.classify([encoded[k] for k in chunk], at_least)):
            answers[readable[k]] = answer
    return answers


def readable_part(text: str) -> str:
    """``text`` with its links, e-mail addresses, @handles, "#" and HTML entities replaced by spaces, in that
    order. A mask only scans a text when its cheap test (spans.cannot_match) allows a match: most posts
    have no link, no address and no entity."""
    for mask in (URL_RE, EMAIL_RE, HANDLE_RE):
        if not cannot_match(mask, text):
            text = mask.sub(" ", text)
    if "&" in text or "#" in text:
        text = _NOISE.sub(" ", text)
    return text


_ASCII_LETTER = re.compile(r"[A-Za-z]")


def _has_letter(text: str) -> bool:
    # In ASCII text the letters are A-Z and a-z: one scan in C instead of a Python loop over characters.
    return _ASCII_LETTER.search(text) is not None or (not text.isascii() and any(c.isalpha() for c in text))


# Texts scored together: the automaton's state for each is one row of a numpy array.
_BATCH = 512


class _BatchModel:
    """py3langid's automaton and naive Bayes tables as numpy arrays, scoring texts a batch at a time."""

    def __init__(self, identifier: LanguageIdentifier) -> None:
        import numpy as np

        self.next_state = np.frombuffer(identifier.tk_nextmove, dtype=np.uint32)
        self.row_base = np.asarray(identifier._rowbase, dtype=np.int64)
        self.feature_of = np.asarray(identifier.tk_output, dtype=np.int64)
        # float16 widened exactly, in row order: the sparse product reads it by rows
        self.per_feature = np.ascontiguousarray(identifier.nb_ptc, dtype=np.float32)
        self.prior = np.asarray(identifier.nb_pc, dtype=np.float32)
        self.classes = list(identifier.nb_classes)
        self.aliases = list(identifier._alias_pairs)

    def classify(self, texts: list[bytes], at_least: float = CONFIDENT) -> list[str | None]:
        import numpy as np
        from scipy.sparse import csr_matrix

        count = len(texts)
        lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=count)
        width = int(lengths.max())
        # Each text's bytes in its row, padded with zeros: one scatter of all the batch's bytes.
        letters = np.zeros((count, width), dtype=np.int64)
        starts = np.cumsum(lengths) - lengths
        row_of = np.repeat(np.arange(count), lengths)
        letters[row_of, np.arange(len(row_of)) - starts[row_of]] = np.frombuffer(b"".join(texts), dtype=np.uint8)
        features = np.empty((count, width), dtype=np.int64)
        state = np.zeros(count, dtype=np.int64)
        for position in range(width):
            state = self.next_state[self.row_base[state] + letters[:, position]].astype(np.int64)
            features[:, position] = self.feature_of[state]
        inside = (np.arange(width) < lengths[:, None]) & (features >= 0)
        rows, columns = np.nonzero(inside)
        found = features[rows, columns]
        # Counts of each (text, feature), as py3langid's Counter makes them: `nonzero` gives the features
        # row by row, so they are already a sparse matrix's rows, and summing its repeated entries counts them.
        per_text = np.bincount(rows, minlength=count)
        weights = csr_matrix((np.ones(len(found), dtype=np.float32), found, np.concatenate(([0], np.cumsum(per_text)))),
                             shape=(count, len(self.per_feature)))
        weights.sum_duplicates()
        np.log1p(weights.data, out=weights.data)
        scores = np.asarray(weights @ self.per_feature, dtype=np.float32) + self.prior
        # A text without a single feature scores 0 for every language: uniform, so no answer.
        scores[per_text == 0] = 0.0
        # Normalised as py3langid does: T = sqrt(bytes), then a softmax.
        scores *= (1.0 / np.sqrt(np.maximum(lengths, 1))).astype(np.float32)[:, None]
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        scores /= scores.sum(axis=1, keepdims=True)
        for first, alias in self.aliases:
            scores[:, first] += scores[:, alias]
            scores[:, alias] = 0.0
        best = scores.argmax(axis=1)
        confidence = scores[np.arange(count), best]
        return [self.classes[b] if c >= at_least else None for b, c in zip(best.tolist(), confidence.tolist())]


@lru_cache(maxsize=1)
def _model() -> _BatchModel:
    # What `classify` imports, imported with the model: worker processes forked after loading share
    # it, where importing it on their first batch cost each of them 22 MB of its own.
    import scipy.sparse  # noqa: F401

    identifier = _identifier()
    model = _BatchModel(identifier)
    # Its tables are now the model's arrays (the automaton shared, the rest converted): the identifier
    # is kept for `_encode` only, and py3langid's own copies go, 14 MB of every audit's memory.
    identifier.nb_ptc = identifier.tk_output = identifier.tk_row = identifier._rowbase = None
    return model


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    # Imported and built on first use (~0.3 s): most commands never need it.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(_CANDIDATES)
    # The table of all 97 languages is kept only to choose other ones later, which is never done here:
    # 28 MB of every audit's memory.
    identifier._full_model = None
    return identifier


def load_detector() -> None:
    """Build the detector now (worker processes forked afterwards share it)."""
    _model()
