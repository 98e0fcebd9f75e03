"""Templates: only known placeholders, refused with a message naming the culprit (also in the admin);
the default Arabic templates and the catch-up schedule come with the migrations."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from accounts.models import Role
from accounts.services import role_assign
from notifications.encoding import UCS2, sms_parts
from notifications.models import SmsTemplate
from notifications.templating import render
from requests_app.services.notify import SMS_EVENTS
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory()
    role_assign(user=user, role=Role.ADMINISTRATOR)
    client.force_login(user)
    return client


def errors_of(body: str) -> list[str]:
    template = SmsTemplate(event="delivered", body_ar=body)
    with pytest.raises(ValidationError) as caught:
        template.full_clean(exclude=["event"])
    return caught.value.message_dict["body_ar"]


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("طلبكم {receipt} {reciept}", "{reciept}"),
        ("{receipt.__class__}", "{receipt.__class__}"),
        ("{receipt[0]}", "{receipt[0]}"),
        ("رقم {}", "{}"),
        ("{receipt:>20}", "{receipt}"),
        ("{receipt!r}", "{receipt}"),
    ],
)
def test_unknown_or_decorated_placeholders_are_refused_by_name(body, named):
    errors = errors_of(body)
    assert len(errors) == 1
    assert named in errors[0]


@pytest.mark.parametrize("body", ["طلبكم {receipt", "طلبكم receipt}", "{receipt:{reason}}"])
def test_a_malformed_template_is_refused(body):
    assert errors_of(body)


def test_every_allowed_placeholder_and_literal_braces_pass():
    template = SmsTemplate(event="rejected")
    template.body_ar = " ".join(f"{{{name}}}" for name in template.placeholders) + " {{literal}}"
    template.clean()
    assert render(template.body_ar, {"receipt": "R-1"}, template.placeholders).startswith("R-1 ")
    assert render(template.body_ar, {}, template.placeholders).endswith("{literal}")


def test_each_event_allows_only_its_own_placeholders():
    assert "{reason}" in errors_of("تم تسليم طلبكم {receipt} {reason}")[0]  # "delivered" has no reason
    SmsTemplate(event="rejected", body_ar="رفض {receipt}: {reason}").clean()


def test_the_migration_creates_the_six_arabic_templates_and_they_are_valid():
    templates = {t.event: t for t in SmsTemplate.objects.all()}
    assert set(templates) >= set(SMS_EVENTS)
    assert {e for e in SMS_EVENTS if templates[e].essential} == {"documents_requested", "rejected"}
    for template in templates.values():
        template.full_clean()
        assert template.is_active
        assert sms_parts(template.body_ar).encoding == UCS2
    assert templates["receipt_issued"].body_ar == "استلمنا طلبكم {receipt} بمركز {center}: {tracking_url}"


def test_the_catch_up_task_runs_every_minute():
    task = PeriodicTask.objects.get(name="sms-catch-up")
    assert task.task == "notifications.tasks.deliver_pending"
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (1, "minutes")


def test_the_schedule_migration_is_idempotent():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("notifications.migrations.0002_catch_up_schedule")
    migration.create_schedule(apps, None)
    migration.create_schedule(apps, None)
    assert PeriodicTask.objects.filter(name="sms-catch-up").count() == 1


def test_the_admin_form_shows_the_unknown_placeholder(admin_client):
    template = SmsTemplate.objects.get(event="delivered")
    url = reverse("admin:notifications_smstemplate_change", args=[template.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url, {"body_ar": "تم تسليم طلبكم {receipt} يوم {delivery_day}", "is_active": "on"}
    )
    assert response.status_code == 200
    assert "{delivery_day}" in str(response.context["adminform"].form.errors["body_ar"])
    assert "{delivery_day}" in response.content.decode()
    template.refresh_from_db()
    assert "{delivery_day}" not in template.body_ar


def test_the_admin_saves_a_valid_template(admin_client):
    template = SmsTemplate.objects.get(event="delivered")
    url = reverse("admin:notifications_smstemplate_change", args=[template.pk])
    response = admin_client.post(url, {"body_ar": "تم تسليم طلبكم {receipt}. شكرًا لكم.", "is_active": "on"})
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.body_ar == "تم تسليم طلبكم {receipt}. شكرًا لكم."
    assert not template.essential
    assert template.history.count() == 1
