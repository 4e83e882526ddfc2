"""Separated duties (三员分立): administrators manage accounts and never hold a role that sees records."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from accounts.models import Role, User
from tests.factories import UserFactory


def change_form_data(client, user, **changes):
    page = client.get(f"/admin/accounts/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key not in {"groups", "user_permissions", "password", "last_login"}
    }
    data.update({"is_active": "on", **changes})
    if data.get("is_staff") is True:
        data["is_staff"] = "on"
    if data.get("is_superuser") is True:
        data["is_superuser"] = "on"
    return data


def test_the_administrator_cannot_give_itself_a_role_that_sees_records(login, admin, county):
    client = login(admin)
    data = change_form_data(client, admin, role=Role.COUNTY_OFFICE, county=county.pk)
    response = client.post(f"/admin/accounts/user/{admin.pk}/change/", data)
    assert response.status_code == 200
    assert (
        "不能担任可以查看台账记录的角色" in response.content.decode()
        or "选择一个有效的选项" in response.content.decode()
    )
    admin.refresh_from_db()
    assert admin.role == Role.ADMINISTRATOR


def test_the_role_field_offers_an_administrator_account_no_record_role(login, admin):
    client = login(admin)
    form = client.get(f"/admin/accounts/user/{admin.pk}/change/").context["adminform"].form
    assert [value for value, _label in form.fields["role"].choices] == [Role.ADMINISTRATOR]


def test_the_administrator_cannot_give_another_administrator_a_record_role(login, admin, county):
    other = UserFactory(username="admin_two", role=Role.ADMINISTRATOR, is_staff=True)
    client = login(admin)
    data = change_form_data(client, other, role=Role.COUNTY_LEADER, county=county.pk)
    client.post(f"/admin/accounts/user/{other.pk}/change/", data)
    other.refresh_from_db()
    assert other.role == Role.ADMINISTRATOR


def test_a_record_role_account_cannot_be_given_the_admin_site(login, admin, county_office):
    client = login(admin)
    data = change_form_data(client, county_office, is_staff="on")
    response = client.post(f"/admin/accounts/user/{county_office.pk}/change/", data)
    assert response.status_code == 200
    assert "不能担任可以查看台账记录的角色" in response.content.decode()
    county_office.refresh_from_db()
    assert not county_office.is_staff


def test_the_administrator_still_manages_ordinary_accounts(login, admin, cadre_a, county):
    client = login(admin)
    data = change_form_data(client, cadre_a, role=Role.COUNTY_OFFICE, county=county.pk, township="")
    assert client.post(f"/admin/accounts/user/{cadre_a.pk}/change/", data).status_code == 302
    cadre_a.refresh_from_db()
    assert cadre_a.role == Role.COUNTY_OFFICE


def test_the_model_refuses_a_staff_account_with_a_record_role(admin, county):
    admin.role = Role.COUNTY_OFFICE
    admin.county = county
    with pytest.raises(ValidationError) as error:
        admin.save()
    assert error.value.code == "administrator_sees_no_records"


def test_the_database_refuses_it_even_past_the_model(admin):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=admin.pk).update(role=Role.COUNTY_LEADER)


def test_the_auditor_cannot_be_given_the_admin_site(auditor):
    auditor.is_staff = True
    with pytest.raises(ValidationError):
        auditor.save()


def test_createsuperuser_makes_an_administrator(db):
    call_command("createsuperuser", username="root_admin", email="", interactive=False, verbosity=0)
    assert User.objects.get(username="root_admin").role == Role.ADMINISTRATOR
