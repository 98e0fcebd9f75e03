"""The default complaint categories, and demo complaints at the Benha and Heliopolis centers in every
state, each played through the services as far as its story goes."""

from dataclasses import dataclass, field
from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from complaints import services
from complaints.models import Channel, Complaint, ComplaintCategory, ResponseTemplate
from core.loading import LoadReport
from organisation.calendar import CAIRO, WorkCalendar
from organisation.models import Center, DepartmentType

# code, Arabic and English names, short descriptions, Open311 group, handled by (department type code;
# None: staff conduct, the center's management only), working days, response templates (title, reply).
DEFAULT_CATEGORIES = [
    (
        "street-lighting",
        ("إنارة الشوارع", "Street lighting"),
        (
            "عمود إنارة مطفأ أو تالف، أو كابل كهرباء مكشوف.",
            "A street light out or broken, or an exposed cable.",
        ),
        ("الطرق والإنارة", "Roads and lighting"),
        "ENG",
        3,
        [
            ("تم الإصلاح", "تم إصلاح عمود الإنارة المبلغ عنه وإعادة تشغيله. شكرًا لإبلاغكم."),
            (
                "أُبلغت شركة الكهرباء",
                "العطل في شبكة الكهرباء العامة، وتم إبلاغ شركة توزيع الكهرباء المختصة لإصلاحه.",
            ),
        ],
    ),
    (
        "waste-collection",
        ("جمع القمامة", "Waste collection"),
        ("قمامة لم تُرفع في موعدها أو صندوق قمامة ممتلئ.", "Rubbish not collected, or an overflowing bin."),
        ("النظافة والبيئة", "Cleanliness and environment"),
        "ENV",
        2,
        [("تم رفع المخلفات", "تم رفع المخلفات من الموقع المبلغ عنه وتنظيفه. شكرًا لتعاونكم.")],
    ),
    (
        "road-damage",
        ("تلف الطرق", "Road damage"),
        ("حفرة أو هبوط أو رصف تالف في الطريق.", "A pothole, subsidence or broken paving."),
        ("الطرق والإنارة", "Roads and lighting"),
        "ENG",
        7,
        [
            ("تم الإصلاح", "تم إصلاح التلف ورصف الجزء المتضرر من الطريق."),
            ("مدرج بخطة الرصف", "تمت معاينة الموقع وإدراجه في خطة رصف الطرق للعام الحالي."),
        ],
    ),
    (
        "building-violation",
        ("مخالفة بناء", "Building violation"),
        ("بناء دون ترخيص أو بالمخالفة للترخيص.", "Building without a permit, or against it."),
        ("المباني والإشغالات", "Buildings and occupancy"),
        "VIOL",
        10,
        [("تم تحرير محضر", "تمت معاينة العقار وتحرير محضر مخالفة واتخاذ الإجراءات القانونية اللازمة.")],
    ),
    (
        "water-leak",
        ("تسرب مياه", "Water leak"),
        ("كسر ماسورة أو تسرب مياه في الشارع.", "A burst pipe or water leaking in the street."),
        ("المياه والصرف", "Water and drainage"),
        "ENG",
        2,
        [
            ("تم الإصلاح", "تم إصلاح التسرب وإعادة الرصف كما كان."),
            (
                "ليس من اختصاص الوحدة",
                "الخط تابع لشركة مياه الشرب والصرف الصحي وتم إبلاغها، ويمكنكم التواصل معها على الرقم 125.",
            ),
        ],
    ),
    (
        "road-occupancy",
        ("إشغال طريق", "Road occupancy"),
        (
            "إشغال الرصيف أو الطريق بالبضائع أو المقاعد أو مواد البناء.",
            "Goods, seating or building materials occupying the pavement or road.",
        ),
        ("المباني والإشغالات", "Buildings and occupancy"),
        "OCC",
        5,
        [("تمت الإزالة", "تمت إزالة الإشغال وتحرير محضر للمخالف.")],
    ),
    (
        "staff-conduct",
        ("سلوك موظف", "Staff conduct"),
        (
            "معاملة غير لائقة أو طلب مبالغ غير مستحقة. تصل الشكوى إلى مدير المركز والمحافظة فقط.",
            "Improper treatment or a demand for money not due. Only the center's manager and the "
            "governorate read it.",
        ),
        ("خدمة المواطنين", "Citizen service"),
        None,
        5,
        [("تم التحقيق", "تم التحقيق في الشكوى واتخاذ الإجراء الإداري المناسب، ونعتذر لكم عما حدث.")],
    ),
    (
        "request-delay",
        ("تأخر طلب", "Delay of a request"),
        (
            "طلب خدمة تجاوز موعده القانوني دون رد.",
            "A service request past its legal deadline without an answer.",
        ),
        ("خدمة المواطنين", "Citizen service"),
        "CHIEF",
        5,
        [
            ("تم الإنجاز", "تم الانتهاء من طلبكم ويمكنكم استلامه من شباك المركز."),
            ("جارٍ الإنجاز", "الطلب في مرحلة الاعتماد الأخيرة وسيتم الانتهاء منه خلال أيام عمل قليلة."),
        ],
    ),
]


