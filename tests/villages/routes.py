from tests.walk import CADRE, EVERYONE, OFFICE, ORGDEPT, REGION, Route


def build(world):
    from villages.models import RosterUpload

    world.roster_upload = RosterUpload.objects.create(
        uploaded_by=world.personas["cadre_a"],
        county=world.county,
        township=world.township_a,
        file_name="名册.xlsx",
        content=b"not a workbook",
    )


ROUTES = [
    Route("villages:village-list"),
    Route("villages:village-detail", lambda w: {"pk": w.village_a.pk}, scoped=True),
    Route(
        "villages:village-edit",
        lambda w: {"pk": w.village_a.pk},
        allowed=frozenset({CADRE, OFFICE}),
        scoped=True,
        edit=True,
    ),
    Route(
        "villages:village-standing", lambda w: {"pk": w.village_a.pk}, allowed=frozenset({OFFICE, ORGDEPT}), scoped=True
    ),
    Route("villages:roster-template", allowed=frozenset({CADRE, OFFICE})),
    Route("villages:roster-import", allowed=frozenset({CADRE, OFFICE})),
    Route(
        "villages:roster-preview",
        lambda w: {"pk": w.roster_upload.pk},
        allowed=frozenset({CADRE}),
        scoped=True,
    ),
    Route(
        "villages:roster-confirm",
        lambda w: {"pk": w.roster_upload.pk},
        allowed=frozenset({CADRE}),
        scoped=True,
        method="post",
    ),
    *(
        Route(f"villages:region-{figure}", allowed=REGION)
        for figure in ("coverage", "completeness", "rectification", "ledgers", "joint", "contributions")
    ),
]
assert EVERYONE

ROUTES += [
    Route("villages:township-list", allowed=frozenset({OFFICE, ORGDEPT, "leader", *REGION})),
    Route("villages:township-create", allowed=frozenset({OFFICE})),
]
