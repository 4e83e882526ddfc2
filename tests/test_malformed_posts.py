"""No malformed post gives a server error: every form of every page of the URL walk.

Each page of the walk is opened by the personas that may use it; every `<form method="post">` it
shows (the log-out button of the menu aside) is posted back as the page filled it (what it left
blank filled in as a person would, so that the post reaches the service), with ONE field at
a time replaced by a value a mistyped, pasted or hand-made post carries: numbers too large for the
database, negative and zero numbers, dates at the ends of the calendar or not in it, 10,000
characters, control characters, full-width digits, ids that do not exist or belong to another
township, an empty value, two values for one field. Each file field gets a tiny file of the wrong
kind and one with a very long name. Then the form goes with unknown fields added, and with no field
at all. Every answer must be a page, a redirect, 400, 403 or 404 — never a server error.

Each post runs in a savepoint rolled back afterwards, so every value meets the record as the page
showed it (a saved post cannot close the form to the values after it).
"""

from __future__ import annotations

import dataclasses
import traceback
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from tests import walk

HUGE = "99999999999999999999"
MISSING_ID = "999999"
# Each field gets the values of any kind (long text, control characters, nothing, two values), and
# those its kind of input can carry: a number typed into a text field is text, a date in a textarea
# is text, but a hidden field or a choice may hold an id, a number or a date.
ANY = ["字" * 10_000, "a\x00b", "a\x0bb\x1f", ""]
NUMBERS = [HUGE, "-1", "0", "１２"]
DAYS = ["9999-12-31", "0001-01-01", "2026-02-30"]
MOMENTS = ["9999-12-31T23:59", "0001-01-01T00:00", "2026-02-30T10:00"]
BY_KIND = {
    "textarea": [],
    "text": [HUGE, "１２"],
    "number": NUMBERS,
    "date": DAYS,
    "datetime-local": MOMENTS,
    "hidden": [*NUMBERS, *DAYS, MISSING_ID],
    "select": [*NUMBERS, MISSING_ID],
    "radio": [*NUMBERS, MISSING_ID],
    "checkbox": [*NUMBERS, MISSING_ID],
}
ACCEPTED = {200, 301, 302, 400, 403, 404, 405}
# The personas a page is opened as, to find its forms. A page every reader reads (a list, a record)
# shows forms to those who keep records: the township cadre and the county office. A page for fewer
# roles is opened by each of them: the county roles, the city office on the pages made for the region,
# the administrator and the auditor where they are let in. A form shown to several is posted once.
# Township B's cadre and another city's office see township A's pages as 404s and their own as cadre_a does.
KEEPERS = ["cadre_a", "county_office"]
EDITORS = ["cadre_a", "county_office", "org_department", "leader", "city_office", "admin", "auditor"]
SKIPPED_ACTIONS = {"accounts:logout"}  # posting it ends the session the walk runs in


def get_routes() -> list[str]:
    return sorted(name for name, route in walk.registered_routes().items() if route.method == "get")


def _personas(route: walk.Route) -> list[str | None]:
    if route.public:
        return [None]
    personas = KEEPERS if route.allowed == walk.READERS and not route.admin_allowed else EDITORS
    return [persona for persona in personas if walk.expected_status(route, persona) == "ok"]


def _client(clients: dict, world, persona: str | None) -> Client:
    if persona not in clients:
        clients[persona] = walk.client_for(world.personas[persona] if persona else None)
        clients[persona].raise_request_exception = False
    return clients[persona]


def _target(page_url: str, action: str) -> tuple[str, str] | None:
    """The path the form posts to and its URL name; None for a form that leaves the project."""
    path = urlsplit(action).path or page_url
    try:
        return path, resolve(path).view_name
    except Resolver404:
        return None


