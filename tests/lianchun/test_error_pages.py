"""Our own error pages: Chinese, with the navigation for a logged-in user, saying what to do."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

NAV_LINK = 'href="/workbench/"'


def test_a_missing_page_answers_in_chinese_with_the_navigation(login, cadre_a):
    response = login(cadre_a).get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "页面不存在" in text
    assert "每个乡镇只能查看本乡镇的记录" in text
    assert NAV_LINK in text and "退出" in text
    assert "Not Found" not in text


def test_another_townships_record_is_our_404_page(login, cadre_b, village_a):
    response = login(cadre_b).get(reverse("villages:village-detail", kwargs={"pk": village_a.pk}))
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert village_a.name not in response.content.decode()


def test_a_step_beyond_the_role_is_our_403_page(login, cadre_a, village_a):
    response = login(cadre_a).get(reverse("villages:village-standing", kwargs={"pk": village_a.pk}))
    assert response.status_code == 403
    text = response.content.decode()
    assert "您的角色无权进行此操作" in text
    assert "系统管理员" in text
    assert NAV_LINK in text
    assert "403 Forbidden" not in text


def test_an_unreadable_request_is_our_400_page(db):
    response = Client(HTTP_HOST="evil.example.com").get("/accounts/login/")
    assert response.status_code == 400
    text = response.content.decode()
    assert "无法识别该请求" in text
    assert "Bad Request" not in text


def test_a_csrf_failure_says_the_form_was_open_too_long_and_the_text_is_kept(cadre_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cadre_a)
    response = client.post(reverse("accounts:password-change"), {"old_password": PASSWORD})
    assert response.status_code == 403
    text = response.content.decode()
    assert "表单打开时间过长" in text
    assert "您填写的内容没有丢失" in text
    assert "DEBUG" not in text
    assert NAV_LINK in text


@pytest.mark.urls("tests.lianchun.boom_urls")
def test_a_server_error_shows_the_request_number_a_cadre_can_quote(cadre_a, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(cadre_a)
    request_logger = logging.getLogger("lianchun.requests")
    request_logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="lianchun.requests"):
            response = client.get("/boom/")
    finally:
        request_logger.removeHandler(caplog.handler)
    assert response.status_code == 500
    text = response.content.decode()
    request_id = response["X-Request-ID"]
    assert "服务器出现错误" in text
    assert f'<code class="request-id">{request_id}</code>' in text
    assert "a bug in a view" not in text
    lines = [json.loads(record.getMessage()) for record in caplog.records if record.name == "lianchun.requests"]
    assert lines[-1]["request_id"] == request_id
    assert lines[-1]["status"] == 500


def test_every_request_is_one_json_log_line_with_who_and_where(login, cadre_a, caplog):
    client = login(cadre_a)
    request_logger = logging.getLogger("lianchun.requests")
    request_logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="lianchun.requests"):
            response = client.get(reverse("workbench"), HTTP_X_REQUEST_ID="proxy-id-12345678")
    finally:
        request_logger.removeHandler(caplog.handler)
    entry = json.loads(caplog.records[-1].getMessage())
    assert response["X-Request-ID"] == "proxy-id-12345678"
    assert entry["request_id"] == "proxy-id-12345678"
    assert entry["user"] == "cadre_a"
    assert entry["role"] == "township_cadre"
    assert entry["township"] == cadre_a.township_id
    assert entry["status"] == 200
    assert entry["duration_ms"] >= 0


def test_a_request_id_that_is_not_a_plain_token_is_replaced(client, db):
    response = client.get(reverse("accounts:login"), HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>"
    assert len(response["X-Request-ID"]) == 32
