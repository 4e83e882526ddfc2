"""/healthz answers without a login while the database answers, and shows no record data."""

from __future__ import annotations

import json


def test_health_answers_ok_without_login(client, village_a):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert village_a.name not in response.content.decode()


def test_health_answers_a_head_request_as_it_answers_get(client, db):
    """Load balancers and uptime checkers often ask with HEAD: the service is up for them too."""
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""


def test_health_still_refuses_other_methods(client):
    assert client.post("/healthz").status_code == 405
