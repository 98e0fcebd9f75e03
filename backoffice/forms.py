from django import forms
from django.utils.translation import gettext_lazy as _

from backoffice.selectors import QUEUE_STATES, QueueFilters
from services.selectors import active_service_choices


class QueueFilterForm(forms.Form):
    service = forms.TypedChoiceField(label=_("Service"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All open"))] + [(s.value, s.label) for s in QUEUE_STATES],
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        required=False,
        choices=[("", _("All")), ("overdue", _("Overdue")), ("at_risk", _("At risk"))],
    )
    assigned = forms.ChoiceField(
        label=_("Assigned"),
        required=False,
        choices=[("", _("Everyone's")), ("mine", _("Assigned to me")), ("unassigned", _("Unassigned"))],
    )
    submitted_from = forms.DateField(
        label=_("Submitted from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    submitted_to = forms.DateField(
        label=_("Submitted to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    receipt = forms.CharField(label=_("Receipt number"), required=False, max_length=32)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("All services")), *active_service_choices()]

    def filters(self) -> QueueFilters:
        if not self.is_valid():
            return QueueFilters()
        data = self.cleaned_data
        return QueueFilters(
            service_id=data["service"],
            state=data["state"],
            urgency=data["urgency"],
            assigned=data["assigned"],
            submitted_from=data["submitted_from"],
            submitted_to=data["submitted_to"],
            receipt=data["receipt"],
        )


class ActionForm(forms.Form):
    """Every back-office decision: the version the employee was looking at, a note, and — to ask the
    citizen for documents — the catalog's document types: the service's own, or any other."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    documents = forms.MultipleChoiceField(
        label=_("Documents of this service"), required=False, widget=forms.CheckboxSelectMultiple
    )
    other_documents = forms.MultipleChoiceField(
        label=_("Other documents in the catalog"), required=False, widget=forms.CheckboxSelectMultiple
    )

    subject = forms.CharField(
        label=_("Subject of the document"),
        required=False,
        max_length=500,
        help_text=_("Printed on the document, e.g. the plot's address or the shop's activity."),
    )
    terms = forms.CharField(
        label=_("Key terms"),
        required=False,
        max_length=2000,
        help_text=_("One per line, as label: value — e.g. Number of floors: 4"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, service_documents=(), other_documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = list(service_documents)
        self.fields["other_documents"].choices = list(other_documents)

    def clean_terms(self) -> list[tuple[str, str]]:
        terms = []
        for number, line in enumerate(self.cleaned_data["terms"].splitlines(), start=1):
            if not line.strip():
                continue
            label, colon, value = line.partition(":")
            if not colon or not label.strip() or not value.strip():
                message = _("Line %(number)s of the key terms needs a label, a colon and a value.")
                raise forms.ValidationError(message % {"number": number})
            terms.append((label.strip(), value.strip()))
        return terms

    def documents_asked(self) -> list[str]:
        return [*self.cleaned_data["documents"], *self.cleaned_data["other_documents"]]


class AssignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    assignee = forms.IntegerField(required=False)
