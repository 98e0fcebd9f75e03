"""The demo: every app's own seed function, lowest layer first, in one transaction. Refused in
production."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from accounts.demo import accounts_seed_demo
from complaints.demo import complaint_categories_ensure, complaints_seed_demo
from core.loading import LoadReport
from correspondence.demo import correspondence_seed_demo, letter_categories_ensure, outside_bodies_ensure
from deadlines.sweep import deadline_sweep
from hall.demo import hall_seed_demo
from organisation.services import organisation_load_reference
from reports.backlog import backlog_refresh
from reports.rollups import rollups_rebuild
from requests_app.demo import requests_seed_demo
from requests_app.demo_history import requests_history_seed_demo
from services.services import catalog_load_reference


@transaction.atomic
def demo_seed() -> LoadReport:
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo data is never loaded in production.")
    report = organisation_load_reference()
    report.counts.update(catalog_load_reference().counts)
    accounts_seed_demo()
    hall_seed_demo()
    made_past = requests_history_seed_demo()  # first: the past takes the year's first receipt numbers
    requests_seed_demo()
    report.counts.update(complaint_categories_ensure().counts)
    complaints_seed_demo()
    report.counts.update(letter_categories_ensure().counts)
    report.counts.update(outside_bodies_ensure().counts)
    correspondence_seed_demo()
    # What the beat would do within minutes: the demo's overdue complaint and letter show marked and
    # escalated.
    deadline_sweep()
    # The past was written in bulk, not act by act: its roll-ups are made from the requests at once —
    # only when it was written now (a rebuild reads every request: minutes on the 10M benchmark set).
    if made_past:
        rollups_rebuild()
    # The open requests as the dashboards read them (the beat counts them again every 5 minutes).
    backlog_refresh()
    _name_the_installation()
    return report


def _name_the_installation() -> None:
    """The demo is Qalyubia's: its name in every page's header (the administrator sets the emblem)."""
    from core.models import SiteIdentity
    from organisation.models import Governorate

    qalyubia = Governorate.objects.filter(code="QLB").first()
    if qalyubia and not SiteIdentity.objects.exists():
        SiteIdentity.objects.create(name_ar=qalyubia.name_ar, name_en=qalyubia.name_en)
