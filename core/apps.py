from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def site_identity_changed(**kwargs) -> None:
    from core.pagecache import page_generation_changed

    page_generation_changed("site")


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Shared kernel")

    def ready(self) -> None:
        identity = self.get_model("SiteIdentity")
        post_save.connect(site_identity_changed, sender=identity, dispatch_uid="site-identity-save")
        post_delete.connect(site_identity_changed, sender=identity, dispatch_uid="site-identity-delete")
