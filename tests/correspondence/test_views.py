import pytest
from django.urls import reverse

from accounts.models import Role
from correspondence import services
from correspondence.models import Classification, Direction, Letter, LetterEvent, LetterState
from tests.accounts.factories import staff
from tests.correspondence.factories import LetterCategoryFactory, letter_input
from tests.organisation.factories import DepartmentFactory, DepartmentTypeFactory

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def register(office, clerk, direction, data):
    return services.letter_register(office=office, direction=direction, data=data, clerk=clerk)


def form(category, **overrides):
    data = {
        "subject": "بشأن إشغالات الطريق بشارع الجمهورية",
        "category": category.code,
        "classification": "ordinary",
        "party_kind": "office",
        "party_office": "QLY",
        "document_date": "2026-01-05",
        "reply_working_days": "5",
    }
    data.update(overrides)
    return data


class TestRegistry:
    def test_anonymous_and_wrong_role(self, client, offices, clerks, org):
        response = client.get(reverse("letters:home"))
        assert response.status_code == 302 and "login" in response["Location"]
        signed_in(client, staff(Role.CLERK, center=org.bnh))
        assert client.get(reverse("letters:home")).status_code == 403
        assert client.get(reverse("letters:register", args=["BNH", "in"])).status_code == 403

    def test_another_offices_register_is_404(self, client, offices, clerks):
        signed_in(client, clerks.bnh)
        assert client.get(reverse("letters:register", args=["BNH", "in"])).status_code == 200
        assert client.get(reverse("letters:register", args=["QLY", "in"])).status_code == 404
        assert client.get(reverse("letters:register", args=["BNH", "sideways"])).status_code == 404

    def test_register_send_accept_route_answer_over_http(self, client, offices, clerks, engineering, org):
        signed_in(client, clerks.bnh)
        response = client.post(reverse("letters:new", args=["BNH", "out"]), form(engineering))
        sent = Letter.objects.get(direction=Direction.OUTGOING)
        assert response.status_code == 302 and sent.state == LetterState.DELIVERED
        pending = Letter.objects.get(counterpart=sent)

        signed_in(client, clerks.qly)
        assert "بشأن إشغالات" in client.get(reverse("letters:inbox", args=["QLY"])).content.decode()
        client.post(reverse("letters:act", args=[pending.pk, "accept"]))
        client.post(
            reverse("letters:act", args=[pending.pk, "accept"])
        )  # a second acceptance changes nothing
        pending.refresh_from_db()
        assert pending.number.startswith("QLY-IN-") and pending.state == LetterState.REGISTERED
        assert LetterEvent.objects.filter(letter=pending, action="accept").count() == 1

        signed_in(client, clerks.bnh)
        page = client.get(reverse("letters:letter", args=[sent.pk])).content.decode()
        assert pending.number in page  # "received as …" on the sender's side

    def test_search_finds_arabic_variants(self, client, offices, clerks, engineering, ministry):
        register(
            offices.bnh,
            clerks.bnh,
            Direction.INCOMING,
            letter_input(engineering, body=ministry, subject="إشغالات الطريق العام"),
        )
        register(
            offices.bnh,
            clerks.bnh,
            Direction.INCOMING,
            letter_input(engineering, body=ministry, subject="رصف شارع"),
        )
        signed_in(client, clerks.bnh)
        page = client.get(
            reverse("letters:register", args=["BNH", "in"]), {"text": "اشغالات"}
        ).content.decode()
        assert "إشغالات الطريق العام" in page and "رصف شارع" not in page
        legal = LetterCategoryFactory(code="legal")
        register(
            offices.bnh,
            clerks.bnh,
            Direction.INCOMING,
            letter_input(legal, body=ministry, subject="دعوى قضائية"),
        )
        page = client.get(
            reverse("letters:register", args=["BNH", "in"]), {"category": legal.pk}
        ).content.decode()
        assert "دعوى قضائية" in page and "رصف شارع" not in page

    def test_bad_input_shows_messages_and_stores_nothing(self, client, offices, clerks, engineering):
        signed_in(client, clerks.bnh)
        response = client.post(
            reverse("letters:new", args=["BNH", "in"]),
            form(engineering, party_office="", reply_working_days="0"),
        )
        assert response.status_code == 400 and not Letter.objects.exists()


