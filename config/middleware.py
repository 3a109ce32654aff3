"""Two rules for every request, kept in one place rather than in each view:

- an address with a NUL character is refused with 400 before any view runs: no page, export or API lookup
  of this site can have one, and PostgreSQL refuses a NUL in any text it is given (every lookup that passed one
  on answered 500);
- a response to a signed-in user (staff previews of drafts, every admin page) is never stored by a browser or
  a shared cache: it is drawn for that user only.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control

NUL = "\x00"
NUL_REFUSED = "This address contains a NUL character (%00), which no address on this site has. Remove it and try again."


def has_nul(request: HttpRequest) -> bool:
    """A NUL anywhere in the path or in a query parameter's name or value, once percent-decoded."""
    if NUL in request.path_info:
        return True
    return any(NUL in name or any(NUL in value for value in values) for name, values in request.GET.lists())


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            if request.path_info.startswith(reverse("api:api-root")):  # the API answers in JSON, as DRF does
                return JsonResponse({"detail": NUL_REFUSED}, status=400)
            return HttpResponseBadRequest(NUL_REFUSED, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class PrivateForSignedInMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in user. Must come after
    AuthenticationMiddleware; it only reads request.user when the request has one (a session was looked up)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
