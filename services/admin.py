from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from services.models import Category, DocumentType, FeeItem, RouteStep, Service, ServiceDocument


class FeeItemInline(admin.TabularInline):
    model = FeeItem
    extra = 0
    fields = ("position", "name_ar", "name_en", "amount")


class ServiceDocumentInline(admin.TabularInline):
    model = ServiceDocument
    extra = 0
    fields = ("position", "document_type", "is_required")
    autocomplete_fields = ("document_type",)


class RouteStepFormSet(forms.BaseInlineFormSet):
    """The steps' working days are shares of the legal deadline, so they must add up to it."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise forms.ValidationError(_("A service needs at least one route step."))
        deadline = self.instance.legal_deadline_days
        total = sum(step["working_days"] for step in kept)
        if deadline and total != deadline:
            raise forms.ValidationError(
                _("The route steps add up to %(total)s working days; the legal deadline is %(deadline)s."),
                params={"total": total, "deadline": deadline},
            )


class RouteStepInline(admin.TabularInline):
    model = RouteStep
    formset = RouteStepFormSet
    extra = 0
    fields = ("position", "department_type", "working_days")


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_ar", "category", "legal_deadline_days", "output_verifiable", "is_active")
    list_filter = ("category", "is_active", "output_verifiable")
    search_fields = ("code", "name_ar", "name_en", "search_text")
    list_select_related = ("category",)
    filter_horizontal = ("centers",)
    inlines = (FeeItemInline, ServiceDocumentInline, RouteStepInline)
    fieldsets = (
        (None, {"fields": ("code", "category", "name_ar", "name_en", "is_active")}),
        (_("Description"), {"fields": ("description_ar", "description_en")}),
        (_("Terms"), {"fields": ("legal_deadline_days",)}),
        (
            _("Output document"),
            {
                "fields": (
                    "output_name_ar",
                    "output_name_en",
                    "output_kind",
                    "output_verifiable",
                    "output_valid_years",
                )
            },
        ),
        (_("Where it is offered"), {"fields": ("centers",)}),
    )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ar", "name_en", "position")
    list_editable = ("position",)
    search_fields = ("code", "name_ar", "name_en")


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ar", "name_en")
    search_fields = ("code", "name_ar", "name_en")
