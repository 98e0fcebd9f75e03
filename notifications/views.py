"""The gateway's delivery reports: POST {"id", "status": delivered|failed, "error"} with a bearer token."""

import hmac
import json

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from notifications.models import SmsMessage
from notifications.services import REPORT_STATUSES, sms_record_delivery_report


def _authorized(request) -> bool:
    expected = settings.SMS_DELIVERY_REPORT_TOKEN
    if not expected:
        return False  # no token configured: nobody may report
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), expected.encode())


@csrf_exempt  # a machine-to-machine call, authenticated by its token rather than a session
@require_POST
def delivery_report(request):
    if not _authorized(request):
        response = JsonResponse({"error": "unauthorized"}, status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response
    try:
        report = json.loads(request.body)
        provider_id, status = str(report["id"]), report["status"]
        error = str(report.get("error") or "")
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "expected JSON with id and status"}, status=400)
    if status not in REPORT_STATUSES:
        return JsonResponse({"error": "status must be delivered or failed"}, status=400)
    try:
        message = sms_record_delivery_report(provider_message_id=provider_id, status=status, error=error)
    except SmsMessage.DoesNotExist:
        return JsonResponse({"error": "unknown id"}, status=404)
    return JsonResponse({"status": message.status})
