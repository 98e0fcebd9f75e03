"""The gateway's delivery reports: POST {"id", "status": delivered|failed, "error"} with a bearer token."""

import hmac
import json

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.throttle import failure_count, failures_exceeded, rate_window_seconds, too_many_requests
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
    rate = settings.WEBHOOK_FAILURE_RATE
    if failures_exceeded(request, group="sms-webhook", key="ip", rate=rate):
        return too_many_requests(request, seconds=rate_window_seconds(rate))
    if not _authorized(request):
        failure_count(request, group="sms-webhook", key="ip", rate=rate)  # guessing tokens is throttled
        response = JsonResponse({"error": "unauthorized"}, status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response
    try:
        report = json.loads(request.body)
        provider_id, status = str(report["id"]), report["status"]
        error = str(report.get("error") or "")
    except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: absurdly nested JSON
        return JsonResponse({"error": "expected JSON with id and status"}, status=400)
    if any("\x00" in text or len(text) > 1000 for text in (provider_id, error)):
        return JsonResponse({"error": "id and error must be short text"}, status=400)
    if status not in REPORT_STATUSES:
        return JsonResponse({"error": "status must be delivered or failed"}, status=400)
    try:
        message = sms_record_delivery_report(provider_message_id=provider_id, status=status, error=error)
    except SmsMessage.DoesNotExist:
        return JsonResponse({"error": "unknown id"}, status=404)
    return JsonResponse({"status": message.status})
