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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFilesField(forms.FileField):
    """Several files in one field (photos of a complaint, scans of a letter); the services check them."""

    def __init__(self, *, accept: str = "", **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept} if accept else {}))
        super().__init__(required=False, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFilesField, self).clean(item, initial) for item in files if item]


def service_errors_on_form(form, error) -> None:
    """A service's ValidationError (a dict by field, or plain messages) on the form's fields, or on the
    whole form for the names it does not have — one set of rules, reported where the person typed."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
