"""No malformed input gives a server error: every URL pattern, every role, malformed query parameters and ids.

Each GET route of the URL walk is visited by every persona with query strings a
mistyped or hand-edited address produces (weeks that do not exist or lie at
year 9999, dates, pages, ids, numbers too large for the database, NUL bytes,
full-width digits), and with each integer id in its path replaced by one too
large for the database. Every answer must be 200, a redirect, 400, 403 or 404.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests import walk
from tests.walk import client_for

PARAMETERS = [
    "week",
    "first",
    "last",
    "month",
    "year",
    "date",
    "day",
    "from",
    "to",
    "page",
    "kind",
    "status",
    "township",
    "village",
    "cluster",
    "q",
    "id",
]
HUGE = "99999999999999999999"
MALFORMED_VALUES = [
    "9999-W52",
    "0000-W00",
    "2026-W99",
    HUGE,
    "-1",
    "abc",
    "2026-13-45",
    "9999-12",
    "\x00",
    "１２",
]
# Valid-looking pairs with one bad partner, so a first refusal cannot hide a later crash.
COMBINATIONS = [
    {"first": "1990-W01", "last": "2100-W52"},
    {"first": "2026-W47", "last": "2020-W01"},
    {"week": "2026-W47", "month": "2026-11", "page": HUGE, "kind": HUGE, "status": "\x00", "township": HUGE},
]
ACCEPTED = {200, 301, 302, 400, 403, 404}
PERSONAS = ["cadre_a", "county_office", "org_department", "leader", "admin", "auditor"]


def test_every_malformed_value_is_tried_by_some_persona():
    tried = [data for index in range(len(PERSONAS)) for data in query_sets_for(index)]
    assert all(data in tried for data in query_sets())


def query_sets() -> list[dict]:
    return [dict.fromkeys(PARAMETERS, value) for value in MALFORMED_VALUES] + COMBINATIONS


def query_sets_for(persona_index: int) -> list[dict]:
    """The two that broke pages before for every persona, the rest shared out among the personas.

    Every role meets every kind of malformed value on some route visit while the
    walk stays a few requests per persona and route.
    """
    sets = query_sets()
    core, rest = sets[:1] + sets[3:4], sets[1:3] + sets[4:]
    return core + rest[persona_index :: len(PERSONAS)]


def get_routes():
    return sorted(name for name, route in walk.registered_routes().items() if route.method == "get")


def answer(client: Client, url: str, data: dict) -> int:
    return client.get(url, data).status_code


def namespaces() -> list[str]:
    return sorted({name.split(":")[0] if ":" in name else "" for name in get_routes()})


@pytest.mark.parametrize("namespace", namespaces())
def test_malformed_query_parameters_never_give_a_server_error(namespace, world):  # noqa: F811
    """One world per URL namespace: GET requests change nothing, so its routes share it."""
    failures = []
    for name in get_routes():
        if (name.split(":")[0] if ":" in name else "") != namespace:
            continue
        route = walk.registered_routes()[name]
        url = reverse(route.name, kwargs=route.kwargs(world))
        for index, persona in enumerate(PERSONAS):
            client = client_for(world.personas[persona])
            client.raise_request_exception = False
            for data in query_sets_for(index):
                status = answer(client, url, data)
                if status not in ACCEPTED:
                    failures.append(f"{url} as {persona} with {data!r}: {status}")
                    break
    assert not failures, "\n".join(failures)


def test_ids_too_large_for_the_database_answer_404(world):  # noqa: F811
    failures = []
    for name in get_routes():
        route = walk.registered_routes()[name]
        kwargs = route.kwargs(world)
        huge = {key: int(HUGE) if isinstance(value, int) else value for key, value in kwargs.items()}
        if huge == kwargs:
            continue
        url = reverse(route.name, kwargs=huge)
        for persona in PERSONAS:
            client = client_for(world.personas[persona])
            client.raise_request_exception = False
            status = client.get(url).status_code
            if status not in {302, 403, 404}:
                failures.append(f"{url} as {persona}: {status}")
    assert not failures, "\n".join(failures)


def test_weeks_in_the_path_outside_the_calendar_answer_404(world):  # noqa: F811
    failures = []
    client = client_for(world.personas["cadre_a"])
    client.raise_request_exception = False
    for name in get_routes():
        route = walk.registered_routes()[name]
        kwargs = route.kwargs(world)
        weeks = {key for key, value in kwargs.items() if isinstance(value, str) and "-W" in value}
        for bad in ["9999-W52", "2026-W99", "0000-W00"] if weeks else []:
            url = reverse(route.name, kwargs={**kwargs, **dict.fromkeys(weeks, bad)})
            status = client.get(url).status_code
            if status not in {302, 400, 403, 404}:
                failures.append(f"{url}: {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("key", ["9999-W52", "1989-W52", "2101-W01", "0000-W00", "2026-W54", "2025-W53"])
def test_the_week_parser_refuses_weeks_outside_the_products_life_or_the_calendar(key):
    from reports.weeks import Week

    with pytest.raises(ValueError):
        Week.parse(key)


def test_the_week_parser_accepts_a_53rd_week_where_the_year_has_one():
    from reports.weeks import Week

    assert Week.parse("2026-W53").key == "2026-W53"
