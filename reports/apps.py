from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports and KPIs")

    def ready(self) -> None:
        from reports.rollups import request_event_recorded
        from requests_app.models import RequestEvent

        def recorded(sender, instance, created, raw=False, **kwargs):
            if created and not raw:
                request_event_recorded(instance)

        # The requests app cannot know its readers (a lower layer): the roll-ups listen to its history.
        post_save.connect(recorded, sender=RequestEvent, weak=False, dispatch_uid="reports.rollups")
