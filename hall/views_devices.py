"""The hall's devices, which nobody signs in to: the ticket kiosk at the entrance and the screen on the
wall. Each is paired once by an administrator typing its token; the browser then presents the token in
a cookie, so the kiosk and the screen are bound to their center, not to a URL anyone could open."""

import json
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from core.http import public_url
from core.qr import qr_svg
from hall.forms import DevicePairForm, KioskTicketForm
from hall.live import Doorbell, board_version
from hall.models import HallDevice, HallQueue, Ticket
from hall.selectors import device_for_token, queue_figures, screen_state, ticket_place
from hall.services import hall_device_seen, ticket_issue

COOKIE_AGE = 5 * 365 * 24 * 3600  # a kiosk stays paired until its token is revoked
HEARTBEAT_SECONDS = 15  # a "ping" event, so that proxies and the screen know the stream is alive


def cookie_name(kind: str) -> str:
    return f"hall_{kind}"


class DevicePairView(View):
    """An administrator types the device's token on the device itself, once."""

    template_name = "hall/device_pair.html"

    def get(self, request):
        return render(request, self.template_name, {"form": DevicePairForm()})

    def post(self, request):
        form = DevicePairForm(request.POST)
        device = None
        if form.is_valid():
            token = form.cleaned_data["token"]
            device = device_for_token(token=token, kind=HallDevice.Kind.KIOSK) or device_for_token(
                token=token, kind=HallDevice.Kind.SCREEN
            )
            if device is None:
                form.add_error("token", _("This token belongs to no kiosk or screen in use."))
        if device is None:
            return render(request, self.template_name, {"form": form}, status=400)
        target = "hall:kiosk" if device.kind == HallDevice.Kind.KIOSK else "hall:screen"
        response = redirect(target)
        response.set_cookie(
            cookie_name(device.kind),
            form.cleaned_data["token"],
            max_age=COOKIE_AGE,
            secure=request.is_secure(),
            httponly=True,
            samesite="Strict",
        )
        return response


class DeviceMixin:
    """The view belongs to a paired device of ``device_kind``; anything else is told how to pair."""

    device_kind: str

    @cached_property
    def device(self) -> HallDevice | None:
        return device_for_token(
            token=self.request.COOKIES.get(cookie_name(self.device_kind), ""), kind=self.device_kind
        )

    def dispatch(self, request, *args, **kwargs):
        if self.device is None:
            return render(
                request,
                "hall/device_missing.html",
                {"kind": HallDevice.Kind(self.device_kind).label},
                status=403,
            )
        hall_device_seen(device=self.device)
        return super().dispatch(request, *args, **kwargs)


class KioskView(DeviceMixin, TemplateView):
    """Big buttons, one per queue; then the mobile number (optional) and the printed ticket."""

    device_kind = HallDevice.Kind.KIOSK
    template_name = "hall/kiosk.html"

    def get_context_data(self, **kwargs):
        center = self.device.center
        chosen = HallQueue.objects.filter(
            pk=_as_int(self.request.GET.get("queue")), center=center, is_active=True
        ).first()
        form = kwargs.pop("form", None) or (KioskTicketForm(initial={"queue": chosen.pk}) if chosen else None)
        return super().get_context_data(
            center=center, figures=queue_figures(center=center), chosen=chosen, form=form, **kwargs
        )

    def post(self, request):
        form = KioskTicketForm(request.POST)
        if form.is_valid():
            try:
                ticket = ticket_issue(
                    device=self.device,
                    queue_id=form.cleaned_data["queue"],
                    mobile=form.cleaned_data["mobile"],
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        form.add_error(field if field in form.fields else None, message)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("hall:kiosk_ticket", ticket.token)
        self.request.GET = self.request.GET.copy()
        self.request.GET["queue"] = str(form.data.get("queue", ""))
        return self.render_to_response(self.get_context_data(form=form), status=400)


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class KioskTicketView(DeviceMixin, TemplateView):
    """The ticket as the kiosk's 80 mm printer prints it, then back to the buttons."""

    device_kind = HallDevice.Kind.KIOSK
    template_name = "hall/kiosk_ticket.html"

    def get_context_data(self, **kwargs):
        ticket = get_object_or_404(
            Ticket.objects.select_related("queue", "center"), token=kwargs["token"], center=self.device.center
        )
        url = public_url(self.request, reverse("hall:ticket", args=[ticket.token]))
        kwargs.pop("token")
        return super().get_context_data(place=ticket_place(ticket=ticket), qr=qr_svg(url), url=url, **kwargs)


class ScreenView(DeviceMixin, TemplateView):
    device_kind = HallDevice.Kind.SCREEN
    template_name = "hall/screen.html"

    def get_context_data(self, **kwargs):
        center = self.device.center
        return super().get_context_data(
            center=center,
            state=screen_json(center=center),
            stream_url=reverse("hall:screen_stream"),
            **kwargs,
        )


def screen_json(*, center) -> dict:
    """The screen's state at the board's current version, computed once for all the center's screens."""
    version = board_version(center_id=center.pk)
    key = f"hall:screen:{center.pk}:{version}"
    state = cache.get(key)
    if state is None:
        state = screen_state(center=center, version=version)
        cache.set(key, state, 60)
    return state


class ScreenStreamView(DeviceMixin, View):
    """Server-sent events: the screen's state now, then again at each change of the hall, with a
    "ping" every 15 s. The stream ends after ``HALL_STREAM_SECONDS`` and the browser reconnects
    (told to wait 1 s): a web worker restarting cuts it the same way, and the screen carries on."""

    device_kind = HallDevice.Kind.SCREEN

    def get(self, request):
        response = StreamingHttpResponse(self.events(self.device.center), content_type="text/event-stream")
        response["Cache-Control"] = "no-store"
        response["X-Accel-Buffering"] = "no"  # nginx passes each event on at once
        return response

    @staticmethod
    def events(center):
        bell = Doorbell(center_id=center.pk)
        try:
            yield "retry: 1000\n\n"
            sent = None
            started = last_line = time.monotonic()
            while time.monotonic() - started < settings.HALL_STREAM_SECONDS:
                version = board_version(center_id=center.pk)
                if version != sent:
                    state = screen_json(center=center)
                    yield f"id: {version}\ndata: {json.dumps(state, ensure_ascii=False)}\n\n"
                    sent, last_line = version, time.monotonic()
                elif time.monotonic() - last_line >= HEARTBEAT_SECONDS:
                    yield f"event: ping\ndata: {timezone.now():%H:%M:%S}\n\n"
                    last_line = time.monotonic()
                bell.wait()
        finally:
            bell.close()
