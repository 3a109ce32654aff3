"""Small security pieces Django does not ship: the Permissions-Policy header."""

from __future__ import annotations

from django.conf import settings

from .proxy import client_ip


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """`camera=(), geolocation=(self)` from {"camera": [], "geolocation": ["self"]}."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY as the Permissions-Policy header on every response that lacks one."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response


class RequestContextFilter:
    """Adds `context` to every log record: for records about a request (django.request's errors and warnings,
    axes), the method, path, user and client address, so an error in the log can be acted on. Never cookies,
    headers with credentials or request bodies."""

    def filter(self, record) -> bool:
        request = getattr(record, "request", None)
        context = ""
        if request is not None and hasattr(request, "method"):
            user = getattr(request, "user", None)
            who = f"user={user.pk}" if getattr(user, "is_authenticated", False) else "user=anonymous"
            path = request.get_full_path()
            if len(path) > 300:
                path = path[:300] + "..."
            context = f" [{request.method} {path} {who} ip={client_ip(request) or '?'}]"
        record.context = context
        return True
