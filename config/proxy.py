"""The client's address, behind as many trusted proxies as settings.CATALOGUE_PROXY_COUNT says (DJANGO_PROXY_COUNT).

Each proxy appends to X-Forwarded-For the address the request came to it from (nginx's
$proxy_add_x_forwarded_for, HAProxy's `option forwardfor`), so with N proxies in front the last N entries were
written by them, and the N-th from the right is the address that reached the first one: the client. Whatever
a client puts in the header itself stays to the left of that, so it cannot choose the address. With no proxy
(0) the header is ignored: anyone could send it.

django-axes keys lock-outs on this (AXES_CLIENT_IP_CALLABLE), and the log's request context names it. It is a
function of our own rather than django-ipware's: ipware 8 counts proxies differently (the proxies listed in the
header, not those in front) and needs its strict mode turned off to read an ordinary proxy's header.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "CATALOGUE_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    entries = [entry.strip() for entry in request.headers.get("x-forwarded-for", "").split(",")]
    if len(entries) < count:
        return remote  # the request did not come through every proxy: only the connection is known
    candidate = entries[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote  # a proxy wrote something that is not an address: do not key anything on it
