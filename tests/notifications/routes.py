from tests.walk import CADRE, COUNTY, OFFICE, READERS, REGION, Route


def build(world):
    from notifications import services
    from notifications.models import Kind
    from tests.notifications.factories import answered

    cadre = world.personas["cadre_a"]
    world.answered_report, world.answered_submission = answered(
        world.township_a, cadre, world.personas["county_office"], name="通知路由联村"
    )
    world.notification = services.notify(recipients=[cadre], kind=Kind.CHASE, title="请报送周报", url="/reports/")[0]


ROUTES = [
    Route("notifications:notification-list", admin_allowed=True),
    Route(
        "notifications:notification-open",
        method="post",
        data=lambda w: {"pk": w.notification.pk},
        admin_allowed=True,
    ),
    Route("notifications:notification-read-all", method="post", admin_allowed=True),
    Route("notifications:reporting", allowed=COUNTY | REGION),
    Route("notifications:chase", method="post", allowed=frozenset({OFFICE}), data=lambda w: {"week": ""}),
    Route("notifications:answers", allowed=READERS),
    Route(
        "notifications:answer-read",
        lambda w: {"pk": w.answered_submission.pk},
        method="post",
        allowed=frozenset({CADRE}),
        scoped=True,
    ),
]
