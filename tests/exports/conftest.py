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
