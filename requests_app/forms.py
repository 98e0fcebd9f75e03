import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import in_language
from notifications.phones import normalize_mobile
from requests_app.identity import parse_national_id
from requests_app.models import PaymentMethod
from requests_app.services import POWER_OF_ATTORNEY, CitizenInput, IntakeInput


class NationalIdField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "dir": "ltr", "pattern": r"[0-9٠-٩ ]*"}
        )

    def clean(self, value):
        return parse_national_id(super().clean(value)).value


class MobileField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "off", "dir": "ltr"})

    def clean(self, value):
        return normalize_mobile(super().clean(value))


class IntakeStartForm(forms.Form):
    national_id = NationalIdField(label=_("Applicant's national ID"))
    service = forms.CharField(label=_("Service"), max_length=200)
    hall_ticket = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["national_id"].widget.attrs["autofocus"] = True
        self.fields["service"].widget.attrs.update(
            {
                "autocomplete": "off",
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "aria-controls": "service-listbox",
            }
        )


def _text(label, max_length: int, **attrs) -> forms.CharField:
    """A field the intake service checks (national IDs, mobiles, names): the form only bounds its
    length, so that every mistake of one intake is reported at once, by one set of rules."""
    field = forms.CharField(label=label, max_length=max_length, required=False)
    field.widget.attrs.update(attrs)
    return field


NUMERIC = {"inputmode": "numeric", "autocomplete": "off", "dir": "ltr", "class": "width-nid"}
PHONE = {"inputmode": "tel", "autocomplete": "off", "dir": "ltr", "class": "width-20"}


class IntakeForm(forms.Form):
    """The whole intake on one screen; field names match the service's error keys."""

    intake_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    hall_ticket = forms.IntegerField(widget=forms.HiddenInput, required=False)
    applicant_national_id = _text(_("National ID"), 20, **NUMERIC)
    applicant_name_ar = _text(_("Full name (Arabic)"), 200, dir="auto", autocomplete="off")
    applicant_mobile = _text(_("Mobile number"), 20, **PHONE)
    applicant_address = _text(_("Address"), 300, dir="auto")
    on_behalf = forms.BooleanField(
        label=_("Submitted by an attorney on the applicant's behalf"),
        required=False,
        widget=forms.CheckboxInput(attrs={"data-reveals": "attorney-details"}),
    )
    attorney_national_id = _text(_("Attorney's national ID"), 20, **NUMERIC)
    attorney_name_ar = _text(_("Attorney's full name"), 200, dir="auto", autocomplete="off")
    attorney_mobile = _text(_("Attorney's mobile number"), 20, **PHONE)
    all_required_documents = forms.BooleanField(
        label=_("The citizen handed in every required document"),
        required=False,
        widget=forms.CheckboxInput(attrs={"data-ticks-all": "input[data-required-document]"}),
    )
    payment_method = forms.ChoiceField(label=_("Payment"), choices=PaymentMethod.choices, required=False)
    payment_reference = forms.CharField(
        label=_("Treasury receipt or e-payment reference"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "class": "width-20"}),
    )

    def __init__(self, *args, documents: list[dict], fees_total, local_units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.section_errors: dict[str, list[str]] = {}  # errors of a part of the form, not of one field
        if local_units:  # a mobile center: the clerk says which local unit will process the request
            self.fields["local_unit"] = forms.TypedChoiceField(
                label=_("Local unit that will process the request"),
                coerce=int,
                required=False,
                empty_value=None,
                choices=[("", "—")] + [(unit.pk, unit.name) for unit in local_units],
            )
        self.documents = list(documents)
        if POWER_OF_ATTORNEY not in {d["code"] for d in self.documents}:
            self.documents.append(
                {"code": POWER_OF_ATTORNEY, "name_ar": _("Power of attorney"), "required": False}
            )
        for doc in self.documents:
            name = in_language(doc["name_ar"], doc.get("name_en", ""))
            tick = forms.CheckboxInput(attrs={"data-required-document": ""} if doc["required"] else {})
            self.fields[f"doc_{doc['code']}"] = forms.BooleanField(label=name, required=False, widget=tick)
            self.fields[f"scan_{doc['code']}"] = forms.FileField(
                label=_("Scan of %(name)s") % {"name": name},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
            )
        if fees_total:  # almost every payment at a center is cash at its treasury
            self.fields["payment_method"].choices = PaymentMethod.choices[1:]
            self.fields["payment_method"].initial = PaymentMethod.CASH
        else:
            self.fields["payment_method"].choices = [PaymentMethod.choices[0]]
        if not self.is_bound:
            first_empty = "applicant_name_ar" if self.initial.get("applicant_national_id") else None
            self.fields[first_empty or "applicant_national_id"].widget.attrs["autofocus"] = True

    @property
    def required_documents(self) -> list[dict]:
        return [doc for doc in self.documents if doc["required"]]

    def document_rows(self):
        return [(doc, self[f"doc_{doc['code']}"], self[f"scan_{doc['code']}"]) for doc in self.documents]

    def documents_need_attention(self) -> bool:
        """The one-by-one list opens by itself when something in it is wrong."""
        return bool(self.section_errors.get("documents")) or any(
            self[name].errors for name in self.fields if name.startswith(("doc_", "scan_"))
        )

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """The intake service's errors, each where it belongs: on its field or on its part of the form."""
        for name, messages in errors.items():
            for message in messages:
                if name in self.fields:
                    self.add_error(name, message)
                else:
                    self.section_errors.setdefault(name, []).append(message)

    def to_intake(self) -> IntakeInput:
        data = self.cleaned_data
        attorney = None
        if data["on_behalf"]:
            attorney = CitizenInput(
                data["attorney_national_id"], data["attorney_name_ar"], data["attorney_mobile"]
            )
        received = {d["code"] for d in self.documents if data.get(f"doc_{d['code']}")}
        if data["all_required_documents"]:
            received |= {d["code"] for d in self.required_documents}
        return IntakeInput(
            applicant=CitizenInput(
                data["applicant_national_id"],
                data["applicant_name_ar"],
                data["applicant_mobile"],
                data["applicant_address"],
            ),
            attorney=attorney,
            received_documents=received,
            scans={
                d["code"]: data[f"scan_{d['code']}"] for d in self.documents if data.get(f"scan_{d['code']}")
            },
            payment_method=data["payment_method"] or PaymentMethod.NONE,
            payment_reference=data["payment_reference"],
            local_unit_id=data.get("local_unit"),
            hall_ticket_id=data.get("hall_ticket"),
        )


class CancelForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )


class DeliverForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    to_attorney = forms.BooleanField(label=_("Handed to an attorney"), required=False)
    attorney_name = forms.CharField(label=_("Attorney's name"), max_length=200, required=False)
    power_of_attorney_checked = forms.BooleanField(label=_("Power of attorney checked"), required=False)


class ResubmitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    documents = forms.MultipleChoiceField(
        label=_("Documents the citizen brought"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, documents: list[tuple[str, str]] = (), **kwargs):
        """``documents``: (code, name) of exactly the documents the department asked for."""
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = list(documents)


class TrackForm(forms.Form):
    receipt_number = forms.CharField(
        label=_("Receipt number"),
        max_length=32,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    national_id_last4 = forms.CharField(
        label=_("Last 4 digits of the applicant's national ID"),
        max_length=4,
        min_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}),
    )
