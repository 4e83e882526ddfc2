"""The administrator manages accounts here, and nothing else: no domain record is registered.

Separated duties: an account that may open this site is an administrator, and the role
field offers an administrator no role that sees records (the model and a database
constraint refuse it as well). Each account's 修改记录 (the history button) lists every
change of role, place or status with who made it and when.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.admin import SimpleHistoryAdmin

from .models import Role, User

# Access follows an account's role and place, never Django's groups or permissions (an account cannot even
# be put in a group here), so a groups page would offer the administrator settings that change nothing.
admin.site.unregister(Group)

# Django's admin shows these to screen readers, but its zh_Hans catalogue has no Chinese for them;
# naming them here puts them in the project's catalogue, which Django reads first.
DJANGO_ADMIN_WORDS = (gettext_noop("Model name"), gettext_noop("Add link"), gettext_noop("Change or view list link"))

SEPARATED_DUTIES = _(
    "An account that may open account management is an administrator and cannot hold a role that sees records."
)


class SeparatedDutiesMixin:
    def clean(self):
        cleaned = super().clean()
        staff = cleaned.get("is_staff", getattr(self.instance, "is_staff", False))
        superuser = cleaned.get("is_superuser", getattr(self.instance, "is_superuser", False))
        role = cleaned.get("role")
        if (staff or superuser) and role and role != Role.ADMINISTRATOR:
            self.add_error("role", forms.ValidationError(SEPARATED_DUTIES, code="administrator_sees_no_records"))
        return cleaned


class AccountChangeForm(SeparatedDutiesMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


class AccountCreationForm(SeparatedDutiesMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "role", "county", "township")


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    form = AccountChangeForm
    add_form = AccountCreationForm
    list_display = ("username", "full_name", "role", "county", "township", "is_active")
    list_filter = ("role", "is_active", "county")
    search_fields = ("username", "full_name", "phone")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "phone", "email")}),
        (_("Role and place"), {"fields": ("role", "province", "city", "county", "township")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "last_login")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "role",
                    "province",
                    "city",
                    "county",
                    "township",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login",)
    history_list_display = ("role", "county", "township", "is_active", "is_staff")
    actions = ["let_log_in_again"]

    @admin.action(description=_("Let selected accounts log in again (end their waits)"))
    def let_log_in_again(self, request, queryset):
        from axes.utils import reset

        for user in queryset:
            reset(username=user.get_username())

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("county", "township")

    def save_model(self, request, obj, form, change):
        """A save that changes nothing writes nothing: the account's 修改记录 lists changes, not visits."""
        if change and not form.has_changed():
            return
        super().save_model(request, obj, form, change)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        """An administrator's own account, or another administrator's, offers no role that sees records."""
        field = super().formfield_for_choice_field(db_field, request, **kwargs)
        if db_field.name == "role":
            target = getattr(request, "_account_being_edited", None)
            if target is not None and (target.is_staff or target.is_superuser):
                field.choices = [(value, label) for value, label in field.choices if value == Role.ADMINISTRATOR]
        return field

    def get_form(self, request, obj=None, **kwargs):
        request._account_being_edited = obj
        return super().get_form(request, obj, **kwargs)
