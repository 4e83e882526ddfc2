"""URLs declared next to their views (`lianchun.routing`): names, order, and no pattern hiding another."""

from __future__ import annotations

import types

import pytest
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter
from django.views import View

from lianchun.routing import route, routes

SAMPLE = "sample"


def _named_patterns(resolver: URLResolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            yield from _named_patterns(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", pattern


@pytest.mark.parametrize(("name", "pattern"), list(_named_patterns(get_resolver())), ids=lambda value: str(value))
def test_every_url_pattern_is_reached_by_its_own_urls(name, pattern):
    """Whatever order the views were declared in, no earlier pattern answers a URL meant for a later one."""
    sample = {
        key: 7 if isinstance(converter, IntConverter) else SAMPLE
        for key, converter in pattern.pattern.converters.items()
    }
    url = reverse(name, kwargs=sample)
    match = resolve(url)
    assert match.view_name == name, f"{url} is answered by {match.view_name}, not {name}"
    assert match.func is pattern.callback


def _module(**views) -> types.ModuleType:
    module = types.ModuleType("sample_views")
    vars(module).update(views)
    return module


def test_name_comes_from_the_function_or_the_class_unless_given():
    @route("<int:pk>/edit/")
    def plan_edit(request, pk):
        return HttpResponse()

    @route("password/")
    class PasswordChangeView(View):
        pass

    @route("", name="plan-list")
    def index(request):
        return HttpResponse()

    patterns = routes(_module(plan_edit=plan_edit, PasswordChangeView=PasswordChangeView, index=index))

    assert [(str(p.pattern), p.name) for p in patterns] == [
        ("<int:pk>/edit/", "plan-edit"),
        ("password/", "password-change"),
        ("", "plan-list"),
    ]
    assert patterns[1].callback.view_class is PasswordChangeView


def test_an_as_view_result_must_be_named():
    with pytest.raises(TypeError, match="needs name="):
        route("<int:pk>/step/")(View.as_view())


def test_routes_keep_declaration_order_across_modules_and_count_a_view_once():
    @route("b/")
    def second(request):
        return HttpResponse()

    @route("a/")
    def first_in_name_but_declared_last(request):
        return HttpResponse()

    package = _module(second=second, last=first_in_name_but_declared_last)
    submodule = _module(second=second)

    patterns = routes(package, submodule)

    assert [str(p.pattern) for p in patterns] == ["b/", "a/"]


def test_one_view_can_have_several_urls_with_their_own_arguments():
    def compare(request, figure):
        return HttpResponse(figure)

    for figure in ("coverage", "joint"):
        route(f"region/{figure}/", name=f"region-{figure}", kwargs={"figure": figure})(compare)

    patterns = routes(_module(compare=compare))

    assert [(p.name, p.default_args) for p in patterns] == [
        ("region-coverage", {"figure": "coverage"}),
        ("region-joint", {"figure": "joint"}),
    ]


def test_a_subclass_does_not_inherit_the_routes_of_its_parent():
    @route("base/")
    class BaseView(View):
        pass

    class OtherView(BaseView):
        pass

    assert [p.name for p in routes(_module(BaseView=BaseView, OtherView=OtherView))] == ["base"]
