"""Bare views for bench/over_http.py: no middleware, no templates, no ORM; each does the indexed lookup
(or the locked-counter insert) of the project path it stands beside, and writes the row as text."""

from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import path


def _one(sql: str, params: list) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return HttpResponse(repr(cursor.fetchall()), content_type="text/plain")


def status(request, token):
    return _one(
        "SELECT receipt_number, state, submitted_at, due_at FROM requests_app_servicerequest"
        " WHERE tracking_token = %s",
        [token],
    )


def track(request):
    return _one(
        "SELECT r.receipt_number, r.state, r.due_at FROM requests_app_servicerequest r"
        " JOIN requests_app_citizen c ON c.id = r.applicant_id"
        " WHERE r.receipt_number = %s AND right(c.national_id, 4) = %s",
        [request.POST.get("receipt_number", ""), request.POST.get("national_id_last4", "")],
    )


def catalog(request):
    return _one("SELECT code, name_ar, name_en FROM services_service WHERE is_active ORDER BY code", [])


def service(request, code):
    return _one("SELECT code, name_ar, description_ar FROM services_service WHERE code = %s", [code])


def queue(request, department):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM requests_app_servicerequest"
            " WHERE current_department_id = %s AND state = 'in_review'",
            [department],
        )
        count = cursor.fetchone()
        cursor.execute(
            "SELECT receipt_number, step_due_at FROM requests_app_servicerequest"
            " WHERE current_department_id = %s AND state = 'in_review' ORDER BY step_due_at, id LIMIT 25",
            [department],
        )
        return HttpResponse(repr((count, cursor.fetchall())), content_type="text/plain")


def take_next(request, department):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM bench_bare_taken WHERE department_id = %s AND taken IS NULL"
            " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
            [department],
        )
        row = cursor.fetchone()
        if row:
            cursor.execute("UPDATE bench_bare_taken SET taken = now() WHERE id = %s", [row[0]])
        return HttpResponse(repr(row), content_type="text/plain")


def intake(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE bench_bare_counter SET last_number = last_number + 1 RETURNING last_number")
        (number,) = cursor.fetchone()
        cursor.execute("INSERT INTO bench_bare_intake (number, body) VALUES (%s, %s)", [number, "x"])
        return HttpResponse(str(number), content_type="text/plain")


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz),
    path("t/<str:token>/", status),
    path("track/", track),
    path("services/", catalog),
    path("services/<str:code>/", service),
    path("queue/<int:department>/", queue),
    path("take-next/<int:department>/", take_next),
    path("intake/", intake),
]
