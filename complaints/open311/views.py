"""Open311 GeoReport v2 at /open311/v2/, with FixMyStreet's servicerequestupdates: each view reads the
parameters (params), asks the selectors or the complaints service, and writes the answer (serializers,
formats). Every refusal is the standard's error list with the same HTTP status: 400 for a missing or
malformed parameter, 403 for a wrong or disabled api_key, 404 for an unknown resource, service code or
jurisdiction_id, 405 for another method, 429 past the POST rate."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django_ratelimit.core import is_ratelimited

from complaints.models import Channel
from complaints.open311 import params, selectors, serializers
from complaints.open311.formats import Open311Error, about, render, render_error
from complaints.open311.tokens import number_from
from complaints.services import complaint_file
from core.http import public_url
from core.throttle import rate_window_seconds

# The service's field names, as the standard calls what the client sent.
FIELD_PARAMS = {
    "category": "service_code",
    "center": "attribute[center]",
    "receipt_number": "attribute[receipt_number]",
    "description": "description",
    "address": "address_string",
    "latitude": "lat",
    "longitude": "long",
    "name": "first_name",
    "mobile": "phone",
    "photos": "media",
}


class _Either:
    """POST parameters, then the query string's (clients put api_key in either)."""

    def __init__(self, *sources):
        self.sources = sources

    def get(self, name: str, default: str = "") -> str:
        for source in self.sources:
            if name in source:
                return source.get(name)
        return default


class Open311View(View):
    """The format from the path's extension, the optional jurisdiction_id and locale (ar, en), and any
    Open311Error as the standard's error answer. (urls.py exempts every view from CSRF: a POST carries
    its api_key, never a session.)"""

    def dispatch(self, request, *args, fmt: str, **kwargs):
        self.fmt = fmt
        locale = _Either(request.POST, request.GET).get("locale")[:2].lower()
        language = locale if locale in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        with translation.override(language):
            try:
                if fmt not in ("json", "xml"):
                    raise Open311Error(404, _("Ask for .xml or .json."))
                self.check_jurisdiction(request)
                response = super().dispatch(request, *args, **kwargs)
            except Open311Error as error:
                response = render_error(error, fmt)
        response["Content-Language"] = language
        if request.method in ("GET", "HEAD"):
            response["Access-Control-Allow-Origin"] = "*"  # public data, no cookie read
        return response

    def check_jurisdiction(self, request):
        given = _Either(request.POST, request.GET).get("jurisdiction_id").strip()
        if given and given != settings.OPEN311_JURISDICTION:
            raise Open311Error(
                404,
                about(
                    "jurisdiction_id",
                    _("Not found: this server serves %(jurisdiction)s only.")
                    % {"jurisdiction": settings.OPEN311_JURISDICTION},
                ),
            )

    def http_method_not_allowed(self, request, *args, **kwargs):
        allowed = ", ".join(m.upper() for m in self._allowed_methods())
        raise Open311Error(405, _("Method not allowed here."), headers={"Allow": allowed})

    def answer(self, data, root: str, status: int = 200):
        return render(data, self.fmt, root=root, status=status)

    def photo_url(self, photo) -> str:
        return public_url(self.request, reverse("complaints:photo", args=[photo.token]))


class DiscoveryView(Open311View):
    def get(self, request):
        url = public_url(request, reverse("open311:discovery", kwargs={"fmt": "xml"})).rsplit("/", 1)[0] + "/"
        contact = settings.OPEN311_CONTACT or settings.PUBLIC_BASE_URL or url
        data = serializers.discovery_data(url=url, production=settings.PRODUCTION, contact=contact)
        return self.answer(data, "discovery")


class ServicesView(Open311View):
    def get(self, request):
        return self.answer([serializers.service_data(c) for c in selectors.services()], "services")


