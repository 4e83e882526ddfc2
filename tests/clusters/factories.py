"""Clusters built through the services, as a township cadre would."""

from __future__ import annotations

import datetime

from clusters import services
from clusters.models import Form
from lianchun import clock
from tests import factories


def villages_of(township, count, **kwargs):
    return [factories.VillageFactory(township=township, **kwargs) for _ in range(count)]


def proposed_cluster(cadre, villages=None, *, name="马园联村", form=Form.VILLAGE_CLUSTER, **kwargs):
    villages = villages or villages_of(cadre.township, 3)
    return services.propose_cluster(
        township=cadre.township, name=name, villages=villages, lead_village=villages[0], form=form, by=cadre, **kwargs
    )


CONSULTATION_DAYS = 30


def consulting_cluster(cadre, villages=None, **kwargs):
    """Proposed and put into consultation a month ago, so batches dated in the past weeks count."""
    clock.travel(-datetime.timedelta(days=CONSULTATION_DAYS))
    try:
        cluster = proposed_cluster(cadre, villages, **kwargs)
        services.start_consultation(cluster=cluster, by=cadre)
    finally:
        clock.travel(datetime.timedelta(days=CONSULTATION_DAYS))
    cluster.refresh_from_db()
    return cluster


def give_consent(cadre, cluster, tallies, *, on=None):
    """tallies: {village: (handed_out, agree, disagree, invalid)} — one batch each."""
    on = on or clock.today() - datetime.timedelta(days=1)
    for survey in cluster.surveys.filter(is_active=True).select_related("village"):
        handed_out, agree, disagree, invalid = tallies[survey.village]
        services.set_forms_handed_out(survey=survey, handed_out=handed_out, by=cadre)
        survey.refresh_from_db()
        returned = agree + disagree + invalid
        if returned:
            services.record_consent_batch(
                survey=survey,
                returned=returned,
                agree=agree,
                disagree=disagree,
                invalid=invalid,
                batch_date=on,
                by=cadre,
            )


def submitted_cluster(cadre, villages=None, **kwargs):
    villages = villages or villages_of(cadre.township, 3)
    cluster = consulting_cluster(cadre, villages, **kwargs)
    give_consent(cadre, cluster, {v: (100, 90, 5, 5) for v in villages})
    services.submit_cluster(cluster=cluster, by=cadre)
    cluster.refresh_from_db()
    return cluster


def established_cluster(cadre, office, villages=None, **kwargs):
    cluster = submitted_cluster(cadre, villages, **kwargs)
    services.approve_cluster(cluster=cluster, by=office, opinion="同意组建")
    cluster.refresh_from_db()
    return cluster
