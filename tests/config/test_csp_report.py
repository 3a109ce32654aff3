"""CSP violations are reported (config.security.csp_report): the policy names the end-point, which logs each
report at WARNING with the fields that locate it and answers 204; junk, oversized or mistyped bodies get a plain
4xx, never a 500, and nothing is logged for them."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from config.security import CSP_REPORT_MAX_BYTES

URL = "/csp-report/"
REPORT_URI_BODY = {
    "csp-report": {
        "document-uri": "https://catalogue.example/case-studies/",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "https://evil.example/x.js",
        "source-file": "https://catalogue.example/case-studies/",
        "line-number": 12,
        "disposition": "enforce",
    }
}
REPORTING_API_BODY = [
    {
        "type": "csp-violation",
        "age": 10,
        "url": "https://catalogue.example/about/",
        "body": {
            "documentURL": "https://catalogue.example/about/",
            "effectiveDirective": "style-src-attr",
            "blockedURL": "inline",
            "lineNumber": 3,
            "sample": "color: red\nINFO forged log line",
            "disposition": "enforce",
        },
    }
]


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)  # as a browser sends it: no token


def test_the_policy_names_the_report_end_point(client, db):
    response = client.get("/about/")
    policy = response["Content-Security-Policy"]
    assert "report-uri /csp-report/" in policy
    assert "report-to csp" in policy
    assert response["Reporting-Endpoints"] == 'csp="/csp-report/"'


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (REPORT_URI_BODY, "application/csp-report", ["https://evil.example/x.js", "script-src-elem", "line='12'"]),
        (REPORTING_API_BODY, "application/reports+json", ["style-src-attr", "'inline'", "/about/"]),
    ],
)
def test_a_report_is_logged_at_warning_and_answered_204(browser, caplog, body, content_type, expected):
    with caplog.at_level(logging.WARNING, logger="csp"):
        response = browser.post(URL, json.dumps(body), content_type=content_type)
    assert response.status_code == 204
    [record] = [r for r in caplog.records if r.name == "csp"]
    assert record.levelno == logging.WARNING
    message = record.getMessage()
    assert all(part in message for part in expected), message
    assert "\n" not in message  # a report cannot write a line of its own into the log


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"not json", "application/csp-report", 400),
        (b"\xff\xfe\x00", "application/csp-report", 400),
        (b"[1, 2, 3]", "application/reports+json", 400),
        (b'{"csp-report": "a string"}', "application/csp-report", 400),
        (b"{}", "application/json", 400),
        (b" ", "application/csp-report", 400),
        (b'{"csp-report": {}}', "text/plain", 415),
        (b'{"csp-report": {}}', "application/x-www-form-urlencoded", 415),
        (b"x" * (CSP_REPORT_MAX_BYTES + 1), "application/csp-report", 413),
    ],
)
def test_junk_oversized_or_mistyped_bodies_get_a_plain_4xx_and_log_nothing(browser, caplog, body, content_type, status):
    with caplog.at_level(logging.WARNING, logger="csp"):
        response = browser.post(URL, body, content_type=content_type)
    assert response.status_code == status
    assert not [r for r in caplog.records if r.name == "csp"]


def test_only_post_is_accepted(browser):
    assert browser.get(URL).status_code == 405
