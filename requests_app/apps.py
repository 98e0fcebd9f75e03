from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = _("Service requests")

    def ready(self) -> None:
        from requests_app.clocks import register_request_clocks
        from requests_app.services.notify import register_request_sms_events

        register_request_sms_events()
        register_request_clocks()
