"""The Open311 ``token`` of a complaint: the complaint's number signed with SECRET_KEY (HMAC-SHA256,
``django.core.signing``, a salt of its own), e.g. ``BNH-C-2026-000123~<signature>``.

It is never the tracking token: that one authorizes the complainant's acts (reopen, confirm, rate) and
is never given to an Open311 client. This token authorizes nothing; it exists because the standard lets
a client turn a token from a POST into a service_request_id (``GET tokens/{token}``). We know the id at
once and return both, so the token only spares clients written for servers that answer later."""

from django.core import signing

_signer = signing.Signer(salt="complaints.open311.token", sep="~", algorithm="sha256")


def token_for(number: str) -> str:
    return _signer.sign(number)


def number_from(token: str) -> str | None:
    try:
        return _signer.unsign(token)
    except signing.BadSignature:
        return None
