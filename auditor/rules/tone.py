"""`tone`: audited accounts stay professional: no profanity, abuse, shouting, banned phrases or competitor bashing.

```yaml
- id: professional-tone
  type: tone
  severity: medium
  description: No swearing, insults, shouting or banned phrases; competitors are not disparaged.
  include_dms: false
  checks:
    profanity: {allow: [damn, hell]}
    toxicity: {above: 0.95}
    negativity: {below: -0.6}
    shouting: {caps_ratio: 0.7, min_letters: 12}
    banned: ["not my problem", "/\\bwhatever\\b/"]
    competitors: ["WidgetCo", "@widgetco"]
```

Checked items: the posts of audited accounts in the period (with
`include_dms: true`, the DMs they sent too); reposts are someone else's words
and are left out. Each check is optional; `true` turns one on with its
defaults, `false` (or leaving it out) turns it off:

- `profanity`: words of the built-in list, disguised spellings included
  ("sh1t", "f***ing"), whole words only ("Scunthorpe" is clean); `allow` exempts some.
- `toxicity`: the offensive-language classifier's probability is above `above`
  (default 0.95, chosen for precision: see docs/detectors.md).
- `negativity`: the sentiment score (VADER compound, -1 to 1) is below `below`
  (default -0.8, see docs/detectors.md: ordinary support talk scores down to -0.7).
- `shouting`: at least `caps_ratio` of the letters are capitals, in posts with at least
  `min_letters` counted letters; acronyms, handles, hashtags and links do not count.
- `banned`: phrases (whole words, any case) or `/regex/` (RE2, case-insensitive).
- `competitors`: names (whole words, any case) or @handles; a post that names one and whose
  sentiment is below the negativity threshold (`negativity.below`, or -0.3 when negativity
  is not checked) disparages a competitor.

A post with any finding is one failed check, with one finding per failing check
that names the check and quotes the words. Words of a DM are not quoted in the
message (DMs are private; the evidence shows the DM when the report is not redacted).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field, model_validator

from auditor.activity.model import DirectMessage, Post
from auditor.speedups import parallel_map
from auditor.policy.types import Strict
from auditor.rules._shared import PhraseList, in_period, matcher, own_posts, quote
from auditor.rules.base import Check, Draft, EvidenceRef, RuleBase
from auditor.text.profanity import find_profanity
from auditor.text.sentiment import NEGATIVITY_BELOW, sentiment, sentiment_below
from auditor.text.shouting import shouting
from auditor.text.toxicity import TOXICITY_ABOVE, load_classifier, toxicity_scores

if TYPE_CHECKING:
    from auditor.audit_context import RuleContext

# A competitor named in a post more negative than this is disparaged, unless `negativity` sets the threshold.
DISPARAGING_BELOW = -0.3
# What one checked item adds to the metrics (shared, never changed).
_A_POST, _A_DM = {"posts": 1}, {"dms": 1}
# Measures that quote the text: left out for DMs.
_QUOTED = {"words", "competitor"}
CHECK_NAMES = ("profanity", "toxicity", "negativity", "shouting", "banned", "competitors")


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


class ToneRule(RuleBase):
    meaning: ClassVar[str] = (
        "Posts by audited accounts stay professional: no profanity, abuse, shouting, banned phrases "
        "or disparaging competitors."
    )
    item_name: ClassVar[str] = "posts"

    type: Literal["tone"]
    include_dms: bool = False
    checks: ToneChecks

    def evaluate(self, ctx: "RuleContext") -> list[Check]:
        items: list[Post | DirectMessage] = []
        for account in ctx.audited(self):
            items += own_posts(ctx, account.handle)
            if self.include_dms:
                items += in_period(ctx, ctx.index.dms_from.get(account.handle, []))
        texts = list(dict.fromkeys(item.text for item in items))
        hits = self._hits(texts)  # every check once per distinct text
        roster = ctx.index.roster
        checks = []
        for item in items:
            found = hits.get(item.text, ())
            is_dm = isinstance(item, DirectMessage)
            account = item.sender if is_dm else item.author
            counterpart = _counterpart(item, roster)
            counts = _A_DM if is_dm else _A_POST
            if not found:
                checks.append(Check(account, item.created_at, "passed", counterpart, counts=counts))
                continue
            evidence = (EvidenceRef(item.id, "dm" if is_dm else "post", "offending"),)
            drafts = tuple(
                Draft("violation", _message(hit, is_dm, counterpart), evidence, _measure(hit, is_dm), check=hit.check)
                for hit in found
            )
            checks.append(Check(account, item.created_at, "failed", counterpart, None, drafts, counts))
        return checks

    def prepare(self) -> None:
        if self.checks.toxicity:
            load_classifier()  # once, before the workers fork, rather than once in each

    def _hits(self, texts: list[str]) -> dict[str, tuple[_Hit, ...]]:
        self.prepare()
        found = parallel_map(partial(_text_hits, self.checks), texts)
        return {text: hits for text, hits in zip(texts, found) if hits}

    def metrics(self, checks: list[Check]) -> dict[str, Any]:
        by_check = Counter(draft.check for check in checks for draft in check.findings)
        return {
            "posts": sum(c.counts.get("posts", 0) for c in checks),
            "dms": sum(c.counts.get("dms", 0) for c in checks),
            "flagged": sum(1 for c in checks if c.status == "failed"),
            "by_check": {name: by_check[name] for name in self.checks.enabled()},
        }


def _text_hits(checks: ToneChecks, texts: Sequence[str]) -> list[tuple[_Hit, ...]]:
    """Every check on each text, in order; run in worker processes on chunks of an audit's texts."""
    profanity = checks.options("profanity", Profanity)
    toxicity = checks.options("toxicity", Toxicity)
    negativity = checks.options("negativity", Negativity)
    shouting_options = checks.options("shouting", Shouting)
    banned = matcher(tuple(checks.banned)) if checks.banned else None
    competitors = matcher(tuple(checks.competitors)) if checks.competitors else None
    disparaging_below = negativity.below if negativity else DISPARAGING_BELOW

    # One batched classifier call for all the rule's texts: one text a call is 250 times slower.
    scores = toxicity_scores(texts) if toxicity and texts else [0.0] * len(texts)
    result: list[tuple[_Hit, ...]] = []
    for text, score in zip(texts, scores):
        hits: list[_Hit] = []
        if profanity:
            words = find_profanity(text, allow=profanity.allow)
            if words:
                quoted = ", ".join(dict.fromkeys(quote(w.text) for w in words))
                hits.append(_Hit("profanity", quoted, {"words": [w.text for w in words]}))
        if toxicity and score > toxicity.above:
            hits.append(_Hit("toxicity", f"offensive-language score {score:.2f} (above {toxicity.above:g})",
                             {"score": round(score, 4), "above": toxicity.above}))
        if negativity and sentiment_below(text, negativity.below):
            mood = sentiment(text)
            hits.append(_Hit("negativity", f"sentiment {mood:.2f} (below {negativity.below:g})",
                             {"sentiment": mood, "below": negativity.below}))
        if shouting_options:
            shouted = shouting(text, shouting_options.caps_ratio, shouting_options.min_letters)
            if shouted:
                hits.append(_Hit("shouting", quote(shouted.text), {"words": shouted.text}))
        if banned:
            found = banned.find_all(text)
            if found:
                quoted = ", ".join(dict.fromkeys(quote(m.text) for m in found))
                hits.append(_Hit("banned", quoted, {"words": [m.text for m in found]}))
        named = competitors.search(text) if competitors else None
        if named and sentiment_below(text, disparaging_below):  # scored only when a competitor is named
            hits.append(_Hit("competitors", f"negative post mentioning {quote(named.text)}",
                             {"competitor": named.text, "sentiment": sentiment(text), "below": disparaging_below}))
        result.append(tuple(hits))
    return result


def _counterpart(item: Post | DirectMessage, roster: set[str]) -> str | None:
    """Who a post answers or a DM goes to, when that is one counterpart."""
    if isinstance(item, DirectMessage):
        others = [r for r in item.recipients if r not in roster]
        return others[0] if len(others) == 1 else None
    author = item.in_reply_to_author
    return author if author and author not in roster else None


def _measure(hit: _Hit, is_dm: bool) -> dict[str, Any]:
    # Redaction (--redact dms) hides a DM's text in the evidence only: its words stay out of the measure too.
    return {key: value for key, value in hit.measure.items() if key not in _QUOTED} if is_dm else hit.measure


def _message(hit: _Hit, is_dm: bool, counterpart: str | None) -> str:
    if is_dm:
        to = f" to @{counterpart}" if counterpart else ""
        words = hit.words if hit.check in {"toxicity", "negativity"} else "words withheld"
        return f"{hit.check}: in a DM{to} ({words}; DMs are private)"
    to = f" (reply to @{counterpart})" if counterpart else ""
    return f"{hit.check}: {hit.words}{to}"
