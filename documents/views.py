"""Verification for anyone (no sign-in), what offline verifiers fetch, and the staff's document pages."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_ratelimit.decorators import ratelimit

from accounts.authz import RoleRequiredMixin, can
from core.http import form_errors_as_messages, public_url
from core.qr import qr_svg
from core.throttle import rate_window_seconds, too_many_requests
from documents.forms import RevokeForm, VerifyForm
from documents.models import IssuedDocument
from documents.pdf import document_pdf
from documents.selectors import (
    VIEW_ROLES,
    Verification,
    document_in_reach,
    document_qr_text,
    document_verify_number,
    document_verify_qr,
    documents_in_reach,
    keys_published,
    status_list_signed,
)
from documents.services import PRINTING_ROLES, REVOKING_ROLES, document_print_record, document_revoke

limited = ratelimit(
    key="ip", rate=lambda group, request: settings.DOCUMENT_VERIFY_RATE, group="verify", block=False
)


def _throttled(request) -> HttpResponse | None:
    if getattr(request, "limited", False):
        seconds = rate_window_seconds(settings.DOCUMENT_VERIFY_RATE)
        return too_many_requests(request, seconds=seconds, template="rate_limited.html")
    return None


def result_page(request, verification: Verification, *, status: int = 200) -> HttpResponse:
    context = {"verification": verification, "doc": verification.document, "verdict": verification.verdict}
    return render(request, "documents/verify_result.html", context, status=status)


@method_decorator(limited, name="get")
class ScannedView(View):
    """What a phone opens when it scans the QR: the payload is in the address itself."""

    def get(self, request, payload):
        throttled = _throttled(request)
        if throttled:
            return throttled
        verification = document_verify_qr(text=payload)
        return result_page(request, verification, status=200 if verification.genuine else 404)


@method_decorator(limited, name="post")
class VerifyView(TemplateView):
    """The number and the check code printed on the paper (or the QR's text, pasted)."""

    template_name = "documents/verify.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", VerifyForm())
        return super().get_context_data(**kwargs)

    def post(self, request):
        throttled = _throttled(request)
        if throttled:
            return throttled
        form = VerifyForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        verification = document_verify_number(
            number=form.cleaned_data["number"], check_code=form.cleaned_data["check_code"]
        )
        return result_page(request, verification, status=200 if verification.genuine else 404)


def keys_json(request):
    response = JsonResponse(keys_published())
    response["Cache-Control"] = "public, max-age=3600"
    return response


def status_list(request, number: int):
    signed = status_list_signed(number=number)
    if signed is None:
        raise Http404
    response = HttpResponse(signed, content_type='application/cose; cose-type="cose-sign1"')
    response["Cache-Control"] = "public, max-age=300"
    return response


# ---- staff ---------------------------------------------------------------------------------------------


class DocumentMixin(RoleRequiredMixin):
    allowed_roles = VIEW_ROLES

    @cached_property
    def document(self) -> IssuedDocument:
        found = document_in_reach(user=self.request.user, number=self.kwargs["number"])
        if found is None:
            raise Http404
        return found

    def check_scope(self) -> None:
        self.document  # noqa: B018 — a document outside the user's reach is a 404


class DocumentListView(RoleRequiredMixin, TemplateView):
    allowed_roles = VIEW_ROLES
    template_name = "documents/list.html"

    def get_context_data(self, **kwargs):
        number = self.request.GET.get("number", "").strip().upper()[:40]
        found = documents_in_reach(user=self.request.user, number_prefix=number)
        page = Paginator(found, 25).get_page(self.request.GET.get("page"))
        kwargs.update(page=page, number=number)
        return super().get_context_data(**kwargs)


class DocumentDetailView(DocumentMixin, TemplateView):
    template_name = "documents/detail.html"

    def get_context_data(self, **kwargs):
        document, user = self.document, self.request.user
        qr_text = document_qr_text(document=document)
        in_force = not document.is_revoked
        kwargs.update(
            doc=document,
            verdict=document_verify_qr(text=qr_text).verdict,
            qr=qr_svg(qr_text),
            events=document.events.select_related("actor"),
            can_revoke=in_force and can(user, REVOKING_ROLES, document.org_place()),
            can_print=in_force and can(user, PRINTING_ROLES, document.org_place()),
            revoke_form=RevokeForm(),
        )
        return super().get_context_data(**kwargs)


class DocumentPdfView(DocumentMixin, View):
    """The document's PDF, the same file at every print; each print is recorded (hence POST)."""

    allowed_roles = PRINTING_ROLES

    def post(self, request, number):
        document = self.document
        # Built first: a print is recorded only once there is a paper to hand over.
        qr_text = document_qr_text(document=document)
        pdf = document_pdf(
            document, qr_text=qr_text, verify_url=public_url(request, reverse("verify:lookup"))
        )
        try:
            document_print_record(document_id=document.pk, actor=request.user)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            return redirect("documents:detail", document.number)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{document.number}.pdf"'
        return response


class RevokeView(DocumentMixin, View):
    allowed_roles = REVOKING_ROLES

    def post(self, request, number):
        form = RevokeForm(request.POST)
        detail = redirect("documents:detail", self.document.number)
        if not form.is_valid():
            form_errors_as_messages(request, form)
            return detail
        try:
            document_revoke(
                document_id=self.document.pk,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The document is revoked; verification says so from now on."))
        return detail
