import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from requests_app.identity import normalize_mobile, parse_national_id
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["national_id"].widget.attrs["autofocus"] = True
        self.fields["service"].widget.attrs.update({"list": "service-options", "autocomplete": "off"})


class IntakeForm(forms.Form):
    """The whole intake on one screen; field names match the service's error keys."""

    intake_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    applicant_national_id = NationalIdField(label=_("National ID"))
    applicant_name_ar = forms.CharField(label=_("Full name (Arabic)"), max_length=200)
    applicant_mobile = MobileField(label=_("Mobile number"))
    applicant_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    on_behalf = forms.BooleanField(
        label=_("Submitted by an attorney on the applicant's behalf"), required=False
    )
    attorney_national_id = forms.CharField(label=_("Attorney's national ID"), max_length=20, required=False)
    attorney_name_ar = forms.CharField(label=_("Attorney's full name"), max_length=200, required=False)
    attorney_mobile = forms.CharField(label=_("Attorney's mobile number"), max_length=20, required=False)
    payment_method = forms.ChoiceField(label=_("Payment"), choices=PaymentMethod.choices, required=False)
    payment_reference = forms.CharField(
        label=_("Treasury receipt or e-payment reference"), max_length=64, required=False
    )

    def __init__(self, *args, documents: list[dict], fees_total, local_units=(), **kwargs):
        super().__init__(*args, **kwargs)
        if local_units:  # a mobile center: the clerk says which local unit will process the request
            self.fields["local_unit"] = forms.TypedChoiceField(
                label=_("Local unit that will process the request"),
                coerce=int,
                choices=[("", "—")] + [(unit.pk, unit.name) for unit in local_units],
            )
        self.documents = list(documents)
        if POWER_OF_ATTORNEY not in {d["code"] for d in self.documents}:
            self.documents.append(
                {"code": POWER_OF_ATTORNEY, "name_ar": _("Power of attorney"), "required": False}
            )
        for doc in self.documents:
            self.fields[f"doc_{doc['code']}"] = forms.BooleanField(label=doc["name_ar"], required=False)
            self.fields[f"scan_{doc['code']}"] = forms.FileField(
                label=_("Scan of %(name)s") % {"name": doc["name_ar"]},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
            )
        if not fees_total:
            self.fields["payment_method"].choices = [PaymentMethod.choices[0]]

    def document_rows(self):
        return [(doc, self[f"doc_{doc['code']}"], self[f"scan_{doc['code']}"]) for doc in self.documents]

    def to_intake(self) -> IntakeInput:
        data = self.cleaned_data
        attorney = None
        if data["on_behalf"]:
            attorney = CitizenInput(
                data["attorney_national_id"], data["attorney_name_ar"], data["attorney_mobile"]
            )
        return IntakeInput(
            applicant=CitizenInput(
                data["applicant_national_id"],
                data["applicant_name_ar"],
                data["applicant_mobile"],
                data["applicant_address"],
            ),
            attorney=attorney,
            received_documents={d["code"] for d in self.documents if data.get(f"doc_{d['code']}")},
            scans={
                d["code"]: data[f"scan_{d['code']}"] for d in self.documents if data.get(f"scan_{d['code']}")
            },
            payment_method=data["payment_method"] or PaymentMethod.NONE,
            payment_reference=data["payment_reference"],
            local_unit_id=data.get("local_unit"),
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

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = [(d.code, d.name_ar) for d in documents]


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
