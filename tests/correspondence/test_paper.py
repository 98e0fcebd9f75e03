"""The printed letter and the public page its QR opens: the Arabic text and the number on the paper,
a QR a real decoder (zbar) reads back to the page's address, and a page that confirms the letter
without its content."""

import subprocess

import pytest
from django.urls import reverse

from correspondence import services
from correspondence.models import Classification, Direction, LetterState
from correspondence.pdf import NotPrinted, letter_pdf
from correspondence.views_public import letter_check_url
from tests.correspondence.factories import letter_input
from tests.requests_app.pdf import pdf_text

pytestmark = pytest.mark.django_db

BODY = "نرجو التكرم بالإحاطة بأن أعمال رصف شارع الجمهورية قد بدأت، ونأمل التنسيق مع الشركة المنفذة."


def with_content(data, content: str):
    data.body = content  # (letter_input's ``body`` is the outside body the letter goes to)
    return data


def register(office, clerk, data, direction=Direction.OUTGOING):
    return services.letter_register(office=office, direction=direction, data=data, clerk=clerk)


def check_url(letter) -> str:
    return "https://letters.example.gov.eg" + reverse("letters_public:verify", args=[letter.public_token])


def decoded_qr(pdf: bytes, tmp_path) -> str:
    (tmp_path / "letter.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "200",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            str(tmp_path / "letter.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    (image,) = sorted(tmp_path.glob("p*.png"))
    found = subprocess.run(["zbarimg", "--raw", "-q", str(image)], check=True, capture_output=True, text=True)
    return found.stdout.strip()


@pytest.fixture
def to_ministry(offices, clerks, engineering, ministry):
    return register(offices.bnh, clerks.bnh, with_content(letter_input(engineering, body=ministry), BODY))


class TestPaper:
    def test_the_paper_carries_number_office_recipient_subject_and_content(self, to_ministry, tmp_path):
        assert to_ministry.state == LetterState.AWAITING_DISPATCH
        text = pdf_text(letter_pdf(to_ministry, check_url(to_ministry)), tmp_path)
        for expected in (
            to_ministry.number,
            to_ministry.document_date.isoformat(),
            "مركز ومدينة بنها",
            "محافظة القليوبية",
            "وزارة التنمية المحلية",
            "بشأن رصف شارع الجمهورية",
            "أعمال رصف شارع الجمهورية قد بدأت",
        ):
            assert expected in text, expected

    def test_its_qr_opens_the_public_check_page(self, to_ministry, tmp_path):
        url = check_url(to_ministry)
        assert decoded_qr(letter_pdf(to_ministry, url), tmp_path) == url

    def test_every_print_is_the_same_file(self, to_ministry):
        url = check_url(to_ministry)
        assert letter_pdf(to_ministry, url) == letter_pdf(to_ministry, url)

    def test_long_content_runs_on_to_more_pages(self, offices, clerks, engineering, ministry, tmp_path):
        long_body = "\n".join(f"الفقرة رقم {n} من نص الخطاب الطويل جدا." for n in range(120))
        letter = register(
            offices.bnh, clerks.bnh, with_content(letter_input(engineering, body=ministry), long_body)
        )
        pdf = letter_pdf(letter, check_url(letter))
        text = pdf_text(pdf, tmp_path)
        assert text.count("\f") >= 2 and "من نص الخطاب الطويل جدا" in text.split("\f")[-2]

    def test_a_letter_to_another_governorate_is_printed(self, offices, clerks, engineering, tmp_path):
        letter = register(offices.bnh, clerks.bnh, letter_input(engineering, to=offices.hlp))
        assert letter.state == LetterState.AWAITING_DISPATCH
        text = pdf_text(letter_pdf(letter, check_url(letter)), tmp_path)
        assert "حي مصر الجديدة" in text and "محافظة القاهرة" in text

    def test_a_dispatched_letter_is_still_printed(self, to_ministry, clerks):
        services.letter_dispatch(letter_id=to_ministry.pk, clerk=clerks.bnh, method="post")
        to_ministry.refresh_from_db()
        assert letter_pdf(to_ministry, check_url(to_ministry)).startswith(b"%PDF")

    def test_letters_delivered_electronically_or_incoming_are_not_printed(
        self, offices, clerks, engineering, ministry
    ):
        delivered = register(offices.bnh, clerks.bnh, letter_input(engineering, to=offices.qly))
        incoming = register(
            offices.bnh, clerks.bnh, letter_input(engineering, body=ministry), Direction.INCOMING
        )
        for letter in (delivered, incoming):
            with pytest.raises(NotPrinted):
                letter_pdf(letter, check_url(letter))


class TestCheckPage:
    def test_confirms_number_date_office_and_subject_never_the_content(self, client, to_ministry):
        response = client.get(reverse("letters_public:verify", args=[to_ministry.public_token]))
        page = response.content.decode()
        assert response.status_code == 200
        assert 'dir="rtl"' in page
        assert f'<bdi dir="ltr">{to_ministry.number}</bdi>' in page
        assert f'<bdi dir="ltr">{to_ministry.document_date:%Y-%m-%d}</bdi>' in page
        assert "مركز ومدينة بنها" in page and "بشأن رصف شارع الجمهورية" in page
        assert "أعمال رصف" not in page and "وزارة التنمية المحلية" not in page

    def test_a_confidential_letters_subject_is_not_shown(
        self, client, offices, clerks, engineering, ministry
    ):
        letter = register(
            offices.bnh,
            clerks.bnh,
            letter_input(engineering, body=ministry, classification=Classification.CONFIDENTIAL),
        )
        page = client.get(reverse("letters_public:verify", args=[letter.public_token])).content.decode()
        assert letter.number in page and "بشأن رصف شارع الجمهورية" not in page

    def test_the_qr_url_is_the_page(self, client, rf, to_ministry, settings):
        settings.PUBLIC_BASE_URL = "https://letters.example.gov.eg"
        url = letter_check_url(rf.get("/"), to_ministry)
        assert url == check_url(to_ministry)
        assert client.get(url.removeprefix(settings.PUBLIC_BASE_URL)).status_code == 200

    def test_unknown_tokens_and_unregistered_letters_are_not_found(
        self, client, offices, clerks, engineering, ministry
    ):
        incoming = register(
            offices.bnh, clerks.bnh, letter_input(engineering, body=ministry), Direction.INCOMING
        )
        sent = register(offices.bnh, clerks.bnh, letter_input(engineering, to=offices.qly))
        pending = sent.counterpart
        assert pending.state == LetterState.PENDING
        for token in ("no-such-token", incoming.public_token, pending.public_token):
            response = client.get(reverse("letters_public:verify", args=[token]))
            assert response.status_code == 404
            assert "الصفحة" in response.content.decode() or "Page not found" in response.content.decode()
        # The sender's own copy, delivered electronically, was registered: it is confirmed.
        assert client.get(reverse("letters_public:verify", args=[sent.public_token])).status_code == 200

    def test_rate_limited_per_address(self, client, to_ministry, settings):
        settings.LETTER_VERIFY_RATE = "3/m"
        for _ in range(3):
            client.get(reverse("letters_public:verify", args=["guess"]))
        url = reverse("letters_public:verify", args=[to_ministry.public_token])
        blocked = client.get(url)
        assert blocked.status_code == 429 and blocked["Retry-After"] == "60"
        assert client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 200
