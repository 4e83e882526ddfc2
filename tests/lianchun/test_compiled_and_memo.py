"""The per-page savings: a query compiled once answers as the ORM does; reads shared within one 工作台."""

from __future__ import annotations

import pytest

from accounts.backends import AccountBackend
from lianchun.compiled import CompiledQuery
from lianchun.memo import once_per_page, shared_reads
from notifications.models import Notification
from notifications.selectors import unread_count
from villages.models import Village


@pytest.mark.django_db
def test_a_compiled_query_answers_what_the_orm_answers(village_a, village_b, township_a):
    by_township = CompiledQuery(
        lambda township_id: Village.objects.filter(township_id=township_id).order_by("pk").values_list("name"),
        placeholders=[-1],
    )
    assert by_township.rows(township_a.pk) == list(
        Village.objects.filter(township=township_a).order_by("pk").values_list("name")
    )
    assert by_township.rows(-5) == []


@pytest.mark.django_db
def test_a_query_holding_a_value_of_its_own_is_refused(township_a):
    fixed = CompiledQuery(lambda township_id: Village.objects.filter(township_id=township_a.pk), placeholders=[-1])
    with pytest.raises(ValueError):
        fixed.sql()


@pytest.mark.django_db
def test_the_unread_count_follows_reads_and_new_notifications(cadre_a, cadre_b):
    from lianchun import clock

    def notify(user, key):
        return Notification.objects.create(recipient=user, kind="due", title="t", created_at=clock.now(), key=key)

    assert unread_count(cadre_a) == 0
    first = notify(cadre_a, "a")
    notify(cadre_a, "b")
    notify(cadre_b, "c")
    assert (unread_count(cadre_a), unread_count(cadre_b)) == (2, 1)
    first.read_at = clock.now()
    first.save()
    assert unread_count(cadre_a) == 1


def test_shared_reads_answer_a_repeated_read_once_and_only_inside_the_scope():
    calls = []

    @once_per_page
    def read(key):
        calls.append(key)
        return [key]

    with shared_reads():
        assert read(1) is read(1)
        read(2)
    assert calls == [1, 2]
    read(1)
    read(1)
    assert calls == [1, 2, 1, 1]


@pytest.mark.django_db
def test_the_signed_in_user_comes_with_the_place_the_header_names(cadre_a, county_office, django_assert_num_queries):
    for user in (cadre_a, county_office):
        loaded = AccountBackend().get_user(user.pk)
        with django_assert_num_queries(0):
            assert loaded.place_name == user.place_name != ""


@pytest.mark.django_db
def test_an_inactive_user_is_not_loaded(cadre_a):
    cadre_a.is_active = False
    cadre_a.save()
    assert AccountBackend().get_user(cadre_a.pk) is None


@pytest.mark.django_db
def test_a_compiled_query_builds_the_instances_the_orm_builds(cadre_a, city_office):
    from django.utils import timezone

    cadre_a.last_login = timezone.now()
    cadre_a.save()
    for user in (cadre_a, city_office):
        loaded = AccountBackend().get_user(user.pk)
        expected = type(user).objects.select_related("township", "county", "city", "province").get(pk=user.pk)
        for field in type(user)._meta.concrete_fields:
            assert getattr(loaded, field.attname) == getattr(expected, field.attname), field.name
        assert loaded.is_active is True and loaded._state.adding is False
        for place in ("township", "county", "city", "province"):
            assert getattr(loaded, place) == getattr(expected, place)
    assert AccountBackend().get_user(10**9) is None
