"""The client's address, taken the same way by every throttle (public tracking, sign-in lock-out,
password change, webhook).

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each appending the address it received a request from
to ``X-Forwarded-For``, the client is the entry that many places from the end: entries before it were
written by the client itself and prove nothing. With no trusted proxy, or a request that did not come
through them (too few entries), it is the connection's own address.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(chain) < proxies:
        return remote
    candidate = chain[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote  # a proxy passed on something that is not an address: trust nothing of it