def _post(client, url: str, data: dict, *, description: str, failures: list[str]) -> None:
    """Post `data` in a savepoint rolled back afterwards; record a server error or an exception.

    A post with an extreme value that was taken (a redirect) is followed: the page that shows what
    was saved (a deadline at year 9999) must open too.
    """
    try:
        with transaction.atomic():
            response = client.post(url, data)
            if response.status_code not in ACCEPTED:
                failures.append(f"{description}: {response.status_code}")
            location = response.get("Location", "") if response.status_code == 302 else ""
            if location.startswith("/") and not location.startswith("/accounts/login") and _may_break(data):
                shown = client.get(location)
                if shown.status_code not in ACCEPTED:
                    failures.append(f"{description}: saved, then {location} answers {shown.status_code}")
            transaction.set_rollback(True)
    except Exception:  # noqa: BLE001 - the test reports what a request raised instead of stopping at it
        failures.append(f"{description}: raised\n{traceback.format_exc(limit=-3)}")


def _may_break(data: dict) -> bool:
    """The post carries a value a page may fail to show once saved: an extreme number or date, long text."""
    extreme = {*NUMBERS, *DAYS, *MOMENTS, ANY[0]}
    return any(isinstance(value, str) and value in extreme for value in data.values())


def _filled(form: walk.PostForm) -> walk.PostForm:
    """The form with what the page left blank filled in as a person would, so that a post with one
    malformed value passes the other fields and reaches the service: text, a number, today, the first
    choice, the first two boxes of a multiple choice."""
    today = timezone.localdate()
    typed = {
        "text": "测试",
        "textarea": "测试内容",
        "number": "1",
        "date": today.isoformat(),
        "datetime-local": f"{today.isoformat()}T09:00",
    }
    data = dict(form.data)
    for name in form.names:
        if any(data.get(name, [])):
            continue
        kind = form.kinds.get(name, "")
        choices = [value for value in form.options.get(name, []) if value]
        if kind in typed:
            data[name] = [typed[kind]]
        elif kind in {"select", "radio"} and choices:
            data[name] = choices[:1]
        elif kind == "checkbox" and len(choices) > 1:
            data[name] = choices[:2]
    return dataclasses.replace(form, data=data)


def _other_ids(world, theirs: list[str], mine: list[str]) -> list[str]:
    """Ids of another township for a choice field: what township B's cadre is offered there, else its village."""
    ids = sorted({value for value in theirs if value and value not in mine})
    return ids[:2] or [str(world.village_b.pk), str(world.township_b.pk)]


def _values_for(form: walk.PostForm, name: str, other_ids: list[str]) -> list:
    kind = form.kinds.get(name, "text")
    current = form.data.get(name, [])
    values = [*ANY, [current[0] if current else "1", MISSING_ID], *BY_KIND.get(kind, [*NUMBERS, *DAYS])]
    if name in form.options or kind in {"radio", "checkbox"}:
        values += other_ids
    return values


def _namespace(name: str) -> str:
    return name.split(":")[0] if ":" in name else ""


def namespaces() -> list[str]:
    return sorted({_namespace(name) for name in get_routes()})


@pytest.mark.parametrize("namespace", namespaces())
def test_malformed_posts_never_give_a_server_error(namespace, world):
    """One world per URL namespace (building it is most of a test's time); every post is rolled back."""
    failures: list[str] = []
    seen: set[tuple] = set()  # a form shown on several pages (a void button) is posted from the first
    clients: dict[str | None, Client] = {}  # one logged-in client per persona
    for name in get_routes():
        if _namespace(name) == namespace:
            failures += _route_failures(walk.registered_routes()[name], world, seen, clients)
    posted = {key[0] for key in seen}
    for name, route in sorted(walk.registered_routes().items()):
        if route.method == "post" and _namespace(name) == namespace and name not in posted | SKIPPED_ACTIONS:
            failures += _post_route_failures(route, world, clients)
    assert not failures, "\n".join(failures)


def _post_route_failures(route: walk.Route, world, clients: dict) -> list[str]:
    """A post-only address no page of the walk shows a form for (a submit button's formaction): its walk
    data goes with each field malformed in turn, then with unknown fields and with nothing."""
    persona = next((p for p in _personas(route) if p is not None), None)
    if persona is None:
        return []
    url = reverse(route.name, kwargs=route.kwargs(world))
    data = {key: [str(value)] for key, value in route.data(world).items()}
    form = walk.PostForm("", data, list(data), [], {}, dict.fromkeys(data, "hidden"))
    failures: list[str] = []
    _post_malformed(_client(clients, world, persona), url, form, list(data), {}, f"{route.name} as {persona}", failures)
    return failures


