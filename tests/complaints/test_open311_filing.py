"""Open311 GeoReport v2, filing: POST requests with an API key, read back; every refusal in the
standard's error shape with nothing stored."""

import pytest
from django.test import Client

from complaints.models import Channel, Complaint, ComplaintPhoto, Open311Key
from complaints.open311.tokens import token_for
from notifications.models import SmsMessage
from requests_app.models import scan_storage
from tests.complaints.open311_checks import CREATED, REQUESTS, TOKEN, UPDATES, xml_as_data
from tests.complaints.open311_helpers import FORMATS, filing, get, jpeg, new_key, ok, photo, post, refused
from tests.requests_app.factories import submit
from tests.services.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(lighting, org):
    return new_key()


def photo_files(path: str = "complaints") -> set[str]:
    if not scan_storage().exists(path):
        return set()
    folders, files = scan_storage().listdir(path)
    return {f"{path}/{f}" for f in files}.union(*(photo_files(f"{path}/{folder}") for folder in folders))


@pytest.fixture
def stored_nothing():
    """Call it after the refusal: no complaint, photo, SMS or photo file came of it."""
    before = photo_files()

    def check():
        assert not Complaint.objects.exists()
        assert not ComplaintPhoto.objects.exists()
        assert not SmsMessage.objects.exists()
        assert photo_files() == before

    return check


