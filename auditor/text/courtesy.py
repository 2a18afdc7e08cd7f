"""Apologies and sympathy: what a support reply says to be kind, set aside before the negativity check judges it.

VADER reads "I'm sorry for the frustration!" as -0.69 and "Sorry to hear this process
was so frustrating" as -0.62: "sorry", "frustration" and "trouble" are negative words in
its lexicon, and support staff use them to apologise. At the contract's example cut
(`negativity: {below: -0.6}`) 16 of the 1,127 real brand replies of
`shared/data/twcs` were findings, every one an apology, a word of sympathy or bad news
broken gently (docs/detectors.md, "Apologies and sympathy").

`set_aside` blanks these phrases out (offsets kept, as `idioms.set_aside` does):

* an apology and what it is for, when that is a mishap or the customer's experience:
  "so sorry", "my apologies", "we apologise for the delay and trouble", "sorry about
  the inconvenience", "sorry you're still having trouble";
* sympathy: "sorry to hear about the trouble", "this is saddening to hear", "we hate to
  hear that", "we would hate to see you go", "I understand your frustration", "that
  must be frustrating";
* the words that break bad news gently: "unfortunately", "sadly", "regrettably".

Only these: what else the sentence says is still read. "Sorry, but you are an idiot"
keeps "but you are an idiot"; "sorry for your stupidity" keeps "your stupidity" (an
apology's object is set aside only when it is a mishap from the list below). The tone
rule scores the post both as written and with these set aside, and flags it only when
both are below the cut (`rules/tone.py`), so setting aside never makes a finding: it can
only spare an apology.
"""

from __future__ import annotations

import re

from auditor.text.spans import Match, blank_spans

# What an apology or sympathy is for: a mishap, or how the customer feels about it.
_MISHAPS = (
    "delay", "delays", "trouble", "troubles", "frustration", "frustrations", "inconvenience", "inconveniences",
    "confusion", "wait", "waiting", "disappointment", "hassle", "issue", "issues", "problem", "problems",
    "experience", "mix-up", "mixup", "mistake", "mistakes", "error", "errors", "difficulty", "difficulties",
    "annoyance", "stress", "upset", "situation", "worry", "worries", "concern", "concerns", "bother", "oversight",
    "misunderstanding", "reply", "response", "loss", "outage", "disruption", "disruptions", "cancellation",
    "cancellations", "damage", "news", "service",
)
# Words that may stand between the article and the mishap ("the long wait", "any further inconvenience").
_DESCRIBING = (
    "long", "late", "delayed", "extended", "continued", "ongoing", "recent", "further", "unexpected", "additional",
    "earlier", "poor", "bad", "slow", "lengthy", "frustrating", "unfortunate", "negative", "disappointing",
)
_DETERMINERS = r"(?:the|your|any|this|that|these|those|our|all\s+the|all|such\s+an?|an?)"
_OBJECT = (
    rf"(?:{_DETERMINERS}\s+)?(?:(?:{'|'.join(_DESCRIBING)})\s+(?:and\s+)?)*(?:{'|'.join(_MISHAPS)})"
)
# "for the delay and trouble", "for any frustrations or poor service"
_FOR_MISHAPS = rf"(?:\s+(?:for|about|over)\s+{_OBJECT}(?:\s*(?:,|and|or|&)\s*{_OBJECT})*)?"
_INTENSIFIER = r"(?:so|very|really|truly|terribly|deeply|sincerely|extremely|awfully|incredibly|genuinely|super)"
# The customer's side of it: "sorry you're still having trouble", "sorry that you had to wait".
_YOU_WENT_THROUGH = (
    r"(?:\s+(?:that\s+)?you(?:'re|'ve|'d|\s+are|\s+have|\s+had|\s+were)?\s+(?:still\s+|been\s+|now\s+)*"
    r"(?:having|had|experiencing|experienced|dealing\s+with|dealt\s+with|going\s+through|went\s+through|facing|"
    r"faced|running\s+into|ran\s+into|seeing|getting|stuck\s+with|waiting|to\s+wait)"
    rf"(?:\s+{_OBJECT})?)?"
)
_FEELING = r"(?:frustrating|annoying|upsetting|disappointing|stressful|inconvenient|worrying|concerning)"

_PHRASES = (
    # sympathy (before the plain apology: the first phrase that matches at a place is the one taken)
    rf"(?:(?:i|we)(?:'m|'re|\s+am|\s+are)\s+)?(?:{_INTENSIFIER}\s+)*"
    rf"(?:sorry|sad|saddened|saddening|upsetting|unfortunate|disappointing)\s+to\s+"
    rf"(?:hear|see|read|learn|disappoint|bother|trouble)(?:\s+(?:that|this|it|you))?{_FOR_MISHAPS}",
    # apologies, with what they are for
    rf"(?:(?:i|we)(?:'m|'re|\s+am|\s+are)\s+)?(?:{_INTENSIFIER}\s+)*sorry{_FOR_MISHAPS}{_YOU_WENT_THROUGH}",
    rf"(?:(?:my|our)\s+)?(?:(?:sincere|sincerest|deepest|humble|many)\s+)?apolog(?:y|ies){_FOR_MISHAPS}",
    rf"(?:(?:i|we)\s+)?(?:(?:do|must|sincerely|truly|deeply|really)\s+)?apolog(?:i[sz]e|i[sz]es|i[sz]ed|i[sz]ing)"
    rf"{_FOR_MISHAPS}",
    rf"(?:i|we)\s+(?:(?:do|deeply|sincerely|truly|really)\s+)?regret{_FOR_MISHAPS}",  # not a bare "REGRET!"
    rf"(?:(?:i|we)(?:'d|\s+would)?\s+)?(?:really\s+)?hate\s+to\s+(?:hear|see|read|learn)(?:\s+(?:that|this|it))?"
    rf"(?:\s+you\s+go)?{_FOR_MISHAPS}",
    rf"(?:i|we)\s+(?:(?:completely|totally|fully|really|can|do|definitely)\s+)*understand"
    rf"(?:\s+{_OBJECT}|\s+how\s+{_FEELING}\s+(?:this|that|it)\s+(?:is|must\s+be|can\s+be|has\s+been|was))?",
    rf"(?:that|this|it)\s+(?:must\s+be|must\s+have\s+been|sounds|sounds\s+so|is\s+so|can\s+be)\s+"
    rf"(?:{_INTENSIFIER}\s+)?{_FEELING}",
    # bad news broken gently
    r"unfortunately|sadly|regrettably",
)

_PATTERN = re.compile(r"(?<![\w-])(?:" + "|".join(_PHRASES) + r")(?![\w-])", re.IGNORECASE)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
# Every phrase holds one of these (lower case): a text with none is answered without the pattern.
_CUES = ("sorry", "apolog", "regret", "sad", "hate", "understand", "unfortunate", "frustrating", "annoying",
         "upsetting", "disappointing", "stressful", "inconvenient", "worrying", "concerning")


def find_courtesy(text: str) -> list[Match]:
    """The apologies, words of sympathy and gentle bad news in ``text``, left to right."""
    lowered = text.lower()
    if not any(cue in lowered for cue in _CUES):
        return []
    return [Match(m.start(), m.end(), text[m.start():m.end()]) for m in _PATTERN.finditer(text.translate(_APOSTROPHES))]


def set_aside(text: str) -> str:
    """``text`` with its apologies and words of sympathy replaced by spaces (offsets unchanged)."""
    return blank_spans(text, find_courtesy(text))
