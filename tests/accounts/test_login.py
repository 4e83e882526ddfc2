"""Login in Chinese, throttling that stops guessing without locking cadres out, idle sessions, password rules."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import SecurityEvent
from tests.factories import PASSWORD, cadre_of

LOGIN = "/accounts/login/"
OFFICE = "10.1.1.1"
HOME = "10.2.2.2"


def try_login(client, username, password, address=OFFICE):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def answer(response) -> tuple[int, list[str]]:
    """What a person sees: the status and the form's errors."""
    form = response.context["form"] if response.context else None
    errors = [str(error) for error in form.non_field_errors()] if form is not None else []
    return response.status_code, errors


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


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


def test_fifth_wrong_password_makes_the_pair_wait_and_the_right_password_does_not_open_it(client, cadre_a):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        try_login(client, "cadre_a", "wrong-password-1")
    response = try_login(client, "cadre_a", PASSWORD)
    assert response.status_code == 200, "the right password must not open a pair that waits"
    assert not logged_in(client)
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKED_OUT, username="cadre_a").count() == 1


def test_four_wrong_passwords_do_not_make_anyone_wait(client, cadre_a):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        try_login(client, "cadre_a", "wrong-password-1")
    assert try_login(client, "cadre_a", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="cadre_a").exists(), "a success starts the count again"


def test_a_waiting_pair_does_not_lock_the_cadre_out_from_another_address(cadre_a):
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        try_login(attacker, "cadre_a", "wrong-password-1", address=OFFICE)
    cadre = Client()
    assert try_login(cadre, "cadre_a", PASSWORD, address=HOME).status_code == 302


def test_the_wait_runs_out_after_fifteen_minutes(client, cadre_a):
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        try_login(client, "cadre_a", "wrong-password-1")
    assert try_login(client, "cadre_a", PASSWORD).status_code == 200
    AccessAttempt.objects.filter(username="cadre_a").update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert try_login(client, "cadre_a", PASSWORD).status_code == 302


def test_wrong_password_waiting_pair_and_unknown_username_get_one_answer(client, cadre_a):
    wrong = answer(try_login(client, "cadre_a", "wrong-password-1", address="10.0.0.1"))
    unknown = answer(try_login(client, "nobody_here", "wrong-password-1", address="10.0.0.2"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        try_login(client, "cadre_a", "wrong-password-1", address="10.0.0.3")
        try_login(client, "nobody_here", "wrong-password-1", address="10.0.0.4")
    waiting_known = answer(try_login(client, "cadre_a", PASSWORD, address="10.0.0.3"))
    waiting_unknown = answer(try_login(client, "nobody_here", "wrong-password-1", address="10.0.0.4"))
    assert wrong == unknown == waiting_known == waiting_unknown
    assert wrong[0] == 200 and "用户名或密码错误" in wrong[1][0]
    assert "锁定" not in wrong[1][0]


class CountingHasher(MD5PasswordHasher):
    """The test suite's hasher, counting the passwords it hashes: the work that makes a refusal take its time."""

    hashed = 0

    def encode(self, password, salt):
        CountingHasher.hashed += 1
        return super().encode(password, salt)


def hashes_for(client, username, password, address) -> int:
    before = CountingHasher.hashed
    try_login(client, username, password, address=address)
    return CountingHasher.hashed - before


def test_a_waiting_pair_takes_as_long_to_refuse_as_a_wrong_password(client, cadre_a, settings):
    """Each refusal hashes the offered password once, so the answer's time does not tell a waiting pair apart."""
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    wrong = hashes_for(client, "cadre_a", "wrong-password-1", "10.0.0.1")
    unknown = hashes_for(client, "nobody_here", "wrong-password-1", "10.0.0.2")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        try_login(client, "cadre_a", "wrong-password-1", address="10.0.0.3")
    waiting = hashes_for(client, "cadre_a", PASSWORD, "10.0.0.3")
    assert not logged_in(client)
    assert wrong == unknown == waiting == 1


def test_many_usernames_tried_from_one_address_make_that_address_wait(county, township_a):
    limit = settings.LOGIN_THROTTLE_ADDRESS_LIMIT
    assert limit == 30
    client = Client()
    for number in range(limit):
        try_login(client, f"guess{number // 4}", "wrong-password-1", address=OFFICE)
    colleague = cadre_of(township_a, username="colleague")
    assert try_login(Client(), colleague.username, PASSWORD, address=OFFICE).status_code == 200
    assert try_login(Client(), colleague.username, PASSWORD, address=HOME).status_code == 302


def test_one_address_below_its_bar_lets_other_cadres_in(county, township_a):
    client = Client()
    for number in range(settings.LOGIN_THROTTLE_ADDRESS_LIMIT - 1):
        try_login(client, f"guess{number // 4}", "wrong-password-1", address=OFFICE)
    colleague = cadre_of(township_a, username="colleague")
    assert try_login(Client(), colleague.username, PASSWORD, address=OFFICE).status_code == 302


def test_many_failures_for_one_username_from_many_addresses_alert_without_locking_it(client, cadre_a, admin):
    alert_at = settings.LOGIN_THROTTLE_USERNAME_ALERT
    assert alert_at == 20
    for number in range(alert_at):
        try_login(Client(), "cadre_a", "wrong-password-1", address=f"10.9.{number // 4}.1")
    alerts = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ALERT, username="cadre_a")
    assert alerts.count() == 1
    workbench = Client()
    workbench.force_login(admin)
    assert "cadre_a" in workbench.get(reverse("workbench")).content.decode()
    assert try_login(Client(), "cadre_a", PASSWORD, address=HOME).status_code == 302


def test_the_admin_login_is_throttled_the_same_way(client, admin):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": admin.username, "password": "wrong"}, REMOTE_ADDR=OFFICE)
    response = client.post("/admin/login/", {"username": admin.username, "password": PASSWORD}, REMOTE_ADDR=OFFICE)
    assert response.status_code == 200
    assert not logged_in(client)


def test_wrong_old_passwords_on_the_password_form_count_as_failures(cadre_a):
    client = Client(REMOTE_ADDR=OFFICE)
    client.force_login(cadre_a)
    url = reverse("accounts:password-change")
    data = {"old_password": "wrong-old-1", "new_password1": "Xin-mima-2026", "new_password2": "Xin-mima-2026"}
    first = client.post(url, data, REMOTE_ADDR=OFFICE)
    assert "原密码不正确" in first.content.decode()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(url, data, REMOTE_ADDR=OFFICE)
    refused = client.post(url, {**data, "old_password": PASSWORD}, REMOTE_ADDR=OFFICE)
    assert "输错密码次数过多" in refused.content.decode()
    cadre_a.refresh_from_db()
    assert cadre_a.check_password(PASSWORD), "the password must not change while the pair waits"
    assert try_login(Client(), "cadre_a", PASSWORD, address=OFFICE).status_code == 200
    failures = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PASSWORD_CHANGE_FAILED, username="cadre_a")
    assert failures.count() == settings.AXES_FAILURE_LIMIT


