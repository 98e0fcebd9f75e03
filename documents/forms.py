from django import forms
from django.utils.translation import gettext_lazy as _

from documents.models import RevocationReason


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Document number"),
        max_length=40,
        help_text=_("As printed, e.g. BNH-PRM-2026-000045"),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "class": "width-30"}),
    )
    check_code = forms.CharField(
        label=_("Check code"),
        max_length=12,
        help_text=_("The 8 letters and digits printed beside the number"),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "class": "width-10"}),
    )


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", "—"), *RevocationReason.choices],
        error_messages={"required": _("Choose the reason for the revocation.")},
    )
    note = forms.CharField(
        label=_("What the revocation rests on"),
        max_length=2000,
        help_text=_("E.g. the number and date of the decision; recorded with your name."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write what the revocation rests on (e.g. the decision's number).")},
    )
