"""The URL walk: every URL pattern of the project, visited by every persona.

Each app's tests register their routes in `tests/<app>/routes.py`:

    ROUTES = [Route("villages:village-detail", lambda w: {"pk": w.village_a.pk}, allowed={CADRE, OFFICE, ...})]
    def build(world): world.village_a = ...   # optional: objects of township A the routes point at

The walk then expects, for each route:
- anonymous → a redirect to the login page;
- cadre_b (another township), other_city_office (a city office of another city), admin and auditor (no
  place) on a scoped route → 404, as if the record did not exist; other_city_office also on any address
  naming a record of the county (a scheme, a circular): another city's county is not its to see;
- city_office and province_office (the city and province above the county) read the county's pages;
- a persona outside `allowed` → 403;
- a persona in `allowed` → no error (status below 400);
- every answer → the security headers (CSP, no-store, Referrer-Policy, Permissions-Policy), and a 403
  or 404 is our own Chinese error page.
A URL pattern with no registered route fails `test_every_url_pattern_has_a_route`.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests

CADRE = "cadre"  # a township cadre (cadre_a on scoped routes; cadre_a and cadre_b otherwise)
OFFICE = "county_office"
ORGDEPT = "org_department"
LEADER = "leader"
AUDITOR = "auditor"  # the security auditor: the security log and the audit trail, no record
COUNTY = frozenset({OFFICE, ORGDEPT, LEADER})
EVERYONE = frozenset({CADRE, *COUNTY})
# A city office: city_office of the city above the county, other_city_office of another city;
# province_office of the province above both. They read the county pages of the counties beneath them.
CITY = "city_office"
PROVINCE = "province_office"
REGION = frozenset({CITY, PROVINCE})
# A county page or list: every place role reads it, the city and province offices included.
READERS = frozenset({*EVERYONE, *REGION})

PERSONAS = [
    "cadre_a",
    "cadre_b",
    "county_office",
    "org_department",
    "leader",
    "city_office",
    "other_city_office",
    "province_office",
    "admin",
    "auditor",
]
# Personas that must not reach township A's records: another township, another city.
OUTSIDERS = frozenset({"cadre_b", "other_city_office"})


@dataclass
class Route:
    name: str
    kwargs: Callable[[Any], dict] = lambda world: {}
    allowed: frozenset = READERS
    scoped: bool = False
    method: str = "get"
    data: Callable[[Any], dict] = lambda world: {}
    public: bool = False  # open to anonymous users (the login page)
    admin_allowed: bool = False  # pages for every logged-in user, the administrator and the auditor included
    edit: bool = False  # the edit form of an existing record: it carries a version token and refuses a stale save
    owner: str = ""  # a personal record (a background download) of this persona: every other persona gets 404


@dataclass
class World:
    """Personas plus the objects of township A that routes point at."""

    personas: dict[str, Any]
    objects: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        if name in {"personas", "objects"}:
            object.__setattr__(self, name, value)
        else:
            self.objects[name] = value


def route_modules():
    for info in pkgutil.iter_modules(tests.__path__):
        if info.ispkg:
            try:
                yield importlib.import_module(f"tests.{info.name}.routes")
            except ModuleNotFoundError as error:
                if error.name != f"tests.{info.name}.routes":
                    raise


def registered_routes() -> dict[str, Route]:
    routes: dict[str, Route] = {}
    for module in route_modules():
        for route in module.ROUTES:
            assert route.name not in routes, f"{route.name} is registered twice"
            routes[route.name] = route
    return routes


def build_world(world: World) -> World:
    for module in route_modules():
        builder = getattr(module, "build", None)
        if builder is not None:
            builder(world)
    return world


def project_url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    """Every named URL pattern of the project, namespaced; the admin is checked on its own."""
    resolver = resolver or get_resolver()
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin" or (pattern.app_name == "admin"):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= project_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                raise AssertionError(f"URL pattern {pattern.pattern} has no name, so the walk cannot cover it")
            names.add(f"{namespace}{pattern.name}")
    return names


def expected_status(route: Route, persona: str, *, county_record: bool = False) -> str:
    """What `persona` should get; `county_record` when the address names a record of township A's county.

    A record of the county (a scheme, a circular, an inspection round) is seen by every place role of
    the county and the tiers above it; another city's office gets the 404 of a record it cannot see.
    """
    if persona == "anonymous":
        return "ok" if route.public else "login"
    if route.public:
        return "ok"
    if route.owner:
        return "ok" if persona == route.owner else "404"
    if persona in {"admin", AUDITOR}:
        # Separated duties: neither sees a record; the auditor has its own pages.
        if route.admin_allowed or (persona == AUDITOR and AUDITOR in route.allowed):
            return "ok"
        return "404" if route.scoped else "403"
    if route.admin_allowed:
        return "ok"
    if route.scoped and persona in OUTSIDERS:
        return "404"
    if county_record and persona == "other_city_office":
        return "404"
    role = CADRE if persona.startswith("cadre") else CITY if persona.endswith("city_office") else persona
    return "ok" if role in route.allowed else "403"


def visit(client, route: Route, world: World, persona: str):
    url = reverse(route.name, kwargs=route.kwargs(world))
    if route.method == "post":
        return url, client.post(url, route.data(world))
    return url, client.get(url)


def names_a_record(route: Route, world: World) -> bool:
    """The route's address names a record by its id (`pk`, `cluster_pk`, ...)."""
    return any(name == "pk" or name.endswith("_pk") for name in route.kwargs(world))


