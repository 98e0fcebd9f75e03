"""The paper and its QR: Arabic text in logical order, a QR that a real decoder (zbar) reads back to a
payload the offline verifier accepts, the QR's size within version 10 at level M, and every print the
same file."""

import json
import subprocess
import sys

import pytest
from django.conf import settings

from core.qr import qr_code
from documents import codec, offline
from documents.pdf import document_pdf
from documents.selectors import document_qr_text, keys_published, status_list_signed
from tests.requests_app.pdf import pdf_text

pytestmark = pytest.mark.django_db

LONG_BASE_URL = "https://verify.citizen-services.qalyubia.gov.eg"  # longer than any we expect


def paper(document) -> bytes:
    return document_pdf(document, qr_text=document_qr_text(document=document), verify_url="https://x/verify/")


def cache_for_offline(tmp_path):
    """What `python -m documents.offline fetch` keeps, taken from the same selectors the URLs serve."""
    (tmp_path / "keys.json").write_text(json.dumps(keys_published()))
    (tmp_path / "status-0.cose").write_bytes(status_list_signed(number=0))
    return tmp_path


def decoded_qr(pdf: bytes, tmp_path) -> str:
    (tmp_path / "doc.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", str(tmp_path / "doc.pdf"), str(tmp_path / "page")], check=True
    )
    (image,) = sorted(tmp_path.glob("page*.png"))
    found = subprocess.run(["zbarimg", "--raw", "-q", str(image)], check=True, capture_output=True, text=True)
    return found.stdout.strip()


def test_the_paper_carries_the_arabic_text_in_logical_order(permit, tmp_path):
    text = pdf_text(paper(permit), tmp_path)
    for expected in (
        "ترخيص بناء",
        "سعيد عبد الرحمن محمود",
        # (pdftotext moves digits about beside Arabic as it reorders; the words must read in order)
        "قطعة الأرض رقم",
        "بحوض الجنينة — شارع سعد زغلول",
        "عدد الأدوار",
        f"رئيس {permit.center.local_unit.name_ar}",
        permit.number,
        permit.check_code,
        permit.valid_until.isoformat(),
    ):
        assert expected in text, expected


def test_every_print_is_the_same_file(permit):
    assert paper(permit) == paper(permit)


def test_its_qr_decodes_to_a_payload_the_offline_verifier_accepts(permit, tmp_path, settings):
    settings.PUBLIC_BASE_URL = LONG_BASE_URL
    text = decoded_qr(paper(permit), tmp_path)
    assert text == document_qr_text(document=permit)
    cache = cache_for_offline(tmp_path)
    verdict, facts = offline.verify(text, cache, now=permit.issued_at, national_id="28506121401234")
    assert verdict == codec.Verdict.VALID
    assert facts["number"] == permit.number and facts["holder"] == "matches"


def test_the_qr_fits_version_10_at_level_m(issue, org, settings):
    """The longest document number we give (an 8-letter issuer, a 6-digit serial), a status index deep
    in a later list, and a long verification host: still version 10 or lower. The README says so."""
    settings.PUBLIC_BASE_URL = LONG_BASE_URL
    org.van.code = "QLBMOB12"
    org.van.save()
    document = issue(center=org.van, local_unit=org.bnh.local_unit)
    document.serial, document.status_index = 999_999, 5 * codec.LIST_SIZE + 131_000
    from documents.keys import signing_key
    from documents.services import claims_of

    payload = codec.payload_sign(signing_key(), claims_of(document))
    text = codec.qr_text(LONG_BASE_URL, payload)
    assert len(payload) <= 155 and len(text) <= 311  # 311: what version 10-M holds in alphanumeric mode
    code = qr_code(text)
    assert code.version <= 10 and code.error_correction == 0  # qrcode's constant for level M
    assert [segment.mode for segment in code.data_list] == [2]  # alphanumeric, 5.5 bits a character


def test_the_offline_verifier_runs_without_django_or_a_database(permit, tmp_path):
    cache = cache_for_offline(tmp_path)
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(settings.BASE_DIR)}  # no settings, no database URL
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "documents.offline",
            "verify",
            document_qr_text(document=permit),
            "--cache",
            str(cache),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert "genuine and valid" in run.stdout and permit.number in run.stdout
    garbage = subprocess.run(
        [sys.executable, "-m", "documents.offline", "verify", "HTTPS://X/V/ABCD", "--cache", str(cache)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert garbage.returncode == 3 and "not issued by us" in garbage.stdout


def test_a_service_whose_output_is_not_verifiable_prints_no_qr(issue, tmp_path, client):
    """The catalog's choice: no QR on the paper; the number and check code still verify it."""
    document = issue(carries_qr=False)
    (tmp_path / "doc.pdf").write_bytes(paper(document))
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", str(tmp_path / "doc.pdf"), str(tmp_path / "page")], check=True
    )
    (image,) = sorted(tmp_path.glob("page*.png"))
    assert subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True).returncode == 4  # none
    assert "واكتب رقم المستند ورمز التحقق" in pdf_text(paper(document), tmp_path)
    verified = client.post("/verify/", {"number": document.number, "check_code": document.check_code})
    assert "مستند صحيح وساري" in verified.content.decode()
