from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _on_new_row(receiver):
    def recorded(sender, instance, created, raw=False, **kwargs):
        if created and not raw:
            receiver(instance)

    return recorded


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports and KPIs")

    def ready(self) -> None:
        from documents.models import DocumentEvent
        from hall.models import TicketEvent
        from notifications.signals import sms_status_changed
        from reports.document_rollups import document_event_recorded
        from reports.hall_rollups import ticket_event_recorded
        from reports.rollups import request_event_recorded
        from reports.sms_rollups import sms_status_changed as sms_rolled_up
        from requests_app.models import RequestEvent

        # The requests, documents and hall apps cannot know their readers (lower layers): the roll-ups
        # listen to their history rows.
        for model, receiver, uid in (
            (RequestEvent, request_event_recorded, "reports.rollups"),
            (DocumentEvent, document_event_recorded, "reports.document_rollups"),
            (TicketEvent, ticket_event_recorded, "reports.hall_rollups"),
        ):
            post_save.connect(_on_new_row(receiver), sender=model, weak=False, dispatch_uid=uid)
        # The outbox knows no domain: it says what changed, and the SMS roll-up places the message.
        sms_status_changed.connect(sms_rolled_up, weak=False, dispatch_uid="reports.sms_rollups")