def check(route: Route, persona: str, response, *, county_record: bool = False) -> str | None:
    expected = expected_status(route, persona, county_record=county_record)
    status = response.status_code
    if expected == "login":
        location = response.get("Location", "")
        if status == 302 and "/accounts/login/" in location:
            return None
    elif expected == "404" and status == 404:
        return None
    elif expected == "403" and status == 403:
        return None
    elif expected == "ok" and status < 400:
        return None
    return f"{route.name} as {persona}: expected {expected}, got {status}"


def header_failures(route: Route, persona: str, response) -> list[str]:
    """Every answer carries the security headers; a refusal is our own Chinese error page."""
    problems = []
    csp = response.get("Content-Security-Policy", "")
    directives = [part.strip() for part in csp.split(";")]
    script_src = next((part for part in directives if part.startswith("script-src")), "")
    # A user's uploaded file is served sandboxed with nothing allowed to run: stricter than the pages' policy.
    sandboxed_file = "default-src 'none'" in directives and "sandbox" in directives and not script_src
    if not sandboxed_file and ("'self'" not in script_src or "unsafe" in script_src or "default-src 'self'" not in csp):
        problems.append(f"Content-Security-Policy {csp!r}")
    if "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"Cache-Control {response.get('Cache-Control')!r}")
    if response.get("Referrer-Policy") != "same-origin":
        problems.append(f"Referrer-Policy {response.get('Referrer-Policy')!r}")
    if "camera=()" not in response.get("Permissions-Policy", ""):
        problems.append(f"Permissions-Policy {response.get('Permissions-Policy')!r}")
    if response.status_code in {403, 404} and "错误代码" not in response.content.decode(errors="replace"):
        problems.append(f"{response.status_code} is not our error page")
    if "html" in response.get("Content-Type", ""):
        # What a screen reader says is part of the page: in Chinese, like the text (e.g. not "breadcrumb").
        english = set(re.findall(r'aria-label="([A-Za-z][A-Za-z ]*)"', response.content.decode(errors="replace")))
        if english:
            problems.append(f"aria-label in English: {sorted(english)}")
    return [f"{route.name} as {persona}: {problem}" for problem in problems]


def walk(client_factory, world: World, routes: list[Route]) -> list[str]:
    """Visit each route as each persona; return every unexpected answer."""
    failures: list[str] = []
    # Refused personas first: a POST by an allowed persona may change the record.
    order = sorted(PERSONAS, key=lambda p: 0 if route_refuses(routes, p) else 1)
    for route in routes:
        client = client_factory(None)
        url, response = visit(client, route, world, "anonymous")
        failure = check(route, "anonymous", response)
        if failure:
            failures.append(failure)
        failures += header_failures(route, "anonymous", response)
        record = names_a_record(route, world)
        for persona in sorted(order, key=lambda p: expected_status(route, p, county_record=record) == "ok"):
            client = client_factory(world.personas[persona])
            url, response = visit(client, route, world, persona)
            failure = check(route, persona, response, county_record=record)
            if failure:
                failures.append(failure)
            failures += header_failures(route, persona, response)
    return failures


