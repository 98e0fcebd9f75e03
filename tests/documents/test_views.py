"""The verification pages anyone opens, what offline verifiers fetch, and the staff's document pages:
anonymous → sign-in, wrong role → 403, outside one's reach → 404, right role → 200."""

import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from documents import codec
from documents.models import IssuedDocument
from documents.selectors import document_qr_text
from documents.services import document_revoke
from tests.accounts.factories import staff

pytestmark = pytest.mark.django_db


def scanned(document) -> str:
    """The address a phone opens from the document's QR, as the QR holds it (in capitals)."""
    return "/V/" + document_qr_text(document=document).rsplit("/V/", 1)[1]


def verdict_of(response) -> str:
    html = response.content.decode()
    return html.split('class="verdict verdict--', 1)[1].split('"', 1)[0]


def test_scanning_a_valid_document_says_genuine_and_shows_what_to_compare(client, permit):
    response = client.get(scanned(permit))
    assert response.status_code == 200
    html = response.content.decode()
    assert verdict_of(response) == "valid"
    assert "مستند صحيح وساري" in html
    assert permit.number in html and "سعيد عبد الرحمن محمود" in html and "قطعة الأرض رقم 14" in html
    # No digit of the holder's national ID on a public page: the name is there to compare with the card.
    assert "28506121401234" not in html and "1234" not in html and "••••" not in html
    assert 'class="lean"' in html  # no web fonts to download on a phone in the field


def test_a_revoked_document_says_so_at_once_with_date_and_reason(client, permit, manager):
    document_revoke(document_id=permit.pk, actor=manager, reason="fraud", note="قرار 12")
    response = client.get(scanned(permit))
    assert verdict_of(response) == "revoked"
    assert "تم الحصول عليه بالتحايل أو بمستندات مزورة" in response.content.decode()
    assert timezone.localdate().isoformat() in response.content.decode()


def test_an_edited_record_is_caught_like_an_edited_qr(client, permit):
    """Someone with database access lifts the validity end: the record no longer matches its QR."""
    IssuedDocument.objects.filter(pk=permit.pk).update(valid_until=None)
    assert verdict_of(client.get(scanned(permit))) == "not_ours"


def test_past_its_validity_the_document_is_expired(client, permit, monkeypatch):
    from documents import selectors

    later = timezone.now() + timezone.timedelta(days=4 * 366)
    monkeypatch.setattr(selectors.timezone, "now", lambda: later)
    assert verdict_of(client.get(scanned(permit))) == "expired"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda url: url[:-12],
        lambda url: url[:-1] + ("A" if url[-1] != "A" else "B"),
        lambda url: url.replace("/V/", "/V/AAAA"),
        lambda url: "/V/" + "Z" * 30,
        lambda url: "/V/%00%FF",
        lambda url: "/V/" + "٣" * 20,
    ],
    ids=["truncated", "last character", "prefixed", "garbage", "bytes", "arabic digits"],
)
def test_a_tampered_or_garbage_qr_is_not_ours_never_a_500(client, permit, mangle):
    response = client.get(mangle(scanned(permit)))
    assert response.status_code in (400, 404)
    if response.status_code == 404:
        assert verdict_of(response) == "not_ours"
        assert "ليس صادرًا عنا" in response.content.decode()


def test_a_qr_signed_by_a_key_we_never_published_is_not_ours(client, permit):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from documents.services import claims_of

    forged = codec.payload_sign(Ed25519PrivateKey.generate(), claims_of(permit))
    response = client.get("/V/" + codec.transport_encode(forged))
    assert response.status_code == 404 and verdict_of(response) == "not_ours"


def test_number_and_check_code_verify_the_paper(client, permit):
    response = client.post(
        reverse("verify:lookup"), {"number": permit.number.lower(), "check_code": permit.check_code.lower()}
    )
    assert response.status_code == 200 and verdict_of(response) == "valid"


@pytest.mark.parametrize(
    "data",
    [
        lambda d: {"number": d.number, "check_code": "AAAAAAAA"},
        lambda d: {"number": d.number.replace("000001", "000002"), "check_code": d.check_code},
        lambda d: {"number": "BNH-PRM-2026-000001", "check_code": ""},
    ],
    ids=["wrong code", "another number", "no code"],
)
def test_a_number_alone_reveals_nothing(client, permit, data):
    response = client.post(reverse("verify:lookup"), data(permit))
    assert response.status_code in (400, 404)
    assert permit.holder_name not in response.content.decode()


