from tests.walk import CADRE, EVERYONE, Route

CADRE_ONLY = frozenset({CADRE})


def build(world):
    from exports.models import ConsentUpload
    from tests.exports.factories import county_with_clusters

    office = world.personas["county_office"]
    world.export_cluster = county_with_clusters(world.personas["cadre_a"], office, name_prefix="导出联村")[0]
    world.consent_upload = ConsentUpload.objects.create(
        uploaded_by=world.personas["cadre_a"],
        township=world.township_a,
        file_name="同意率.xlsx",
        content=b"not a workbook",
    )


ROUTES = [
    Route("exports:index", allowed=EVERYONE),
    Route("exports:workbook", lambda w: {"topic": "county"}, allowed=EVERYONE),
    Route("exports:county-summary-pdf", allowed=EVERYONE),
    Route("exports:weekly-compilation-pdf", allowed=EVERYONE),
    Route("exports:cluster-profile-pdf", lambda w: {"pk": w.export_cluster.pk}, allowed=EVERYONE, scoped=True),
    Route("exports:consent-template", allowed=CADRE_ONLY),
    Route("exports:consent-import", allowed=CADRE_ONLY),
    Route("exports:consent-preview", lambda w: {"pk": w.consent_upload.pk}, allowed=CADRE_ONLY, scoped=True),
    Route(
        "exports:consent-confirm", lambda w: {"pk": w.consent_upload.pk}, allowed=CADRE_ONLY, scoped=True, method="post"
    ),
]
