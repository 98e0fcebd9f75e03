"""The page a printed letter's QR opens, without signing in: it confirms that the office sent a letter
with this number, date and subject. Never the content, never the attachments."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django_ratelimit.decorators import ratelimit

from core.http import public_url
from core.throttle import rate_window_seconds, too_many_requests
from correspondence.models import Direction, Letter, LetterState

limited = ratelimit(
    key="ip", rate=lambda group, request: settings.LETTER_VERIFY_RATE, group="letters_verify", block=False
)


def letter_for_check(token: str) -> Letter | None:
    """An outgoing letter that entered the office's register, by the token its QR carries."""
    return (
        Letter.objects.select_related("governorate", "local_unit")
        .filter(public_token=token, direction=Direction.OUTGOING, number__isnull=False)
        .exclude(state__in=[LetterState.PENDING, LetterState.REFUSED])
        .first()
    )


@limited
def letter_verify(request, token: str):
    if getattr(request, "limited", False):
        seconds = rate_window_seconds(settings.LETTER_VERIFY_RATE)
        return too_many_requests(request, seconds=seconds, template="rate_limited.html")
    letter = letter_for_check(token)
    if letter is None:
        raise Http404
    office = letter.local_unit or letter.governorate
    context = {"letter": letter, "office": office, "governorate": letter.governorate}
    return render(request, "correspondence/verify.html", context)


def letter_check_url(request, letter: Letter) -> str:
    """The absolute address of the letter's check page: what its printed QR carries."""
    return public_url(request, reverse("letters_public:verify", args=[letter.public_token]))
