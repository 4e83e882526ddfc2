"""Scoping and permissions, proven over every URL pattern of the project."""

from __future__ import annotations

import pytest

from lianchun import scoping
from tests import walk


def test_every_url_pattern_has_a_route():
    missing = walk.project_url_names() - set(walk.registered_routes())
    assert not missing, f"URL patterns with no route registered for the walk: {sorted(missing)}"


def test_no_route_is_registered_for_a_url_that_does_not_exist():
    stale = set(walk.registered_routes()) - walk.project_url_names()
    assert not stale, f"routes registered for URL patterns that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("name", sorted(walk.registered_routes()))
def test_route_answers_each_persona_as_its_scope_and_role_allow(name, world):
    route = walk.registered_routes()[name]
    failures = walk.walk(walk.client_for, world, [route])
    assert not failures, "\n".join(failures)


def test_walk_catches_a_leak_when_scoping_is_switched_off(world, monkeypatch):
    """With the scoping rule replaced by 'see everything', the walk must fail on scoped routes."""
    monkeypatch.setattr(scoping, "scope_queryset", lambda queryset, user: queryset)
    scoped = [route for route in walk.registered_routes().values() if route.scoped and route.method == "get"]
    assert scoped, "no scoped routes registered"
    failures = walk.walk(walk.client_for, world, scoped)
    leaked = {failure.split(" as ")[0] for failure in failures if "cadre_b: expected 404" in failure}
    assert "villages:village-detail" in leaked
    # Every scoped page leaks to the other township once scoping is off, so every one is caught.
    assert leaked == {route.name for route in scoped}
