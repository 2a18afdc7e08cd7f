"""Disparagement of a named competitor: the sentence that names it, and a lexicon of what people say.

Sentiment alone misses plain insults: VADER scores "Honestly WidgetCo's
product is garbage and their support is awful" +0.40. So the tone rule's
`competitors` check reads the sentence that names the competitor for one of
these (any case, curly apostrophes read as straight ones):

* a verdict on it: the competitor (or "they", "it", "their product"...), up
  to four words, a form of "to be", then a disparaging word: "X is garbage",
  "X's support is a joke", "X are scammers", "X is a total scam", "they are
  clowns" (`VERDICTS`);
* an exhortation against it: "never buy from X", "avoid X", "stay away from
  them", "don't trust X", "boycott X", "stop using X" (`AGAINST`);
* a plain insult: "X sucks", "X rips you off", "screw X", "shame on X" (`INSULTS`).

A negation between the verb and the word cancels a verdict: "X is not a
scam", "X isn't garbage", "X is never a joke" are clean; so does a denial
that frames it ("I would never say X is garbage", "Nobody thinks X is a scam",
"It's wrong to claim X is a scam"), or one right after it ("Rumours that X is
going bankrupt are false", "Some say X is a scam; we don't agree"). A
yes-or-no question asks ("Is X a scam? No, they're legit"; "Why is X such a
scam?" still says it), and a verdict on our own thing that works with theirs
("Our old X integration was a mess") is ours. A verdict by pronoun alone ("that's
awful") in a sentence of sympathy ("Sorry to hear the X outage hit you,
that's awful") is about the customer's trouble, not the competitor, and so is a
sentence of sympathy with no verdict of the lexicon, whatever its sentiment
("X and Acme both had the outage, awful day for everyone, sorry!"). An exhortation must
end its clause: "avoid WidgetCo!" disparages, "avoid WidgetCo sync errors by
updating" is advice. The sentence is the text between `.`, `!`,
`?`, `;` or a line break; "X.com" does not end one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.text.patterns import Matcher
from auditor.text.courtesy import find_courtesy
from auditor.text.spans import Match, normalize_apostrophes

# What a verdict calls the competitor (after "is", "are", "was", "has been", ...).
VERDICTS = (
    "garbage", "trash", "rubbish", "junk", "crap", "crappy", "shit", "shite", "a joke", "a bad joke", "laughable",
    "a scam", "scam", "scams", "scammers", "a fraud", "fraud", "frauds", "fraudulent", "a con", "con artists",
    "a rip-off", "a ripoff", "rip-offs", "ripoffs", "ripping people off", "ripping you off", "thieves", "crooks",
    "crooked", "liars", "lying", "dishonest", "shady", "sketchy", "bogus", "useless", "worthless", "pathetic",
    "terrible", "awful", "horrible", "horrendous", "atrocious", "abysmal", "dreadful", "the worst", "a disaster",
    "a dumpster fire", "a train wreck", "a trainwreck", "a mess", "a clown show", "a circus", "clowns", "amateurs",
    "incompetent", "idiots", "morons", "stupid", "dumb", "clueless", "a waste of money", "a waste of time",
    "a waste of your money", "a waste of your time", "a sinking ship", "toxic", "evil",
    "a nightmare", "unreliable", "a rip off", "rip off", "overpriced garbage",
)
# Exhortations whose object is the competitor (or them/it/their products).
AGAINST = (
    "never buy from", "never buy", "never use", "never trust", "never go with", "never choose",
    "don't buy from", "don't buy", "do not buy from", "do not buy", "don't use", "do not use", "don't trust",
    "do not trust", "don't go with", "do not go with", "don't waste your money on", "don't waste your time on",
    "do not waste your money on", "do not waste your time on", "don't waste money on", "don't fall for",
    "avoid", "avoid using", "stay away from", "steer clear of", "run away from", "run from", "boycott", "ditch",
    "stop using", "quit using", "stop buying from", "stop paying", "get away from", "beware of",
)
# Insults with the competitor (or them/it) as the subject or object.
_INSULT_AFTER = ("sucks", "suck", "blows", "stinks", "rips you off", "rips people off", "rips customers off",
                 "ripped me off", "ripped us off", "lies", "lied to me", "lied to us", "steals", "scammed me",
                 "scammed us", "screwed me", "screwed us", "should be ashamed", "can't be trusted",
                 "cannot be trusted", "is going under", "is going bankrupt")
_INSULT_BEFORE = ("screw", "shame on", "to hell with", "f*ck", "fuck", "down with")

_BE = r"(?:is|are|was|were|has\s+been|have\s+been|had\s+been|will\s+be|looks?\s+like|seems?(?:\s+like)?|remains?|became|becomes?)"
_INTENSIFIERS = r"(?:(?:such|so|just|a|an|total|totally|complete|completely|absolute|absolutely|utter|utterly|pure|" \
                r"really|truly|literally|honestly|basically|very|super|absolute|straight\s+up|nothing\s+but|" \
                r"frankly|quite|pretty|kinda|a\s+bit|still|now|always|officially)\s+)*"
# A negation cancels the verdict ("not only"/"not just" do not).
_NEGATED = r"(?:n't|\s+not(?!\s+(?:only|just)\b)|\s+no\s+longer|\s+never|\s+hardly|\s+far\s+from|\s+no\b)"
# Who the verdict is about, besides the competitor itself, in a sentence that names it.
_PRONOUN = r"(?:they|it|their\s+\w+|its\s+\w+|this\s+company|that\s+company|these\s+guys|those\s+guys)"
# Whom an exhortation or an insult is aimed at ("avoid it" is too often about a bug).
_OBJECT = r"(?:them|their\s+\w+|this\s+company|that\s+company|these\s+guys|those\s+guys)"
# An exhortation ends its clause: "avoid WidgetCo!" disparages, "avoid WidgetCo sync errors by..." is advice.
_CLAUSE_END = r"(?=\s*(?:[.!?,;:)\u2014-]|$)|\s+(?:again|ever|anymore|at\s+all\s+costs|like\s+the\s+plague|" \
              r"if|unless|and|or|but|because|they|their|it's|its|period)\b)"
_SENTENCE_END = re.compile(r"[.!?;]+(?=\s|$)|[\r\n]+")


def _words(phrases: tuple[str, ...]) -> str:
    ordered = sorted(phrases, key=len, reverse=True)  # longest first: "a waste of your time" before "a waste"
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


@dataclass(frozen=True, slots=True)
class Disparagement:
    """A competitor named in a sentence, and the words that disparage it there (None: named, nothing said)."""

    name: Match
    sentence: Match
    words: Match | None
    # The lexicon's words were there, denied or said in sympathy: the sentence's sentiment, which those words
    # bring down, says nothing about the competitor either.
    spared: bool = False


def sentences_naming(text: str, names: Matcher) -> list[tuple[Match, Match]]:
    """(competitor, sentence) for the first competitor named in each sentence, left to right."""
    out = []
    start = 0
    ends = [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    for end in ends:
        if end <= start:
            continue
        sentence = text[start:end]
        named = names.search(sentence)
        if named is not None:
            out.append((Match(start + named.start, start + named.end, named.text), Match(start, end, sentence)))
        start = end
    return out


# A denial framing a verdict: a negation, then a verb of saying or thinking, just before the verdict.
_DENIED = re.compile(
    r"(?:\b(?:never|nobody|no\s+one|not|wrong|false|unfair|untrue|nonsense)\b|n't\b)[^.!?;]{0,40}?"
    r"\b(?:say|says|said|think|thinks|thought|claim|claims|claimed|believe|believes|call|calls|called|"
    r"suggest|suggests|suggesting|pretend|saying|claiming|calling)\b(?:\s+that)?\s*$", re.IGNORECASE)
# A verdict by pronoun alone ("that's awful", "it's a mess"), which may be about anything the sentence names.
_BY_PRONOUN = re.compile(r"(?:it|that)'s|they're", re.IGNORECASE)


# A verdict denied after it, in its sentence or the clause that follows: "Rumours that X is going bankrupt are
# false", "Some say X is a scam; we don't agree".
_DENIED_AFTER = re.compile(
    r"^[^.!?;]{0,60}?\b(?:is|are|was|were)\s+(?:simply\s+|just\s+)?(?:false|untrue|not\s+true|wrong|baseless|"
    r"unfounded|nonsense|a\s+myth)\b"
    r"|^\W*(?:(?:we|i)\s+(?:(?:don't|do\s+not)\s+agree|(?:strongly\s+)?disagree)\b|(?:that's|this\s+is|which\s+is)\s+"
    r"(?:simply\s+|just\s+)?(?:false|untrue|not\s+true|wrong)\b|not\s+true\b|false\b)", re.IGNORECASE)
# A yes-or-no question asks ("Is X a scam?"), unless the post answers it yes; a why-question may still say it
# ("Why is X such a scam?").
_YES_NO = re.compile(r"^\W*(?:is|are|was|were|does|do|did|has|have|can|could|would|will|should)\b", re.IGNORECASE)
_YES = re.compile(r"^\W*(?:yes|yep|yeah|yup|absolutely|definitely|totally|of\s+course|sure|100%)(?!\w)", re.IGNORECASE)
# "Our old X integration was a mess": the thing judged is ours, X only names what it works with.
_OURS_BEFORE = re.compile(r"\b(?:our|my)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)


def find_disparagement(text: str, names: Matcher) -> list[Disparagement]:
    """Each sentence of ``text`` that names a competitor (``names``), with the lexicon's words found in it."""
    norm = normalize_apostrophes(text)  # same length: offsets are the original text's
    out = []
    for name, sentence in sentences_naming(norm, names):
        if _says_nothing_of_them(norm, name, sentence):
            words, spared = None, True
        else:
            # The first verdict that is theirs: not denied, not a pronoun's sympathy, not about our own thing
            # that works with theirs ("Our X integration was a mess because X is garbage" says the second).
            verdicts = list(_lexicon(name.text).finditer(sentence.text))
            words = next((found for found in verdicts if not _not_theirs(sentence.text, found)
                          and not _OURS_BEFORE.search(sentence.text, max(0, found.start() - 30), found.start())), None)
            # Verdicts all set aside, or sympathy with none ("both had the outage, awful day for everyone,
            # sorry!"): the sentence's sentiment says nothing of them either.
            spared = words is None and (bool(verdicts) or bool(find_courtesy(sentence.text))
                                        or _OURS_BEFORE.search(norm, max(sentence.start, name.start - 30), name.start))
        found = None
        if words is not None:
            start = sentence.start + words.start("words")
            end = sentence.start + words.end("words")
            found = Match(start, end, text[start:end])
        out.append(Disparagement(Match(name.start, name.end, text[name.start : name.end]),
                                 Match(sentence.start, sentence.end, text[sentence.start : sentence.end]), found,
                                 spared))
    return out


