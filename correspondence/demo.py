"""The default letter categories, a few outside bodies, and demo letters in the registers of three
offices of Qalyubia — Benha's, Qalyub's and the governorate's own — in every state, each played through
the services as far as its story goes."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from complaints.models import Complaint, ComplaintState
from core.loading import LoadReport
from correspondence.models import (
    Classification,
    Direction,
    Letter,
    LetterCategory,
    OutsideBody,
    PartyKind,
)
from correspondence.services import (
    LetterInput,
    Office,
    letter_accept,
    letter_assign,
    letter_dispatch,
    letter_file,
    letter_refuse,
    letter_register,
    letter_route,
)
from organisation.calendar import CAIRO, WorkCalendar
from organisation.models import Department, Governorate, LocalUnit

# code, Arabic name, English name
DEFAULT_CATEGORIES = [
    ("legal", "قانونية", "Legal"),
    ("engineering", "هندسية", "Engineering"),
    ("personnel", "شئون العاملين", "Personnel"),
    ("citizen-affairs", "شئون المواطنين", "Citizen affairs"),
    ("finance", "مالية", "Finance"),
]

# key (how the demo letters name it), Arabic name, English name, address
DEMO_BODIES = [
    ("ministry", "وزارة التنمية المحلية", "Ministry of Local Development", "شارع نادي الصيد، الدقي، الجيزة"),
    (
        "water",
        "شركة مياه الشرب والصرف الصحي بالقليوبية",
        "Qalyubia Drinking Water and Sanitation Company",
        "شارع فريد ندا، بنها",
    ),
    (
        "electricity",
        "شركة شمال القاهرة لتوزيع الكهرباء — قطاع القليوبية",
        "North Cairo Electricity Distribution Company — Qalyubia sector",
        "بنها، القليوبية",
    ),
    ("court", "محكمة بنها الابتدائية", "Benha Court of First Instance", "مجمع المحاكم، بنها"),
]

# The offices whose registers the demo fills, and their registry clerks' accounts (accounts.demo).
BNH, QLY, QLB = "BNH", "QLY", "QLB"
CLERKS = {BNH: "bnh.registry", QLY: "qly.registry", QLB: "qlb.registry"}


@transaction.atomic
def letter_categories_ensure() -> LoadReport:
    """Create the default letter categories that do not exist yet; an existing one is left as the
    administrator made it."""
    report = LoadReport()
    for code, name_ar, name_en in DEFAULT_CATEGORIES:
        _, created = LetterCategory.objects.get_or_create(
            code=code, defaults={"name_ar": name_ar, "name_en": name_en}
        )
        report.add(LetterCategory, "created" if created else "unchanged")
    return report


@transaction.atomic
def outside_bodies_ensure() -> LoadReport:
    """The demo's outside bodies, by Arabic name; an existing one is left as it is."""
    report = LoadReport()
    for _key, name_ar, name_en, address in DEMO_BODIES:
        _, created = OutsideBody.objects.get_or_create(
            name_ar=name_ar, defaults={"name_en": name_en, "address": address}
        )
        report.add(OutsideBody, "created" if created else "unchanged")
    return report


def _office(code: str) -> Office:
    if code == QLB:
        return Office(Governorate.objects.get(code=code))
    unit = LocalUnit.objects.select_related("governorate").get(code=code)
    return Office(unit.governorate, unit)


def _demo_offices_have_letters() -> bool:
    return Letter.objects.filter(
        Q(local_unit__code__in=[BNH, QLY]) | Q(governorate__code=QLB, local_unit__isnull=True)
    ).exists()


class _Demo:
    """The demo's offices, clerks, bodies and departments, looked up once."""

    def __init__(self):
        self.offices = {code: _office(code) for code in CLERKS}
        self.clerks = {code: User.objects.get(username=username) for code, username in CLERKS.items()}
        names = {key: name_ar for key, name_ar, *_ in DEMO_BODIES}
        self.bodies = {key: OutsideBody.objects.get(name_ar=name) for key, name in names.items()}
        self.head, self.engineer = (User.objects.get(username=u) for u in ("bnh.eng.head", "bnh.eng"))

    def department(self, unit: str, department_type: str) -> Department:
        return Department.objects.get(local_unit__code=unit, department_type__code=department_type)

    def register(
        self,
        code: str,
        direction: str,
        subject: str,
        category: str,
        *,
        to: str = "",
        outside: str = "",
        citizen: str = "",
        days_ago: int = 0,
        **extra,
    ) -> Letter:
        """Register a letter in office ``code``'s register, with (to or from) another office ``to``, an
        body ``outside`` (a key of DEMO_BODIES) or a ``citizen``, dated ``days_ago`` days ago."""
        if to:
            party = {"party_kind": PartyKind.OFFICE, "party_office": self.offices[to]}
        elif outside:
            party = {"party_kind": PartyKind.OUTSIDE, "party_body_id": self.bodies[outside].pk}
        else:
            party = {"party_kind": PartyKind.CITIZEN, "party_citizen": citizen}
        data = LetterInput(
            subject=subject,
            category_code=category,
            document_date=timezone.localdate() - timedelta(days=days_ago),
            **party,
            **extra,
        )
        return letter_register(
            office=self.offices[code], direction=direction, data=data, clerk=self.clerks[code]
        )

    def received(self, sent: Letter) -> Letter:
        """The pending copy of ``sent`` in the recipient office's inbox."""
        return Letter.objects.get(counterpart=sent, direction=Direction.INCOMING)


