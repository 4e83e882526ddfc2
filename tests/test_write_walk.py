"""The write path, proven over every URL pattern: stale saves refused, every history page opens."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from lianchun.views import HISTORY_MODELS
from tests import walk

EDIT_ROUTES = sorted(name for name, route in walk.registered_routes().items() if route.edit)
PERSONA_ORDER = ["cadre_a", "county_office", "org_department", "leader"]


def _editor(route: walk.Route, world) -> object:
    for persona in PERSONA_ORDER:
        if walk.expected_status(route, persona) == "ok":
            return world.personas[persona]
    raise AssertionError(f"{route.name}: no persona may use this edit form")


@pytest.mark.parametrize("name", EDIT_ROUTES)
def test_every_edit_form_refuses_a_stale_save(name, world):
    route = walk.registered_routes()[name]
    client = walk.client_for(_editor(route, world))
    url = reverse(route.name, kwargs=route.kwargs(world))
    page = client.get(url)
    assert page.status_code == 200, f"{name}: {page.status_code}"
    data = walk.form_data(page.content.decode())
    assert data is not None, f"{name}: the edit form carries no version token"
    token = data["record_version"][0]
    assert token, f"{name}: empty version token"

    stale = client.post(url, {**data, "record_version": f"{token}-stale"})
    assert stale.status_code == 200, f"{name}: a stale save was not refused ({stale.status_code})"
    assert "保存了此记录" in stale.content.decode(), f"{name}: the refusal does not say who saved"
    # A post without the token (hand-made, or a form cached from before) is no surer than a stale one.
    tokenless = client.post(url, {key: value for key, value in data.items() if key != "record_version"})
    assert tokenless.status_code == 200, f"{name}: a save without a version token was taken"

    fresh = client.post(url, data)
    assert fresh.status_code == 302, f"{name}: an unchanged save with the current token was refused"


@pytest.mark.parametrize("name", EDIT_ROUTES)
def test_every_edit_form_keeps_what_was_typed_when_the_session_ran_out(name, world):
    route = walk.registered_routes()[name]
    editor = _editor(route, world)
    client = walk.client_for(editor)
    url = reverse(route.name, kwargs=route.kwargs(world))
    html = client.get(url).content.decode()
    data, typed = walk.form_data(html), walk.typed_fields(html)
    text = "会前走访了十二户群众，记录了修路的诉求"
    if not typed:  # a form of numbers only (the county's appraisal rule): a number typed is kept as well
        form = next(form for form in walk.post_forms(html) if "record_version" in form.data)
        typed, text = [name for name, kind in form.kinds.items() if kind == "number"], "9797"
    assert typed, f"{name}: the edit form has no field to type into"
    data[typed[0]] = [text]

    client.cookies.pop(settings.SESSION_COOKIE_NAME)  # the session ran out while the form was open
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), name

    client.force_login(editor)
    again = client.get(url).content.decode()
    assert text in again, f"{name}: the text typed before the login is not back"
    assert "尚未保存" in again, f"{name}: the page does not say the text is not saved yet"
    assert f'name="record_version" value="{data["record_version"][0]}"' in again, f"{name}: the version token changed"
    assert text not in client.get(url).content.decode(), f"{name}: the kept text comes back more than once"


def test_edit_routes_are_declared():
    assert EDIT_ROUTES, "no route is marked edit=True"


def test_every_history_page_opens(world, client):
    """Every record the walk's world built, through the product's services, opens its 修改记录 page."""
    client.force_login(world.personas["county_office"])
    opened = 0
    for label in sorted(HISTORY_MODELS):
        model = apps.get_model(label)
        for pk in model._base_manager.values_list("pk", flat=True):
            response = client.get(reverse("record-history", args=[label, pk]))
            assert response.status_code in {200, 404}, f"{label} #{pk}: {response.status_code}"
            opened += response.status_code == 200
    assert opened > 0
