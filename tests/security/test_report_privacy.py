"""Privacy of the manager's reports on the bundled demo: DM text stays out of the PDF and HTML by default,
and `--redact customers` leaves no customer handle (and no DM text) in any format.

The demo's PDF takes ~15 s to print, so it is made once for the module, by `auditor demo` (the command a
user runs); the HTML and the `--redact customers` reports are rendered from one more audit of the same data.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.activity.sources.jsonl import read_jsonl
from auditor.audit import audit
from auditor.bundled import policies_folder, sample_data
from auditor.cli import app
from auditor.time.period import parse_period
from auditor.policy.loader import load_policy
from auditor.render import FORMATS, RenderOptions, redacted, write
from auditor.render.html import document
from auditor.render.redact import DM_REDACTED

PSEUDONYM_RE = re.compile(r"customer-[0-9a-f]{16}")
KEY = b"the secret kept beside the store"
# A DM text shorter than this ("thanks!", "ok, done") is also said in public posts and in the report's own
# words: finding it in a report would not show a leak. From 20 characters on, a DM's words are its own:
# printed anywhere, they were printed from the DM.
DISTINCTIVE = 20
# The first characters of a DM are compared, not the whole: the appendix cuts quotes at 160 characters.
PREFIX = 40


def squash(text: str) -> str:
    """Text as compared with what pdftotext gives: no whitespace, no format or control characters."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf"))


@lru_cache(maxsize=1)
def demo_events() -> list[dict]:
    return [json.loads(line) for line in sample_data().read_text(encoding="utf-8").splitlines() if line.strip()]


@lru_cache(maxsize=1)
def private_texts() -> tuple[str, ...]:
    """The DM texts of the demo that would give a DM away if printed: long enough to be distinctive, and
    not also said in public (a post quoting the same words is rightly printed)."""
    events = demo_events()
    public = "\n".join(squash(e["text"]) for e in events if e["type"] == "post")
    texts = {e["text"] for e in events if e["type"] == "dm" and len(" ".join(e["text"].split())) >= DISTINCTIVE}
    return tuple(sorted(t for t in texts if squash(t)[:PREFIX] not in public))


@lru_cache(maxsize=1)
def counterpart_handles() -> frozenset[str]:
    roster = {a.handle for a in load_policy(policies_folder() / "example.yaml").policy.roster}
    handles = set()
    for event in demo_events():
        for key in ("author", "sender", "in_reply_to_author"):
            if event.get(key):
                handles.add(event[key].lstrip("@").lower())
        for key in ("recipients", "mentions"):
            handles.update(h.lstrip("@").lower() for h in event.get(key) or ())
    return frozenset(handles - roster)


def leaked(texts, page: str) -> list[str]:
    page = squash(page)
    return [t for t in texts if squash(t)[:PREFIX] in page]


class Text(HTMLParser):
    """The text of an HTML page and every attribute value: all a reader (or a copy-paste) could get."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.parts.extend(value for _, value in attrs if value)

    def handle_data(self, data):
        self.parts.append(data)


def html_text(page: str) -> str:
    parser = Text()
    parser.feed(page)
    parser.close()
    return "\n".join(parser.parts)


def strings(value) -> list[str]:
    """Every string in a JSON document, keys too."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def readable(name: str, raw: str) -> str:
    """What a reader of the file gets, markup and escapes undone."""
    if name.endswith(".html"):
        return html_text(raw)
    if name.endswith((".json", ".sarif")):
        return "\n".join(strings(json.loads(raw)))
    if name.endswith(".xml"):
        root = ET.fromstring(raw.encode("utf-8"))
        return "\n".join([*root.itertext(), *(v for e in root.iter() for v in e.attrib.values())])
    if name.endswith(".csv"):
        return "\n".join(cell for row in csv.reader(io.StringIO(raw, newline="")) for cell in row)
    raise AssertionError(name)