class ServiceDefinitionView(Open311View):
    def get(self, request, code):
        category = selectors.service_by_code(code)
        if category is None:
            raise Open311Error(404, about("service_code", _("No such service.")))
        data = serializers.definition_data(category, selectors.centers_for(category))
        return self.answer(data, "service_definition")


class RequestsView(Open311View):
    def get(self, request):
        query = params.request_query(request.GET, now=timezone.now())
        unknown = selectors.unknown_service_codes(query.codes) if query.codes else []
        if unknown:
            names = ", ".join(code[:40] for code in unknown[:5])
            raise Open311Error(400, about("service_code", _("No such service: %(codes)s") % {"codes": names}))
        found = selectors.requests_found(query)
        return self.answer(
            [serializers.request_data(c, photo_url=self.photo_url) for c in found], "service_requests"
        )

    def post(self, request):
        if is_ratelimited(
            request, group="open311-post", key="ip", rate=settings.OPEN311_RATE, method="POST", increment=True
        ):
            seconds = rate_window_seconds(settings.OPEN311_RATE)
            raise Open311Error(
                429, _("Too many requests; try again later."), headers={"Retry-After": str(seconds)}
            )
        sent = _Either(request.POST, request.GET)
        key = sent.get("api_key").strip()
        if not key:
            raise Open311Error(400, about("api_key", _("Missing: send the key the administrators gave you.")))
        api_key = selectors.api_key_by_value(key)
        if api_key is None or not api_key.is_active:
            raise Open311Error(403, about("api_key", _("Unknown or disabled key.")))
        filing = params.filing(sent, request.FILES)
        if selectors.service_by_code(filing.service_code) is None:
            raise Open311Error(404, about("service_code", _("No such service.")))
        center = selectors.center_by_code(filing.center_code)
        data = filing.complaint_input(center_id=center.pk if center else None)
        try:
            complaint = complaint_file(data=data, channel=Channel.OPEN311, api_key=api_key)
        except ValidationError as error:
            raise Open311Error(400, *_field_errors(error)) from None
        return self.answer([serializers.filed_data(complaint)], "service_requests")


def _field_errors(error: ValidationError) -> list[str]:
    by_field = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    return [
        about(FIELD_PARAMS.get(name, name), message) if name else message
        for name, messages in by_field.items()
        for message in messages
    ]


class RequestView(Open311View):
    def get(self, request, service_request_id):
        number = params.request_id(service_request_id)
        complaint = selectors.request_by_number(number) if number else None
        if complaint is None:
            raise Open311Error(404, about("service_request_id", _("No such service request.")))
        return self.answer(
            [serializers.request_data(complaint, photo_url=self.photo_url)], "service_requests"
        )


class TokenView(Open311View):
    def get(self, request, token):
        number = number_from(token)
        complaint = selectors.request_by_number(number) if number else None
        if complaint is None:
            raise Open311Error(404, about("token", _("No such token.")))
        return self.answer([serializers.token_data(complaint, token)], "service_requests")


class UpdatesView(Open311View):
    """FixMyStreet's GET servicerequestupdates: the public updates of a window (the last 24 hours by
    default), oldest first."""

    def get(self, request):
        start, end = params.window(request.GET, span=params.UPDATES_SPAN, now=timezone.now())
        events = selectors.updates_between(start, end)
        return self.answer(
            [serializers.update_data(e, photo_url=self.photo_url) for e in events], "service_request_updates"
        )


class NotFoundView(Open311View):
    """Any other path under /open311/v2/: a 404 in the standard's shape, in the format the path ends
    with (XML if none)."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def setup(self, request, *args, **kwargs):
        last = kwargs.pop("path", "").rsplit("/", 1)[-1]
        kwargs["fmt"] = last.rsplit(".", 1)[1] if "." in last else "xml"
        super().setup(request, *args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, fmt=self.kwargs["fmt"])

    def get(self, request):
        raise Open311Error(404, _("No such Open311 resource."))

    post = put = patch = delete = options = get
