from django import forms
from django.utils.translation import gettext_lazy as _


class DevicePairForm(forms.Form):
    token = forms.CharField(label=_("Device token"), max_length=100, strip=True)


class KioskTicketForm(forms.Form):
    queue = forms.IntegerField(
        widget=forms.HiddenInput, error_messages={"required": _("Choose what you came for.")}
    )
    mobile = forms.CharField(
        label=_("Mobile number (optional): we send an SMS when your turn is near"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off", "dir": "ltr"}),
    )


class TicketLookupForm(forms.Form):
    ticket = forms.CharField(
        label=_("Ticket number, as printed (e.g. B-042)"),
        max_length=10,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )


class WindowOpenForm(forms.Form):
    window = forms.IntegerField(label=_("Window"))


class TransferForm(forms.Form):
    queue = forms.IntegerField(label=_("Send to queue"))
