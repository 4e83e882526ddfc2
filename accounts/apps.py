from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth import models as auth_models
        from django.contrib.auth.signals import user_logged_in

        from lianchun.views import HISTORY_MODELS

        from .services import update_last_login

        user_logged_in.disconnect(auth_models.update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(update_last_login, dispatch_uid="update_last_login")
        HISTORY_MODELS.add("accounts.user")
