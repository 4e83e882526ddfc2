from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lianchun.choices import ChoiceLabels
from lianchun.models import link_field


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
    SECURITY_AUDITOR = "security_auditor", _("Security auditor")


COUNTY_ROLES = frozenset({Role.COUNTY_OFFICE, Role.ORG_DEPARTMENT, Role.COUNTY_LEADER})
CITY_ROLES = frozenset({Role.CITY_OFFICE, Role.CITY_ORG_DEPARTMENT, Role.CITY_LEADER})
PROVINCE_ROLES = frozenset({Role.PROVINCE_OFFICE, Role.PROVINCE_ORG_DEPARTMENT, Role.PROVINCE_LEADER})
# Separated duties (三员分立, MLPS 2.0): these roles see records; the administrator manages accounts and
# the security auditor reads the security log and the audit trail, and neither ever sees a record.
RECORD_ROLES = frozenset({Role.TOWNSHIP_CADRE, *COUNTY_ROLES, *CITY_ROLES, *PROVINCE_ROLES})


class AccountManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # A superuser opens account management, so it is an administrator (separated duties).
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra_fields)


class User(ChoiceLabels, AbstractUser):
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.TOWNSHIP_CADRE)
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    county = link_field("villages.County", _("county"), optional=True, related_name="users")
    township = link_field("villages.Township", _("township"), optional=True, related_name="users")
    city = link_field("villages.City", _("city"), optional=True, related_name="users")
    province = link_field("villages.Province", _("province"), optional=True, related_name="users")

    objects = AccountManager()

    # Who changed an account's role, place or status is part of the audit trail;
    # passwords and login bookkeeping are not.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # An account that can open the admin site is an administrator, and an administrator
            # holds no role that sees records: not its own, not another administrator's.
            models.CheckConstraint(
                condition=models.Q(is_staff=False, is_superuser=False) | models.Q(role="administrator"),
                name="admin_site_accounts_are_administrators",
                violation_error_message=_(
                    "An account that may open account management is an administrator and cannot hold a role "
                    "that sees records."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs) -> None:
        # The rule holds for every path that saves an account, not only forms that call clean().
        self.check_separated_duties()
        super().save(*args, **kwargs)

    def check_separated_duties(self) -> None:
        if (self.is_staff or self.is_superuser) and self.role != Role.ADMINISTRATOR:
            raise ValidationError(
                _(
                    "An account that may open account management is an administrator and cannot hold a role "
                    "that sees records."
                ),
                code="administrator_sees_no_records",
            )

    def clean(self) -> None:
        super().clean()
        try:
            self.check_separated_duties()
        except ValidationError as error:
            raise ValidationError({"role": error.messages}, code="administrator_sees_no_records") from None
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
        elif self.role in {Role.ADMINISTRATOR, Role.SECURITY_AUDITOR}:
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
    def is_security_auditor(self) -> bool:
        return self.is_active and self.role == Role.SECURITY_AUDITOR

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


class SecurityEvent(ChoiceLabels, models.Model):
    """One entry of the security log: append-only (database triggers refuse changes) and kept 180 days or more.

    The user is kept as a plain id plus the username typed or held at the time,
    so the log outlives renamed or removed accounts and never needs an update.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Wrong username or password")
        LOCKED_OUT = "locked_out", _("Made to wait after repeated failures")
        ALERT = "alert", _("Many failures for one username")
        LOGOUT = "logout", _("Logged out")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_CHANGE_FAILED = "password_change_failed", _("Wrong old password on password change")
        ACCOUNT_CHANGED = "account_changed", _("Account role, place or status changed")
        ACCESS_DENIED = "access_denied", _("Request refused")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices, db_index=True)
    username = models.CharField(_("username"), max_length=150, blank=True, db_index=True)
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("account"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("changed by"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.GenericIPAddressField(_("address"), null=True, blank=True, db_index=True)
    request_id = models.CharField(_("request number"), max_length=64, blank=True)
    path = models.CharField(_("page"), max_length=300, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"