@transaction.atomic
def correspondence_seed_demo() -> None:
    """Idempotent: the demo letters are registered only while the demo offices have none."""
    if _demo_offices_have_letters():
        return
    demo = _Demo()
    bnh_clerk, qly_clerk = demo.clerks[BNH], demo.clerks[QLY]
    engineering = demo.department(BNH, "ENG")

    # Benha's incoming register.
    # Registered, not yet routed: a citizen writes to the unit's head.
    demo.register(
        BNH,
        Direction.INCOMING,
        "طلب إنارة الطريق المؤدي إلى مدرسة كفر الجزار الإعدادية",
        "citizen-affairs",
        citizen="عبد الرحمن سيد الشناوي",
        days_ago=2,
        body="الطريق مظلم تمامًا بعد المغرب والتلاميذ يعودون من الدروس ليلًا.",
        reply_working_days=10,
    )
    # Routed to the engineering department with the clerk's instructions.
    water = demo.register(
        BNH,
        Direction.INCOMING,
        "طلب تصريح حفر لإحلال خط مياه بشارع الجيش",
        "engineering",
        outside="water",
        days_ago=3,
        sender_reference="م ش/1187",
        reply_working_days=7,
    )
    letter_route(
        letter_id=water.pk,
        clerk=bnh_clerk,
        department=engineering,
        instructions="للدراسة وتحديد مسار الحفر والرد على الشركة خلال المدة.",
    )
    # In progress: routed, then assigned by the department head to an engineer.
    poles = demo.register(
        BNH,
        Direction.INCOMING,
        "بشأن نقل أعمدة الكهرباء لتوسعة طريق بنها — شبين القناطر",
        "engineering",
        outside="electricity",
        days_ago=4,
        sender_reference="ك/452",
        reply_working_days=10,
    )
    letter_route(
        letter_id=poles.pk, clerk=bnh_clerk, department=engineering, instructions="للمعاينة وإعداد الرد."
    )
    letter_assign(letter_id=poles.pk, head=demo.head, assignee=demo.engineer)
    # Answered: the ministry's request, worked on by the engineering department, answered by a reply
    # registered as outgoing, printed and sent by post.
    survey = demo.register(
        BNH,
        Direction.INCOMING,
        "حصر الطرق غير المرصوفة بنطاق الوحدة المحلية",
        "engineering",
        outside="ministry",
        days_ago=8,
        sender_reference="و ت م/3391",
        reply_working_days=15,
    )
    letter_route(
        letter_id=survey.pk, clerk=bnh_clerk, department=engineering, instructions="لإعداد البيان المطلوب."
    )
    letter_assign(letter_id=survey.pk, head=demo.head, assignee=demo.engineer)
    reply = demo.register(
        BNH,
        Direction.OUTGOING,
        "رد: حصر الطرق غير المرصوفة بنطاق الوحدة المحلية",
        "engineering",
        outside="ministry",
        in_reply_to=survey.number,
    )
    letter_dispatch(letter_id=reply.pk, clerk=bnh_clerk, method="post")
    # Filed without a reply: a circular, for information.
    circular = demo.register(
        BNH,
        Direction.INCOMING,
        "تعميم بشأن مواعيد العمل الرسمية خلال شهر رمضان",
        "personnel",
        outside="ministry",
        days_ago=5,
    )
    letter_file(letter_id=circular.pk, actor=bnh_clerk, note="للعلم، وأُبلغت شئون العاملين.")
    # Confidential: from the court, routed to the legal affairs department.
    court = demo.register(
        BNH,
        Direction.INCOMING,
        "طلب إفادة في الدعوى رقم 1452 لسنة 2025 مدني كلي بنها",
        "legal",
        outside="court",
        days_ago=1,
        classification=Classification.CONFIDENTIAL,
        sender_reference="1452/2025",
        reply_working_days=10,
    )
    letter_route(
        letter_id=court.pk,
        clerk=bnh_clerk,
        department=demo.department(BNH, "LEGAL"),
        instructions="سري — يُعرض على مدير الشئون القانونية شخصيًا.",
    )
    # Overdue: a reply was due within a working day and the department has not assigned it.
    late = demo.register(
        BNH,
        Direction.INCOMING,
        "سرعة الرد على طلب توصيل التيار لمحطة رفع الصرف بمنشأة بنها",
        "engineering",
        outside="electricity",
        days_ago=3,
        classification=Classification.URGENT,
        reply_working_days=1,
    )
    letter_route(letter_id=late.pk, clerk=bnh_clerk, department=engineering, instructions="عاجل.")
    # The services take no "now": a letter registered today cannot be late yet. The demo needs a late
    # letter to show, so its reply clock alone is moved into the past (the registration and its history
    # stay as they happened); the demo's deadline sweep then marks it overdue and escalates it.
    calendar = WorkCalendar(governorate_id=late.governorate_id)
    due = datetime.combine(calendar.subtract_working_days(timezone.localdate(), 1), time(12, 0), tzinfo=CAIRO)
    Letter.objects.filter(pk=late.pk).update(due_at=due, risk_at=due - timedelta(hours=4))

    # Benha's outgoing register: a letter to the water company, printed and waiting to be sent.
    main_pipe = Complaint.objects.filter(center__code=BNH, state=ComplaintState.REJECTED).first()
    demo.register(
        BNH,
        Direction.OUTGOING,
        "سرعة إصلاح كسر خط المياه الرئيسي بشارع الجلاء",
        "engineering",
        outside="water",
        related=[main_pipe.number] if main_pipe else [],
    )

    # Electronic letters between the offices of Qalyubia.
    # Benha → Qalyub, waiting in Qalyub's inbox.
    demo.register(
        BNH,
        Direction.OUTGOING,
        "التنسيق لحملة مشتركة لإزالة الإشغالات على طريق بنها — قليوب الزراعي",
        "engineering",
        to=QLY,
        reply_working_days=5,
    )
    # Benha → Qalyub, accepted and answered; Qalyub's reply comes back to Benha, which accepts and files it.
    lands = demo.register(
        BNH,
        Direction.OUTGOING,
        "موافاتنا ببيان أراضي أملاك الدولة على الحد الفاصل بين المركزين",
        "legal",
        to=QLY,
        reply_working_days=10,
    )
    at_qly = letter_accept(letter_id=demo.received(lands).pk, clerk=qly_clerk)
    answer = demo.register(
        QLY,
        Direction.OUTGOING,
        "رد: بيان أراضي أملاك الدولة على الحد الفاصل بين المركزين",
        "legal",
        to=BNH,
        in_reply_to=at_qly.number,
    )
    back = letter_accept(letter_id=demo.received(answer).pk, clerk=bnh_clerk)
    letter_file(letter_id=back.pk, actor=bnh_clerk, note="يُحفظ بملف الموضوع مع الخطاب الأصلي.")
    # Benha → Qalyub, sent back: not Qalyub's to answer.
    shop = demo.register(
        BNH,
        Direction.OUTGOING,
        "شكوى أهالي مساكن العبور من محل لإصلاح السيارات",
        "citizen-affairs",
        to=QLY,
    )
    letter_refuse(
        letter_id=demo.received(shop).pk,
        clerk=qly_clerk,
        reason="المنطقة المذكورة تتبع مدينة العبور وليست من نطاق مركز ومدينة قليوب؛ يُرجى توجيه الخطاب إليها.",
    )
    # The governorate's office → Benha: accepted there and routed; the governorate sees it accepted.
    rains = demo.register(
        QLB,
        Direction.OUTGOING,
        "رفع درجة الاستعداد لموسم الأمطار وتطهير بالوعات الصرف",
        "engineering",
        to=BNH,
        reply_working_days=5,
        classification=Classification.URGENT,
    )
    rains_at_bnh = letter_accept(letter_id=demo.received(rains).pk, clerk=bnh_clerk)
    letter_route(
        letter_id=rains_at_bnh.pk,
        clerk=bnh_clerk,
        department=engineering,
        instructions="للتنفيذ وموافاة المحافظة بما تم.",
    )

    # The governorate's own incoming register.
    demo.register(
        QLB,
        Direction.INCOMING,
        "موافاة الوزارة بخطة الاستثمارات المحلية للعام المالي القادم",
        "finance",
        outside="ministry",
        days_ago=6,
        sender_reference="و ت م/4120",
        reply_working_days=20,
    )
