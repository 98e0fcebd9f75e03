"""Demo accounts: one for every role in two centers of two governorates, and registry clerks for three
offices of Qalyubia (password DEMO_PASSWORD)."""

from django.db import transaction

from accounts.models import Role
from accounts.services import role_assign, staff_user_ensure
from organisation.models import Center, Department, Governorate, LocalUnit

DEMO_PASSWORD = "demo-pass-2026"
# username, full name, role, scope code (center, "<local unit>/<department>", "unit:<local unit>" for a
# local unit's office, governorate — its own office, for a registry clerk — or None)
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
    ("bnh.registry", "سحر عبد الرازق", Role.REGISTRY_CLERK, "unit:BNH"),
    ("qly.registry", "جمال حسانين", Role.REGISTRY_CLERK, "unit:QLY"),
    ("qlb.registry", "أ. فاطمة الزهراء يوسف", Role.REGISTRY_CLERK, "QLB"),
    ("hlp.clerk", "ياسمين مراد", Role.CLERK, "HLP"),
    # Clerks of three more centers, whose past requests give the dashboards' rankings something to rank.
    ("qly.clerk", "رشا عبد العزيز", Role.CLERK, "QLY"),
    ("ska.clerk", "عمرو الديب", Role.CLERK, "SKA"),
    ("nzh.clerk", "داليا صبري", Role.CLERK, "NZH"),
    ("hlp.manager", "طارق البنا", Role.CENTER_MANAGER, "HLP"),
    ("hlp.eng", "مصطفى جلال", Role.BACKOFFICE, "HLP/ENG"),
    ("hlp.eng.head", "م. رانيا فهمي", Role.DEPARTMENT_HEAD, "HLP/ENG"),
    ("hlp.legal", "أ. شريف نبيل", Role.BACKOFFICE, "HLP/LEGAL"),
    ("cai.official", "د. خالد عمر", Role.GOVERNORATE_OFFICIAL, "CAI"),
    ("national.viewer", "وليد زكي", Role.NATIONAL_VIEWER, None),
    ("admin", "مدير النظام", Role.ADMINISTRATOR, None),
]


def _scope(role: Role, code: str | None) -> dict:
    if code is None:
        return {}
    if code.startswith("unit:"):  # a local unit's own office (its registry)
        return {"local_unit": LocalUnit.objects.get(code=code.removeprefix("unit:"))}
    if role in (Role.CLERK, Role.CENTER_MANAGER):
        return {"center": Center.objects.get(code=code)}
    if role in (Role.BACKOFFICE, Role.DEPARTMENT_HEAD):
        unit, department_type = code.split("/")
        return {
            "department": Department.objects.get(local_unit__code=unit, department_type__code=department_type)
        }
    return {"governorate": Governorate.objects.get(code=code)}


@transaction.atomic
def accounts_seed_demo() -> None:
    """Idempotent: an existing account keeps its password."""
    for username, full_name, role, code in DEMO_ACCOUNTS:
        user = staff_user_ensure(username=username, full_name=full_name, initial_password=DEMO_PASSWORD)
        role_assign(user=user, role=role, **_scope(role, code))
