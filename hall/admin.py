"""Administrators set up a center's hall: its queues (and the services each covers), its numbered
windows (and the queues each calls from) and its devices. A device's token is shown once, when the
device is made, and never stored; a device is deactivated, never deleted. Tickets, their history and
the clerks' shifts are records: read here, written by the hall's services only."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from hall.models import HallDevice, HallQueue, HallWindow, Ticket, TicketEvent, WindowShift
from hall.services import hall_device_issue


@admin.register(HallQueue)
class HallQueueAdmin(admin.ModelAdmin):
    list_display = ("center", "letter", "name_ar", "is_priority", "position", "is_active")
    list_filter = ("is_active", "is_priority", "center__governorate")
    search_fields = ("letter", "name_ar", "name_en", "center__code", "center__name_ar")
    list_select_related = ("center",)
    autocomplete_fields = ("center",)
    filter_horizontal = ("services",)

    def get_readonly_fields(self, request, obj=None):
        return ("center",) if obj else ()  # its tickets stay at the center they were taken in


def queue_label(queue: HallQueue) -> str:
    return f"{queue.center.code} {queue.letter} — {queue.name}"


class QueueChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, queue: HallQueue) -> str:
        return queue_label(queue)


class HallWindowForm(forms.ModelForm):
    class Meta:
        model = HallWindow
        fields = ("center", "number", "queues", "is_active")
        field_classes = {"queues": QueueChoice}

    def clean(self):
        data = super().clean()
        center = data.get("center") or (self.instance.center if self.instance.pk else None)
        others = [q for q in data.get("queues") or () if center and q.center_id != center.pk]
        if others:
            self.add_error(
                "queues",
                _("A window calls only from its own center's queues; not from %(queues)s.")
                % {"queues": ", ".join(queue_label(q) for q in others)},
            )
        return data


@admin.register(HallWindow)
class HallWindowAdmin(admin.ModelAdmin):
    form = HallWindowForm
    list_display = ("center", "number", "queue_letters", "is_active")
    list_filter = ("is_active", "center__governorate")
    search_fields = ("center__code", "center__name_ar")
    autocomplete_fields = ("center",)
    filter_horizontal = ("queues",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("center").prefetch_related("queues")

    def get_readonly_fields(self, request, obj=None):
        return ("center",) if obj else ()

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "queues":
            kwargs["queryset"] = HallQueue.objects.select_related("center")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:  # an existing window: only its center's queues are offered
            queues = form.base_fields["queues"]
            queues.queryset = queues.queryset.filter(center=obj.center)
        return form

    @admin.display(description=_("queues it calls"))
    def queue_letters(self, window: HallWindow) -> str:
        return ", ".join(q.letter for q in window.queues.all())


@admin.register(HallDevice)
class HallDeviceAdmin(admin.ModelAdmin):
    """Made through ``hall_device_issue``: its token is shown once in a message, only its SHA-256 kept."""

    list_display = ("name", "kind", "center", "is_active", "created_at", "last_seen_at")
    list_filter = ("kind", "is_active", "center__governorate")
    search_fields = ("name", "center__code", "center__name_ar")
    list_select_related = ("center",)
    autocomplete_fields = ("center",)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("center", "kind", "name")
        return ("center", "kind", "name", "is_active", "digest", "created_at", "last_seen_at")

    def get_readonly_fields(self, request, obj=None):
        return ("center", "kind", "digest", "created_at", "last_seen_at") if obj else ()

    @admin.display(description=_("token (SHA-256)"))
    def digest(self, device: HallDevice) -> str:
        return device.token_digest

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        device, token = hall_device_issue(center=obj.center, kind=obj.kind, name=obj.name)
        obj.pk, obj.name, obj.token_digest, obj.created_at = (
            device.pk,
            device.name,
            device.token_digest,
            device.created_at,
        )
        obj._state.adding, obj._state.db = False, device._state.db
        messages.warning(
            request,
            _(
                "The token of %(device)s is %(token)s — copy it now: it is not stored and cannot be shown "
                "again. Type it once on the device itself, at /hall/device/."
            )
            % {"device": device, "token": token},
        )

    def has_delete_permission(self, request, obj=None):
        return False  # its tickets keep pointing at it: untick "active" instead


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    fields = ("at", "action", "actor", "from_state", "to_state", "window", "queue", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ("code", "center", "day", "issued_queue", "queue", "state", "issued_at", "window")
    list_filter = ("state", "center__governorate")
    date_hierarchy = "day"
    search_fields = ("code", "center__code")
    list_select_related = ("center", "issued_queue", "queue", "window")
    # The citizen's mobile is never shown to staff; the token is the ticket's QR.
    exclude = ("token", "mobile")
    inlines = [TicketEventInline]


@admin.register(WindowShift)
class WindowShiftAdmin(ReadOnlyAdmin):
    list_display = ("window", "center", "clerk", "opened_at", "closed_at")
    list_filter = ("window__center__governorate",)
    search_fields = ("window__center__code", "clerk__username", "clerk__full_name")
    list_select_related = ("window__center", "clerk")
    date_hierarchy = "opened_at"

    @admin.display(description=_("center"), ordering="window__center__code")
    def center(self, shift: WindowShift):
        return shift.window.center
