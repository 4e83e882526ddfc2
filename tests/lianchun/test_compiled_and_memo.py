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


def _orm_and_compiled(read, user, day):
    """The read's answer through the ORM, then twice through the compiled SQL (compiled, then kept)."""
    args = (day,) if read.takes_day else ()
    answers = [read.read(user, *args), read(user, *args), read(user, *args)]
    if read.shape == "rows":
        return [sorted(answer) for answer in answers]
    return answers


def test_every_scoped_read_answers_what_its_orm_read_answers_for_every_role(world):
    import meetings.selectors  # noqa: F401  (the modules that declare scoped reads)
    from lianchun import clock
    from lianchun.compiled import SCOPED_READS

    assert len(SCOPED_READS) >= 9
    today = clock.today()
    something = 0
    for persona in ["cadre_a", "cadre_b", "county_office", "org_department", "leader", "city_office"]:
        user = world.personas[persona]
        for read in SCOPED_READS:
            orm, compiled, again = _orm_and_compiled(read, user, today)
            assert orm == compiled == again, (persona, read.read)
            something += bool(orm if read.shape != "aggregate" else any(orm.values()))
    assert something >= 10  # the world has records these reads count, not only zeros
    # The city office chooses a county: its reads are never compiled.
    assert not any(key[1] == world.personas["city_office"].role for read in SCOPED_READS for key in read._compiled)


@pytest.fixture
def reads_of_this_test():
    """Scoped reads a test declares are not left among the product's."""
    from lianchun.compiled import SCOPED_READS

    before = list(SCOPED_READS)
    yield
    SCOPED_READS[:] = before


def test_a_scoped_read_answers_each_user_of_a_role_with_their_own_place(
    cadre_a, cadre_b, village_a, village_b, reads_of_this_test
):
    from lianchun.compiled import ScopedRead

    villages = ScopedRead(lambda user: Village.objects.visible_to(user).count(), "count")
    assert villages(cadre_a) == Village.objects.filter(township=cadre_a.township).count() > 0
    assert villages(cadre_b) == Village.objects.filter(township=cadre_b.township).count() > 0
    assert len(villages._compiled) == 1  # one role, compiled once


@pytest.mark.django_db
def test_a_read_that_keeps_a_value_of_its_own_is_refused(cadre_a, reads_of_this_test):
    import datetime

    from assessments.models import Finding
    from lianchun import clock
    from lianchun.compiled import ScopedRead

    month_before = ScopedRead(
        lambda user, today: (
            Finding.objects.visible_to(user).filter(deadline__gte=today - datetime.timedelta(30)).count()
        ),
        "count",
        takes_day=True,
    )
    from_the_clock = ScopedRead(
        lambda user: Finding.objects.visible_to(user).filter(deadline__gte=clock.today()).count(), "count"
    )
    two_statements = ScopedRead(
        lambda user: Finding.objects.visible_to(user).count() + Village.objects.visible_to(user).count(), "count"
    )
    for read, day in [(month_before, (clock.today(),)), (from_the_clock, ()), (two_statements, ())]:
        with pytest.raises(ValueError):
            read(cadre_a, *day)


def test_a_place_the_user_has_none_of_stays_empty_in_the_stand_in(
    county_office, village_a, village_b, reads_of_this_test
):
    from lianchun.compiled import ScopedRead

    def villages(user):
        if user.township_id is not None:  # a read may take another turn for a user with a township
            return Village.objects.filter(township_id=user.township_id).count()
        return Village.objects.visible_to(user).count()

    counted = ScopedRead(villages, "count")
    assert counted(county_office) == Village.objects.filter(township__county=county_office.county).count() > 0
    # A user of the same role who has that place gets the other turn, compiled for itself.
    from tests import factories

    placed = factories.county_user(county_office.county, county_office.role, username="placed_office")
    placed.township = village_a.township
    placed.save(update_fields=["township"])
    assert counted(placed) == Village.objects.filter(township=village_a.township).count() < counted(county_office)
