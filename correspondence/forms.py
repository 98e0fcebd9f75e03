"""The registry's forms parse what the clerk typed; correspondence.services checks it (one set of rules),
so every mistake of a letter is reported at once. No form has a number field: numbers are the
register's to give."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import MultipleFilesField
from correspondence.models import Classification, LetterCategory, LetterState, OutsideBody, PartyKind
from correspondence.services import LetterInput, Office
from organisation.models import Department, Governorate, LocalUnit


def _offices(governorate: Governorate) -> list[tuple[str, str]]:
    """Every office of the governorate (its own, then its local units), as (code, name)."""
    units = LocalUnit.objects.filter(governorate=governorate).order_by("code")
    return [(governorate.code, governorate.name)] + [(unit.code, unit.name) for unit in units]


class LetterForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    category = forms.ChoiceField(label=_("Category"))
    classification = forms.ChoiceField(label=_("Classification"), choices=Classification.choices)
    party_kind = forms.ChoiceField(
        label=_("Other party"), choices=PartyKind.choices, widget=forms.RadioSelect
    )
    party_office = forms.ChoiceField(label=_("Office of the governorate"), required=False)
    party_body = forms.ChoiceField(label=_("Outside body"), required=False)
    party_citizen = forms.CharField(label=_("Citizen's full name"), max_length=200, required=False)
    document_date = forms.DateField(
        label=_("Date on the letter"), widget=forms.DateInput(attrs={"type": "date"})
    )
    sender_reference = forms.CharField(
        label=_("Sender's reference (optional)"), max_length=60, required=False
    )
    reply_working_days = forms.IntegerField(
        label=_("A reply is due within (working days, optional)"), required=False, min_value=1, max_value=120
    )
    in_reply_to = forms.CharField(
        label=_("In reply to (incoming number, optional)"), max_length=40, required=False
    )
    related = forms.CharField(
        label=_("Related letters, requests or complaints (numbers separated by commas, optional)"),
        max_length=500,
        required=False,
    )
    body = forms.CharField(
        label=_("Content"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
    )
    attachments = MultipleFilesField(
        accept="application/pdf,image/jpeg,image/png", label=_("Scans (optional)")
    )

    def __init__(self, *args, office: Office, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office
        self.fields["category"].choices = [("", _("Choose…"))] + [
            (c.code, c.name) for c in LetterCategory.objects.filter(is_active=True)
        ]
        self.fields["party_office"].choices = [("", _("Choose…"))] + [
            (code, name) for code, name in _offices(office.governorate) if code != office.code
        ]
        self.fields["party_body"].choices = [("", _("Choose…"))] + [
            (str(b.pk), b.name) for b in OutsideBody.objects.filter(is_active=True)
        ]

    def letter_input(self) -> LetterInput:
        data = self.cleaned_data
        party_office = None
        if data["party_office"] == self.office.governorate.code:
            party_office = Office(self.office.governorate)
        elif data["party_office"]:
            unit = LocalUnit.objects.filter(
                governorate=self.office.governorate, code=data["party_office"]
            ).first()
            party_office = Office(self.office.governorate, unit) if unit else None
        return LetterInput(
            subject=data["subject"],
            category_code=data["category"],
            classification=data["classification"],
            document_date=data["document_date"],
            party_kind=data["party_kind"],
            party_office=party_office,
            party_body_id=int(data["party_body"]) if data["party_body"] else None,
            party_citizen=data["party_citizen"],
            sender_reference=data["sender_reference"],
            reply_working_days=data["reply_working_days"],
            in_reply_to=data["in_reply_to"],
            related=[number for number in data["related"].split(",") if number.strip()],
            body=data["body"],
            attachments=data["attachments"],
        )


class RegisterFilterForm(forms.Form):
    text = forms.CharField(label=_("Search (number, subject, party)"), max_length=200, required=False)
    day_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    day_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All"))] + [
            (c.pk, c.name) for c in LetterCategory.objects.filter(is_active=True)
        ]
        self.fields["state"].choices = [("", _("All"))] + list(LetterState.choices)


class RouteForm(forms.Form):
    department = forms.TypedChoiceField(label=_("Department"), coerce=int)
    instructions = forms.CharField(
        label=_("Instructions"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, local_unit_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(local_unit_id=local_unit_id).select_related("department_type")
        self.fields["department"].choices = [(d.pk, d.name) for d in departments]


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it sent back?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DispatchForm(forms.Form):
    method = forms.ChoiceField(label=_("Sent"), choices=[("hand", _("By hand")), ("post", _("By post"))])


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Give to"), coerce=int)

    def __init__(self, *args, assignees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [(user.pk, str(user)) for user in assignees]


class FileForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), max_length=1000, required=False)
