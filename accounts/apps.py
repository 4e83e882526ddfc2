from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth import models as auth_models
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from simple_history.signals import post_create_historical_record

        from lianchun import workbench
        from lianchun.views import HISTORY_MODELS

        from . import signals
        from .models import User
        from .services import update_last_login
        from .views import security_alerts

        user_logged_in.disconnect(auth_models.update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(signals.on_logged_in, dispatch_uid="security_log_login")
        user_logged_out.connect(signals.on_logged_out, dispatch_uid="security_log_logout")
        user_login_failed.connect(signals.on_login_failed, dispatch_uid="security_log_login_failed")
        user_locked_out.connect(signals.on_locked_out, dispatch_uid="security_log_locked_out")
        post_create_historical_record.connect(
            signals.on_account_history, sender=User.history.model, dispatch_uid="security_log_account"
        )
        HISTORY_MODELS.add("accounts.user")
        workbench.register(security_alerts)