@transaction.atomic
def complaint_categories_ensure() -> LoadReport:
    """Create the default categories (with their response templates) that do not exist yet. A category
    that exists is left as the administrator made it, and so are its templates."""
    report = LoadReport()
    for position, (code, names, descriptions, group, handled_by, days, templates) in enumerate(
        DEFAULT_CATEGORIES, start=1
    ):
        if ComplaintCategory.objects.filter(code=code).exists():
            report.add(ComplaintCategory, "unchanged")
            continue
        category = ComplaintCategory.objects.create(
            code=code,
            name_ar=names[0],
            name_en=names[1],
            description_ar=descriptions[0],
            description_en=descriptions[1],
            group_ar=group[0],
            group_en=group[1],
            department_type=DepartmentType.objects.get(code=handled_by) if handled_by else None,
            confidential=handled_by is None,
            working_days=days,
            position=position,
        )
        report.add(ComplaintCategory, "created")
        for order, (title, body) in enumerate(templates, start=1):
            ResponseTemplate.objects.create(category=category, title=title, body_ar=body, position=order)
            report.add(ResponseTemplate, "created")
    return report


@dataclass(frozen=True)
class DemoComplaint:
    key: str  # how another demo complaint's story names this one (a merge)
    center: str
    category: str
    description: str
    channel: Channel = Channel.ONLINE
    clerk: str = ""  # who took it at the window
    working_days_ago: int = 0  # filed that many working days ago (0: now)
    complainant: tuple[str, str] = ("", "")  # name and mobile; none: anonymous
    address: str = ""
    position: tuple[str, str] = ("", "")  # latitude, longitude
    # (action, username of the actor — none for the complainant's own acts —, arguments)
    story: list[tuple[str, str, dict]] = field(default_factory=list)


