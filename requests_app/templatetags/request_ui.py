"""A request's state as the design system's tag: the same words and colour on every page."""

from django import template

from core.templatetags.ui import tag
from requests_app.models import RequestState

register = template.Library()

STATE_TONES = {
    RequestState.SUBMITTED: "blue",
    RequestState.IN_REVIEW: "blue",
    RequestState.AWAITING_CITIZEN: "yellow",
    RequestState.APPROVED: "green",
    RequestState.READY: "green",
    RequestState.DELIVERED: "grey",
    RequestState.REJECTED: "red",
    RequestState.CANCELLED: "grey",
}


@register.inclusion_tag("components/tag.html")
def request_state_tag(request):
    """``{% request_state_tag req %}``"""
    return tag(request.get_state_display(), STATE_TONES.get(request.state, "grey"))
