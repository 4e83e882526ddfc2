"""Personas and places shared by every test: two townships A and B of one county, in one city.

cadre_a keeps township A, cadre_b township B; county_office, org_department
and leader see the whole county; city_office sees every county of the city
above it, other_city_office those of another city (and none of ours); admin
manages accounts and sees no records; auditor reads the security log and the audit
trail only.
"""

from __future__ import annotations

import pytest

from accounts.models import Role
from tests import factories, walk


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}


@pytest.fixture(autouse=True)
def _empty_cache(request, django_db_setup, django_db_blocker):
    """Each test starts with empty caches: the menu's, in memory, and the shared one (the per-address counts of
    lianchun.unsaved), a table of the test database. A test that commits (the scale-out test's web processes,
    a live server) leaves rows there that no rollback removes. A test without the database cannot have written
    to the table, and in a run of such tests alone no test database exists to clear."""
    from django.core.cache import caches

    caches["template_fragments"].clear()
    if request.node.get_closest_marker("django_db") or DATABASE_FIXTURES & set(request.fixturenames):
        with django_db_blocker.unblock():
            caches["default"].clear()


@pytest.fixture(autouse=True)
def _attachments_in_tmp(settings, tmp_path_factory):
    """Uploaded attachments and generated files go to a temporary directory, never into the checkout's var/."""
    location = tmp_path_factory.getbasetemp() / "attachments"
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path_factory.getbasetemp() / "files")},
        },
    }


@pytest.fixture
def province(db):
    return factories.ProvinceFactory(code="370000000000", name="山东省")


@pytest.fixture
def city(province):
    return factories.CityFactory(province=province, code="379900000000", name="青州市")


@pytest.fixture
def other_city(province):
    return factories.CityFactory(province=province, code="379800000000", name="临川市")


@pytest.fixture
def county(city):
    return factories.CountyFactory(code="379901000000", name="清河县", city=city)


@pytest.fixture
def township_a(county):
    return factories.TownshipFactory(county=county, code="379901101000", name="城关镇")


@pytest.fixture
def township_b(county):
    return factories.TownshipFactory(county=county, code="379901102000", name="马园镇")


@pytest.fixture
def village_a(township_a):
    return factories.VillageFactory(township=township_a, code="379901101201", name="李家庄村", households=400)


@pytest.fixture
def village_b(township_b):
    return factories.VillageFactory(township=township_b, code="379901102201", name="王家村", households=350)


@pytest.fixture
def cadre_a(township_a):
    return factories.cadre_of(township_a, username="cadre_a", full_name="张干部")


@pytest.fixture
def cadre_b(township_b):
    return factories.cadre_of(township_b, username="cadre_b", full_name="马干部")


@pytest.fixture
def county_office(county):
    return factories.county_user(county, Role.COUNTY_OFFICE, username="county_office", full_name="王主任")


@pytest.fixture
def org_department(county):
    return factories.county_user(county, Role.ORG_DEPARTMENT, username="org_department", full_name="刘部长")


@pytest.fixture
def leader(county):
    return factories.county_user(county, Role.COUNTY_LEADER, username="leader", full_name="陈县长")


@pytest.fixture
def city_office(city):
    return factories.UserFactory(role=Role.CITY_OFFICE, city=city, username="city_office", full_name="周科长")


@pytest.fixture
def other_city_office(other_city):
    return factories.UserFactory(
        role=Role.CITY_OFFICE, city=other_city, username="other_city_office", full_name="吴科长"
    )


@pytest.fixture
def province_office(province):
    return factories.UserFactory(
        role=Role.PROVINCE_OFFICE, province=province, username="province_office", full_name="郑处长"
    )


@pytest.fixture
def admin(db):
    return factories.UserFactory(
        username="admin_user", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True, full_name="管理员"
    )


@pytest.fixture
def auditor(db):
    return factories.UserFactory(username="auditor", role=Role.SECURITY_AUDITOR, full_name="审计员")


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def clock():
    """Move the product's clock: `clock.travel(timedelta(days=31))`; reset after the test."""
    from lianchun import clock as product_clock

    product_clock.reset()
    yield product_clock
    product_clock.reset()


@pytest.fixture
def midweek(clock):
    """The clock at noon on Wednesday of this week.

    For tests that establish a cluster today and file the report of the reporting week: until Monday noon that
    week is last week, before the cluster existed, and the product rightly refuses its report.
    """
    import datetime

    from django.utils import timezone

    from tests.reports.factories import set_now

    now = timezone.localtime(clock.now())
    wednesday = now + datetime.timedelta(days=2 - now.weekday())
    set_now(clock, wednesday.replace(hour=12, minute=0, second=0, microsecond=0))
    return clock


@pytest.fixture
def world(
    cadre_a,
    cadre_b,
    county_office,
    org_department,
    leader,
    city_office,
    other_city_office,
    province_office,
    admin,
    auditor,
    village_a,
    village_b,
):
    personas = {
        "cadre_a": cadre_a,
        "cadre_b": cadre_b,
        "county_office": county_office,
        "org_department": org_department,
        "leader": leader,
        "city_office": city_office,
        "other_city_office": other_city_office,
        "province_office": province_office,
        "admin": admin,
        "auditor": auditor,
    }
    w = walk.World(personas=personas)
    w.county = cadre_a.county
    w.township_a = cadre_a.township
    w.township_b = cadre_b.township
    w.village_a = village_a
    w.village_b = village_b
    return walk.build_world(w)


@pytest.fixture(autouse=True)
def _security_log_flushable(request):
    """Tests that flush the database (live server, transactional) may empty the append-only security log.

    On SQLite Django flushes with DELETE, which the log's trigger refuses for young entries; on
    PostgreSQL it truncates, which row triggers do not see. tests/accounts/test_security_log.py puts
    the trigger back before it checks it.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = {"live_server", "transactional_db"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if transactional:
        from django.db import connection

        request.getfixturevalue("transactional_db")
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("DROP TRIGGER IF EXISTS accounts_securityevent_keep_180_days")
    yield
