from django import template
from django.utils.translation import gettext_lazy as _

from core.templatetags.ui import tag
from documents.codec import Verdict

register = template.Library()

VERDICTS = {
    Verdict.VALID: (_("Genuine and valid"), "green"),
    Verdict.EXPIRED: (_("Genuine but expired"), "yellow"),
    Verdict.REVOKED: (_("Revoked document"), "red"),
    Verdict.NOT_OURS: (_("Not issued by us, or altered"), "red"),
    Verdict.STATUS_UNKNOWN: (_("Genuine; revocation not checked"), "yellow"),
}


@register.simple_tag
def verdict_label(verdict) -> str:
    return VERDICTS[Verdict(verdict)][0]


@register.inclusion_tag("components/tag.html")
def verdict_tag(verdict):
    label, tone = VERDICTS[Verdict(verdict)]
    return tag(label, tone)


@register.filter
def issuer_line(document) -> str:
    """ "Benha center — Benha city council — Qalyubia", as frozen on the document."""
    return " — ".join(
        name for name in (document.named(p) for p in ("center", "local_unit", "governorate")) if name
    )
