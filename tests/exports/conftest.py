from __future__ import annotations

import pytest

from tests.exports.factories import RARE_VILLAGE_NAMES, county_with_clusters


@pytest.fixture
def rare_cluster(cadre_a, county_office):
    """An established cluster in township A whose villages carry rare place-name characters."""
    return county_with_clusters(cadre_a, county_office, names=RARE_VILLAGE_NAMES[:3], name_prefix="杨圩畈联村")[0]


@pytest.fixture
def artifacts(tmp_path_factory):
    return tmp_path_factory.mktemp("exports")


@pytest.fixture
def widest_day(clock):
    """The clock on the 28th of December, whose date is the longest the product prints (2026年12月28日): a date
    column that holds it holds every date. Ask for it before the fixtures that make the records."""
    from django.utils import timezone

    from tests.reports.factories import set_now

    set_now(clock, timezone.localtime(clock.now()).replace(month=12, day=28, hour=10))
    return clock
