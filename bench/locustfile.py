"""Township cadres at work, for `make bench-scale`'s load run: each holds one cadre's session.

BENCH_SESSIONS names a JSON file {"cookie": name, "sessions": [...], "pages": [...]}
written by bench/scale.py; each simulated user takes the next session and opens
the township pages with a cadre's think time between them.

The users are Locust's FastHttpUser (geventhttpclient): the load generator shares the
two cores with gunicorn and PostgreSQL, and Locust's default client (python-requests) spent
about twice the CPU per request (3 ms against 1.5 ms here), CPU the server under test then lacks.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import FastHttpUser, between, task

with open(os.environ["BENCH_SESSIONS"], encoding="utf-8") as handle:
    _CONFIG = json.load(handle)
_SESSIONS = itertools.cycle(_CONFIG["sessions"])


class TownshipCadre(FastHttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.headers = {"Cookie": f"{_CONFIG['cookie']}={next(_SESSIONS)}"}

    @task
    def open_a_page(self) -> None:
        path = random.choice(_CONFIG["pages"])
        with self.client.get(
            path, name=path, allow_redirects=False, catch_response=True, headers=self.headers
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