def test_the_lookup_form_speaks_arabic_and_english(client):
    assert "رمز التحقق" in client.get(reverse("verify:lookup")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/verify/"})
    assert "Check code" in client.get(reverse("verify:lookup")).content.decode()


def test_lookups_are_rate_limited_per_address(client, permit, settings):
    settings.DOCUMENT_VERIFY_RATE = "3/m"
    for _ in range(3):
        client.post(reverse("verify:lookup"), {"number": "X", "check_code": "Y"})
    blocked = client.get(scanned(permit))
    assert blocked.status_code == 429 and blocked["Retry-After"] == "60"
    assert client.get(scanned(permit), REMOTE_ADDR="10.0.0.9").status_code == 200


def test_keys_and_status_lists_are_published(client, permit, manager):
    keys = codec.keys_from_document(json.loads(client.get(reverse("verify:keys")).content))
    assert bytes.fromhex(permit.kid) in keys
    signed = client.get(reverse("verify:status_list", args=[0]))
    assert signed["Content-Type"].startswith("application/cose")
    assert not codec.status_list_open(signed.content, keys).is_revoked(permit.status_index)
    document_revoke(document_id=permit.pk, actor=manager, reason="fraud", note="قرار")
    fresh = codec.status_list_open(client.get(reverse("verify:status_list", args=[0])).content, keys)
    assert fresh.is_revoked(permit.status_index)
    assert client.get(reverse("verify:status_list", args=[1])).status_code == 404


# ---- staff pages ----------------------------------------------------------------------------------------


def detail(document) -> str:
    return reverse("documents:detail", args=[document.number])


def test_anonymous_staff_pages_go_to_sign_in(client, permit):
    for url in (reverse("documents:list"), detail(permit)):
        assert client.get(url).url.startswith(reverse("accounts:login"))


def test_back_office_roles_get_403(client, org, permit):
    client.force_login(staff(Role.BACKOFFICE, department=org.bnh_eng))
    assert client.get(reverse("documents:list")).status_code == 403
    assert client.get(detail(permit)).status_code == 403


def test_another_centers_staff_get_404(client, org, permit):
    client.force_login(staff(Role.CENTER_MANAGER, center=org.hlp))
    assert client.get(detail(permit)).status_code == 404
    assert permit.number not in client.get(reverse("documents:list")).content.decode()
    assert client.post(reverse("documents:revoke", args=[permit.number]), {}).status_code == 404


def test_the_clerk_sees_and_prints_but_cannot_revoke(client, org, permit):
    client.force_login(staff(Role.CLERK, center=org.bnh))
    html = client.get(detail(permit)).content.decode()
    assert permit.number in html and "مستند صحيح وساري" in html and "إلغاء هذا المستند" not in html
    pdf = client.post(reverse("documents:pdf", args=[permit.number]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.post(reverse("documents:revoke", args=[permit.number]), {}).status_code == 403
    assert list(permit.events.values_list("action", flat=True)) == ["issued", "printed"]


def test_the_official_sees_the_document_but_does_not_print_it(client, permit, official):
    client.force_login(official)
    assert "طباعة المستند" not in client.get(detail(permit)).content.decode()
    assert client.post(reverse("documents:pdf", args=[permit.number])).status_code == 403
    assert permit.events.count() == 1


def test_the_manager_revokes_from_the_page(client, permit, manager):
    client.force_login(manager)
    assert "إلغاء هذا المستند" in client.get(detail(permit)).content.decode()
    url = reverse("documents:revoke", args=[permit.number])
    refused = client.post(url, {"reason": "fraud", "note": ""}, follow=True)
    assert "اكتب ما يستند إليه الإلغاء" in refused.content.decode()
    assert not IssuedDocument.objects.get().is_revoked
    done = client.post(url, {"reason": "fraud", "note": "قرار رقم 12"}, follow=True)
    assert "أُلغي المستند" in done.content.decode()
    assert IssuedDocument.objects.get().is_revoked


def test_the_official_finds_documents_of_the_governorate_by_number(client, issue, org, official):
    mine, other = issue(), issue(center=org.hlp, local_unit=org.hlp.local_unit)
    client.force_login(official)
    html = client.get(reverse("documents:list"), {"number": mine.number[:8].lower()}).content.decode()
    assert mine.number in html and other.number not in html


def test_after_a_key_rotation_documents_of_both_keys_verify(client, issue, settings, tmp_path):
    """A new key is configured (document_keygen, then the setting): the old key stays published, so
    what it signed still verifies, and new documents are signed with the new key."""
    from django.core.management import call_command

    old = issue()
    call_command("document_keygen", str(tmp_path / "new.pem"), stdout=io.StringIO())
    settings.DOCUMENT_SIGNING_KEY_FILE = str(tmp_path / "new.pem")
    new = issue()
    assert new.kid != old.kid
    keys = json.loads(client.get(reverse("verify:keys")).content)["keys"]
    assert {old.kid, new.kid} <= {key["kid"] for key in keys}
    assert verdict_of(client.get(scanned(old))) == verdict_of(client.get(scanned(new))) == "valid"
