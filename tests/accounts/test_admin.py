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


def test_administrator_sees_no_villages(login, admin, village_a):
    client = login(admin)
    assert client.get(f"/villages/{village_a.pk}/").status_code == 404
    assert Village.objects.visible_to(admin).count() == 0


def test_township_cadre_cannot_open_the_admin(login, cadre_a):
    client = login(cadre_a)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
