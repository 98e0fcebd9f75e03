from django import forms
from django.utils.translation import gettext_lazy as _

from services.selectors import catalog_categories


class CatalogSearchForm(forms.Form):
    q = forms.CharField(label=_("Search services"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        error_messages={"invalid_choice": _("Unknown category. Choose one from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories"))] + [
            (c.code, c.name) for c in catalog_categories()
        ]
