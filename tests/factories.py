from __future__ import annotations

import factory

from accounts.models import Role, User
from villages.models import City, County, PartnerUnit, Province, Township, Village

PASSWORD = "Test2026pass"


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{36 - n % 30:02d}0000000000")
    name = factory.Sequence(lambda n: f"测试{n}省")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("code",)

    province = factory.SubFactory(ProvinceFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.province.code[:2]}{1 + n % 98:02d}00000000")
    name = factory.Sequence(lambda n: f"测试{n}市")


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{379901 + n:06d}000000")
    name = factory.Sequence(lambda n: f"测试{n}县")


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Township

    county = factory.SubFactory(CountyFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.county.code[:6]}{101 + n % 899:03d}000")
    name = factory.Sequence(lambda n: f"测试{n}镇")


def next_free_village_code(township: Township) -> str:
    """The lowest unused village code of the township from …301, so factories never collide with explicit codes."""
    used = set(Village.objects.filter(township=township).values_list("code", flat=True))
    for number in range(301, 1000):  # 2xx is left to tests that name codes explicitly
        code = f"{township.code[:9]}{number:03d}"
        if code not in used:
            return code
    raise RuntimeError(f"no free village code left in {township}")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    township = factory.SubFactory(TownshipFactory)
    code = factory.LazyAttribute(lambda o: next_free_village_code(o.township))
    name = factory.Sequence(lambda n: f"测试{n}村")
    households = 300
    population = 1000
    party_members = 30


class PartnerUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerUnit

    county = factory.SubFactory(CountyFactory)
    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = PartnerUnit.Kind.ENTERPRISE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.TOWNSHIP_CADRE
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def cadre_of(township: Township, **kwargs) -> User:
    return UserFactory(role=Role.TOWNSHIP_CADRE, township=township, county=township.county, **kwargs)


def county_user(county: County, role: str, **kwargs) -> User:
    return UserFactory(role=role, county=county, **kwargs)


def session_runs_out(client, user):
    """`client` is a browser on which `user` signed in and whose session then ran out (30 idle minutes): the
    server no longer knows the session, the browser still carries the cookie naming the account last signed in
    on it (lianchun.unsaved), which the first page after the login set. Returns the client."""
    from django.conf import settings
    from django.urls import reverse

    client.force_login(user)
    assert client.get(reverse("accounts:password-change")).status_code == 200
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
    return client
