"""Open311 GeoReport v2, reading: discovery, services and their definitions, requests (lists, one,
tokens), what is never shown (staff-conduct complaints, personal data), formats and errors."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints import services
from complaints.models import Channel, ComplaintCategory
from complaints.open311 import selectors as open311_selectors
from complaints.open311.tokens import token_for
from complaints.services import complaint_file
from tests.complaints.factories import ComplaintCategoryFactory, complaint_input, file
from tests.complaints.open311_checks import (
    DEFINITION,
    DISCOVERY,
    REQUESTS,
    SERVICES,
    TOKEN,
    UPDATES,
    json_as_text,
    xml_as_data,
)
from tests.complaints.open311_helpers import BASE, FORMATS, get, ok, refused, url
from tests.organisation.factories import CenterFactory, LocalUnitFactory

pytestmark = pytest.mark.django_db


def ids(data) -> list[str]:
    return [item["service_request_id"] for item in data]


class TestDiscovery:
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_names_the_endpoint_and_both_formats(self, client, fmt):
        data = ok(get(client, "discovery", fmt), DISCOVERY, fmt)
        if fmt == "xml":
            data = xml_as_data(data)
        endpoint = data["endpoints"][0]
        assert endpoint["url"] == f"http://testserver{BASE}"
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert set(endpoint["formats"]) == {"text/xml", "application/json"}
        assert endpoint["type"] == "test"


class TestServices:
    def test_the_active_categories_but_staff_conduct(self, client, lighting, conduct):
        ComplaintCategoryFactory(code="old", department_type=lighting.department_type, is_active=False)
        data = ok(get(client, "services"), SERVICES)
        assert data == [
            {
                "service_code": "street-lighting",
                "service_name": "إنارة الشوارع",
                "description": None,
                "metadata": True,
                "type": "realtime",
                "keywords": "إنارة الشوارع, Street lighting",
                "group": None,
            }
        ]

    def test_in_english_on_request(self, client, lighting):
        assert ok(get(client, "services", locale="en"), SERVICES)[0]["service_name"] == "Street lighting"

    def test_the_definition_lists_the_centers_that_handle_it(self, client, lighting, org):
        # An inactive center, and a local unit without an engineering department: not offered.
        CenterFactory(local_unit=LocalUnitFactory(governorate=org.qlb, code="TOK"), is_active=False)
        CenterFactory(local_unit=LocalUnitFactory(governorate=org.qlb, code="QHA"))
        data = ok(get(client, "services/street-lighting"), DEFINITION)
        center, receipt = data["attributes"]
        assert (center["code"], center["datatype"], center["required"]) == ("center", "singlevaluelist", True)
        names = {value["key"]: value["name"] for value in center["values"]}
        assert names == {"BNH": org.bnh.name_ar, "HLP": org.hlp.name_ar}  # no mobile van either
        assert (receipt["code"], receipt["datatype"], receipt["required"]) == (
            "receipt_number",
            "string",
            False,
        )

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_unknown_inactive_or_staff_conduct_codes_are_not_found(self, client, lighting, conduct, fmt):
        ComplaintCategory.objects.filter(pk=lighting.pk).update(is_active=False)
        for code in ("street-lighting", "staff-conduct", "nothing-such"):
            assert refused(get(client, f"services/{code}", fmt), 404, fmt).startswith("service_code: ")


@pytest.fixture
def filed(lighting, conduct, org, people):
    """Complaints of the last 90 days in both local units, one older, one about staff conduct."""
    now = timezone.now()
    at = {
        "old": now - timedelta(days=100),
        "resolved": now - timedelta(days=30),
        "rejected": now - timedelta(days=20),
        "hlp": now - timedelta(days=10),
        "open": now - timedelta(days=1),
    }
    made = {}
    for name, moment in at.items():
        center = org.hlp if name == "hlp" else org.bnh
        made[name] = complaint_file(
            data=complaint_input(lighting, center), channel=Channel.ONLINE, now=moment
        )
    services.complaint_resolve(
        complaint_id=made["resolved"].pk, actor=people.eng_head, reply="تم تغيير المصباح"
    )
    services.complaint_reject(
        complaint_id=made["rejected"].pk,
        actor=people.eng_head,
        reason="العمود ملك شركة الكهرباء",
        competent_body="شركة توزيع الكهرباء",
    )
    made["conduct"] = file(conduct, org.bnh, description="الموظف رفض استلام الطلب دون سبب")
    for complaint in made.values():
        complaint.refresh_from_db()
    return made


class TestRequests:
    def test_the_last_90_days_newest_first_without_staff_conduct(self, client, filed):
        data = ok(get(client, "requests"), REQUESTS)
        assert ids(data) == [filed[n].number for n in ("open", "hlp", "rejected", "resolved")]

    def test_what_a_request_shows(self, client, filed, org):
        resolved, rejected, open_ = (
            ok(get(client, f"requests/{filed[n].number}"), REQUESTS)[0]
            for n in ("resolved", "rejected", "open")
        )
        complaint = filed["open"]
        assert open_ == {
            "service_request_id": complaint.number,
            "status": "open",
            "status_notes": None,
            "service_name": "إنارة الشوارع",
            "service_code": "street-lighting",
            "description": complaint.description,
            "agency_responsible": f"الإدارة الهندسية — {org.bnh.local_unit.name_ar}",
            "service_notice": open_["service_notice"],
            "requested_datetime": timezone.localtime(complaint.submitted_at).isoformat(timespec="seconds"),
            "updated_datetime": timezone.localtime(complaint.submitted_at).isoformat(timespec="seconds"),
            "expected_datetime": timezone.localtime(complaint.due_at).isoformat(timespec="seconds"),
            "address": None,
            "lat": None,
            "long": None,
            "media_url": None,
        }
        assert "3" in open_["service_notice"]  # the category's working days
        assert (resolved["status"], resolved["status_notes"]) == ("closed", "تم تغيير المصباح")
        assert rejected["status"] == "closed"
        assert rejected["status_notes"].startswith("العمود ملك شركة الكهرباء")
        assert "شركة توزيع الكهرباء" in rejected["status_notes"]
        assert resolved["updated_datetime"] > resolved["requested_datetime"]

    def test_open_states_are_open_and_the_others_closed(self, client, filed, people, lighting, org):
        complaint = filed["open"]
        services.complaint_assign(complaint_id=complaint.pk, actor=people.eng_head, assignee=people.eng)
        assert ok(get(client, f"requests/{complaint.number}"), REQUESTS)[0]["status"] == "open"
        duplicate = file(lighting, org.bnh)
        services.complaint_merge(complaint_id=duplicate.pk, into_id=complaint.pk, actor=people.eng_head)
        merged = ok(get(client, f"requests/{duplicate.number}"), REQUESTS)[0]
        assert merged["status"] == "closed" and complaint.number in merged["status_notes"]

    def test_filters(self, client, filed):
        def found(**params):
            return ids(ok(get(client, "requests", **params), REQUESTS))

        assert found(status="open") == [filed["open"].number, filed["hlp"].number]
        assert found(status="closed") == [filed["rejected"].number, filed["resolved"].number]
        assert len(found(status="OPEN,closed")) == 4
        assert found(service_code="street-lighting") == found()
        day = timezone.localtime(filed["hlp"].submitted_at).date().isoformat()
        assert found(start_date=day, end_date=day) == [filed["hlp"].number]
        start = (timezone.now() - timedelta(days=120)).isoformat()
        assert found(start_date=start)[-1] == filed["old"].number  # 90 days from the start
        # Ids override every other filter; staff conduct stays out even by id.
        wanted = f"{filed['old'].number},{filed['conduct'].number},{filed['open'].number.lower()}"
        assert found(service_request_id=wanted, status="closed") == [
            filed["open"].number,
            filed["old"].number,
        ]

    def test_at_most_the_limit(self, client, filed, monkeypatch):
        monkeypatch.setattr(open311_selectors, "MAX_RESULTS", 2)
        assert ids(ok(get(client, "requests"), REQUESTS)) == [filed["open"].number, filed["hlp"].number]

    @pytest.mark.parametrize(
        "params, says",
        [
            ({"start_date": "yesterday"}, "start_date"),
            ({"end_date": "2026-13-01"}, "end_date"),
            ({"start_date": "1066-10-14"}, "start_date"),
            ({"start_date": "2026-05-02", "end_date": "2026-05-01"}, "start_date"),
            ({"service_request_id": "BNH-C-2026-000001,,BNH-C-2026-000002"}, "service_request_id"),
            ({"service_request_id": "42"}, "service_request_id"),
            ({"service_code": "staff-conduct"}, "service_code"),
            ({"service_code": "street-lighting,nothing"}, "service_code"),
            ({"status": "pending"}, "status"),
            ({"jurisdiction_id": "cairo.gov.eg"}, "jurisdiction_id"),
        ],
    )
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_bad_parameters(self, client, filed, params, says, fmt):
        status = 404 if "jurisdiction_id" in params else 400
        assert refused(get(client, "requests", fmt, **params), status, fmt).startswith(f"{says}: ")

    def test_a_w3c_offset_sent_unencoded_is_understood(self, client, filed):
        moment = timezone.localtime(filed["hlp"].submitted_at)
        query = f"start_date={moment.isoformat()}&end_date={moment.isoformat()}"  # "+02:00" → " 02:00"
        assert ids(ok(client.get(f"{url('requests')}?{query}"), REQUESTS)) == [filed["hlp"].number]

    def test_one_by_id_and_the_not_found(self, client, filed):
        number = filed["old"].number
        assert ids(ok(get(client, f"requests/{number.lower()}"), REQUESTS)) == [number]
        for missing in (filed["conduct"].number, "BNH-C-1999-000001", "nonsense", "1"):
            assert refused(get(client, f"requests/{missing}"), 404).startswith("service_request_id: ")
        assert ok(get(client, "requests", jurisdiction_id="citizen-services.gov.eg"), REQUESTS)


class TestTokens:
    def test_a_token_gives_the_id(self, client, filed):
        number = filed["open"].number
        token = token_for(number)
        for fmt in FORMATS:
            data = ok(get(client, f"tokens/{token}", fmt), TOKEN, fmt)
            data = data if fmt == "json" else xml_as_data(data)
            assert data == [{"service_request_id": number, "token": token}]

    def test_no_other_token_answers(self, client, filed):
        token = token_for(filed["open"].number)
        for bad in (
            token[:-1] + ("A" if token[-1] != "A" else "B"),  # tampered
            token_for(filed["conduct"].number),  # staff conduct
            filed["open"].tracking_token,  # the complainant's tracking token is no Open311 token
            filed["open"].number,
        ):
            assert refused(get(client, f"tokens/{bad}"), 404).startswith("token: ")


class TestNeverShown:
    def test_personal_data_and_internal_notes(self, client, lighting, org, people):
        complaint = file(
            lighting,
            org.bnh,
            description="المصباح مطفأ. أنا سعاد إبراهيم واتصلوا بي على ٠١٠ ٩٨٧٦ ٥٤٣٢ أو suad@example.com",
            address="بجوار منزل سعاد إبراهيم، ت 01234567890",
        )
        services.complaint_assign(complaint_id=complaint.pk, actor=people.eng_head, assignee=people.eng)
        services.complaint_note(complaint_id=complaint.pk, actor=people.eng, note="ملاحظة داخلية سرية")
        services.complaint_resolve(
            complaint_id=complaint.pk, actor=people.eng, reply="السيدة سعاد إبراهيم: تم الإصلاح", note="سري"
        )
        complaint.refresh_from_db()
        shown = ok(get(client, f"requests/{complaint.number}"), REQUESTS)[0]
        assert shown["description"] == "المصباح مطفأ. أنا […] واتصلوا بي على […] أو […]"
        assert shown["address"] == "بجوار منزل […]، ت […]"
        assert shown["status_notes"] == "السيدة […]: تم الإصلاح"
        secrets = [
            "سعاد",
            "01098765432",
            "1098765432",
            "suad@",
            complaint.tracking_token,
            "داخلية",
            "سري",
            people.eng.get_full_name() or people.eng.username,
            people.eng_head.get_full_name() or people.eng_head.username,
        ]
        paths = [
            "requests",
            f"requests/{complaint.number}",
            f"tokens/{token_for(complaint.number)}",
            "servicerequestupdates",
            "services",
            "services/street-lighting",
            "discovery",
        ]
        for path in paths:
            for fmt in FORMATS:
                body = get(client, path, fmt).content.decode()
                assert complaint.number in body or "request" not in path
                assert not [secret for secret in secrets if secret in body], (path, fmt)


class TestFormats:
    @pytest.mark.parametrize(
        "path, shape",
        [
            ("discovery", DISCOVERY),
            ("services", SERVICES),
            ("services/street-lighting", DEFINITION),
            ("requests", REQUESTS),
            ("servicerequestupdates", UPDATES),
        ],
    )
    def test_xml_says_what_json_says(self, client, filed, path, shape):
        as_json = ok(get(client, path, "json"), shape)
        response = get(client, path, "xml")
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
        assert xml_as_data(ok(response, shape, "xml")) == json_as_text(as_json)

    def test_control_characters_never_break_the_xml(self, client, lighting, org):
        complaint = file(lighting, org.bnh, description="عمود الإنارة \x01مطفأ\x1b منذ أسبوع")
        ok(get(client, f"requests/{complaint.number}", "xml"), REQUESTS, "xml")

    @pytest.mark.parametrize(
        "path, method, status",
        [
            ("services.html", "get", 404),
            ("services", "get", 404),
            ("requests.", "get", 404),
            ("nothing.json", "get", 404),
            ("requests/BNH-C-2026-000001/extra.json", "get", 404),
            ("services.json", "post", 405),
            ("requests.json", "put", 405),
            ("requests.json", "delete", 405),
        ],
    )
    def test_unknown_resources_formats_and_methods(self, client, db, path, method, status):
        response = getattr(client, method)(BASE + path)
        fmt = "json" if path.endswith(".json") else "xml"
        refused(response, status, fmt)
        if status == 405:
            assert "GET" in response["Allow"]

    def test_cors_for_reading(self, client, lighting):
        assert get(client, "services")["Access-Control-Allow-Origin"] == "*"


def test_a_confidential_category_never_shows(client, conduct, org):
    """Staff-conduct complaints: not a service, not listed, not by id, not in the updates."""
    complaint = file(conduct, org.bnh)
    assert ok(get(client, "services"), SERVICES) == []
    assert ok(get(client, "requests"), REQUESTS) == []
    assert ok(get(client, "servicerequestupdates"), UPDATES) == []
    refused(get(client, f"requests/{complaint.number}"), 404)
    refused(get(client, f"tokens/{token_for(complaint.number)}"), 404)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_input_the_site_refuses_before_any_view_is_answered_in_the_standards_shape(client, fmt):
    for query in ({"locale": "a\x00b"}, {"service_code": "x" * 6000}):
        response = client.get(f"{BASE}services.{fmt}", query)
        assert response.status_code == 400
        assert response["Content-Type"].startswith("application/json" if fmt == "json" else "text/xml")
        if fmt == "json":
            assert [error["code"] for error in response.json()] == [400]


def test_input_refused_elsewhere_still_gets_the_sites_page(client):
    response = client.get("/services/", {"q": "a\x00b"})
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
