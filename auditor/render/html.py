"""The HTML report, and the HTML document the PDF is printed from.

One self-contained file: the stylesheet is inlined, charts are `data:` URIs,
and a strict Content-Security-Policy lets the page load nothing at all beyond
its own (hash-pinned) stylesheet and those inline images: no scripts, no
fonts, no frames, no network. Post text is data: the Jinja environment
autoescapes everything, and the loader only reads the templates folder.

`pdf.py` prints the same document (`medium="print"`), so the PDF and the HTML
show the same content from one set of templates; the Jinja environment lives
here rather than in `pdf.py` for that reason.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from auditor.bundled import templates_folder
from auditor.errors import RenderError
from auditor.render import RenderOptions
from auditor.render.view import build_view
from auditor.result import AuditResult

TEMPLATE = "report.html.j2"
STYLESHEET = "report.css"
# --paper values and the CSS page size each one means.
PAPER_SIZES = {"a4": "A4", "letter": "letter"}

# C0 controls but tab, LF and CR, DEL and the C1 controls: parse errors in HTML (NUL above all), and
# nothing a reader could see. Post text, handles and URLs from the data are the only source of them.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Explicit bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069). Inside a quote they reorder
# only the quote (a block of its own, `unicode-bidi: plaintext`), as X shows the post. Anywhere else, a
# handle like "\u202eevil" would reverse the report's own words after it ("got no answer: waited 10d" read
# backwards, its link too): there they are dropped. Escaped data never holds "<", so the quote elements
# (ours, from the templates) are found exactly.
_BIDI_OR_QUOTE = re.compile(
    '(<blockquote class="quote"[^>]*>.*?</blockquote>|<td class="quote-cell"[^>]*>.*?</td>)'
    "|[\u202a-\u202e\u2066-\u2069]",
    re.S,
)


def contain_text(html_text: str) -> str:
    """The rendered document with control characters removed and bidi controls kept inside quotes only."""
    html_text = _CONTROLS.sub("", html_text)
    return _BIDI_OR_QUOTE.sub(lambda match: match.group(1) or "", html_text)


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(templates_folder()), followlinks=False),
        # Always on: the templates end in .html.j2, which select_autoescape's default would miss.
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page_size(paper: str) -> str:
    try:
        return PAPER_SIZES[(paper or "A4").strip().lower()]
    except KeyError:
        raise RenderError(f"unknown paper size {paper!r}; expected A4 or Letter") from None


def stylesheet(paper: str) -> str:
    css = (templates_folder() / STYLESHEET).read_text(encoding="utf-8")
    css += f"\n@page {{ size: {page_size(paper)}; }}\n"
    if "</" in css:  # it goes inside <style>: our own file, but never let it close the element
        raise RenderError(f"{STYLESHEET} must not contain '</'")
    return css


def content_security_policy(css: str) -> str:
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return ("default-src 'none'; img-src data:; "
            f"style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'")


def document(result: AuditResult, options: RenderOptions, medium: str) -> str:
    """The report as one HTML document; `medium` is "screen" (the HTML file) or "print" (the PDF)."""
    # `result` comes redacted (render.redacted), `options.redact` naming how.
    view = build_view(result, evidence_cap=options.evidence_cap, appendix_cap=options.appendix_cap,
                      redaction=options.redact or "dms", paper=options.paper, narrow_charts=medium == "screen")
    view["medium"] = medium
    css = stylesheet(options.paper)
    page = environment().get_template(TEMPLATE).render(
        # Both are ours, not data; the policy has no `"` or `<` (base64 and keywords only).
        v=view, medium=medium, style=Markup(css), csp=Markup(content_security_policy(css)),
    )
    # After rendering, so that every value is covered, joined and truncated ones too.
    return contain_text(page)


def render(result: AuditResult, options: RenderOptions) -> bytes:
    return document(result, options, "screen").encode("utf-8")
