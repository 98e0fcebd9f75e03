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
from requests_app.services import CitizenInput, IntakeInput, service_request_submit, workflow
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


# Requests the demo clerks have taken and how far each went, so that every role sees a living system:
# (clerk, service, applicant national ID, name, mobile, [(action, username, arguments), …]).
# Intake routes a request to its first department at once, so none rests in "submitted".
DEMO_REQUESTS = [
    (
        "bnh.clerk",
        "BLD-NEW",
        "28506121401234",
        "سعيد عبد الرحمن محمود",
        "01001234567",
        [
            ("forward", "bnh.eng", {"note": "الرسومات مطابقة"}),
            ("forward", "bnh.surv", {}),
            ("forward", "bnh.legal", {}),
            ("approve", "bnh.chief", {}),
            ("issue", "bnh.chief", {}),
            ("deliver", "bnh.clerk", {}),
        ],
    ),
    (
        "bnh.clerk",
        "BLD-VERT",
        "29203151401258",
        "هالة مصطفى إبراهيم",
        "01112345670",
        [
            ("forward", "bnh.eng", {}),
            ("forward", "bnh.surv", {}),
            ("forward", "bnh.legal", {}),
            ("approve", "bnh.chief", {}),
            ("issue", "bnh.chief", {}),
        ],
    ),
    (
        "bnh.clerk2",
        "BLD-MOD",
        "30001011401219",
        "يوسف أحمد كمال",
        "01223456781",
        [
            ("forward", "bnh.eng", {}),
            ("forward", "bnh.legal", {}),
            ("approve", "bnh.chief", {}),
        ],
    ),
    (
        "bnh.clerk2",
        "BLD-DEMO",
        "27304221401252",
        "فاطمة حسين علي",
        "01098761234",
        [
            ("forward", "bnh.eng", {}),
            ("forward", "bnh.surv", {}),
            ("reject", "bnh.legal", {"legal_reason": "العقار مسجل أثريًا ولا يجوز هدمه (قانون حماية الآثار)"}),
        ],
    ),
    (
        "bnh.clerk",
        "UTIL-ELEC",
        "28812011401277",
        "محمود سامي فتحي",
        "01234567890",
        [
            ("request_info", "bnh.eng", {"what_is_needed": "صورة حديثة من عقد الملكية المسجل"}),
        ],
    ),
    (
        "bnh.clerk",
        "UTIL-WATER",
        "29510101401236",
        "عبير محمد سالم",
        "01011112222",
        [
            ("forward", "bnh.eng", {}),
        ],
    ),
    (
        "bnh.clerk2",
        "BLD-SITE",
        "29106061401230",
        "خالد عبد الله مرسي",
        "01122223333",
        [
            ("take_next", "bnh.eng", {}),
        ],
    ),
    ("bnh.clerk2", "BLD-LINE", "28409091401211", "ناصر فوزي عبد العزيز", "01533334444", []),
    (
        "bnh.clerk",
        "BLD-RENEW",
        "29612121401245",
        "منال شريف حسن",
        "01044445555",
        [
            ("cancel", "bnh.clerk", {"reason": "عدل المواطن عن الطلب"}),
        ],
    ),
    (
        "hlp.clerk",
        "UTIL-SEWER",
        "27811050101275",
        "نبيل فاروق سليمان",
        "01512345672",
        [
            ("forward", "hlp.eng", {}),
            ("approve", "hlp.legal", {}),
            ("issue", "hlp.legal", {}),
            ("deliver", "hlp.clerk", {}),
        ],
    ),
    (
        "hlp.clerk",
        "UTIL-ELEC",
        "29907070101233",
        "سلمى عادل رشاد",
        "01098765432",
        [
            ("forward", "hlp.eng", {}),
            ("approve", "hlp.legal", {}),
            ("issue", "hlp.legal", {}),
        ],
    ),
    (
        "hlp.clerk",
        "UTIL-WATER",
        "28202020101219",
        "أشرف لطفي زكي",
        "01287654321",
        [
            ("request_info", "hlp.eng", {"what_is_needed": "إيصال مرافق حديث"}),
        ],
    ),
    ("hlp.clerk", "UTIL-GAS", "29303030101252", "ريهام عاطف نصر", "01187654321", []),
    (
        "hlp.clerk",
        "UTIL-SEWER",
        "29404040101214",
        "طارق مجدي فهمي",
        "01576543210",
        [
            ("cancel", "hlp.clerk", {"reason": "قدّم المواطن طلبًا بديلًا"}),
        ],
    ),
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
    """Idempotent: each demo request has a fixed intake key, and its story is played only once."""
    for username, service_code, national_id, name, mobile, story in DEMO_REQUESTS:
        clerk = User.objects.get(username=username)
        service = Service.objects.get(code=service_code)
        terms = service.terms()
        request = service_request_submit(
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
        if request.events.count() > 2:  # submitted and routed: anything more means the story was played
            continue
        for action, actor, arguments in story:
            _play(request, action, User.objects.get(username=actor), arguments)


def _play(request, action: str, actor: User, arguments: dict) -> None:
    if action == "take_next":
        workflow.service_request_take_next(department_id=request.current_department_id, actor=actor)
    elif action == "cancel":
        workflow.service_request_cancel(request_id=request.pk, clerk=actor, **arguments)
    else:
        getattr(workflow, f"service_request_{action}")(request_id=request.pk, actor=actor, **arguments)
