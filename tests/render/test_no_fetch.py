"""Rendering fetches nothing: post text that names a URL, a local file or markup reaches no network and no file."""

from __future__ import annotations

import pytest

from auditor.bundled import templates_folder
from auditor.render import RenderOptions, render
from auditor.render.pdf import RefusedURL, fetcher_class, print_html, template_fetcher
from tests.net import listener
from tests.render import builders


def hostile_result(port: int):
    base = f"http://127.0.0.1:{port}"
    text = (f'<img src="{base}/img"> <link rel="stylesheet" href="{base}/css"> '
            f'<style>@import url({base}/import); body {{ background: url({base}/bg) }}</style> '
            f'<a rel="attachment" href="file:///etc/passwd">passwd</a> <object data="{base}/object"></object> '
            f'<iframe src="{base}/frame"></iframe> <script src="{base}/js"></script> file:///etc/passwd {base}/plain')
    findings = [
        builders.sla_finding("answer", "agent001", "mallory", 1, text=text, url=f"{base}/evidence-link"),
        builders.promise_finding("keep-promises", "agent002", "mallory", 2, text=text),
        builders.tone_finding("tone", "agent001", 3, text),
    ]
    return builders.result(findings, company=f'<img src="{base}/company">')


def test_nothing_is_fetched_while_rendering_pdf_and_html(tmp_path):
    with listener() as (port, requests):
        result = hostile_result(port)
        pdf = render(result, "pdf", RenderOptions(redact="none"))
        page = render(result, "html", RenderOptions(redact="none"))
    assert requests == []
    assert pdf.startswith(b"%PDF") and b"/EmbeddedFile" not in pdf
    assert b"root:x:0:0" not in pdf
    assert b"<img src=" not in page.split(b"<body", 1)[1].replace(b'<img src="data:', b"")


def test_the_fetcher_refuses_urls_even_in_raw_markup(tmp_path):
    """The second wall: were markup ever to reach WeasyPrint, its URLs would still not be opened."""
    with listener() as (port, requests):
        fetcher = template_fetcher()
        markup = (f'<html><head><link rel="stylesheet" href="http://127.0.0.1:{port}/css">'
                  f'<link rel="attachment" href="file:///etc/passwd"></head><body>'
                  f'<img src="http://127.0.0.1:{port}/img"><img src="file:///etc/hostname">'
                  f'<a rel="attachment" href="file:///etc/passwd">x</a>'
                  f'<p style="background: url(http://127.0.0.1:{port}/bg)">text</p></body></html>')
        pdf = print_html(markup, fetcher)
    assert requests == []
    assert b"/EmbeddedFile" not in pdf and b"root:x:0:0" not in pdf
    refused = set(fetcher.refused)
    assert f"http://127.0.0.1:{port}/img" in refused
    assert "file:///etc/passwd" in refused and "file:///etc/hostname" in refused


def test_the_fetcher_opens_data_urls_and_template_files_only(tmp_path):
    fetcher = template_fetcher()
    css = templates_folder() / "report.css"
    assert fetcher.fetch(css.as_uri()).read().startswith(b"/*")
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    for url in (outside.as_uri(), "file:///etc/passwd", css.as_uri() + "/../../pyproject.toml",
                (templates_folder() / ".." / "pyproject.toml").as_uri(), "http://127.0.0.1:9/x",
                "https://example.com/x", "ftp://example.com/x", "file://otherhost" + str(css)):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def test_a_symlink_out_of_the_folder_is_refused(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "ok.css").write_text("p {}")
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    (folder / "link.css").symlink_to(secret)
    fetcher = fetcher_class()(folder)
    assert fetcher.fetch((folder / "ok.css").as_uri()).read() == b"p {}"
    with pytest.raises(RefusedURL):
        fetcher.fetch((folder / "link.css").as_uri())


def test_the_fetcher_is_a_weasyprint_url_fetcher():
    from weasyprint.urls import URLFetcher

    assert issubclass(fetcher_class(), URLFetcher)
