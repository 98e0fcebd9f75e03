from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


def catalog_changed(**kwargs) -> None:
    from core.pagecache import page_generation_changed

    page_generation_changed("catalog")


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("Service catalog")

    def ready(self) -> None:
        # The catalog and service pages (core.pagecache) and the services' terms (service_terms) are
        # kept in the cache: any change to the catalog or to the organisation they show gives a new key.
        for model in [*self.get_models(), *apps.get_app_config("organisation").get_models()]:
            uid = f"catalog-{model._meta.label}"
            post_save.connect(catalog_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(catalog_changed, sender=model, dispatch_uid=f"{uid}-delete")
        centers = self.get_model("Service").centers.through
        m2m_changed.connect(catalog_changed, sender=centers, dispatch_uid="catalog-centers")