DEMO_COMPLAINTS = [
    # Filed earliest first, so that the numbers follow the filing times.
    DemoComplaint(
        key="pothole",
        center="BNH",
        category="road-damage",
        description="حفرة كبيرة في منتصف شارع الرملة تسببت في أكثر من حادث للدراجات النارية.",
        channel=Channel.WINDOW,
        clerk="bnh.clerk2",
        working_days_ago=9,  # answered today: late
        complainant=("عادل محمود حسنين", "01223344556"),
        address="شارع الرملة عند تقاطع شارع الجيش",
        story=[
            ("assign", "bnh.eng.head", {"assignee": "bnh.eng"}),
            ("start", "bnh.eng", {}),
            ("resolve", "bnh.eng", {"reply": "تم ردم الحفرة ورصف الجزء المتضرر من الطريق."}),
            ("rate", "", {"rating": 4, "comment": "إصلاح جيد، لكنه تأخر عن موعده."}),
        ],
    ),
    # Seven working days ago, and still unanswered: overdue, escalated to the department head and the
    # center manager.
    DemoComplaint(
        key="overdue",
        center="BNH",
        category="street-lighting",
        description="أعمدة الإنارة في شارع فريد ندا مطفأة بالكامل منذ أسبوعين والشارع مظلم ليلًا.",
        channel=Channel.WINDOW,
        clerk="bnh.clerk",
        working_days_ago=7,
        complainant=("رضا عبد الفتاح سليم", "01061234567"),
        address="شارع فريد ندا أمام مدرسة بنها الثانوية",
        story=[("assign", "bnh.eng.head", {"assignee": "bnh.eng"})],
    ),
    DemoComplaint(
        key="paving",
        center="BNH",
        category="road-damage",
        description="هبوط في الطريق أمام محطة القطار بعد أعمال الحفر الأخيرة.",
        working_days_ago=3,
        complainant=("إيمان صلاح الدين", "01009988776"),
        address="ميدان محطة قطار بنها",
        story=[
            ("assign", "bnh.eng.head", {"assignee": "bnh.eng"}),
            ("start", "bnh.eng", {}),
            ("resolve", "bnh.eng", {"reply": "تمت معالجة الهبوط وإعادة رصف الطريق."}),
            ("confirm", "", {}),
            ("rate", "", {"rating": 5}),
        ],
    ),
    DemoComplaint(
        key="lamp-answered",
        center="BNH",
        category="street-lighting",
        description="لمبة عمود الإنارة أمام الوحدة الصحية محترقة.",
        working_days_ago=1,
        complainant=("حسن علي الدسوقي", "01511223344"),
        address="أمام الوحدة الصحية بكفر الجزار",
        story=[("resolve", "bnh.eng.head", {"reply": "تم تغيير اللمبة وعاد العمود للعمل."})],
    ),
    DemoComplaint(
        key="lamp",
        center="BNH",
        category="street-lighting",
        description="عمود الإنارة بجوار مسجد الرحمة مائل وسلكه مكشوف، وهو خطر على الأطفال.",
        complainant=("منى سمير عبد الله", "01157654321"),
        address="شارع سعد زغلول بجوار مسجد الرحمة",
        position=("30.466012", "31.184790"),
        story=[
            ("assign", "bnh.eng.head", {"assignee": "bnh.eng"}),
            ("start", "bnh.eng", {}),
        ],
    ),
    # The same lamp, reported by a neighbour a few metres away: merged into the report above.
    DemoComplaint(
        key="lamp-again",
        center="BNH",
        category="street-lighting",
        description="سلك كهرباء مكشوف في عمود إنارة قرب المسجد بشارع سعد زغلول.",
        position=("30.466410", "31.185120"),
        story=[("merge", "bnh.eng.head", {"into": "lamp"})],
    ),
    DemoComplaint(
        key="waste",
        center="BNH",
        category="waste-collection",
        description="صندوق القمامة عند مدخل السوق لم يُفرغ منذ خمسة أيام والرائحة لا تحتمل.",
        address="مدخل سوق بنها القديم",
    ),
    DemoComplaint(
        key="leak-reopened",
        center="BNH",
        category="water-leak",
        description="تسرب مياه مستمر من ماسورة تحت الرصيف أمام العقار رقم 9 بشارع الترعة.",
        complainant=("سامية فؤاد مرسي", "01098877665"),
        address="شارع الترعة أمام العقار رقم 9",
        story=[
            ("assign", "bnh.eng.head", {"assignee": "bnh.eng"}),
            ("resolve", "bnh.eng", {"reply": "تم إصلاح الماسورة وإعادة الرصيف كما كان."}),
            ("reopen", "", {"reason": "عاد التسرب في اليوم التالي من المكان نفسه."}),
        ],
    ),
    DemoComplaint(
        key="main-pipe",
        center="BNH",
        category="water-leak",
        description="كسر في خط المياه الرئيسي بشارع الجلاء والمياه تغرق الشارع.",
        complainant=("وائل رمضان عيسى", "01288776655"),
        address="شارع الجلاء",
        story=[
            (
                "reject",
                "bnh.eng.head",
                {
                    "reason": "خط المياه الرئيسي ليس من اختصاص الوحدة المحلية، وقد أبلغنا الشركة المختصة.",
                    "competent_body": "شركة مياه الشرب والصرف الصحي بالقليوبية",
                },
            )
        ],
    ),
    DemoComplaint(
        key="conduct",
        center="BNH",
        category="staff-conduct",
        description="طلب مني أحد الموظفين مبلغًا إضافيًا غير مذكور في الإيصال مقابل تسريع طلبي.",
        complainant=("مجدي عبد الستار", "01144556677"),
        story=[("assign", "bnh.manager", {"assignee": "bnh.manager"})],
    ),
    DemoComplaint(
        key="hlp-occupancy",
        center="HLP",
        category="road-occupancy",
        description="مقهى يشغل الرصيف بالكامل بالمقاعد ويضطر المارة للسير في نهر الطريق.",
        complainant=("نهى كمال الشافعي", "01077665544"),
        address="شارع بغداد، الكوربة",
    ),
    DemoComplaint(
        key="hlp-lamp",
        center="HLP",
        category="street-lighting",
        description="ثلاثة أعمدة إنارة متتالية مطفأة في شارع الأهرام.",
        channel=Channel.WINDOW,
        clerk="hlp.clerk",
        complainant=("شريف منير عطية", "01233221100"),
        address="شارع الأهرام، مصر الجديدة",
        position=("30.087500", "31.324100"),
        story=[
            ("assign", "hlp.eng.head", {"assignee": "hlp.eng"}),
            ("start", "hlp.eng", {}),
        ],
    ),
    DemoComplaint(
        key="hlp-leak",
        center="HLP",
        category="water-leak",
        description="تسرب مياه من محبس في الرصيف أمام العقار رقم 14 بشارع الحجاز.",
        complainant=("هدى عبد العظيم", "01555443322"),
        address="شارع الحجاز أمام العقار رقم 14",
        story=[
            ("assign", "hlp.eng.head", {"assignee": "hlp.eng"}),
            ("resolve", "hlp.eng", {"reply": "تم تغيير المحبس وإيقاف التسرب."}),
            ("confirm", "", {}),
            ("rate", "", {"rating": 3, "comment": "استغرق الأمر وقتًا أطول مما توقعت."}),
        ],
    ),
]


