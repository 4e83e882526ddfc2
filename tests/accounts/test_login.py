"""Login in Chinese, lock-out after five wrong passwords, idle sessions, password rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD

LOGIN = "/accounts/login/"


def try_login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_page_is_in_chinese(client, db):
    response = client.get(LOGIN)
    body = response.content.decode()
    assert response.status_code == 200
    assert "联村治理台账" in body
    assert "用户名" in body and "密码" in body and "登录" in body


def test_successful_login_lands_on_the_workbench(client, cadre_a):
    response = try_login(client, "cadre_a", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("workbench")


def test_wrong_password_says_so_in_chinese(client, cadre_a):
    response = try_login(client, "cadre_a", "wrong-password-1")
    assert "用户名或密码错误" in response.content.decode()


def test_fifth_wrong_password_locks_the_account_for_fifteen_minutes(client, cadre_a):
    for _ in range(5):
        try_login(client, "cadre_a", "wrong-password-1")
    cadre_a.refresh_from_db()
    assert cadre_a.is_locked()
    remaining = cadre_a.locked_until - timezone.now()
    assert timedelta(minutes=14) < remaining <= timedelta(minutes=15)

    response = try_login(client, "cadre_a", PASSWORD)
    body = response.content.decode()
    assert response.status_code == 200, "the right password must not open a locked account"
    assert "账户已被锁定" in body
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_then_the_right_one_resets_the_count(client, cadre_a):
    for _ in range(4):
        try_login(client, "cadre_a", "wrong-password-1")
    assert try_login(client, "cadre_a", PASSWORD).status_code == 302
    cadre_a.refresh_from_db()
    assert cadre_a.failed_login_count == 0
    assert not cadre_a.is_locked()


def test_a_lock_runs_out_after_fifteen_minutes(client, cadre_a):
    cadre_a.failed_login_count = 5
    cadre_a.locked_until = timezone.now() - timedelta(seconds=1)
    cadre_a.save()
    assert try_login(client, "cadre_a", PASSWORD).status_code == 302


def test_the_admin_login_honours_the_lock(client, admin):
    admin.failed_login_count = 5
    admin.locked_until = timezone.now() + timedelta(minutes=10)
    admin.save()
    response = client.post("/admin/login/", {"username": admin.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_session_ends_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST, "the 30 minutes must count from the last request, not from login"


@pytest.mark.parametrize("password", ["short1!", "abcdefghij", "12345678901", "!!!!!!!!!!"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["lianchun2026", "Cun-zhi-hui!"])
def test_passwords_of_eight_or_more_mixing_kinds_are_accepted(password):
    validate_password(password)


def test_cadre_must_have_a_township(county):
    from accounts.models import Role, User

    user = User(username="x", role=Role.TOWNSHIP_CADRE, county=county)
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "township" in error.value.message_dict
