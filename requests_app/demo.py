"""Demo requests: taken at the Benha and Heliopolis windows, each played as far as its story goes,
so that every role sees a living system."""

import uuid

from django.db import transaction

from accounts.models import Role, User
from requests_app.services import CitizenInput, IntakeInput, service_request_submit, workflow
from services.models import Service

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
            (
                "approve",
                "bnh.chief",
                {
                    "subject": "قطعة الأرض رقم 14 بحوض الجنينة — شارع سعد زغلول، بنها",
                    "terms": [("عدد الأدوار", "أرضي + 4 أدوار"), ("المساحة المرخص بها", "180 م²")],
                },
            ),
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
            (
                "approve",
                "bnh.chief",
                {
                    "subject": "العقار رقم 7 شارع فريد ندا، بنها",
                    "terms": [("الأدوار المضافة", "دوران علويان")],
                },
            ),
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
            (
                "approve",
                "bnh.chief",
                {
                    "subject": "العقار رقم 22 شارع الرملة، بنها",
                    "terms": [("الأعمال", "ترميم الواجهة وتدعيم الأعمدة")],
                },
            ),
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
            ("request_info", "bnh.eng", {"documents": ["DEED"], "note": "صورة حديثة من عقد الملكية المسجل"}),
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
            ("approve", "hlp.legal", {"subject": "العقار رقم 12 شارع الحجاز، مصر الجديدة"}),
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
            (
                "approve",
                "hlp.legal",
                {
                    "subject": "الشقة رقم 5 بالعقار 30 شارع بغداد، مصر الجديدة",
                    "terms": [("القدرة المطلوبة", "10 ك.ف.أ")],
                },
            ),
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
            ("request_info", "hlp.eng", {"documents": ["UTILBILL"]}),
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


@transaction.atomic
def requests_seed_demo() -> None:
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
