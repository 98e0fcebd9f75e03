from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from notifications.models import SmsMessage, SmsOptOut, SmsTemplate
from notifications.services import sms_resend
from notifications.templating import placeholders_help


@admin.register(SmsTemplate)
class SmsTemplateAdmin(SimpleHistoryAdmin):
    list_display = ("event", "essential", "is_active", "updated_at")
    list_filter = ("essential", "is_active")
    fields = ("event", "body_ar", "essential", "is_active")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None:  # each event declares its own fields: name them under the text
            form.base_fields["body_ar"].help_text = _(
                "Fields in braces are filled in when the message is sent. Allowed: %(fields)s."
            ) % {"fields": placeholders_help(obj.placeholders)}
        return form

    def get_readonly_fields(self, request, obj=None):
        return ("event",) if obj else ()  # callers name events in code; renaming one would orphan it


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "phone", "event", "subject", "status", "attempts", "parts", "sent_at")
    list_filter = ("status", "event")
    search_fields = ("phone", "idempotency_key")
    date_hierarchy = "created_at"
    actions = ("resend_failed",)
    readonly_fields = [field.name for field in SmsMessage._meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("subject")

    def has_add_permission(self, request):
        return False  # messages come from events only

    def has_delete_permission(self, request, obj=None):
        return False  # the outbox is the record of what each citizen was told

    @admin.action(description=_("Resend failed messages"), permissions=["change"])
    def resend_failed(self, request, queryset):
        resent = skipped = 0
        for message_id in queryset.values_list("pk", flat=True):
            try:
                sms_resend(message_id=message_id)
                resent += 1
            except ValidationError:  # not failed (any more): leave it
                skipped += 1
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", resent)
            % {"count": resent},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message was not failed and was left as it is.",
                    "%(count)d messages were not failed and were left as they are.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


@admin.register(SmsOptOut)
class SmsOptOutAdmin(admin.ModelAdmin):
    list_display = ("phone", "created_at")
    search_fields = ("phone",)
