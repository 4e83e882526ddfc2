"""The administrator manages accounts here, and nothing else: no domain record is registered."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "role", "county", "township", "is_active", "locked_until")
    list_filter = ("role", "is_active", "county")
    search_fields = ("username", "full_name", "phone")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "phone", "email")}),
        (_("Role and place"), {"fields": ("role", "province", "city", "county", "township")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "failed_login_count", "locked_until", "last_login")}),
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
    actions = ["unlock_accounts"]

    @admin.action(description=_("Unlock selected accounts"))
    def unlock_accounts(self, request, queryset):
        for user in queryset:
            user.failed_login_count = 0
            user.locked_until = None
            user.save(update_fields=["failed_login_count", "locked_until"])

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("county", "township")