class TestConfidentiality:
    def test_only_the_routed_head_and_the_units_head_read_it_and_each_reading_is_recorded(
        self, client, offices, clerks, engineering, ministry, org
    ):
        letter = register(
            offices.bnh,
            clerks.bnh,
            Direction.INCOMING,
            letter_input(
                engineering,
                body=ministry,
                classification=Classification.CONFIDENTIAL,
                subject="تحقيق إداري سري",
            ),
        )
        services.letter_route(letter_id=letter.pk, clerk=clerks.bnh, department=org.bnh_eng)
        chief = DepartmentFactory(
            local_unit=org.bnh.local_unit, department_type=DepartmentTypeFactory(code="CHIEF")
        )
        readers = [
            staff(Role.DEPARTMENT_HEAD, department=org.bnh_eng),
            staff(Role.DEPARTMENT_HEAD, department=chief),
        ]
        not_readers = [
            clerks.bnh,
            staff(Role.BACKOFFICE, department=org.bnh_eng),
            staff(Role.CENTER_MANAGER, center=org.bnh),
        ]
        for user in readers:
            signed_in(client, user)
            assert (
                "تحقيق إداري سري" in client.get(reverse("letters:letter", args=[letter.pk])).content.decode()
            )
        for user in not_readers:
            signed_in(client, user)
            response = client.get(reverse("letters:letter", args=[letter.pk]))
            assert "تحقيق إداري سري" not in response.content.decode()
        assert LetterEvent.objects.filter(letter=letter, action="viewed").count() == len(readers)
        signed_in(client, clerks.bnh)
        register_page = client.get(reverse("letters:register", args=["BNH", "in"]))
        assert register_page.status_code == 200 and letter.number in register_page.content.decode()
        assert "تحقيق إداري سري" not in register_page.content.decode()

    def test_a_url_edited_to_another_unit_is_404(self, client, offices, clerks, engineering, ministry, org):
        theirs = register(
            offices.qly, clerks.qly, Direction.INCOMING, letter_input(engineering, body=ministry)
        )
        for outsider in (clerks.bnh, clerks.qlb, staff(Role.DEPARTMENT_HEAD, department=org.bnh_eng)):
            signed_in(client, outsider)
            assert client.get(reverse("letters:letter", args=[theirs.pk])).status_code == 404


def test_the_department_sees_its_letters(client, offices, clerks, engineering, ministry, org):
    letter = register(offices.bnh, clerks.bnh, Direction.INCOMING, letter_input(engineering, body=ministry))
    services.letter_route(
        letter_id=letter.pk, clerk=clerks.bnh, department=org.bnh_eng, instructions="للدراسة"
    )
    signed_in(client, staff(Role.BACKOFFICE, department=org.bnh_eng))
    assert letter.number in client.get(reverse("letters:department", args=[org.bnh_eng.pk])).content.decode()
    assert client.get(reverse("letters:department", args=[org.bnh_legal.pk])).status_code == 404


def test_the_register_as_excel_and_a_printed_letter(client, offices, clerks, engineering, ministry):
    from io import BytesIO

    from openpyxl import load_workbook

    letter = register(offices.bnh, clerks.bnh, Direction.OUTGOING, letter_input(engineering, body=ministry))
    signed_in(client, clerks.bnh)
    response = client.get(reverse("letters:register", args=["BNH", "out"]), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    assert letter.number in [cell.value for cell in sheet["A"]]
    pdf = client.get(reverse("letters:print", args=[letter.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    signed_in(client, clerks.qly)
    assert client.get(reverse("letters:print", args=[letter.pk])).status_code == 404


def test_scans_are_streamed_to_readers_only(client, offices, clerks, engineering, ministry):
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    letter = register(
        offices.bnh,
        clerks.bnh,
        Direction.INCOMING,
        letter_input(engineering, body=ministry, attachments=[SimpleUploadedFile("scan.png", png)]),
    )
    signed_in(client, clerks.bnh)
    response = client.get(reverse("letters:attachment", args=[letter.pk, 1]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == png
    assert client.get(reverse("letters:attachment", args=[letter.pk, 2])).status_code == 404
    signed_in(client, clerks.qly)
    assert client.get(reverse("letters:attachment", args=[letter.pk, 1])).status_code == 404
