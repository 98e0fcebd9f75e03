"""The complaint forms parse what was typed; the complaints services check it (one set of rules for the
window, the public form and Open311), so every mistake is reported at once, in the same words."""

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.models import DESCRIPTION_MAX_CHARS, ComplaintState
from complaints.selectors import categories_active
from complaints.services import ComplaintInput
from core.forms import MultipleFilesField
from organisation.models import Center


def _text(label, max_length: int, *, required: bool = False, **attrs) -> forms.CharField:
    field = forms.CharField(label=label, max_length=max_length, required=required)
    field.widget.attrs.update(attrs)
    return field


class ComplaintForm(forms.Form):
    category = forms.ChoiceField(label=_("What is the complaint about?"))
    center = forms.ChoiceField(label=_("Center or local unit concerned"))
    description = forms.CharField(
        label=_("Describe the problem"),
        max_length=DESCRIPTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": DESCRIPTION_MAX_CHARS, "dir": "auto"}),
        help_text=_("Up to 4,000 characters: what happened, where and since when."),
    )
    address = _text(_("Address or place (optional)"), 300)
    latitude = _text(_("Latitude (optional)"), 20, dir="ltr", inputmode="decimal", autocomplete="off")
    longitude = _text(_("Longitude (optional)"), 20, dir="ltr", inputmode="decimal", autocomplete="off")
    receipt_number = _text(
        _("Receipt number of a request it concerns (optional)"), 32, dir="ltr", autocomplete="off"
    )
    photos = MultipleFilesField(
        accept="image/jpeg,image/png",
        label=_("Photos (optional)"),
        help_text=_("JPEG or PNG, up to 5 photos of 5 MB each."),
    )
    anonymous = forms.BooleanField(
        label=_("File anonymously (you will not receive text messages)"), required=False
    )
    name = _text(_("Your name"), 200, autocomplete="name")
    mobile = _text(_("Mobile number (for text messages)"), 20, dir="ltr", inputmode="tel", autocomplete="tel")
    # Left empty by people; bots fill every field they find. Hidden from view and from assistive
    # technology, never focused by the keyboard.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, center: Center | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Choose…"))] + [
            (category.code, category.name) for category in categories_active()
        ]
        centers = Center.objects.filter(is_active=True, local_unit__isnull=False).select_related(
            "governorate"
        )
        self.fields["center"].choices = [("", _("Choose…"))] + [
            (str(c.pk), f"{c.name} — {c.governorate.name}") for c in centers
        ]
        if center is not None and center.local_unit_id:
            self.fields["center"].initial = str(center.pk)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def complaint_input(self) -> ComplaintInput:
        data = self.cleaned_data
        return ComplaintInput(
            category_code=data["category"],
            center_id=int(data["center"]),
            description=data["description"],
            address=data["address"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            receipt_number=data["receipt_number"],
            anonymous=data["anonymous"],
            name="" if data["anonymous"] else data["name"],
            mobile="" if data["anonymous"] else data["mobile"],
            photos=data["photos"],
        )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why did the answer not settle the problem?"),
        max_length=DESCRIPTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=[(str(n), str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("5 is very satisfied, 1 not satisfied at all."),
    )
    comment = forms.CharField(label=_("Comment (optional)"), max_length=500, required=False)


class AnswerForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply to the complainant"),
        max_length=DESCRIPTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        help_text=_("The complainant reads it on the tracking page and by text message."),
    )
    note = forms.CharField(
        label=_("Internal note (optional)"),
        max_length=DESCRIPTION_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the complainant"),
        max_length=DESCRIPTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    competent_body = forms.CharField(
        label=_("Competent body, if it is not ours (optional)"), max_length=200, required=False
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Internal note"),
        max_length=DESCRIPTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Staff only: never shown to the complainant."),
    )


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Give to"), coerce=int)

    def __init__(self, *args, assignees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [(user.pk, str(user)) for user in assignees]


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Number of the complaint that goes on"), max_length=32)


class StaffFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    urgency = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[("", _("All")), ("overdue", _("Overdue")), ("at_risk", _("At risk"))],
    )
    assigned = forms.ChoiceField(
        label=_("Assigned"),
        required=False,
        choices=[("", _("All")), ("mine", _("Mine")), ("unassigned", _("Unassigned"))],
    )
    number = forms.CharField(label=_("Complaint number"), max_length=32, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("open", _("Open")), ("all", _("All"))] + list(ComplaintState.choices)
