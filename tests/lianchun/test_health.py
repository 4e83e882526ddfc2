"""/healthz answers without a login while the database answers, and shows no record data."""

from __future__ import annotations

import json


def test_health_answers_ok_without_login(client, village_a):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert village_a.name not in response.content.decode()
