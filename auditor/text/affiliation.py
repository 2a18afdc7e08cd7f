"""First-person affiliation: does a post say, in the author's own voice, that they work for the employer?

Used by the `disclosure` rule when it names the employer (`employer: ["Acme", "@acme"]`).
An employee who writes "We at Acme just shipped…" has said where they work; "Acme's team
shipped…" has not (third person), nor "I used to work at Acme" (the past), nor "I don't
work at Acme". The built-in forms, with E for one of the employer's names or handles:

* "I work at/for E", "I'm working at E", "I currently work for E";
* "we at E", "we here at E", "join us at E", "here at E", "at E, we ...";
* "our team at E", "my colleagues/coworkers/teammates at E" (not "my friends at E");
* "I'm the <role> at/of/for E", "I'm a <role> at E", "as the <role> at E", "I'm <role> at E"
  (a role of one to four words; "I'm a customer at E" and "I'm waiting at E" are no role);
* "I lead/run/manage/head <team> at E", "Working on <something> at E" (opening a sentence);
* "I (have/just) joined E", "I'm an E employee", "I'm employed by E", "I'm an E <role>",
  "I'm a <role> @E", "Disclaimer: E employee", "E employee here", "our E team";
* "As an E employee", "I'm on/part of the E (support) team", "I work in E's support team",
  "proud to work at E", "my (new) job at E", "my employer E", "E (my employer)", "E, where I work";
* in Spanish, French, German, Portuguese and Italian: "trabajo en E", "je travaille chez E",
  "ich arbeite bei E", "trabalho na E", "lavoro per E".

A name matches as a whole word in any case ("Acme's" and "@acme" are Acme; "Acmeville" and
"@acme_support" are not); a handle matches that handle. The employer is a literal, escaped:
no policy text becomes a pattern.
"""

from __future__ import annotations

import re
from functools import lru_cache

from auditor.text.spans import Match, normalize_apostrophes

# Words that make "I'm a <word> at E" a relation other than working there.
_NOT_ROLES = (r"customer|client|user|guest|visitor|fan|member|shopper|subscriber|buyer|patient|passenger|"
              r"student|tourist|investor|partner|reseller|competitor|friend|stranger|regular|shareholder|"
              r"stockholder|owner|enthusiast|lover|supporter|critic|reviewer|alum|alumnus|alumna|addict")
# One word of a role: not a verb form ("waiting"), not a state ("stuck", "back"), not a relation above.
_NOT_STATES = (r"still|just|now|currently|here|there|so|very|stuck|back|home|out|in|lost|live|online|late|early|"
               r"already|always|never|not|no")
_ROLE_WORD = rf"(?!(?:{_NOT_ROLES})s?\b)(?![\w-]*(?:ing|ed)\b)(?!(?:{_NOT_STATES})\b)[\w&/-]+"
_ROLE = rf"(?:{_ROLE_WORD}\s+){{0,3}}{_ROLE_WORD}"
_I_AM = r"\bi(?:'m|\s+am)"


