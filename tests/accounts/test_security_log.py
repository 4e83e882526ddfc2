"""The security log: every security event with time, user, address and request id; append-only; the auditor reads it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import security
from accounts.models import Role, SecurityEvent
from tests.factories import PASSWORD

Kind = SecurityEvent.Kind
ADDRESS = "10.3.3.3"


def kinds(username: str) -> list[str]:
    """The events of `username`, leaving out the account's creation by the test's factory."""
    events = SecurityEvent.objects.filter(username=username).exclude(kind=Kind.ACCOUNT_CHANGED)
    return list(events.order_by("pk").values_list("kind", flat=True))


@pytest.fixture
def _trigger_in_place(db):
    """A transactional test earlier in this process may have removed the SQLite delete trigger to flush."""
    if connection.vendor == "sqlite":
        from importlib import import_module

        migration = import_module("accounts.migrations.0004_security_log_and_separated_duties")
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS accounts_securityevent_keep_180_days")
            cursor.execute(migration.SQLITE_TRIGGERS[1])


def test_login_failure_and_logout_are_recorded_with_address_and_request_id(cadre_a):
    client = Client(REMOTE_ADDR=ADDRESS)
    client.post("/accounts/login/", {"username": "cadre_a", "password": "wrong"}, REMOTE_ADDR=ADDRESS)
    response = client.post("/accounts/login/", {"username": "cadre_a", "password": PASSWORD}, REMOTE_ADDR=ADDRESS)
    client.post(reverse("accounts:logout"), REMOTE_ADDR=ADDRESS)
    assert kinds("cadre_a") == [Kind.LOGIN_FAILED, Kind.LOGIN, Kind.LOGOUT]
    login = SecurityEvent.objects.get(kind=Kind.LOGIN)
    assert login.user == cadre_a
    assert login.address == ADDRESS
    assert login.request_id == response["X-Request-ID"]
    assert login.path == "/accounts/login/"


def test_a_failure_for_an_unknown_username_is_recorded_under_the_name_typed(db):
    Client().post("/accounts/login/", {"username": "ghost", "password": "wrong"}, REMOTE_ADDR=ADDRESS)
    event = SecurityEvent.objects.get(username="ghost")
    assert event.kind == Kind.LOGIN_FAILED and event.user is None


def test_a_password_change_is_recorded(login, cadre_a):
    login(cadre_a).post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": "Xin-mima-2026", "new_password2": "Xin-mima-2026"},
    )
    assert Kind.PASSWORD_CHANGED in kinds("cadre_a")


def test_refused_requests_are_recorded_403_and_scoping_404(login, cadre_a, cadre_b, village_a):
    login(cadre_a).get(reverse("villages:village-standing", kwargs={"pk": village_a.pk}))
    login(cadre_b).get(reverse("villages:village-detail", kwargs={"pk": village_a.pk}))
    denied = SecurityEvent.objects.filter(kind=Kind.ACCESS_DENIED)
    assert {(event.username, event.detail) for event in denied} == {("cadre_a", "403"), ("cadre_b", "404")}
    assert all(event.request_id and event.path for event in denied)


def test_a_missing_page_is_not_a_security_event(login, cadre_a):
    login(cadre_a).get("/no-such-page/")
    assert not SecurityEvent.objects.filter(kind=Kind.ACCESS_DENIED).exists()


def test_a_role_change_is_recorded_with_who_made_it(login, admin, cadre_a, county):
    client = login(admin)
    page = client.get(f"/admin/accounts/user/{cadre_a.pk}/change/")
    form = page.context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key not in {"groups", "user_permissions", "password", "last_login"}
    }
    data.update({"role": Role.COUNTY_OFFICE, "county": county.pk, "township": "", "is_active": "on"})
    response = client.post(f"/admin/accounts/user/{cadre_a.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = SecurityEvent.objects.filter(kind=Kind.ACCOUNT_CHANGED, username="cadre_a").order_by("pk").last()
    assert event.by == admin
    assert "role: township_cadre → county_office" in event.detail
    assert "township_id" in event.detail
    history = client.get(f"/admin/accounts/user/{cadre_a.pk}/history/")
    assert history.status_code == 200
    assert "admin_user" in history.content.decode()


def test_the_log_refuses_changes(db):
    event = security.record(Kind.LOGIN, username="cadre_a")
    event.detail = "rewritten"
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        event.save()


def test_the_log_refuses_to_forget_young_entries_and_prunes_old_ones(_trigger_in_place):
    young = security.record(Kind.LOGIN, username="young")
    security.record(Kind.LOGIN, username="old")
    old_at = timezone.now() - timedelta(days=181)
    with transaction.atomic():
        SecurityEvent.objects.create(kind=Kind.LOGIN, username="older", at=old_at)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        SecurityEvent.objects.filter(pk=young.pk).delete()
    assert security.prune() == 1
    assert set(SecurityEvent.objects.values_list("username", flat=True)) == {"young", "old"}


def test_the_auditor_reads_and_filters_the_log_in_chinese(login, auditor, cadre_a):
    security.record(Kind.LOGIN_FAILED, username="cadre_a")
    security.record(Kind.LOGIN, username="county_office")
    client = login(auditor)
    page = client.get(reverse("accounts:security-log"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "安全日志" in text and "用户名或密码错误" in text and "至少保存 180 天" in text
    filtered = client.get(reverse("accounts:security-log"), {"kind": Kind.LOGIN_FAILED}).content.decode()
    assert "cadre_a" in filtered and "county_office" not in filtered.split("<tbody>")[1]
    by_name = client.get(reverse("accounts:security-log"), {"username": "county"}).content.decode()
    assert "county_office" in by_name.split("<tbody>")[1] and "cadre_a" not in by_name.split("<tbody>")[1]


def test_the_auditor_sees_account_changes_with_who_and_when(login, auditor, admin, cadre_a, township_b):
    cadre_a._history_user = admin
    cadre_a.township = township_b
    cadre_a.save()
    text = login(auditor).get(reverse("accounts:account-changes")).content.decode()
    assert "cadre_a" in text and "admin_user" in text and township_b.name in text


def test_the_auditor_sees_no_record(login, auditor, village_a):
    from villages.models import Village

    assert Village.objects.visible_to(auditor).count() == 0
    assert login(auditor).get(reverse("villages:village-detail", kwargs={"pk": village_a.pk})).status_code == 404


def test_the_log_page_is_the_auditors_only(login, admin, county_office):
    assert login(admin).get(reverse("accounts:security-log")).status_code == 403
    assert login(county_office).get(reverse("accounts:security-log")).status_code == 403


def test_the_auditor_reads_the_audit_trail_without_the_records_contents(login, auditor, cadre_a, village_a):
    from lianchun.audit import save_audited

    village_a.population = 1234
    save_audited(village_a, by=cadre_a, reason="更正人口")
    client = login(auditor)
    text = client.get(reverse("accounts:audit-trail")).content.decode()
    assert "审计记录" in text and "cadre_a" in text and "更正人口" in text
    assert village_a.name not in text
    other = client.get(reverse("accounts:audit-trail"), {"username": "nobody"}).content.decode()
    assert "更正人口" not in other