def _post_malformed(
    client, url: str, form: walk.PostForm, fields: list[str], other_ids: dict, label: str, failures: list[str]
) -> None:
    """Post `form` with each of `fields` malformed in turn, each file field a wrong file, unknown fields, nothing."""
    for field in fields:
        for value in _values_for(form, field, other_ids.get(field, [])):
            shown = value if len(value) < 40 else f"{value[:10]!r}…({len(value)} chars)"
            _post(
                client, url, {**form.data, field: value}, description=f"{label}: {field}={shown!r}", failures=failures
            )
    for field in form.files:
        for upload in [SimpleUploadedFile("恶意.exe", b"MZ\x00\x01"), SimpleUploadedFile("长" * 300 + ".pdf", b"%PDF")]:
            description = f"{label}: file {field}={upload.name[:12]!r}"
            _post(client, url, {**form.data, field: upload}, description=description, failures=failures)
    unknown = {**form.data, "unknown_field": HUGE, "id": MISSING_ID, "township": HUGE, "by": "1"}
    _post(client, url, unknown, description=f"{label}: unknown fields", failures=failures)
    _post(client, url, {}, description=f"{label}: no field at all", failures=failures)


def _is_page(response) -> bool:
    """An HTML page (not a download, a redirect or a refusal)."""
    return response.status_code == 200 and not response.streaming and "text/html" in response.get("Content-Type", "")


def _offered_to_cadre_b(route: walk.Route, url: str, world, clients: dict) -> dict[str, list[str]]:
    """The option values of each choice the page offers township B's cadre (ids of township B)."""
    offered: dict[str, list[str]] = {}
    if not route.public and walk.expected_status(route, "cadre_b") == "ok":
        page = _client(clients, world, "cadre_b").get(url)
        if _is_page(page):
            for form in walk.post_forms(page.content.decode()):
                for field, values in form.options.items():
                    offered.setdefault(field, []).extend(values)
    return offered


def _route_failures(route: walk.Route, world, seen: set[tuple], clients: dict) -> list[str]:
    url = reverse(route.name, kwargs=route.kwargs(world))
    theirs: dict[str, list[str]] | None = None  # the option values township B's cadre is offered on this page
    failures: list[str] = []
    for persona in _personas(route):
        client = _client(clients, world, persona)
        page = client.get(url)
        if not _is_page(page):
            continue
        who = persona or "anonymous"
        for form in walk.post_forms(page.content.decode()):
            target = _target(url, form.action)
            if target is None or target[1] in SKIPPED_ACTIONS:
                continue
            path, view_name = target
            key = (view_name, tuple(sorted(form.names)), tuple(form.files))
            if key in seen:
                continue
            seen.add(key)
            form = _filled(form)
            fields = [field for field in form.names if field not in {"csrfmiddlewaretoken", "record_version"}]
            if theirs is None and form.options:
                theirs = _offered_to_cadre_b(route, url, world, clients)
            other = {
                field: _other_ids(world, (theirs or {}).get(field, []), form.options.get(field, [])) for field in fields
            }
            _post_malformed(client, path, form, fields, other, f"{view_name} as {who}", failures)
    return failures


def test_the_walk_reads_every_post_form_of_a_page(world):
    """A creation form carries no version token: the parser reads its fields, their kinds and choices."""
    client = walk.client_for(world.personas["cadre_a"])
    forms = walk.post_forms(client.get(reverse("clusters:cluster-propose")).content.decode())
    propose = next(form for form in forms if "villages" in form.names)
    assert propose.kinds["villages"] == "checkbox" and propose.kinds["lead_village"] == "select"
    assert propose.kinds["selection_note"] == "textarea"
    assert str(world.village_a.pk) in propose.options["lead_village"]
    assert "record_version" not in propose.data and propose.data["csrfmiddlewaretoken"][0]
    assert any(_target("/", form.action)[1] == "accounts:logout" for form in forms), "the menu's log-out form"
