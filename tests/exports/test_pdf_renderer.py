"""The PDF tool-chain: the fast subsetter, the vendored font, and a renderer that fetches nothing from outside."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.checks import run_checks

from exports import pdf
from tests.exports import pdfcheck


def test_harfbuzz_subsetter_is_in_use():
    assert pdf.subsetter() == "harfbuzz"


def test_system_check_finds_the_font_and_the_subsetter():
    ids = {message.id for message in run_checks() if message.id and message.id.startswith("exports.")}
    assert ids == set()


def test_vendored_font_covers_rare_place_name_characters():
    assert pdfcheck.missing_glyphs("联村自治圩畈垭坳氹埇第页共") == set()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.com/a.css",
        "ftp://example.com/a",
    ],
)
def test_fetcher_refuses_anything_but_static_files(url):
    fetcher = pdf.StaticOnlyURLFetcher(pdf.static_dir())
    with pytest.raises(ValueError, match="not allowed"):
        fetcher.fetch(url)


def test_fetcher_refuses_escapes_out_of_static(tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", root / "link.txt")
    fetcher = pdf.StaticOnlyURLFetcher(root)
    for url in [(root / ".." / "secret.txt").as_uri(), (root / "link.txt").as_uri(), f"file://{root}/../secret.txt"]:
        with pytest.raises(ValueError, match="not allowed"):
            fetcher.fetch(url)


def test_fetcher_serves_the_vendored_font():
    fetcher = pdf.StaticOnlyURLFetcher(pdf.static_dir())
    result = fetcher.fetch(pdf.font_path().as_uri())
    assert result is not None


def test_markup_pointing_outside_pulls_nothing_into_the_pdf():
    html = (
        '<html><body><p>联村</p><img src="file:///etc/passwd"><img src="http://10.0.0.1/x.png">'
        '<link rel="stylesheet" href="file:///etc/passwd"><iframe src="file:///etc/passwd"></iframe></body></html>'
    )
    data = pdf.html_to_pdf(html)
    assert b"root:" not in data
    text = pdfcheck.text_of(data)
    assert "root:" not in text


def test_user_text_is_printed_as_text(db, settings):
    from django.template import engines

    html = (
        engines["django"]
        .from_string('{% extends "exports/pdf_base.html" %}{% block body %}<h1>{{ name }}</h1>{% endblock %}')
        .render({"name": '<img src="file:///etc/passwd">杨圩村'})
    )
    data = pdf.html_to_pdf(html)
    assert '<imgsrc="file:///etc/passwd">杨圩村' in pdfcheck.compact(pdfcheck.text_of(data))
    assert b"root:" not in data
    pdfcheck.assert_only_vendored_fonts(data)


def test_font_file_and_licence_are_vendored():
    folder = Path(pdf.font_path()).parent
    assert (folder / "OFL.txt").read_text().count("SIL Open Font License") >= 1
