"""Text detectors shared by the rules: pure functions over one post's text.

Each returns the span(s) it matched (:class:`Match`) so findings can quote
the words. Heavy dependencies (VADER's lexicon, the toxicity check's models
and onnxruntime) load on first use, never at import.

==================  ======================================================
module              detector
==================  ======================================================
``promises``        ``find_promise``: "DM us", "we'll get back to you"
``channels``        ``find_channels``: DM invitation, e-mail, phone, link
``sentiment``       ``sentiment``, ``is_complaint``: VADER compound score
``questions``       ``is_question``
``profanity``       ``find_profanity``: curated word list, disguised spellings
``toxicity``        ``toxicity_scores``: trained classifiers, batched
``toxicity_base``   alt-profanity-check's model from plain numbers (first stage)
``transformer``     the toxicity check's second stage (MiniLM, int8 ONNX)
``shouting``        ``shouting``: mostly capitals, acronyms excepted
``patterns``        ``compile_phrases``: policy phrases and /regex/ (RE2)
==================  ======================================================
"""

from auditor.text.spans import Match

__all__ = ["Match"]
