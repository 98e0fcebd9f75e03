import io
import uuid

import factory

from requests_app.models import Citizen
from requests_app.services import CitizenInput, IntakeInput, service_request_submit


class CitizenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citizen
        django_get_or_create = ("national_id",)

    national_id = factory.Sequence(lambda n: f"2900101140{n % 10000:04d}")
    name_ar = factory.Sequence(lambda n: f"مواطن رقم {n}")
    mobile = factory.Sequence(lambda n: f"+20101{n % 10000000:07d}")


def intake_for(service, *, national_id="29001011401234", mobile="01012345678", **overrides) -> IntakeInput:
    """A complete intake for ``service``: every required document received, fees paid in cash."""
    terms = service.terms()
    values = {
        "applicant": CitizenInput(national_id, "محمد أحمد علي", mobile, "شارع الجمهورية، بنها"),
        "received_documents": {d["code"] for d in terms["documents"] if d["required"]},
        "payment_method": "cash" if terms["fees"] else "",
    }
    values.update(overrides)
    return IntakeInput(**values)


def submit(service, center, clerk, **overrides):
    return service_request_submit(
        center=center,
        clerk=clerk,
        service=service,
        intake=intake_for(service, **overrides),
        intake_key=uuid.uuid4(),
    )


def pdf_bytes(*, javascript: str = "", launch: bool = False) -> bytes:
    """A real one-page PDF, optionally opening with a script or an action that launches a program."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    action = None
    if javascript:
        action = {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(javascript),
        }
    if launch:
        action = {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
    if action:
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(DictionaryObject(action))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
