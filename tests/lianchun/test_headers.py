"""Security headers, and no inline script anywhere the policy would have to allow it."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)


def templates():
    return [path for path in (ROOT / "templates").rglob("*.html")]


def test_no_template_has_an_inline_script_or_event_attribute():
    offenders = []
    for path in templates():
        text = path.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or EVENT_ATTRIBUTE.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"inline script would be refused by the Content-Security-Policy: {offenders}"


def test_a_record_page_has_the_security_headers(login, cadre_a, village_a):
    response = login(cadre_a).get(reverse("villages:village-detail", kwargs={"pk": village_a.pk}))
    assert response.status_code == 200
    csp = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert "geolocation=()" in response["Permissions-Policy"]


def test_the_login_page_and_error_pages_carry_them_too(client, db):
    for response in (client.get(reverse("accounts:login")), client.get("/no-such-page/")):
        assert "no-store" in response["Cache-Control"]
        assert "script-src 'self'" in response["Content-Security-Policy"]