def route_refuses(routes: list[Route], persona: str) -> bool:
    return any(expected_status(route, persona) != "ok" for route in routes)


class _FormFields(HTMLParser):
    """The fields of the form on a page that carries the version token, as a browser would post them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        # Per form, the fields a person types text into: textareas, then text inputs.
        self.typed: list[list[str]] = []
        self._form: dict[str, list[str]] | None = None
        self._textarea: str | None = None
        self._textareas: set[str] = set()
        self._select: str | None = None
        self._select_seen = False
        # Per form: its attributes (method, action), every field name it holds (unchecked boxes and
        # selects with nothing selected included), its file inputs, and the values each select, radio
        # group or box may post.
        self.attrs: list[dict[str, str]] = []
        self.names: list[list[str]] = []
        self.files: list[list[str]] = []
        self.options: list[dict[str, list[str]]] = []
        self.kinds: list[dict[str, str]] = []  # per form, each field's input type, "textarea" or "select"

    def _name(self, name: str, kind: str) -> None:
        if name not in self.names[-1]:
            self.names[-1].append(name)
            self.kinds[-1][name] = kind

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {}
            self.forms.append(self._form)
            self.typed.append([])
            self.attrs.append({key: value or "" for key, value in a.items()})
            self.names.append([])
            self.files.append([])
            self.options.append({})
            self.kinds.append({})
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                self.files[-1].append(a["name"])
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            self._name(a["name"], kind)
            if kind in {"checkbox", "radio"}:
                self.options[-1].setdefault(a["name"], []).append(a.get("value") or "on")
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            if kind == "text":
                self.typed[-1].append(a["name"])
            self._form.setdefault(a["name"], []).append(a.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._name(a["name"], "textarea")
            self._form.setdefault(self._textarea, []).append("")
            self.typed[-1].insert(sum(1 for name in self.typed[-1] if name in self._textareas), a["name"])
            self._textareas.add(a["name"])
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._select_seen = False
            self._name(a["name"], "select")
            self.options[-1].setdefault(a["name"], [])
        elif tag == "option" and self._select:
            self.options[-1][self._select].append(a.get("value", ""))
        if tag == "option" and self._select and "selected" in a:
            self._form.setdefault(self._select, []).append(a.get("value", ""))
            self._select_seen = True

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def form_data(html: str, marker: str = "record_version") -> dict[str, list[str]] | None:
    """What the form holding `marker` would post unchanged; None when no form on the page holds it."""
    parser = _FormFields()
    parser.feed(html)
    for form in parser.forms:
        if marker in form:
            return form
    return None


@dataclass
class PostForm:
    """A `<form method="post">` of a page: where it posts, what it posts unchanged, what else it may post."""

    action: str  # as written in the page; empty for the page itself
    data: dict[str, list[str]]
    names: list[str]  # every field, as well those a browser would leave out unchanged (an unchecked box)
    files: list[str]
    options: dict[str, list[str]]  # the values each select, radio group or box may post
    kinds: dict[str, str]  # each field's input type ("text", "date", "checkbox", ...), "textarea" or "select"


def post_forms(html: str) -> list[PostForm]:
    """Every form on the page that posts, whether or not it carries a version token."""
    parser = _FormFields()
    parser.feed(html)
    return [
        PostForm(attrs.get("action", ""), form, names, files, options, kinds)
        for form, attrs, names, files, options, kinds in zip(
            parser.forms, parser.attrs, parser.names, parser.files, parser.options, parser.kinds, strict=True
        )
        if attrs.get("method", "get").lower() == "post"
    ]


def typed_fields(html: str, marker: str = "record_version") -> list[str]:
    """The fields a person types text into in the form holding `marker`: its textareas first, then text inputs."""
    parser = _FormFields()
    parser.feed(html)
    for form, typed in zip(parser.forms, parser.typed, strict=True):
        if marker in form:
            return typed
    return []


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
