"""`tone`: audited accounts stay professional: no profanity, abuse, shouting, banned phrases or competitor bashing.

```yaml
- id: professional-tone
  type: tone
  severity: medium
  description: No swearing, insults, shouting or banned phrases; competitors are not disparaged.
  include_dms: false
  exempt_idioms: true
  checks:
    profanity: {allow: [damn, hell]}
    toxicity: {above: 0.9}
    negativity: {below: -0.6}
    shouting: {caps_ratio: 0.7, min_letters: 12}
    # the dismissive "whatever" that ends a clause ("run it as admin or whatever, should work"), not
    # "use whatever works best for you"
    banned: ["not my problem", '/\\bwhatever\\s*(?:[.!?…,;:\\x{1F300}-\\x{1FAFF}]|$)|\\bwhatever\\s+(?:you|u)\\s+(?:\\w+\\s+)?(?:say|want)\\b|\\bwhatever\\s+(?:dude|man|bro|lol)\\b/']
    competitors: ["WidgetCo", "@widgetco"]
```

Checked items: the posts of audited accounts in the period (with
`include_dms: true`, the DMs they sent too); reposts are someone else's words
and are left out. Each check is optional; `true` turns one on with its
defaults, `false` (or leaving it out) turns it off:

- `profanity`: words of the built-in list, disguised spellings included
  ("sh1t", "f***ing", "f u c k", "ｆｕｃｋ", "fcuk"), whole words only ("Scunthorpe" is clean);
  `allow` exempts some.
- `toxicity`: the offensive-language classifier's probability is above `above`
  (default `TOXICITY_ABOVE`, chosen for precision: see docs/detectors.md).
- `negativity`: the sentiment score (VADER compound, -1 to 1) is below `below`
  (default -0.8, see docs/detectors.md: ordinary support talk scores down to -0.7),
  both as written and with apologies and words of sympathy set aside ("I'm sorry for
  the frustration!" is -0.69 to VADER; auditor/text/courtesy.py), and a list without the
  "No" opening its items ("· No code · No tests" is -0.68 for VADER's "no" alone). The
  finding quotes the words VADER weighs below zero, apologies set aside.
- `shouting`: at least `caps_ratio` of the letters are capitals, in posts with at least
  `min_letters` counted letters; acronyms, handles, hashtags and links do not count.
- `banned`: phrases (whole words, any case) or `/regex/` (RE2, case-insensitive).
- `competitors`: names (whole words, any case) or @handles. The sentence that names one
  disparages it when it holds words of the built-in lexicon ("X is garbage", "never buy from
  X", "avoid X"; "X is not a scam" is clean) or its sentiment is below -0.5.

`exempt_idioms` (default true) sets harmless idioms ("dependency hell", "a hell of a
launch") aside before the profanity, toxicity and negativity checks read a post
(auditor/text/idioms.py).

Languages: profanity, toxicity, negativity and the sentiment part of `competitors` read
English only. They skip a post whose language (the source's `lang`, else an offline
detector) is another one; such posts are counted in the metrics as not scored.
`shouting`, `banned` and competitor names and lexicon apply to every post.

A post with any finding is one failed check and one finding, which names every check
that tripped and quotes what each found. Words of a DM are not quoted in the message
(DMs are private; the evidence shows the DM when the report is not redacted).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field, model_validator

from auditor.activity.model import DirectMessage, Post
from auditor.types import Strict
from auditor.rules._shared import (
    LANGUAGE_KEY, PhraseList, in_period, languages_said, matcher, not_scored_counts, own_posts, quote,
)
from auditor.rules.base import Check, Draft, EvidenceRef, RuleBase, TextsAhead
from auditor.speedups import parallel_map
from auditor.text import courtesy
from auditor.text.disparagement import find_disparagement
from auditor.text.idioms import set_aside
from auditor.text.language import ENGLISH, language_of, languages_of, load_detector
from auditor.text.patterns import Matcher
from auditor.text.profanity import find_profanity
from auditor.text.sentiment import (
    NEGATIVITY_BELOW, load_sentiment, lowest_sum, negative_words, sentiment, sentiment_below, without_bare_no,
    without_playful_emoji,
)
from auditor.text.shouting import shouting
from auditor.text.spans import BARE_LINK_RE, EMAIL_RE, HANDLE_RE, URL_RE
from auditor.text.toxicity import TOXICITY_ABOVE, load_classifier, toxicity_scores

if TYPE_CHECKING:
    from auditor.rules.context import RuleContext

# docs/contract.md (`tone`): the sentence naming a competitor disparages it when its sentiment is below this.
DISPARAGING_BELOW = -0.5
CHECK_NAMES = ("profanity", "toxicity", "negativity", "shouting", "banned", "competitors")
# Checks built for English: they skip posts in other languages.
ENGLISH_ONLY = ("profanity", "toxicity", "negativity")
# Measure keys that quote the text: left out for DMs.
_QUOTED = {"words", "competitor", "sentence"}


class Profanity(Strict):
    allow: list[str] = Field(default_factory=list, description="words of the built-in list that are fine here")


class Toxicity(Strict):
    above: float = Field(default=TOXICITY_ABOVE, ge=0, le=1, description="classifier probability")


class Negativity(Strict):
    below: float = Field(default=NEGATIVITY_BELOW, ge=-1, le=1, description="sentiment compound score")


class Shouting(Strict):
    caps_ratio: float = Field(default=0.7, gt=0, le=1)
    min_letters: int = Field(default=12, ge=1)


class ToneChecks(Strict):
    """Which checks run; each is optional, `true` means its defaults."""

    profanity: bool | Profanity = False
    toxicity: bool | Toxicity = False
    negativity: bool | Negativity = False
    shouting: bool | Shouting = False
    banned: PhraseList | None = None
    competitors: PhraseList | None = None

    @model_validator(mode="after")
    def _something(self) -> "ToneChecks":
        if not self.enabled():
            raise ValueError(f"turn on at least one check: {', '.join(CHECK_NAMES)}")
        return self

    def enabled(self) -> list[str]:
        return [name for name in CHECK_NAMES if getattr(self, name)]

    def options(self, name: str, model: type[Strict]) -> Any:
        """The options of a check that is on (defaults for `true`), or None when it is off."""
        value = getattr(self, name)
        if value is True:
            return model()
        return value or None


@dataclass(frozen=True, slots=True)
class _Hit:
    check: str
    words: str  # the message's description of what was found
    measure: dict[str, Any]
    unquoted: str = ""  # the description without the words it quotes, for a DM (its words are private)


@dataclass(frozen=True, slots=True)
class _Verdict:
    """What the checks found in one text, and the language that kept the English-only checks off it."""

    hits: tuple[_Hit, ...] = ()
    not_scored: str | None = None


_CLEAN = _Verdict()
_UNKNOWN = object()  # a key `_verdicts` was given no answer for


class ToneRule(RuleBase):
    meaning: ClassVar[str] = (
        "Posts by audited accounts stay professional: no profanity, abuse, shouting, banned phrases "
        "or disparaging competitors."
    )
    item_name: ClassVar[str] = "posts"
    scores_texts_in_workers: ClassVar[bool] = True

    type: Literal["tone"]
    include_dms: bool = False
    exempt_idioms: bool = Field(default=True, description="set harmless idioms (\"dependency hell\") aside before "
                                                          "the profanity, toxicity and negativity checks")
    checks: ToneChecks

    def evaluate(self, ctx: "RuleContext") -> list[Check]:
        items = self._items(ctx)
        keys = list(dict.fromkeys(_key(item) for item in items))
        # Every check once per distinct text (and language given), some perhaps while the data was read.
        verdicts = self._verdicts(keys, ctx.scored_ahead.take(self.id))
        roster = ctx.index.roster
        checks = []
        for item in items:
            verdict = verdicts.get(_key(item), _CLEAN)
            is_dm = isinstance(item, DirectMessage)
            account = item.sender if is_dm else item.author
            counterpart = _counterpart(item, roster)
            if verdict.not_scored:
                counts = not_scored_counts(verdict.not_scored, **{"dms" if is_dm else "posts": 1})
            else:
                counts = _ONE_DM if is_dm else _ONE_POST  # shared: a month has hundreds of thousands of posts
            if not verdict.hits:
                checks.append(Check(account, item.created_at, "passed", counterpart, counts=counts))
                continue
            evidence = (EvidenceRef(item.id, "dm" if is_dm else "post", "offending"),)
            # One finding per post, whatever tripped: its fingerprint is the post's, not the checks'.
            draft = Draft("violation", _message(verdict.hits, is_dm, counterpart), evidence,
                          _measure(verdict.hits, is_dm))
            checks.append(Check(account, item.created_at, "failed", counterpart, None, (draft,), counts))
        return checks

    def _items(self, ctx: "RuleContext") -> list[Post | DirectMessage]:
        items: list[Post | DirectMessage] = []
        for account in ctx.audited(self.id):
            items += own_posts(ctx, account.handle)
            if self.include_dms:
                items += in_period(ctx, ctx.index.dms_from.get(account.handle, []))
        return items

    def texts_ahead(self, accounts: list) -> TextsAhead:
        return TextsAhead(authors=frozenset(account.handle for account in accounts), key=_text_key, score=self._score)

    @property
    def _score(self):
        return partial(_text_verdicts, self.checks, self.exempt_idioms)

    def prepare(self) -> None:
        # Loaded once, before the workers fork, rather than once in each.
        if self.checks.toxicity:
            load_classifier()
        if any(getattr(self.checks, name) for name in ENGLISH_ONLY) or self.checks.competitors:
            load_detector()
        if self.checks.negativity:
            load_sentiment()

    def _verdicts(self, keys: list[str | tuple[str, str]], known: Mapping = MappingProxyType({})
                  ) -> dict[str | tuple[str, str], _Verdict]:
        """The verdict of each key that is not clean: `known` holds some keys' answers already
        (`_text_verdicts`' own, found while the data was read); the workers find the others'."""
        self.prepare()
        verdicts, missing = {}, keys
        if known:
            missing = []
            for key in keys:
                verdict = known.get(key, _UNKNOWN)
                if verdict is _UNKNOWN:
                    missing.append(key)
                elif verdict is not None:
                    verdicts[key] = verdict
        found = parallel_map(self._score, missing)
        verdicts.update((key, verdict) for key, verdict in zip(missing, found) if verdict is not None)
        return verdicts

    def metrics(self, checks: list[Check]) -> dict[str, Any]:
        # One pass: a month has a check per post (some 345,000), counted again account by account, and
        # nearly all of them hold one of the two shared counts.
        posts = dms = flagged = skipped = 0
        languages: Counter = Counter()
        by_check: Counter = Counter()
        for check in checks:
            counts = check.counts
            if counts is _ONE_POST:
                posts += 1
            elif counts is _ONE_DM:
                dms += 1
            else:
                posts += counts.get("posts", 0)
                dms += counts.get("dms", 0)
                skipped += counts.get("not_scored_language", 0)
                for key, n in counts.items():
                    if key.startswith(LANGUAGE_KEY):
                        languages[key.removeprefix(LANGUAGE_KEY)] += n
            flagged += check.status == "failed"
            if check.findings:
                by_check.update(name for draft in check.findings for name in draft.measure["checks"])
        out: dict[str, Any] = {
            "posts": posts,
            "dms": dms,
            "flagged": flagged,
            "by_check": {name: by_check[name] for name in self.checks.enabled()},
        }
        english_only = [name for name in ENGLISH_ONLY if getattr(self.checks, name)]
        if self.checks.competitors:
            english_only.append("competitors (sentiment)")
        if english_only:
            out["not_scored"] = {"language": skipped}
            if skipped:
                out["note"] = (f"{skipped} {'item' if skipped == 1 else 'items'} in other languages "
                               f"({languages_said(languages)}) "
                               f"not scored by {', '.join(english_only)}: those checks read English only.")
        return out


# The counts of a post or a DM checked in English (read only, shared by every such check).
_ONE_POST: Mapping[str, int] = MappingProxyType({"posts": 1})
_ONE_DM: Mapping[str, int] = MappingProxyType({"dms": 1})


def _key(item: Post | DirectMessage) -> str | tuple[str, str]:
    """What a verdict depends on: the text, with the language its source gave when it gave one. Most
    posts carry none, and a pair for each was 18 MB at a million events."""
    return _text_key(item.text, item.lang if isinstance(item, Post) else None)


def _text_key(text: str, lang: str | None) -> str | tuple[str, str]:
    return text if lang is None else (text, lang)


def _text_verdicts(checks: ToneChecks, exempt_idioms: bool, batch: Sequence[str | tuple[str, str]]
                   ) -> list[_Verdict | None]:
    """Every check on each key (`_key`), in order; run in worker processes on batches of an audit's texts.
    None for a clean text: a worker's answers are pickled, and each `_CLEAN` would come back as an object of
    its own (hundreds of thousands a month, held until the rule ends)."""
    keys = [(key, None) if type(key) is str else key for key in batch]  # (text, language given)
    profanity = checks.options("profanity", Profanity)
    toxicity = checks.options("toxicity", Toxicity)
    negativity = checks.options("negativity", Negativity)
    shouting_options = checks.options("shouting", Shouting)
    banned = matcher(tuple(checks.banned)) if checks.banned else None
    competitors = matcher(tuple(checks.competitors)) if checks.competitors else None
    english_only = bool(profanity or toxicity or negativity)

    # The language decides whether the English-only checks read a text at all.
    languages = languages_of(keys) if english_only else [None] * len(keys)
    english = [language in (None, ENGLISH) for language in languages]
    # What profanity, toxicity and negativity read: the text with its harmless idioms set aside (same offsets):
    # VADER too scores "dependency hell" -0.68.
    readable = [set_aside(text) if exempt_idioms else text for text, _ in keys]
    # One batched classifier call for all the rule's English texts: one text a call is 250 times slower.
    scored = [text for text, ok in zip(readable, english) if ok] if toxicity else []
    scores = iter(toxicity_scores(scored) if scored else [])

    result: list[_Verdict | None] = []
    for (text, lang), read, language, ok in zip(keys, readable, languages, english):
        hits: list[_Hit] = []
        score = next(scores) if toxicity and ok else None
        if profanity and ok:
            words = find_profanity(read, allow=profanity.allow)
            if words:
                quoted = ", ".join(dict.fromkeys(quote(w.text) for w in words))
                hits.append(_Hit("profanity", quoted, {"words": [w.text for w in words]}))
        if score is not None and score > toxicity.above:
            hits.append(_Hit("toxicity", f"offensive-language score {score:.2f} (above {toxicity.above:g})",
                             {"score": round(score, 4), "above": toxicity.above}))
        mood = _negative(read, negativity.below) if negativity and ok else None
        if mood is not None:
            score = f"sentiment {mood:.2f} (below {negativity.below:g})"
            grim = negative_words(courtesy.set_aside(read))  # not the apology beside them ("Sorry", "sad")
            hits.append(_Hit("negativity", score + (": " + ", ".join(quote(w) for w in grim) if grim else ""),
                             {"sentiment": mood, "below": negativity.below, "words": grim}, score))
        if shouting_options:
            shouted = shouting(text, shouting_options.caps_ratio, shouting_options.min_letters)
            if shouted:
                hits.append(_Hit("shouting", quote(shouted.text), {"words": shouted.text}))
        if banned:
            found = _outside_names(text, banned.find_all(text))
            if found:
                # A pattern may match the punctuation that ends a clause ("whatever,"): the words are what is quoted.
                words = [m.text.rstrip(_CLAUSE_END) or m.text for m in found]
                quoted = ", ".join(dict.fromkeys(quote(w) for w in words))
                hits.append(_Hit("banned", quoted, {"words": words}))
        not_scored = language if english_only and not ok else None
        if competitors and competitors.search(text) is not None:
            disparaged, competitor_language = _disparaged(text, lang, language if english_only else None, competitors)
            if disparaged:
                hits.append(disparaged)
            elif competitor_language not in (None, ENGLISH):
                not_scored = competitor_language
        result.append(_Verdict(tuple(hits), not_scored) if hits or not_scored else None)
    return result


_CLAUSE_END = " \t\n.!?…,;:"


def _negative(text: str, below: float) -> float | None:
    """The `negativity` check: the text's sentiment when it is below `below` both as written and with its
    apologies and words of sympathy set aside (text/courtesy.py), the higher of the two; else None.
    "I'm sorry for the frustration!" is -0.69 as written and -0.32 without the apology."""
    if not sentiment_below(text, below):
        return None
    kind = courtesy.set_aside(text)
    readings = [text] if kind is text else [text, kind]
    # "12 signs...: · No code · No tests": VADER weighs "no" at -1.2 on its own, a list item's included.
    plain = without_bare_no(kind)
    if plain != kind:
        readings.append(plain)
    mood = max(sentiment(reading) for reading in readings)
    if mood >= below:
        return None
    # "Our new fall collection just dropped 🔥🔥🔥" is -0.74 for its fire; with no grim word left once 🔥 and
    # 👻 go it is praise ("a dumpster fire 🔥" and "lol ok 🔥🔥🔥 go cry about it" stay: their words are grim too).
    plain = without_playful_emoji(kind)
    if plain != kind and lowest_sum(plain) >= 0:  # not a word left that could weigh it down ("go cry" could)
        return None
    return mood


def _disparaged(text: str, lang: str | None, language: str | None, competitors: Matcher) -> tuple[_Hit | None, str | None]:
    """The `competitors` check: a sentence naming a competitor that the lexicon or its sentiment finds disparaging.

    Returns the hit and the post's language (detected here, when the lexicon found nothing and no English-only
    check asked for it before)."""
    found = find_disparagement(text, competitors)
    for item in found:
        if item.words is not None:
            return _Hit("competitors", f"disparages {quote(item.name.text)}: {quote(item.words.text)}",
                        {"competitor": item.name.text, "words": item.words.text}), language
    if language is None:
        language = language_of(text, lang)
    if language not in (None, ENGLISH):
        return None, language  # sentiment reads English only
    for item in found:
        if item.spared:
            continue
        # As for `negativity`: below the cut as written and with its apologies and sympathy set aside.
        mood = _negative(item.sentence.text, DISPARAGING_BELOW)
        if mood is not None:
            return _Hit("competitors", f"negative sentence naming {quote(item.name.text)} "
                                       f"(sentiment {mood:.2f}, below {DISPARAGING_BELOW:g})",
                        {"competitor": item.name.text, "sentence": item.sentence.text.strip(), "sentiment": mood,
                         "below": DISPARAGING_BELOW}), language
    return None, language


def _outside_names(text: str, found: list) -> list:
    """Banned words that are the post's own: not a piece of a @handle, link or e-mail address it names
    ("@whatever_shop", "acme.example/whatever-you-need"). A banned entry that is a whole handle still counts."""
    if not found:
        return found
    handles = [(m.start(), m.end()) for m in HANDLE_RE.finditer(text)]
    # A link or an address holds the word from its first character on ("whatever@acme.com"); a link may be
    # written without its scheme ("acme.example/whatever-you-need", as Bluesky shows them).
    addresses = [(m.start(), m.end()) for pattern in (URL_RE, EMAIL_RE, BARE_LINK_RE) for m in pattern.finditer(text)]
    return [m for m in found if not any(start < m.start < end for start, end in handles)
            and not any(start <= m.start < end for start, end in addresses)]



def _counterpart(item: Post | DirectMessage, roster: set[str]) -> str | None:
    """Who a post answers or a DM goes to, when that is one counterpart."""
    if isinstance(item, DirectMessage):
        others = [r for r in item.recipients if r not in roster]
        return others[0] if len(others) == 1 else None
    author = item.in_reply_to_author
    return author if author and author not in roster else None


def _measure(hits: tuple[_Hit, ...], is_dm: bool) -> dict[str, Any]:
    measure: dict[str, Any] = {"checks": [hit.check for hit in hits]}
    for hit in hits:
        # Redaction (--redact dms) hides a DM's text in the evidence only: its words stay out of the measure too.
        measure[hit.check] = {k: v for k, v in hit.measure.items() if k not in _QUOTED} if is_dm else hit.measure
    return measure


def _message(hits: tuple[_Hit, ...], is_dm: bool, counterpart: str | None) -> str:
    if is_dm:
        to = f" to @{counterpart}" if counterpart else ""
        details = [hit.unquoted or hit.words for hit in hits if hit.check in {"toxicity", "negativity"}]
        if any(hit.check not in {"toxicity", "negativity"} for hit in hits):
            details.insert(0, "words withheld")
        return f"{', '.join(hit.check for hit in hits)}: in a DM{to} ({'; '.join(details)}; DMs are private)"
    to = f" (reply to @{counterpart})" if counterpart else ""
    return "; ".join(f"{hit.check}: {hit.words}" for hit in hits) + to
