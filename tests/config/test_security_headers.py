"""Production settings pass Django's deploy checks; every page type carries a strict CSP and the other headers."""

import base64
import hashlib
import re
import secrets

import pytest
from django.urls import reverse

from tests.builders import complete_case, make_principles
from tests.support.manage_subprocess import run_manage

CSP_HEADER = "Content-Security-Policy"


def test_production_settings_pass_the_deploy_checks_with_no_warnings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_CACHE_URL="redis://127.0.0.1:6399/0",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_https_settings():
    code = (
        "from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "'whitenoise.middleware.WhiteNoiseMiddleware' in s.MIDDLEWARE)"
    )
    result = run_manage(
        "shell", "--no-imports", "-c", code,
        DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_CACHE_URL="redis://127.0.0.1:6399/0",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https') True True True True True"


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.fixture
def site(db, editor):
    principles = make_principles()
    case = complete_case(title="Header case", slug="header-case")
    return {"case": case, "principle": principles[0]}


def page_urls(site) -> dict[str, str]:
    case, principle = site["case"], site["principle"]
    return {
        "home": reverse("catalogue:home"),
        "list": reverse("catalogue:case-list") + "?q=care&principle=x",
        "case": reverse("catalogue:case-detail", args=[case.slug]),
        "compare": reverse("catalogue:compare") + f"?case={case.slug}",
        "insights": reverse("catalogue:insights"),
        "about": reverse("catalogue:about"),
        "data": reverse("catalogue:data"),
        "principles": reverse("catalogue:principle-list"),
        "principle": reverse("catalogue:principle-detail", args=[principle.slug]),
        "csv": reverse("catalogue:case-export-csv"),
        "json": reverse("catalogue:case-export-json"),
        "feed": reverse("catalogue:feed"),
        "sitemap": reverse("catalogue:sitemap"),
        "api": reverse("api:case-list"),
        "api-docs": reverse("api:docs"),
        "not-found": "/no-such-page/",
        "admin-login": reverse("admin:login"),
        "admin-index": reverse("admin:index"),
        "admin-change": reverse("admin:catalogue_casestudy_change", args=[case.pk]),
        "admin-list": reverse("admin:catalogue_casestudy_changelist"),
        "admin-add": reverse("admin:catalogue_casestudy_add"),
        "admin-history": reverse("admin:catalogue_casestudy_history", args=[case.pk]),
        "admin-import": reverse("admin:catalogue_casestudy_import"),
        "admin-principle": reverse("admin:principles_principle_change", args=[principle.pk]),
    }


def test_every_page_type_sends_a_strict_content_security_policy(client, site, editor):
    for name, url in page_urls(site).items():
        if name.startswith("admin-") and name != "admin-login":
            client.force_login(editor)
        response = client.get(url)
        assert response.status_code == (404 if name == "not-found" else 200), (name, response.status_code)
        policy = directives(response[CSP_HEADER])
        for directive in ["script-src", "style-src", "style-src-attr"]:
            assert "'unsafe-inline'" not in policy[directive], name
            assert "'unsafe-eval'" not in policy[directive], name
            assert "*" not in policy[directive], name
        assert policy["default-src"] == ["'self'"], name
        assert policy["frame-ancestors"] == ["'none'"], name
        assert policy["object-src"] == ["'none'"], name
        assert policy["base-uri"] == ["'none'"], name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["X-Frame-Options"] == "DENY", name
        permissions = response["Permissions-Policy"]
        for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
            assert f"{feature}=()" in permissions, name
        client.logout()


def test_every_inline_script_and_style_carries_this_responses_nonce(client, site, editor):
    """Inline <script>/<style> is allowed only with the nonce, which is new on every response."""
    client.force_login(editor)
    seen_nonces = set()
    for name, url in page_urls(site).items():
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        nonces = re.findall(r"'nonce-([^']+)'", response[CSP_HEADER])
        assert not re.search(r"<(?:script|style)(?![\s>])", html), (name, "a malformed <script or <style tag")
        for tag in re.findall(r"<(?:script|style)[\s>][^>]*>?", html):
            if re.search(r"\ssrc=", tag):
                continue
            assert nonces and f' nonce="{nonces[0]}"' in tag, (name, tag)
        # An inline style attribute only where the policy allows that exact declaration by its hash.
        allowed = set(directives(response[CSP_HEADER]).get("style-src-attr", []))
        for style in re.findall(r"<[a-z][^>]*\sstyle=\"([^\"]*)\"", html, re.IGNORECASE):
            digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in allowed, (name, "inline style attribute", style)
        assert not re.search(r"<[a-z][^>]*\sstyle='", html, re.IGNORECASE), (name, "inline style attribute")
        assert not re.search(r"<[a-z][^>]*\son[a-z]+=", html, re.IGNORECASE), (name, "inline event handler")
        assert not seen_nonces & set(nonces), name
        seen_nonces.update(nonces)
