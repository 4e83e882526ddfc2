"""The administrator manages accounts and sees no domain records."""

from __future__ import annotations

from django.contrib import admin as django_admin

from villages.models import Village


def test_admin_lists_accounts(login, admin, cadre_a):
    client = login(admin)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 200
    assert "cadre_a" in response.content.decode()


def test_no_domain_record_is_registered_in_the_admin():
    registered = {model._meta.app_label for model in django_admin.site._registry}
    assert registered <= {"accounts", "auth"}


def test_the_admin_offers_accounts_only_and_in_chinese(login, admin):
    client = login(admin)
    page = client.get("/admin/").content.decode()
    assert "/admin/accounts/user/" in page and "/admin/auth/group/" not in page
    assert "模型名称" in page and "Model name" not in page
    assert client.get("/admin/auth/group/").status_code == 404


def test_administrator_sees_no_villages(login, admin, village_a):
    client = login(admin)
    assert client.get(f"/villages/{village_a.pk}/").status_code == 404
    assert Village.objects.visible_to(admin).count() == 0


def test_township_cadre_cannot_open_the_admin(login, cadre_a):
    client = login(cadre_a)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def as_shown(client, user) -> dict:
    """The account's change form as the admin page shows it, ready to post back."""
    page = client.get(f"/admin/accounts/user/{user.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key not in {"groups", "user_permissions", "password", "last_login"}
    }
    return {key: ("on" if value is True else value) for key, value in data.items() if value is not False}


def test_an_account_change_in_the_admin_is_attributed(login, admin, cadre_a, township_b):
    client = login(admin)
    data = as_shown(client, cadre_a)
    data.update(
        {"township": township_b.pk, "county": township_b.county_id, "role": "township_cadre", "is_active": "on"}
    )
    response = client.post(f"/admin/accounts/user/{cadre_a.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = cadre_a.history.first()
    assert record.history_user == admin
    assert record.township_id == township_b.pk


def test_logins_and_failed_passwords_do_not_fill_the_account_history(client, cadre_a):
    before = cadre_a.history.count()
    client.post("/accounts/login/", {"username": "cadre_a", "password": "wrong-password-1"})
    client.post("/accounts/login/", {"username": "cadre_a", "password": "Test2026pass"})
    assert cadre_a.history.count() == before


def test_saving_an_account_unchanged_in_the_admin_adds_no_history_row(login, admin, cadre_a):
    client = login(admin)
    before = cadre_a.history.count()
    response = client.post(f"/admin/accounts/user/{cadre_a.pk}/change/", as_shown(client, cadre_a))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert cadre_a.history.count() == before
    data = as_shown(client, cadre_a)
    data["full_name"] = "改过的名字"
    assert client.post(f"/admin/accounts/user/{cadre_a.pk}/change/", data).status_code == 302
    assert cadre_a.history.count() == before + 1
