from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.images import checked_png
from core.models import SiteIdentity


class SiteIdentityForm(forms.ModelForm):
    emblem_file = forms.FileField(
        label=_("Emblem (PNG, up to 200 KB)"),
        required=False,
        help_text=_("Shown at the start of every page's header. Leave empty to keep the current one."),
    )
    remove_emblem = forms.BooleanField(label=_("Remove the emblem"), required=False)

    class Meta:
        model = SiteIdentity
        fields = ["name_ar", "name_en"]

    def clean_emblem_file(self):
        upload = self.cleaned_data.get("emblem_file")
        if not upload:
            return None
        try:
            return checked_png(upload.read(), max_bytes=200 * 1024)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc

    def save(self, commit=True):
        identity = super().save(commit=False)
        if self.cleaned_data.get("remove_emblem"):
            identity.emblem = b""
        elif self.cleaned_data.get("emblem_file"):
            identity.emblem = self.cleaned_data["emblem_file"]
        if commit:
            identity.save()
        return identity


@admin.register(SiteIdentity)
class SiteIdentityAdmin(admin.ModelAdmin):
    form = SiteIdentityForm
    list_display = ["name_ar", "name_en", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return not SiteIdentity.objects.exists() and super().has_add_permission(request)
