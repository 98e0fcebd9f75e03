"""Administrators keep the list of complaint categories (with their routing, deadline and reply
templates) and the Open311 clients' keys. Complaints themselves are handled on the staff pages."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, ComplaintCategory, ComplaintEvent, Open311Key, ResponseTemplate
from complaints.services import open311_key_new


class ResponseTemplateInline(admin.StackedInline):
    model = ResponseTemplate
    extra = 0


@admin.register(ComplaintCategory)
class ComplaintCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ar", "department_type", "confidential", "working_days", "is_active")
    list_filter = ("is_active", "confidential", "department_type")
    search_fields = ("code", "name_ar", "name_en")
    inlines = [ResponseTemplateInline]


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "is_active", "created_at")
    readonly_fields = ("prefix", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:
            key, obj.prefix, obj.digest = open311_key_new()
            messages.warning(
                request,
                _(
                    "The API key of %(name)s is %(key)s — copy it now: "
                    "it is not stored and cannot be shown again."
                )
                % {"name": obj.name, "key": key},
            )
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False  # complaints filed with a key keep pointing at it: deactivate it instead


class ComplaintEventInline(admin.TabularInline):
    model = ComplaintEvent
    fk_name = "complaint"
    fields = ("at", "action", "actor", "from_state", "to_state", "public_note", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ("number", "category", "center", "state", "submitted_at", "due_at")
    list_filter = ("state", "category", "channel")
    search_fields = ("number",)
    exclude = ("tracking_token",)
    inlines = [ComplaintEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
