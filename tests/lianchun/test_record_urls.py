"""Record URLs built from a once-reversed pattern are exactly what `reverse` gives, under any script prefix."""

from __future__ import annotations

import pytest
from django.urls import reverse, set_script_prefix

from lianchun.routing import record_url
from tests.walk import project_url_names


def test_record_urls_equal_reverse_for_every_url_taking_one_pk():
    checked = 0
    for name in sorted(project_url_names()):
        try:
            expected = reverse(name, args=[42])
        except Exception:  # not a URL of one record
            continue
        assert record_url(name, 42) == expected, name
        assert record_url(name, 7) == reverse(name, args=[7]), name
        checked += 1
    assert checked > 20


@pytest.mark.parametrize("prefix", ["/", "/lianchun/"])
def test_record_urls_follow_the_script_prefix(prefix):
    set_script_prefix(prefix)
    try:
        assert record_url("meetings:issue-detail", 5) == reverse("meetings:issue-detail", args=[5])
        assert record_url("meetings:issue-detail", 5).startswith(prefix)
    finally:
        set_script_prefix("/")
