from django.core.management.base import BaseCommand

from notifications.services import DELIVERY_BATCH, sms_deliver_pending


class Command(BaseCommand):
    help = "Send the SMS messages that are due now, in this process (one delivery pass)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=DELIVERY_BATCH, help="most messages to try")

    def handle(self, *args, limit, **options):
        tried = sms_deliver_pending(limit=limit)
        self.stdout.write(f"{tried} message(s) tried")