def _says_nothing_of_them(text: str, name: Match, sentence: Match) -> bool:
    """A sentence naming the competitor that judges nothing of theirs: a yes-or-no question, a claim denied
    right after it, or one about our own thing that works with theirs."""
    if (sentence.text.rstrip().endswith("?") and _YES_NO.match(sentence.text)
            and not _YES.match(text[sentence.end:sentence.end + 30])):
        return True
    return (_DENIED_AFTER.search(text[name.end:sentence.end]) is not None
            or _DENIED_AFTER.search(text[sentence.end:sentence.end + 60]) is not None)


def _not_theirs(sentence: str, words: re.Match[str]) -> bool:
    """Is this verdict denied ("Nobody thinks X is a scam"), or a pronoun's word of sympathy ("Sorry to hear
    the X outage hit you, that's awful")?"""
    if _DENIED.search(sentence, 0, words.start("words")):
        return True
    return _BY_PRONOUN.match(words.group("words")) is not None and bool(find_courtesy(sentence))


def _lexicon(name: str) -> re.Pattern[str]:
    """The lexicon with the competitor as it was written in this sentence (and the pronouns for it)."""
    return _compiled(name.lower())


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _compiled(name: str) -> re.Pattern[str]:
    pattern = _PATTERNS.get(name)
    if pattern is None:
        if len(_PATTERNS) > 1000:
            _PATTERNS.clear()
        own = re.escape(name)
        target = rf"(?:{own}|{_OBJECT})"
        subject = rf"(?:{own}(?:'s?)?|{_PRONOUN})"
        verdict = rf"(?:{subject}(?:\s+[\w'-]+){{0,4}}?\s+{_BE}|(?:it|that)'s|they're)(?!{_NEGATED})\s+" \
                  rf"{_INTENSIFIERS}(?:{_words(VERDICTS)})"
        against = rf"(?<![\w'])(?:{_words(AGAINST)})\s+{target}{_CLAUSE_END}"
        insult = rf"(?:{own}|they)\s+(?:(?:really|totally|just|honestly|still|literally)\s+)?(?:{_words(_INSULT_AFTER)})" \
                 rf"|(?<![\w'])(?:{_words(_INSULT_BEFORE)})\s+{target}"
        pattern = re.compile(rf"(?P<words>{verdict}|{against}|{insult})(?![\w-])", re.IGNORECASE)
        _PATTERNS[name] = pattern
    return pattern
