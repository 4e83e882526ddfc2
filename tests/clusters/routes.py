from tests.walk import CADRE, EVERYONE, OFFICE, REGION, Route

MANAGE = frozenset({CADRE})
REVIEW = frozenset({OFFICE})


def build(world):

    from clusters import services
    from lianchun import clock
    from tests import factories

    cadre = world.personas["cadre_a"]
    villages = [world.village_a] + [factories.VillageFactory(township=world.township_a) for _ in range(2)]
    cluster = services.propose_cluster(
        township=world.township_a, name="李家联村", villages=villages, lead_village=villages[0], by=cadre
    )
    services.start_consultation(cluster=cluster, by=cadre)
    cluster.refresh_from_db()
    survey = cluster.surveys.get(village=world.village_a)
    services.set_forms_handed_out(survey=survey, handed_out=100, by=cadre)
    survey.refresh_from_db()
    batch = services.record_consent_batch(
        survey=survey, returned=10, agree=8, disagree=1, invalid=1, batch_date=clock.today(), by=cadre
    )
    officer = services.add_officer(
        cluster=cluster, body="party_branch", name="李书记", post="书记", phone="13812345678", by=cadre
    )
    opinion = services.record_opinion(
        cluster=cluster, source="forum", content="希望修路", received_on=clock.today(), by=cadre
    )
    services.answer_opinion(opinion=opinion, answer="已列入联村规划", by=cadre)
    services.update_model_charter(county=world.county, text="第一条 本县范本。", by=world.personas["county_office"])
    world.cluster = cluster
    world.survey = survey
    world.batch = batch
    world.officer = officer
    world.opinion = opinion

    from clusters.models import ConsentUpload

    world.consent_upload = ConsentUpload.objects.create(
        uploaded_by=cadre, township=world.township_a, file_name="同意率.xlsx", content=b"not a workbook"
    )


def _pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


ROUTES = [
    Route("clusters:cluster-list"),
    Route("clusters:cluster-propose", allowed=MANAGE),
    Route("clusters:review-queue", allowed=REVIEW | REGION),
    Route("clusters:coverage"),
    Route("clusters:model-charter", allowed=REVIEW, edit=True),
    Route("clusters:cluster-detail", _pk("cluster"), scoped=True),
    Route("clusters:cluster-edit", _pk("cluster"), allowed=MANAGE, scoped=True, edit=True),
    Route("clusters:cluster-members", _pk("cluster"), allowed=MANAGE, scoped=True),
    Route("clusters:cluster-officers", _pk("cluster"), allowed=MANAGE, scoped=True),
    Route("clusters:cluster-documents", _pk("cluster"), allowed=MANAGE, scoped=True, edit=True),
    Route("clusters:opinion-add", _pk("cluster"), allowed=MANAGE, scoped=True),
    Route("clusters:cluster-start-consultation", _pk("cluster"), allowed=MANAGE, scoped=True, method="post"),
    Route("clusters:cluster-submit", _pk("cluster"), allowed=MANAGE, scoped=True),
    Route("clusters:cluster-approve", _pk("cluster"), allowed=REVIEW, scoped=True),
    Route("clusters:cluster-return", _pk("cluster"), allowed=REVIEW, scoped=True),
    Route("clusters:cluster-dissolve", _pk("cluster"), allowed=REVIEW, scoped=True),
    Route("clusters:officer-edit", _pk("officer"), allowed=MANAGE, scoped=True, edit=True),
    Route(
        "clusters:officer-void",
        _pk("officer"),
        allowed=MANAGE,
        scoped=True,
        method="post",
        data=lambda w: {"reason": "调离"},
    ),
    Route("clusters:survey-detail", _pk("survey"), scoped=True),
    Route("clusters:survey-handed-out", _pk("survey"), allowed=MANAGE, scoped=True, edit=True),
    Route("clusters:survey-batch-add", _pk("survey"), allowed=MANAGE, scoped=True),
    Route("clusters:batch-correct", _pk("batch"), allowed=MANAGE, scoped=True, edit=True),
    Route(
        "clusters:batch-void",
        _pk("batch"),
        allowed=MANAGE,
        scoped=True,
        method="post",
        data=lambda w: {"reason": "录重"},
    ),
    Route("clusters:opinion-answer", _pk("opinion"), allowed=MANAGE, scoped=True, edit=True),
    Route("clusters:consent-template", allowed=MANAGE),
    Route("clusters:consent-import", allowed=MANAGE),
    Route("clusters:consent-preview", _pk("consent_upload"), allowed=MANAGE, scoped=True),
    Route("clusters:consent-confirm", _pk("consent_upload"), allowed=MANAGE, scoped=True, method="post"),
]
assert EVERYONE
