from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clusters import services
from clusters.models import ClusterEvent, Status
from tests.clusters import factories as cf


def test_full_life_cycle_records_every_step(cadre_a, county_office):
    cluster = cf.established_cluster(cadre_a, county_office)
    assert cluster.status == Status.ESTABLISHED
    assert cluster.established_on is not None
    steps = list(ClusterEvent.objects.filter(cluster=cluster).values_list("from_status", "to_status"))
    assert steps == [
        ("", Status.PROPOSED),
        (Status.PROPOSED, Status.CONSULTING),
        (Status.CONSULTING, Status.SUBMITTED),
        (Status.SUBMITTED, Status.ESTABLISHED),
    ]


def test_submit_refused_names_failing_village_and_forms_needed(cadre_a):
    villages = cf.villages_of(cadre_a.township, 3)
    villages[1].name = "短一票村"
    villages[1].save()
    cluster = cf.consulting_cluster(cadre_a, villages)
    cf.give_consent(
        cadre_a, cluster, {villages[0]: (100, 90, 5, 5), villages[1]: (100, 79, 20, 1), villages[2]: (10, 8, 2, 0)}
    )
    with pytest.raises(ValidationError) as caught:
        services.submit_cluster(cluster=cluster, by=cadre_a)
    assert caught.value.code == "consent_not_reached"
    text = caught.value.messages[0]
    assert "短一票村" in text and "79.0%" in text and "1" in text
    cluster.refresh_from_db()
    assert cluster.status == Status.CONSULTING


def test_only_county_office_approves(cadre_a, org_department):
    cluster = cf.submitted_cluster(cadre_a)
    with pytest.raises(PermissionDenied):
        services.approve_cluster(cluster=cluster, by=cadre_a)
    with pytest.raises(PermissionDenied):
        services.approve_cluster(cluster=cluster, by=org_department)
