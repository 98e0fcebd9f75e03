"""The header names the governorate and shows its emblem, both set by the administrator; a change shows
on the next page, shared public pages included. The design system's page is for administrators."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from accounts.models import Role
from core.models import SiteIdentity
from tests.accounts.factories import staff

pytestmark = pytest.mark.django_db


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), "green").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def administrator(org):
    user = staff(Role.ADMINISTRATOR)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def test_the_administrator_sets_the_governorate_and_its_emblem(client, administrator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert "محافظة القليوبية" not in client.get(reverse("services:catalog")).content.decode()  # cached
    client.force_login(administrator)
    response = client.post(
        reverse("admin:core_siteidentity_add"),
        {
            "name_ar": "محافظة القليوبية",
            "name_en": "Qalyubia Governorate",
            "emblem_file": SimpleUploadedFile("emblem.png", png(), content_type="image/png"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    identity = SiteIdentity.objects.get()
    assert bytes(identity.emblem) == png()
    client.logout()
    page = client.get(reverse("services:catalog")).content.decode()  # the shared page, now renewed
    assert "محافظة القليوبية" in page
    emblem_url = page.split('class="brand-emblem" src="')[1].split('"')[0]
    emblem = client.get(emblem_url)
    assert emblem.status_code == 200 and emblem["Content-Type"] == "image/png"
    assert emblem.content == png()


def test_an_emblem_that_is_not_a_png_is_refused_and_nothing_changes(client, administrator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(administrator)
    response = client.post(
        reverse("admin:core_siteidentity_add"),
        {
            "name_ar": "محافظة",
            "emblem_file": SimpleUploadedFile("e.png", b"<svg/>", content_type="image/png"),
        },
    )
    assert response.status_code == 200
    assert not SiteIdentity.objects.exists()


def test_without_an_emblem_its_address_is_not_found(client):
    assert client.get(reverse("site_emblem", args=["1"])).status_code == 404


def test_the_design_system_page_is_for_administrators(client, org, administrator):
    url = reverse("design")
    assert client.get(url).status_code == 302
    client.force_login(staff(Role.CLERK, center=org.bnh))
    assert client.get(url).status_code == 403
    client.force_login(administrator)
    page = client.get(url).content.decode()
    assert "error-summary" in page and "progress" in page and "tag tag--green" in page
