"""Demo data: the reference organisation and catalog plus one account for every role in two
centers of two governorates. Refused in production."""

import uuid

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from accounts.models import Role, User
from accounts.services import role_assign, staff_user_ensure
from backoffice.models import Center, Department, Governorate
from backoffice.services import organisation_load_reference
from core.loading import LoadReport
from requests_app.services import CitizenInput, IntakeInput, service_request_submit
from services.models import Service
from services.services import catalog_load_reference

DEMO_PASSWORD = "demo-pass-2026"

# username, full name, role, scope code (center, "<local unit>/<department>", governorate or None)
DEMO_ACCOUNTS = [
    ("bnh.clerk", "منى عبد الحميد", Role.CLERK, "BNH"),
    ("bnh.clerk2", "كريم فؤاد", Role.CLERK, "BNH"),
    ("bnh.manager", "هشام الشريف", Role.CENTER_MANAGER, "BNH"),
    ("bnh.eng", "أحمد سعيد", Role.BACKOFFICE, "BNH/ENG"),
    ("bnh.eng.head", "م. سامية رشدي", Role.DEPARTMENT_HEAD, "BNH/ENG"),
    ("bnh.surv", "محمود عبد الله", Role.BACKOFFICE, "BNH/SURV"),
    ("bnh.legal", "أ. نادية كامل", Role.BACKOFFICE, "BNH/LEGAL"),
    ("bnh.chief", "اللواء عادل منصور", Role.BACKOFFICE, "BNH/CHIEF"),
    ("qlb.official", "د. إيمان حسن", Role.GOVERNORATE_OFFICIAL, "QLB"),
    ("hlp.clerk", "ياسمين مراد", Role.CLERK, "HLP"),
    ("hlp.manager", "طارق البنا", Role.CENTER_MANAGER, "HLP"),
    ("hlp.eng", "مصطفى جلال", Role.BACKOFFICE, "HLP/ENG"),
    ("hlp.eng.head", "م. رانيا فهمي", Role.DEPARTMENT_HEAD, "HLP/ENG"),
    ("hlp.legal", "أ. شريف نبيل", Role.BACKOFFICE, "HLP/LEGAL"),
    ("cai.official", "د. خالد عمر", Role.GOVERNORATE_OFFICIAL, "CAI"),
    ("national.viewer", "وليد زكي", Role.NATIONAL_VIEWER, None),
    ("admin", "مدير النظام", Role.ADMINISTRATOR, None),
]


# Requests the demo clerks have taken: (clerk, service, applicant national ID, name, mobile)
DEMO_REQUESTS = [
    ("bnh.clerk", "BLD-NEW", "28506121401234", "سعيد عبد الرحمن محمود", "01001234567"),
    ("bnh.clerk", "SHOP-NEW", "29203151401258", "هالة مصطفى إبراهيم", "01112345670"),
    ("bnh.clerk2", "OCC-ROAD", "30001011401219", "يوسف أحمد كمال", "01223456781"),
    ("hlp.clerk", "BLD-RENEW", "27811050101275", "نبيل فاروق سليمان", "01512345672"),
    ("hlp.clerk", "GEN-REMOVAL", "29907070101233", "سلمى عادل رشاد", "01098765432"),
]


def _scope(role: Role, code: str | None) -> dict:
    if code is None:
        return {}
    if role in (Role.CLERK, Role.CENTER_MANAGER):
        return {"center": Center.objects.get(code=code)}
    if role in (Role.BACKOFFICE, Role.DEPARTMENT_HEAD):
        unit, department_type = code.split("/")
        return {
            "department": Department.objects.get(local_unit__code=unit, department_type__code=department_type)
        }
    return {"governorate": Governorate.objects.get(code=code)}


@transaction.atomic
def demo_seed() -> LoadReport:
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo data is never loaded in production.")
    report = organisation_load_reference()
    catalog = catalog_load_reference()
    report.counts.update(catalog.counts)
    for username, full_name, role, code in DEMO_ACCOUNTS:
        user = staff_user_ensure(username=username, full_name=full_name, initial_password=DEMO_PASSWORD)
        role_assign(user=user, role=role, **_scope(role, code))
    _demo_requests()
    return report


def _demo_requests() -> None:
    """Idempotent: each demo request has a fixed intake key, so seeding again returns the same one."""
    for username, service_code, national_id, name, mobile in DEMO_REQUESTS:
        clerk = User.objects.get(username=username)
        service = Service.objects.get(code=service_code)
        terms = service.terms()
        service_request_submit(
            center=clerk.assignments_for([Role.CLERK])[0].center,
            clerk=clerk,
            service=service,
            intake=IntakeInput(
                applicant=CitizenInput(national_id, name, mobile),
                received_documents={d["code"] for d in terms["documents"] if d["required"]},
                payment_method="cash" if terms["fees"] else "",
            ),
            intake_key=uuid.uuid5(uuid.NAMESPACE_URL, f"demo:{username}:{service_code}:{national_id}"),
        )