def _forms(employer: str) -> list[str]:
    e = employer
    return [
        rf"\bi(?:'m|\s+am)?\s+(?:currently\s+|now\s+|also\s+)?(?:work|working)\s+(?:at|for)\s+{e}",
        rf"\b(?:we|us)\s+(?:here\s+|all\s+)?at\s+{e}",
        rf"\bhere\s+at\s+{e}",
        rf"(?:^|[.!?]\s+|\n)at\s+{e}\s*,?\s+(?:we|our)\b",
        rf"\b(?:our|my)\s+(?:[\w-]+\s+){{0,2}}?(?:team|teams|colleagues|coworkers|co-workers|teammates|crew|folks)\s+"
        rf"(?:at|@)\s+{e}",
        rf"{_I_AM}\s+(?:the|a|an)\s+{_ROLE}\s+(?:at|of|for|@)\s+{e}",
        rf"{_I_AM}\s+{_ROLE}\s+(?:at|@)\s+{e}",
        rf"\bas\s+(?:the|a|an)\s+{_ROLE}\s+(?:at|of|for|@)\s+{e}",
        rf"\bi\s+(?:lead|run|manage|head)\s+(?:[\w&-]+\s+){{1,3}}?(?:at|@)\s+{e}",
        rf"(?:^|[.!?]\s+|\n)(?:i'm\s+|we're\s+)?working\s+(?:on|with)\s+(?:[\w'-]+\s+){{0,6}}?(?:at|@)\s+{e}",
        rf"\b(?:i|we)(?:'ve|\s+have)?\s+(?:just\s+|recently\s+)?joined\s+{e}(?!')",
        rf"{_I_AM}\s+(?:an?\s+)?{e}\s+(?:employee|staffer|team\s+member)",
        rf"{_I_AM}\s+(?:currently\s+|now\s+)?employed\s+(?:by|at|with)\s+{e}",
        rf"{_I_AM}\s+(?:an?\s+)?{e}\s+{_ROLE}\b",  # "I'm an Acme engineer" (not "an Acme customer")
        rf"{_I_AM}\s+(?:the|a|an)\s+{_ROLE}\s+(?:(?=@){e}|@{e})",  # "I'm an engineer @acme"
        rf"\b(?:disclaimer|disclosure)\s*:\s*(?:an?\s+)?{e}\s+(?:employee|staffer|team\s+member)",
        rf"{e}\s+(?:employee|staffer|team\s+member)\s+here\b",
        rf"{e}\s+{_ROLE}\s+here\b",  # "Acme engineer here" (not "Acme customer here")
        r"\bi\s+work\s+(?:here|there)\b",  # "Acme's new dashboard is great (I work here, so I'm biased)"
        # a launch in the first person plural: "We just shipped the new Acme dashboard" (not "we just bought")
        rf"\bwe(?:'ve|\s+have)?\s+(?:just\s+|finally\s+|officially\s+)?(?:shipped|launched|released|rolled\s+out|"
        rf"unveiled|announced)\s+(?:the\s+|our\s+)?(?:new\s+|latest\s+|first\s+)?{e}",
        rf"\b(?:our|my)\s+{e}\s+(?:team|teams|colleagues|coworkers|co-workers|teammates|crew|folks)\b",
        rf"\bas\s+(?:an?\s+)?{e}\s+(?:employee|staffer|team\s+member|{_ROLE})\b",  # "As an Acme employee"
        rf"{_I_AM}\s+(?:on|in|part\s+of)\s+(?:the\s+)?{e}(?:'s)?\s+(?:[\w-]+\s+){{0,2}}?(?:team|crew|staff|squad)\b",
        rf"\bi\s+work\s+(?:in|on)\s+(?:the\s+)?{e}(?:'s)?\s+(?:[\w-]+\s+){{0,2}}?(?:team|department|group)\b",
        rf"\b(?:proud|happy|glad|lucky|excited|thrilled|blessed|grateful)\s+to\s+(?:be\s+)?work(?:ing)?\s+"
        rf"(?:at|for)\s+{e}",
        rf"\bmy\s+(?:new\s+|current\s+|day\s+)?(?:job|role|position)\s+(?:at|with|@)\s+{e}",
        rf"\bmy\s+employer,?\s+{e}",
        rf"{e}\s*\(\s*(?:my\s+employer|where\s+i\s+work|i\s+work\s+there)\s*\)",
        rf"{e},?\s+where\s+i\s+work\b",
        # the same in the languages X is most used in beside English (present tense, first person)
        rf"\btrabajo\s+(?:en|para|con)\s+{e}",  # Spanish
        rf"\bje\s+travaille\s+(?:chez|pour|à|a)\s+{e}",  # French
        rf"\bich\s+arbeite\s+(?:bei|für|fuer)\s+{e}",  # German
        rf"\btrabalho\s+(?:na|no|em|para)\s+{e}",  # Portuguese
        rf"\blavoro\s+(?:per|da|presso|in)\s+{e}",  # Italian
    ]


def _name(entry: str) -> str:
    """One employer entry as a pattern: whole words, any run of space between them."""
    words = normalize_apostrophes(entry.strip()).split()
    body = r"\s+".join(re.escape(word) for word in words)
    # "@acme" is that handle; "Acme" is the name wherever it stands alone, "@acme" and "Acme's" included.
    start = r"(?<![\w@])" if entry.strip().startswith("@") else r"(?<!\w)"
    return f"{start}{body}(?!\\w)"


@lru_cache(maxsize=32)
def _compiled(employer: tuple[str, ...]) -> re.Pattern[str]:
    names = "#?(?:" + "|".join(_name(entry) for entry in employer if entry.strip()) + ")"  # "we at #Acme" too
    return re.compile("|".join(f"(?:{form})" for form in _forms(names)), re.IGNORECASE)


def find_affiliation(text: str, employer: tuple[str, ...]) -> Match | None:
    """The first words in ``text`` by which the author says they work for ``employer``, or None."""
    if not employer or not text:
        return None
    norm = normalize_apostrophes(text)
    found = _compiled(tuple(employer)).search(norm)
    if found is None:
        return None
    start = found.start() + (len(found.group()) - len(found.group().lstrip(".!?\n \t")))
    return Match(start, found.end(), text[start : found.end()])