@transaction.atomic
def complaints_seed_demo() -> None:
    """Idempotent: the demo complaints are filed only while the demo centers have none."""
    demo_centers = {demo.center for demo in DEMO_COMPLAINTS}
    if Complaint.objects.filter(center__code__in=demo_centers).exists():
        return
    filed: dict[str, Complaint] = {}
    for demo in DEMO_COMPLAINTS:
        filed[demo.key] = complaint = _file(demo)
        for action, username, arguments in demo.story:
            _play(complaint, action, username, arguments, filed)


def _file(demo: DemoComplaint) -> Complaint:
    center = Center.objects.get(code=demo.center)
    name, mobile = demo.complainant
    return services.complaint_file(
        data=services.ComplaintInput(
            category_code=demo.category,
            center_id=center.pk,
            description=demo.description,
            address=demo.address,
            latitude=demo.position[0],
            longitude=demo.position[1],
            anonymous=not name,
            name=name,
            mobile=mobile,
        ),
        channel=demo.channel,
        clerk=User.objects.get(username=demo.clerk) if demo.clerk else None,
        now=_working_days_ago(center, demo.working_days_ago),
    )


def _working_days_ago(center: Center, days: int) -> datetime | None:
    """Ten in the morning, ``days`` working days ago in the center's calendar (None: now)."""
    if not days:
        return None
    day = WorkCalendar(center).subtract_working_days(timezone.localdate(), days)
    return datetime.combine(day, time(10, 0), tzinfo=CAIRO)


def _play(complaint: Complaint, action: str, username: str, arguments: dict, filed: dict) -> None:
    if not username:  # the complainant's own acts, through the tracking link
        getattr(services, f"complaint_{action}")(token=complaint.tracking_token, **arguments)
        return
    actor = User.objects.get(username=username)
    if action == "assign":
        assignee = User.objects.get(username=arguments["assignee"])
        services.complaint_assign(complaint_id=complaint.pk, actor=actor, assignee=assignee)
    elif action == "merge":
        services.complaint_merge(complaint_id=complaint.pk, into_id=filed[arguments["into"]].pk, actor=actor)
    else:
        getattr(services, f"complaint_{action}")(complaint_id=complaint.pk, actor=actor, **arguments)
