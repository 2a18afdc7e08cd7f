"""`disclosure`: employees who talk about the company, its products or competitors say they work there.

```yaml
- id: disclose-affiliation
  type: disclosure
  severity: medium
  description: Employees who mention Acme or a competitor say that they work at Acme.
  applies_to: {kinds: [employee]}
  when_mentioning: ["Acme", "@acme", "WidgetCo"]
  require_any: ["#employee", "I work at Acme"]
```

Checked items: the posts (not reposts) of audited accounts in the period that
mention one of `when_mentioning`: a name matches as a whole word in any case
("Acme's" and "@acme" mention Acme; "Acmeville" and "@acme_support" do not),
an @handle matches that mention; links and e-mail addresses are not mentions
(an address at acme.com is not talk about Acme). `/regex/` entries work too.
A checked post passes when it contains one of `require_any`: a phrase (whole
words, any case) or a #hashtag. Which accounts are audited is up to
`applies_to`; the kind itself does not look at `kind: employee`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

from auditor.rules._shared import PhraseList, matcher, own_posts, quote
from auditor.rules.base import Check, Draft, EvidenceRef, RuleBase
from auditor.text.spans import EMAIL_RE, URL_RE, blank_out

if TYPE_CHECKING:
    from auditor.audit_context import RuleContext


class DisclosureRule(RuleBase):
    meaning: ClassVar[str] = (
        "Employees who mention the company, its products or competitors say that they work for the company."
    )
    item_name: ClassVar[str] = "posts mentioning"

    type: Literal["disclosure"]
    when_mentioning: PhraseList
    require_any: PhraseList

    def evaluate(self, ctx: "RuleContext") -> list[Check]:
        mentioning = matcher(tuple(self.when_mentioning))
        disclosing = matcher(tuple(self.require_any))
        required = ", ".join(quote(entry) for entry in self.require_any)
        checks = []
        for account in ctx.audited(self):
            for post in own_posts(ctx, account.handle):
                mention = mentioning.search(blank_out(post.text, URL_RE, EMAIL_RE))
                if mention is None:
                    continue
                if disclosing.search(post.text):
                    checks.append(Check(post.author, post.created_at, "passed"))
                    continue
                message = f"mentions {quote(mention.text)} without saying they work there (none of {required})"
                measure = {"mentioned": mention.text, "require_any": list(self.require_any)}
                evidence = (EvidenceRef(post.id, "post", "undisclosed"),)
                checks.append(Check(post.author, post.created_at, "failed", None, None,
                                    (Draft("violation", message, evidence, measure),)))
        return checks

    def metrics(self, checks: list[Check]) -> dict[str, Any]:
        return {
            "posts_mentioning": len(checks),
            "disclosed": sum(1 for c in checks if c.status == "passed"),
            "undisclosed": sum(1 for c in checks if c.status == "failed"),
        }
