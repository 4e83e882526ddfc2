"""Deny by default: a view is closed to anonymous users unless it says @login_not_required."""

from __future__ import annotations

import pytest
from django.urls import get_resolver

OPEN_VIEWS = {"accounts:login", "healthz"}


@pytest.mark.urls("tests.lianchun.open_urls")
def test_a_view_without_a_login_decorator_is_still_closed_to_anonymous_users(client, db):
    response = client.get("/forgot/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/forgot/")


@pytest.mark.urls("tests.lianchun.open_urls")
def test_a_logged_in_user_reaches_it(login, cadre_a):
    assert login(cadre_a).get("/forgot/").content == b"record data"


def _open_view_names(resolver, namespace=""):
    from django.urls import URLPattern, URLResolver

    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            yield from _open_view_names(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and not getattr(pattern.callback, "login_required", True):
            yield f"{namespace}{pattern.name}"


def test_only_the_login_page_and_the_health_check_opt_out():
    assert set(_open_view_names(get_resolver())) == OPEN_VIEWS
