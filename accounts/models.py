from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    """The roles of DOMAIN.md; a role plus its place decides what a user sees."""

    TOWNSHIP_CADRE = "township_cadre", _("Township cadre")
    COUNTY_OFFICE = "county_office", _("County cluster office")
    ORG_DEPARTMENT = "org_department", _("County organisation department")
    COUNTY_LEADER = "county_leader", _("County leader")
    CITY_OFFICE = "city_office", _("City cluster office")
    CITY_ORG_DEPARTMENT = "city_org_department", _("City organisation department")
    CITY_LEADER = "city_leader", _("City leader")
    PROVINCE_OFFICE = "province_office", _("Province cluster office")
    PROVINCE_ORG_DEPARTMENT = "province_org_department", _("Province organisation department")
    PROVINCE_LEADER = "province_leader", _("Province leader")
    ADMINISTRATOR = "administrator", _("Administrator")


COUNTY_ROLES = frozenset({Role.COUNTY_OFFICE, Role.ORG_DEPARTMENT, Role.COUNTY_LEADER})
CITY_ROLES = frozenset({Role.CITY_OFFICE, Role.CITY_ORG_DEPARTMENT, Role.CITY_LEADER})
PROVINCE_ROLES = frozenset({Role.PROVINCE_OFFICE, Role.PROVINCE_ORG_DEPARTMENT, Role.PROVINCE_LEADER})


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.TOWNSHIP_CADRE)
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    county = models.ForeignKey(
        "villages.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    township = models.ForeignKey(
        "villages.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    city = models.ForeignKey(
        "villages.City",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    province = models.ForeignKey(
        "villages.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    failed_login_count = models.PositiveSmallIntegerField(_("failed logins"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    # Who changed an account's role, place or status is part of the audit trail;
    # passwords and login bookkeeping are not.
    history = HistoricalRecords(excluded_fields=["password", "last_login", "failed_login_count", "locked_until"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.role == Role.TOWNSHIP_CADRE:
            if self.township_id is None:
                raise ValidationError({"township": _("A township cadre must be bound to one township.")})
            self.county_id = self.township.county_id
        elif self.role in COUNTY_ROLES:
            if self.county_id is None:
                raise ValidationError({"county": _("A county role must be bound to a county.")})
            if self.township_id is not None:
                raise ValidationError({"township": _("A county role is not bound to a township.")})
        elif self.role in CITY_ROLES:
            if self.city_id is None:
                raise ValidationError({"city": _("A city role must be bound to a city.")})
            self.county = self.township = self.province = None
        elif self.role in PROVINCE_ROLES:
            if self.province_id is None:
                raise ValidationError({"province": _("A province role must be bound to a province.")})
            self.county = self.township = self.city = None
        elif self.role == Role.ADMINISTRATOR:
            self.township = None

    # Questions the rest of the product asks; the answers come from role + place only.
    @property
    def is_township_cadre(self) -> bool:
        return self.is_active and self.role == Role.TOWNSHIP_CADRE and self.township_id is not None

    @property
    def is_county_role(self) -> bool:
        return self.is_active and self.role in COUNTY_ROLES and self.county_id is not None

    @property
    def is_city_role(self) -> bool:
        return self.is_active and self.role in CITY_ROLES and self.city_id is not None

    @property
    def is_province_role(self) -> bool:
        return self.is_active and self.role in PROVINCE_ROLES and self.province_id is not None

    @property
    def is_region_role(self) -> bool:
        """A city or province role: sees every county beneath its city or province."""
        return self.is_city_role or self.is_province_role

    @property
    def is_county_office(self) -> bool:
        return self.is_county_role and self.role == Role.COUNTY_OFFICE

    @property
    def is_org_department(self) -> bool:
        return self.is_county_role and self.role == Role.ORG_DEPARTMENT

    @property
    def is_county_leader(self) -> bool:
        return self.is_county_role and self.role == Role.COUNTY_LEADER

    @property
    def is_administrator(self) -> bool:
        return self.is_active and self.role == Role.ADMINISTRATOR

    @property
    def place_name(self) -> str:
        if self.township_id:
            return str(self.township)
        if self.county_id:
            return str(self.county)
        if self.city_id:
            return str(self.city)
        if self.province_id:
            return str(self.province)
        return ""

    def is_locked(self, now=None) -> bool:
        now = now or timezone.now()
        return self.locked_until is not None and self.locked_until > now
