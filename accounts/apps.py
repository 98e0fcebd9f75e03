from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _update_last_login_quietly(sender, user, **kwargs):
    """Record the sign-in time without a save: users keep a history, and a sign-in is not a change."""
    from django.utils import timezone

    type(user).objects.filter(pk=user.pk).update(last_login=timezone.now())


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Staff and roles")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(_update_last_login_quietly, dispatch_uid="update_last_login")
