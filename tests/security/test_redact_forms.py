"""`--redact customers` on the forms a customer's name takes besides a short X @handle: long handles, Mastodon and
Bluesky handles with their domain, the full-width ＠ X reads as a mention, the bare handle, a link without its
scheme, and a quote of their words that holds quotation marks of its own."""

from __future__ import annotations

from dataclasses import replace

import pytest

from auditor.render.redact import LINK_REDACTED, WORDS_REDACTED, pseudonym, redact
from tests.factories import policy, post, run

KEY = b"k" * 32
ROSTER = [{"handle": "acme_support", "name": "Acme Support", "kind": "brand", "team": "support"}]


def _result(tmp_path, customer: str, brand_says: str):
    """A month with one finding about `customer`, its evidence a reply of the brand's saying `brand_says`."""
    loaded = policy(tmp_path, [{"id": "answer", "type": "response_time", "severity": "high", "within": "1h"}],
                    accounts=ROSTER)
    ask = post(customer, "2026-10-05 10:00", "@acme_support where is my order", mentions=("acme_support",))
    late = post("acme_support", "2026-10-05 15:00", brand_says, reply_to=ask)
    return run(loaded, ask, late, as_of="2026-10-30 00:00")


def _everything(result) -> str:
    return "\n".join(repr(finding) for finding in result.findings) + "\n".join(result.notes)


@pytest.mark.parametrize("written", ["@katherine_smith_1985", "＠katherine_smith_1985", "katherine_smith_1985",
                                     "KATHERINE_SMITH_1985", "x.com/katherine_smith_1985",
                                     "twitter.com/katherine_smith_1985/status/1"])
def test_a_long_handle_in_any_form_becomes_the_customers_pseudonym(tmp_path, written):
    result = _result(tmp_path, "katherine_smith_1985", f"@katherine_smith_1985 sorry for the wait, see {written}")
    hidden = redact(result, "customers", KEY)
    [finding] = hidden.findings
    assert "katherine" not in _everything(hidden).lower()
    assert finding.counterpart == pseudonym("katherine_smith_1985", KEY)
    # The message names the customer by the pseudonym the counterpart has: one customer, one pseudonym.
    assert finding.message.startswith(f"@{finding.counterpart} ")


@pytest.mark.parametrize("handle", ["kate@mastodon.social", "kate.smith.dev"])
def test_a_mastodon_or_bluesky_handle_goes_whole_with_its_domain(tmp_path, handle):
    result = _result(tmp_path, "bob", "@bob hello")
    [finding] = result.findings
    finding = replace(finding, counterpart=handle, message=f"@{handle} waited 4h for an answer (limit 1h)",
                      evidence=tuple(replace(e, text=f"@{handle} sorry, {handle}") for e in finding.evidence))
    hidden = redact(replace(result, findings=(finding,)), "customers", KEY)
    [finding] = hidden.findings
    text = _everything(hidden)
    assert "kate" not in text and "mastodon.social" not in text and "smith.dev" not in text
    assert finding.message == f"@{pseudonym(handle, KEY)} waited 4h for an answer (limit 1h)"


def test_roster_handles_stay_in_every_form(tmp_path):
    result = _result(tmp_path, "bob", "@bob hello")
    [finding] = result.findings
    finding = replace(finding, message="@bob waited for @acme_support, ＠ACME_SUPPORT and acme_support.")
    hidden = redact(replace(result, findings=(finding,)), "customers", KEY)
    assert hidden.findings[0].message.endswith(" waited for @acme_support, ＠ACME_SUPPORT and acme_support.")


def test_a_link_without_its_scheme_is_withheld(tmp_path):
    result = _result(tmp_path, "bob", "@bob your order: shop.example/orders/5531?who=bob")
    hidden = redact(result, "customers", KEY)
    [text] = [e.text for e in hidden.findings[0].evidence if e.author == "acme_support"]
    assert "5531" not in text and LINK_REDACTED in text


@pytest.mark.parametrize("complaint", ['this is "Kate Smith", 12 Elm St, order 5531. Broken again, terrible service',
                                       'My "Premium Gold" plan is broken again, terrible awful service'])
def test_a_quote_of_the_customers_words_with_quotation_marks_of_its_own_is_withheld_whole(tmp_path, complaint):
    result = _result(tmp_path, "bob", "@bob hello")
    [finding] = result.findings
    evidence = tuple(replace(e, text=f"@acme_support {complaint}") if e.author == "bob" else e
                     for e in finding.evidence)
    said = " ".join(complaint.split())[:59].rstrip() + "…" if len(complaint) > 60 else complaint
    finding = replace(finding, message=f'@bob complained in public ("{said}"); no DM offered', evidence=evidence)
    hidden = redact(replace(result, findings=(finding,)), "customers", KEY)
    message = hidden.findings[0].message
    assert message == f'@{pseudonym("bob", KEY)} complained in public ("{WORDS_REDACTED}"); no DM offered'


def test_the_reasons_lines_were_skipped_quote_no_customer_value(tmp_path):
    result = _result(tmp_path, "bob", "@bob hello")
    data = replace(result.data, skipped_lines=(
        {"source": "data.jsonl", "line": 3, "reason": "sender: 'Kate Smith' is not an X handle"},
        {"source": "data.jsonl", "line": 4, "reason": 'created_at is not an ISO 8601 time: "Kate\'s 5th"'}))
    hidden = redact(replace(result, data=data), "customers", KEY)
    assert "Kate" not in repr(hidden.data)
    assert hidden.data.skipped_lines[0] == {"source": "data.jsonl", "line": 3,
                                            "reason": "sender: '[value withheld]' is not an X handle"}


def test_a_short_handle_written_bare_by_the_brand_is_swapped(tmp_path):
    result = _result(tmp_path, "kimlee", "@kimlee Sorry kimlee, we're on it")
    hidden = redact(result, "customers", KEY)
    assert "kimlee" not in _everything(hidden)


def test_a_handle_that_is_an_everyday_word_is_swapped_in_what_people_wrote_not_in_the_tools_words(tmp_path):
    # A customer @phone: the tool's "offered no DM, e-mail, phone or link" keeps its word; the brand's reply, which
    # could name them so, keeps no "phone" at all.
    result = _result(tmp_path, "phone", "@phone sorry! Call our phone line, or see our help page")
    [finding] = result.findings
    finding = replace(finding, message=finding.message + "; offered no DM, e-mail, phone or link")
    hidden = redact(replace(result, findings=(finding,)), "customers", KEY)
    [finding] = hidden.findings
    assert finding.message.startswith(f"@{pseudonym('phone', KEY)} ")
    assert finding.message.endswith("offered no DM, e-mail, phone or link")
    [text] = [e.text for e in finding.evidence if e.author == "acme_support"]
    assert text == f"@{pseudonym('phone', KEY)} sorry! Call our {pseudonym('phone', KEY)} line, or see our help page"


def test_a_pseudonym_a_note_already_names_is_kept(tmp_path):
    result = _result(tmp_path, "bob", "@bob hello")
    named = pseudonym("bob", KEY)
    hidden = redact(replace(result, notes=(f"waivers.yaml:1:3: waiver covered 1 finding (answer, acme_support, @{named})",)),
                    "customers", KEY)
    assert hidden.notes == (f"waivers.yaml:1:3: waiver covered 1 finding (answer, acme_support, @{named})",)
