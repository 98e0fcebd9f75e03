"""Administrators see the published keys and the register of documents; nothing here edits them (a
document is issued by its workflow and revoked from its page, with the reason recorded)."""

from django.contrib import admin

from documents.models import DocumentEvent, IssuedDocument, SigningKey


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnlyAdmin):
    list_display = ("kid", "added_at")


class DocumentEventInline(admin.TabularInline):
    model = DocumentEvent
    fields = ("at", "action", "actor", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ("number", "title_ar", "holder_name", "issued_on", "valid_until", "revoked_at")
    list_filter = ("kind", "issued_on", "revocation_reason")
    search_fields = ("number", "source_reference")
    exclude = ("salt", "payload", "holder_national_id")
    inlines = [DocumentEventInline]
