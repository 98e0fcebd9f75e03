from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrespondenceConfig(AppConfig):
    name = "correspondence"
    verbose_name = _("Incoming and outgoing letters")

    def ready(self) -> None:
        from correspondence.clocks import register_letter_clock

        register_letter_clock()