def pdftotext(path: Path, *crop: str) -> str:
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (poppler-utils) is needed to read the PDF: apt-get install poppler-utils"
    return subprocess.run([tool, "-enc", "UTF-8", *crop, str(path), "-"], check=True, capture_output=True,
                          timeout=120, text=True).stdout


@dataclass
class Reports:
    folder: Path

    def read(self, name: str) -> str:
        return (self.folder / name).read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Reports:
    folder = tmp_path_factory.mktemp("privacy")
    # As a user runs it: report.pdf (redacted by default) and report.json (not redacted by default).
    result = CliRunner().invoke(app, ["demo", "--out", str(folder / "demo")])
    assert result.exit_code == 0, result.output
    # The same audit once more, in the library, for the other reports (one audit, not one a format).
    loaded = load_policy(policies_folder() / "example.yaml")
    audited = audit(loaded, read_jsonl(sample_data()), parse_period("2026-10", loaded.policy.zone, date(2026, 11, 23)))
    write(audited, "html", folder / "default" / "report.html")
    for fmt in ("html", "json", "csv", "sarif", "junit"):
        write(audited, fmt, folder / "customers" / f"report{FORMATS[fmt][1]}", RenderOptions(redact="customers", pseudonym_key=KEY))
    # The document WeasyPrint prints for `--redact customers --format pdf`: the PDF is this document
    # printed, and the module's one PDF render is the default one above.
    (folder / "customers" / "print.html").write_text(
        document(*redacted(audited, "pdf", RenderOptions(redact="customers", pseudonym_key=KEY)), "print"),
        encoding="utf-8")
    return Reports(folder)


@pytest.fixture(scope="module")
def pdf_texts(reports) -> list[str]:
    pdf = reports.folder / "demo" / "report.pdf"
    # The whole text, and the text without running heads (A4 at 72 dpi, the 18 mm margins cropped), so a
    # quote broken by a page break reads as one.
    return [pdftotext(pdf), pdftotext(pdf, "-x", "0", "-y", "45", "-W", "596", "-H", "752")]


def test_the_demo_has_dm_text_worth_hiding():
    texts = private_texts()
    assert len(texts) >= 100, len(texts)


def test_the_findings_quote_dms_that_the_unredacted_json_shows(reports):
    # The control: these DMs are evidence of findings (report.json is not redacted by default), so a
    # report that printed evidence without redaction would print them.
    report = json.loads(reports.read("demo/report.json"))
    quoted = {e["text"] for f in report["findings"] for e in f["evidence"] if e["type"] == "dm"}
    at_risk = [t for t in private_texts() if t in quoted]
    assert len(at_risk) >= 5, at_risk
    assert leaked(at_risk, "\n".join(quoted)) == at_risk


def test_no_dm_text_in_the_default_pdf(reports, pdf_texts):
    texts = private_texts()
    for text in pdf_texts:
        assert leaked(texts, text) == []
        assert DM_REDACTED in " ".join(text.split())


def test_the_pdf_check_finds_quoted_posts(reports, pdf_texts):
    # The same comparison finds the posts the PDF quotes (every finding's first quote is printed, in full
    # or in the appendix): a DM printed would have been found.
    report = json.loads(reports.read("demo/report.json"))
    posts = sorted({f["evidence"][0]["text"] for f in report["findings"]
                    if f["evidence"] and f["evidence"][0]["type"] == "post"
                    and len(f["evidence"][0]["text"]) >= DISTINCTIVE})
    assert len(posts) >= 20
    for text in pdf_texts:
        assert leaked(posts, text) == posts


def test_no_dm_text_in_the_default_html(reports):
    page = reports.read("default/report.html")
    texts = private_texts()
    assert leaked(texts, html_text(page)) == []
    assert leaked(texts, page) == []
    assert DM_REDACTED in html_text(page)


def customers_named(handles: set[str], text: str) -> list[str]:
    """The handles a text names: as a handle (@x), in a link (x.com/x), or as a whole word when the handle
    is unlike an ordinary word (a digit, an underscore, or 8 letters and more)."""
    text = text.lower()
    words = set(re.findall(r"\w+", text))
    named = set(re.findall(r"(?<![\w@])@(\w+)", text)) | set(re.findall(r"x\.com/(\w+)", text))
    return sorted(h for h in handles if h in named or (h in words and (re.search(r"[\d_]", h) or len(h) >= 8)))


