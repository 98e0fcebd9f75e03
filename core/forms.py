from django import forms
from django.utils.translation import gettext_lazy as _


class DesignSampleForm(forms.Form):
    """The fields shown on the design system's page (/design/), with the errors a real form shows."""

    national_id = forms.RegexField(
        label=_("National ID"),
        regex=r"^\d{14}$",
        error_messages={"invalid": _("Enter the 14 digits of the national ID.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )
    name = forms.CharField(label=_("Full name (Arabic)"), max_length=200)
    agrees = forms.BooleanField(label=_("The citizen handed in every required document"), required=False)