class TestFiling:
    def test_files_and_reads_back(self, client, key, org):
        answer = ok(post(client, **filing(key)), CREATED)
        complaint = Complaint.objects.get()
        assert answer == [
            {
                "service_request_id": complaint.number,
                "token": token_for(complaint.number),
                "service_notice": answer[0]["service_notice"],
                "account_id": None,
            }
        ]
        assert complaint.channel == Channel.OPEN311 and complaint.api_key == Open311Key.objects.get()
        assert (complaint.center, complaint.department) == (org.bnh, org.bnh_eng)
        assert (complaint.complainant_name, complaint.complainant_mobile) == ("سعاد إبراهيم", "+201098765432")
        assert SmsMessage.objects.filter(phone="+201098765432", event="complaint_received").exists()

        shown = ok(get(client, f"requests/{complaint.number}"), REQUESTS)[0]
        assert (shown["service_code"], shown["status"], shown["lat"], shown["long"]) == (
            "street-lighting",
            "open",
            30.466,
            31.1848,
        )
        assert shown["address"] == "شارع الجلاء، بنها"
        assert shown["description"] == "عمود الإنارة في شارع الجلاء مطفأ منذ أسبوع"
        token = answer[0]["token"]
        assert ok(get(client, f"tokens/{token}"), TOKEN) == [
            {"service_request_id": complaint.number, "token": token}
        ]
        body = b"".join(get(client, path).content for path in ("requests", f"requests/{complaint.number}"))
        for secret in ("سعاد", "إبراهيم", "1098765432", "suad@", complaint.tracking_token):
            assert secret.encode() not in body

    def test_in_xml(self, client, key):
        root = ok(post(client, "xml", **filing(key)), CREATED, "xml")
        number = Complaint.objects.get().number
        assert xml_as_data(root)[0]["service_request_id"] == number
        assert xml_as_data(root)[0]["account_id"] == ""

    def test_without_a_name_it_is_anonymous(self, client, key):
        ok(post(client, **filing(key, first_name=None, last_name=None, phone=None)), CREATED)
        complaint = Complaint.objects.get()
        assert complaint.anonymous and not complaint.complainant_mobile

    def test_the_key_the_jurisdiction_and_a_receipt_in_the_query_string(self, client, key, org, people):
        receipt = submit(ServiceFactory(code="OCC-ROAD"), org.bnh, people.clerk).receipt_number
        fields = filing(key, api_key=None, **{"attribute[receipt_number]": receipt.lower()})
        query = f"api_key={key}&jurisdiction_id=citizen-services.gov.eg"
        response = client.post(f"/open311/v2/requests.json?{query}", fields)
        ok(response, CREATED)
        assert Complaint.objects.get().service_request.receipt_number == receipt

    def test_photos_as_multipart_media(self, client, key):
        media = [photo("a.jpg"), photo("b.png", jpeg((0, 0, 255)))]
        ok(post(client, media=media, **filing(key)), CREATED)
        complaint = Complaint.objects.get()
        first, second = complaint.photos.order_by("position")
        shown = ok(get(client, f"requests/{complaint.number}"), REQUESTS)[0]
        assert shown["media_url"] == f"http://testserver/complaints/photo/{first.token}"
        image = client.get(shown["media_url"].removeprefix("http://testserver"))
        assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
        filed = ok(get(client, "servicerequestupdates"), UPDATES)[0]
        assert filed["media_urls"] == [
            f"http://testserver/complaints/photo/{first.token}",
            f"http://testserver/complaints/photo/{second.token}",
        ]

    def test_a_media_url_is_never_fetched(self, client, key):
        ok(post(client, **filing(key, media_url="http://169.254.169.254/latest/meta-data/")), CREATED)
        assert not ComplaintPhoto.objects.exists()

    def test_csrf_is_not_asked(self, key):
        ok(post(Client(enforce_csrf_checks=True), **filing(key)), CREATED)

    def test_rate_limited_by_address(self, client, key, settings):
        settings.OPEN311_RATE = "2/m"
        for _ in range(2):
            post(client, **filing(key, description="قصير"))
        response = post(client, **filing(key))
        refused(response, 429)
        assert response["Retry-After"] == "60"
        assert not Complaint.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "overrides, status, says",
    [
        ({"api_key": None}, 400, "api_key"),
        ({"api_key": ""}, 400, "api_key"),
        ({"api_key": "not-a-key"}, 403, "api_key"),
        ({"service_code": None}, 400, "service_code"),
        ({"service_code": "nothing-such"}, 404, "service_code"),
        ({"service_code": "staff-conduct"}, 404, "service_code"),
        ({"attribute[center]": None}, 400, "attribute[center]"),
        ({"attribute[center]": "QLBM1"}, 400, "attribute[center]"),  # a mobile van
        ({"attribute[receipt_number]": "BNH-2026-999999"}, 400, "attribute[receipt_number]"),
        ({"description": "قصير"}, 400, "description"),
        ({"description": "ا" * 4001}, 400, "description"),
        ({"lat": "48.85"}, 400, "lat"),
        ({"lat": "30.1", "long": None}, 400, "lat"),
        ({"phone": "123"}, 400, "phone"),
        ({"first_name": "A", "last_name": None}, 400, "first_name"),
        ({"address_string": "ش" * 301}, 400, "address_string"),
        ({"jurisdiction_id": "cairo.gov.eg"}, 404, "jurisdiction_id"),
    ],
)
def test_refused_with_the_standard_errors_and_nothing_stored(
    client, key, conduct, stored_nothing, overrides, status, says, fmt
):
    assert refused(post(client, fmt, **filing(key, **overrides)), status, fmt).startswith(f"{says}: ")
    stored_nothing()


@pytest.mark.parametrize(
    "media, says",
    [
        ([photo("x.gif", b"GIF89a" + b"\x00" * 40, "image/gif")], "media"),
        ([photo("x.jpg", b"not an image at all")], "media"),
        ([photo(f"{n}.jpg") for n in range(6)], "media"),
    ],
)
def test_wrong_photos_are_refused_and_nothing_stored(client, key, stored_nothing, media, says):
    assert refused(post(client, media=media, **filing(key)), 400).startswith(f"{says}: ")
    stored_nothing()


def test_every_mistake_at_once(client, key):
    said = refused(post(client, **filing(key, description="قصير", lat="99", phone="0")), 400)
    assert [line.split(":")[0] for line in said.splitlines()] == ["description", "lat", "phone"]


def test_a_disabled_key_is_refused(client, key, stored_nothing):
    Open311Key.objects.update(is_active=False)
    assert refused(post(client, **filing(key)), 403).startswith("api_key: ")
    stored_nothing()
