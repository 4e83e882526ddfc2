from tests.walk import AUDITOR, READERS, Route

ROUTES = [
    Route("home", admin_allowed=True),
    Route("healthz", public=True),
    Route("workbench", admin_allowed=True),
    Route(
        "record-history",
        lambda w: {"model": "villages.village", "pk": w.village_a.pk},
        allowed=READERS,
        scoped=True,
    ),
    Route("accounts:login", public=True),
    Route("accounts:logout", method="post", public=True),
    Route("accounts:password-change", admin_allowed=True),
    Route("accounts:password-change-done", admin_allowed=True),
    Route("accounts:security-log", allowed=frozenset({AUDITOR})),
    Route("accounts:account-changes", allowed=frozenset({AUDITOR})),
    Route("accounts:audit-trail", allowed=frozenset({AUDITOR})),
]
