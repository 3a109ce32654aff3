"""Small security pieces Django does not ship: the Permissions-Policy and Reporting-Endpoints headers, and the
end-point that receives the browsers' reports of Content Security Policy violations."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .proxy import client_ip

csp_logger = logging.getLogger("csp")

CSP_REPORT_PATH = "/csp-report/"  # SECURE_CSP's report-uri, and the "csp" endpoint of report-to
# A report is a few hundred bytes; a browser batches a few. Anything far larger is not a report.
CSP_REPORT_MAX_BYTES = 64 * 1024
CSP_REPORT_TYPES = {"application/csp-report", "application/reports+json", "application/json"}
# What a report says that helps to find the cause, by both its spellings (report-uri's, then the Reporting API's).
CSP_REPORT_FIELDS = {
    "document": ("document-uri", "documentURL"),
    "directive": ("effective-directive", "effectiveDirective", "violated-directive"),
    "blocked": ("blocked-uri", "blockedURL"),
    "source": ("source-file", "sourceFile"),
    "line": ("line-number", "lineNumber"),
    "sample": ("script-sample", "sample"),
    "disposition": ("disposition",),
}
CSP_FIELD_MAX_CHARS = 200
CSP_REPORTS_LOGGED_PER_REQUEST = 10


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
        # Where the CSP's report-to "csp" sends violations (browsers with the Reporting API; others use report-uri).
        response.setdefault("Reporting-Endpoints", f'csp="{CSP_REPORT_PATH}"')
        return response


@csrf_exempt  # browsers send reports without a token (and without cookies); it only writes to the log
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Log each CSP violation a browser reports, at WARNING with the fields that locate it; 204 for a report.

    Never a 500: a body that is too large answers 413, a content type that is not a report 415, a body that is
    not a JSON report 400. Each field is shortened and printed with repr(), so a report cannot forge log lines."""
    content_type = request.content_type.lower()
    if content_type not in CSP_REPORT_TYPES:
        return HttpResponse("A CSP report is JSON (application/csp-report or application/reports+json).",
                            status=415, content_type="text/plain")  # fmt: skip
    body = _read_capped(request)
    if body is None:
        return HttpResponse("A CSP report is at most 64 KB.", status=413, content_type="text/plain")
    reports = _reports(body)
    if not reports:
        return HttpResponse("That is not a CSP report.", status=400, content_type="text/plain")
    for report in reports[:CSP_REPORTS_LOGGED_PER_REQUEST]:
        fields = " ".join(f"{name}={value!r}" for name, value in _csp_fields(report).items())
        csp_logger.warning("CSP violation: %s", fields)
    return HttpResponse(status=204)


def _read_capped(request: HttpRequest) -> bytes | None:
    """The body, or None when it is larger than CSP_REPORT_MAX_BYTES (read no further than that)."""
    try:
        declared = int(request.headers.get("content-length") or 0)
    except ValueError:
        return None
    if declared > CSP_REPORT_MAX_BYTES:
        return None
    body = request.read(CSP_REPORT_MAX_BYTES + 1)
    return None if len(body) > CSP_REPORT_MAX_BYTES else body


def _reports(body: bytes) -> list[dict]:
    """The violation reports in a body: {"csp-report": {...}} (report-uri) or [{"type": ..., "body": {...}}]
    (the Reporting API); [] for anything else."""
    try:
        data = json.loads(body)
    except ValueError:  # not UTF-8 or not JSON
        return []
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        return [data["csp-report"]]
    if isinstance(data, list):
        return [item["body"] for item in data if isinstance(item, dict) and isinstance(item.get("body"), dict)]
    return []


def _csp_fields(report: dict) -> dict[str, str]:
    found = {}
    for name, spellings in CSP_REPORT_FIELDS.items():
        value = next((report[key] for key in spellings if report.get(key) not in (None, "")), None)
        if value is not None:
            found[name] = str(value)[:CSP_FIELD_MAX_CHARS]
    return found


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