def _stored_session(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key)


def test_session_ends_after_thirty_idle_minutes(cadre_a):
    from django.contrib.sessions.backends.db import SessionStore

    from lianchun.sessions import TOUCH_EVERY_SECONDS, TOUCHED_KEY

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = Client()
    assert try_login(client, "cadre_a", PASSWORD).status_code == 302
    assert client.get(reverse("workbench")).status_code == 200
    first = _stored_session(client).expire_date
    assert first > timezone.now() + timedelta(minutes=29)

    # Paging on within the minute writes nothing: no database write on every page.
    assert client.get(reverse("villages:village-list")).status_code == 200
    assert _stored_session(client).expire_date == first

    # A minute after the last write, the next request moves the 30 minutes on.
    store = SessionStore(session_key=client.session.session_key)
    store[TOUCHED_KEY] -= TOUCH_EVERY_SECONDS + 1
    store.save()
    stored = _stored_session(client)
    stored.expire_date = timezone.now() + timedelta(minutes=2)
    stored.save()
    assert client.get(reverse("villages:village-list")).status_code == 200
    assert _stored_session(client).expire_date > timezone.now() + timedelta(minutes=29)

    # Thirty minutes without a request: the session has ended and the next page asks for the login.
    stored = _stored_session(client)
    stored.expire_date = timezone.now() - timedelta(seconds=1)
    stored.save()
    response = client.get(reverse("villages:village-list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("password", ["short1!", "abcdefghij", "12345678901", "!!!!!!!!!!"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["lianchun2026", "Cun-zhi-hui!"])
def test_passwords_of_eight_or_more_mixing_kinds_are_accepted(password):
    validate_password(password)


@pytest.mark.parametrize("password", ["ab1", "password", "12345678901", "cadre_a_2026", "abcdefghij"])
def test_every_password_message_is_in_chinese(password, cadre_a):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        validate_password(password, user=cadre_a)
    for message in error.value.messages:
        assert re.search(r"[\u4e00-\u9fff]", message), message
        assert not re.search(r"[A-Za-z]{3,}", message), message


def test_a_too_short_new_password_is_refused_in_chinese_on_the_form(login, cadre_a):
    response = login(cadre_a).post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": "a1!", "new_password2": "a1!"},
    )
    text = response.content.decode()
    assert "密码太短，至少需要 8 个字符" in text
    assert "too short" not in text


def test_cadre_must_have_a_township(county):
    from accounts.models import Role, User

    user = User(username="x", role=Role.TOWNSHIP_CADRE, county=county)
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "township" in error.value.message_dict


def test_sessions_that_ended_leave_the_table_as_new_ones_begin(cadre_a, monkeypatch):
    from django.contrib.sessions.models import Session

    from lianchun.sessions import PURGE_EVERY_SECONDS, SessionStore

    monkeypatch.setattr(SessionStore, "purged_at", time.monotonic())
    ended = Client()
    assert try_login(ended, "cadre_a", PASSWORD).status_code == 302
    Session.objects.filter(session_key=ended.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    working = Client()
    assert try_login(working, "cadre_a", PASSWORD).status_code == 302
    assert working.get(reverse("workbench")).status_code == 200

    # Within the interval, a login does not scan the table again.
    assert Session.objects.filter(session_key=ended.session.session_key).exists()

    monkeypatch.setattr(SessionStore, "purged_at", time.monotonic() - PURGE_EVERY_SECONDS)
    assert try_login(Client(), "cadre_a", PASSWORD).status_code == 302
    assert not Session.objects.filter(session_key=ended.session.session_key).exists()
    assert Session.objects.filter(session_key=working.session.session_key).exists()
    assert working.get(reverse("workbench")).status_code == 200


def test_a_new_password_that_is_the_current_one_or_holds_the_account_name_is_refused(login, cadre_a):
    client = login(cadre_a)
    url = reverse("accounts:password-change")
    for new, message in [(PASSWORD, "新密码不能与当前密码相同"), ("cadre_a-cadre_a!1", "密码不能包含账号名")]:
        text = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}).content.decode()
        assert message in text, new
    cadre_a.refresh_from_db()
    assert cadre_a.check_password(PASSWORD)
    answer = client.post(
        url, {"old_password": PASSWORD, "new_password1": "Lianchun-2027", "new_password2": "Lianchun-2027"}
    )
    assert answer.status_code == 302
