"""`disclosure`: employees who talk about the company, its products or competitors say they work there.

```yaml
- id: disclose-affiliation
  type: disclosure
  severity: medium
  description: Employees who mention Acme or a competitor say that they work at Acme.
  applies_to: {kinds: [employee]}
  when_mentioning: ["Acme", "@acme", "WidgetCo"]
  require_any: ["#employee", "I work at Acme"]
  employer: ["Acme", "@acme"]
```

Checked items: the posts (not reposts) of audited accounts in the period that
mention one of `when_mentioning`: a name matches as a whole word in any case
("Acme's" and "@acme" mention Acme; "Acmeville" and "@acme_support" do not),
an @handle matches that mention; links and e-mail addresses are not mentions
(an address at acme.com is not talk about Acme), nor are the handles X writes at
the start of a reply other than whom it replies to (`without_added_handles`: the
thread's people). `/regex/` entries work too.
A checked post passes when it contains one of `require_any`: a phrase (whole
words, any case) or a #hashtag; or, with `employer` (the employer's names and
handles), when the author says in the first person that they work there: "I
work at/for Acme", "we at Acme", "here at Acme", "our team at Acme", "my
colleagues at Acme", "join us at Acme", "I'm the <role> at Acme", "At Acme,
we...", "I'm an Acme engineer", "Acme engineer here", "(I work here)", "we just
shipped the new Acme dashboard", "I'm employed by Acme", "trabajo en Acme" (the
whole set: auditor/text/affiliation.py). The third person ("Acme's
team shipped..."), the past ("I used to work at Acme") and a negation do not
disclose. A rule gives `require_any`, `employer` or both.
Languages: first-person affiliation and `require_any` phrases are read as written, in English. Where a disclosure
may be in words (`employer`, or a `require_any` entry that is not a #hashtag), a post in another language (the
detector's confident guess; not the source's `lang`, which X gets wrong on short English posts) that shows none is
not judged: counted in the metrics as not scored. Where only #hashtags disclose, every language is judged. Which accounts are
audited is up to `applies_to`; the kind itself does not look at `kind: employee`.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, Field, model_validator

from auditor.rules._shared import LANGUAGE_KEY, PhraseList, languages_said, matcher, not_scored_counts, own_posts, quote
from auditor.rules.base import Check, Draft, EvidenceRef, RuleBase
from auditor.text.affiliation import find_affiliation
from auditor.text.addressing import without_added_handles
from auditor.text.language import ENGLISH, detect_many, load_detector
from auditor.text.spans import BARE_LINK_RE, EMAIL_RE, URL_RE, blank_out

if TYPE_CHECKING:
    from auditor.rules.context import RuleContext


def _names(entries: list[str]) -> list[str]:
    for entry in entries:
        if not entry.strip("@ \t"):
            raise ValueError("an employer name or handle may not be empty")
        if len(entry) >= 2 and entry.startswith("/") and entry.endswith("/"):
            raise ValueError(f"employer takes names and handles, not regular expressions: {entry!r}")
    return entries


# The employer's names and handles, as written ("Acme", "Acme Corp", "@acme").
Names = Annotated[list[str], Field(min_length=1), AfterValidator(_names)]


class DisclosureRule(RuleBase):
    meaning: ClassVar[str] = (
        "Employees who mention the company, its products or competitors say that they work for the company: "
        "with an agreed phrase (#employee), or in their own words (\"we at <the company>\", \"I work at "
        "<the company>\")."
    )
    item_name: ClassVar[str] = "posts mentioning"

    type: Literal["disclosure"]
    when_mentioning: PhraseList
    require_any: PhraseList | None = Field(
        None, description="phrases or #hashtags that disclose (\"#employee\", \"I work at Acme\")")
    employer: Names | None = Field(
        None, description="the employer's names and handles: a first-person affiliation with one of them "
                          "(\"we at Acme\", \"my colleagues at @acme\") discloses")

    @model_validator(mode="after")
    def _some_disclosure(self) -> "DisclosureRule":
        if self.require_any is None and self.employer is None:
            raise ValueError("give require_any: [...] (phrases that disclose), employer: [...] (names and handles "
                             "a first-person affiliation may name), or both")
        return self

    def evaluate(self, ctx: "RuleContext") -> list[Check]:
        mentioning = matcher(tuple(self.when_mentioning))
        disclosing = matcher(tuple(self.require_any or ()))
        employer = tuple(self.employer or ())
        wanted = []
        if self.require_any:
            wanted.append("none of " + ", ".join(quote(entry) for entry in self.require_any))
        if employer:
            wanted.append("no first-person affiliation with " + ", ".join(quote(entry) for entry in employer))
        company = employer[0].lstrip("@") if employer else "the company"
        checks, undisclosed = [], []
        for account in ctx.audited(self.id):
            for post in own_posts(ctx, account.handle):
                # The handles X put at the start of a reply name the thread's people, not what it is about.
                parent = ctx.index.parent(post) if post.in_reply_to_author is not None else None
                thread = {parent.author, *parent.mentions} if parent is not None else None
                said = without_added_handles(post.text, post.in_reply_to_author, thread)
                mention = mentioning.search(blank_out(said, URL_RE, EMAIL_RE, BARE_LINK_RE))
                if mention is None:
                    continue
                if disclosing.search(post.text) or find_affiliation(post.text, employer):
                    checks.append(Check(post.author, post.created_at, "passed"))
                else:
                    undisclosed.append((post, mention))
        # The detector's own confident guess, not the source's tag: X tags "Essential JavaScript Design Patterns"
        # Catalan, and an English post skipped is an undisclosed one missed.
        texts = [post.text for post, _ in undisclosed]
        languages = detect_many(texts) if self._in_words else [None] * len(texts)
        for (post, mention), language in zip(undisclosed, languages):
            if language not in (None, ENGLISH):
                checks.append(Check(post.author, post.created_at, "uncounted", counts=not_scored_counts(language)))
                continue
            # "without saying they work there" after a competitor's name read as if they should work for it
            message = f"mentions {quote(mention.text)} without disclosing that they work for {company} ({'; '.join(wanted)})"
            measure: dict[str, Any] = {"mentioned": mention.text}
            if self.require_any:
                measure["require_any"] = list(self.require_any)
            if employer:
                measure["employer"] = list(employer)
            evidence = (EvidenceRef(post.id, "post", "undisclosed"),)
            checks.append(Check(post.author, post.created_at, "failed", None, None,
                                (Draft("violation", message, evidence, measure),)))
        return checks

    @property
    def _in_words(self) -> bool:
        """Whether a disclosure may be written in words (a phrase, a first-person affiliation) that only English is
        read for: then a post in another language that shows none cannot be told undisclosed."""
        return bool(self.employer) or any(not entry.startswith("#") for entry in self.require_any or ())

    def prepare(self) -> None:
        if self._in_words:  # only then is a language asked for
            load_detector()

    def metrics(self, checks: list[Check]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "posts_mentioning": len(checks),
            "disclosed": sum(1 for c in checks if c.status == "passed"),
            "undisclosed": sum(1 for c in checks if c.status == "failed"),
        }
        skipped = [c for c in checks if c.status == "uncounted"]
        if skipped:
            languages = Counter(key.removeprefix(LANGUAGE_KEY) for c in skipped for key in c.counts
                                if key.startswith(LANGUAGE_KEY))
            out["not_scored"] = {"language": len(skipped)}
            out["note"] = (f"{len(skipped)} {'post' if len(skipped) == 1 else 'posts'} in other languages "
                           f"({languages_said(languages)}) not judged: a disclosure in their words (\"we at ...\") "
                           "is read in English only")
        return out
