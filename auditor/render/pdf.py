"""The manager's PDF: the HTML document of `html.py`, printed by WeasyPrint.

WeasyPrint is imported here and only when a PDF is asked for (it takes about a
second to import). Its default URL fetcher would follow any URL a document
names, and embeds local `file://` attachments into the PDF (docs/report.md, "Safety"), so the
document is printed with `TemplateOnlyFetcher`: `data:` URLs and files inside
the templates folder, nothing else. Post text never becomes markup in the first
place (the templates autoescape); the fetcher is the second wall.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from auditor.bundled import templates_folder
from auditor.errors import RenderError
from auditor.render import RenderOptions
from auditor.render.html import document
from auditor.result import AuditResult

log = logging.getLogger(__name__)


class RefusedURL(ValueError):
    """A URL the report's fetcher will not open (WeasyPrint logs it and leaves the resource out)."""


@lru_cache(maxsize=1)
def fetcher_class():
    """`TemplateOnlyFetcher`, a subclass of `weasyprint.urls.URLFetcher` (built on first use)."""
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher

    class TemplateOnlyFetcher(URLFetcher):
        """Opens `data:` URLs and files inside one folder; refuses everything else, and remembers what."""

        def __init__(self, folder: Path, **kwargs):
            super().__init__(**kwargs)
            self.folder = Path(folder).resolve()
            self.refused: list[str] = []

        def allows(self, url: str) -> bool:
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme == "data":
                return True
            if scheme != "file":
                return False
            parts = urlsplit(url)
            if parts.netloc not in ("", "localhost"):
                return False
            # resolve() follows symlinks and "..": what is opened must really lie in the folder.
            path = Path(unquote(parts.path)).resolve()
            return path.is_file() and path.is_relative_to(self.folder)

        def fetch(self, url, headers=None):
            if not self.allows(url):
                self.refused.append(url)
                raise RefusedURL(f"the report fetches nothing outside its templates: refused {url[:200]!r}")
            return super().fetch(url, headers)

    return TemplateOnlyFetcher


def template_fetcher():
    return fetcher_class()(templates_folder())


def render(result: AuditResult, options: RenderOptions) -> bytes:
    html_text = document(result, options, "print")
    return print_html(html_text)


def print_html(html_text: str, fetcher=None) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: the Pango/HarfBuzz libraries are missing
        raise RenderError(f"cannot write a PDF: WeasyPrint is not usable here ({exc})") from None
    folder = templates_folder()
    fetcher = fetcher or template_fetcher()
    page = HTML(string=html_text, base_url=folder.as_uri() + "/", url_fetcher=fetcher)
    pdf = page.write_pdf()
    if fetcher.refused:
        log.warning("the PDF renderer refused %d URL(s), e.g. %s", len(fetcher.refused), fetcher.refused[0][:200])
    return pdf