CUSTOMER_FILES = ("report.html", "print.html", "report.json", "report.csv", "report.sarif", "report.xml")


@pytest.mark.parametrize("name", CUSTOMER_FILES)
def test_redact_customers_names_no_customer(reports, name):
    handles = counterpart_handles()
    assert len(handles) >= 100
    text = readable(name, reports.read(f"customers/{name}"))
    assert customers_named(handles, text) == []
    assert PSEUDONYM_RE.search(text)


@pytest.mark.parametrize("name", ("report.html", "print.html"))
def test_redact_customers_pages_carry_no_fingerprint(reports, name):
    # A fingerprint hashes the customer's real handle with no secret: a reader of the PDF could test guesses
    # against it. The JSON keeps them (docs/privacy.md); the pages link their findings by other names.
    fingerprints = {finding["fingerprint"] for finding in json.loads(reports.read("customers/report.json"))["findings"]}
    page = reports.read(f"customers/{name}")
    assert len(fingerprints) > 50 and "finding-" in page
    assert [fingerprint for fingerprint in fingerprints if fingerprint in page] == []


@pytest.mark.parametrize("name", ("report.html", "print.html", "report.json", "report.sarif"))
def test_redact_customers_withholds_dm_text_too(reports, name):
    # Pseudonyms protect nobody when the customers' own private messages (names, phone and order
    # numbers) are printed beside them; asking for more privacy must not show what the default hides.
    text = readable(name, reports.read(f"customers/{name}"))
    assert leaked(private_texts(), text) == []
    assert DM_REDACTED in text


def test_redact_customers_leaves_only_pseudonyms_in_the_json(reports):
    roster = {a.handle for a in load_policy(policies_folder() / "example.yaml").policy.roster}
    report = json.loads(reports.read("customers/report.json"))
    people = {f["counterpart"] for f in report["findings"]} | {
        e["author"] for f in report["findings"] for e in f["evidence"]}
    people.discard(None)
    strangers = {p for p in people if p not in roster}
    assert strangers and all(PSEUDONYM_RE.fullmatch(p) for p in strangers), sorted(strangers)[:5]


@lru_cache(maxsize=1)
def customer_post_texts() -> tuple[str, ...]:
    """The demo customers' own posts, distinctive enough that finding their start in a report shows a leak."""
    roster = {a.handle for a in load_policy(policies_folder() / "example.yaml").policy.roster}
    ours = "\n".join(squash(e["text"]) for e in demo_events() if e["type"] == "post" and e["author"] in roster)
    # Compared from the first word after the handles a reply opens with: a message quotes from there.
    texts = {re.sub(r"^(?:\s*@\w+)+\s*", "", e["text"]) for e in demo_events()
             if e["type"] == "post" and e["author"] not in roster}
    return tuple(sorted(t for t in texts if len(" ".join(t.split())) >= DISTINCTIVE and squash(t)[:PREFIX] not in ours))


@pytest.mark.parametrize("name", CUSTOMER_FILES)
def test_redact_customers_quotes_no_customer_post(reports, name):
    # A finding's own words may quote the customer (an escalation's complaint): the text is withheld there too.
    assert len(customer_post_texts()) >= 50
    text = readable(name, reports.read(f"customers/{name}"))
    assert leaked(customer_post_texts(), text) == []


def test_redact_customers_leaves_no_raw_event_id_in_the_json(reports):
    # x.com/i/status/<id> opens the conversation: a measure's ids (a conversation, a response) are keyed too.
    ids = {e["id"] for e in demo_events()} | {e.get("conversation_id") for e in demo_events()}
    ids.discard(None)
    found = ids & set(strings(json.loads(reports.read("customers/report.json"))))
    assert found == set(), sorted(found)[:5]
