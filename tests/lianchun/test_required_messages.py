"""Every form says which field is missing ("请填写「议题」。"), not Django's bare "这个字段是必填项"."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

BARE = "这个字段是必填项"


@pytest.mark.parametrize(
    ("url_name", "persona", "expected"),
    [
        (
            "meetings:meeting-create",
            "cadre_a",
            ["请填写「议题」。", "请填写「地点」。", "请填写「时间」。", "请选择「会议类型」。"],
        ),
        (
            "clusters:cluster-propose",
            "cadre_a",
            ["请填写「联村名称」。", "请选择「形式」。", "请选择「成员村」。", "请选择「中心村」。"],
        ),
        ("rectification:plan-create", "cadre_a", ["请选择「村（社区）」。", "请选择「县级领导联系人」。"]),
        ("accounts:login", None, ["请填写「用户名」。", "请填写「密码」。"]),
    ],
)
def test_an_empty_required_field_is_named_in_its_error(request, client, login, url_name, persona, expected):
    if persona:
        client = login(request.getfixturevalue(persona))
    response = client.post(reverse(url_name), {"unrelated": "1"})  # an empty POST reads as no POST to some views
    assert response.status_code == 200
    html = response.content.decode()
    named = set(re.findall(r"请(?:填写|选择|上传)「[^」]+」。", html))
    assert set(expected) <= named, named
    assert BARE not in html


def test_a_form_that_words_its_own_required_message_keeps_it():
    from django import forms

    class Own(forms.Form):
        title = forms.CharField(label="标题", error_messages={"required": "标题不能空着。"})
        body = forms.CharField(label="正文")

    form = Own(data={})
    assert not form.is_valid()
    assert form.errors == {"title": ["标题不能空着。"], "body": ["请填写「正文」。"]}
