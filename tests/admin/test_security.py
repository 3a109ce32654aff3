"""Admin log-in throttling (django-axes) and who may reach which part of admin."""

import logging

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalogue.models import CaseStudy
from principles.models import Principle
from tests.builders import CaseStudyFactory

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-1"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("keeper", password=PASSWORD, is_staff=True)


def log_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def test_a_right_password_logs_in(client, staff):
    response = log_in(client, "keeper", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_login_is_refused_after_repeated_failures_even_with_the_right_password(client, staff, caplog):
    caplog.set_level(logging.INFO, logger="axes")
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = log_in(client, "keeper", "wrong")
        assert response.status_code == 200  # the form again, with its error
    assert log_in(client, "keeper", "wrong").status_code == 429
    locked = log_in(client, "keeper", PASSWORD)
    assert locked.status_code == 429
    assert b"Traceback" not in locked.content
    assert "_auth_user_id" not in client.session
    # Every failure is logged with the user name and where it came from; the lock-out too.
    failures = [r for r in caplog.records if "login failure" in r.getMessage().lower()]
    assert len(failures) >= limit
    assert any("keeper" in r.getMessage() and "10.0.0.1" in r.getMessage() for r in failures)
    assert any("locking out" in r.getMessage().lower() and r.levelno == logging.WARNING for r in caplog.records)


def test_the_lock_is_for_that_user_from_that_address_only(client, staff):
    get_user_model().objects.create_user("other", password=PASSWORD, is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "keeper", "wrong")
    assert log_in(client, "keeper", PASSWORD).status_code == 429
    assert log_in(client, "keeper", PASSWORD, address="10.0.0.2").status_code == 302
    client.logout()
    assert log_in(client, "other", PASSWORD).status_code == 302


def test_a_success_before_the_limit_clears_the_count(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "keeper", "wrong")
    assert log_in(client, "keeper", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "keeper", "wrong")
    assert log_in(client, "keeper", PASSWORD).status_code == 302


def test_people_who_are_not_staff_cannot_log_in_to_admin(client):
    get_user_model().objects.create_user("member", password=PASSWORD)
    response = log_in(client, "member", PASSWORD)
    assert response.status_code == 200  # the form again: admin accepts only staff
    assert "_auth_user_id" not in client.session


def test_editors_cannot_add_users_make_themselves_superuser_or_delete_cases(editor_client, editor, principles):
    assert editor_client.get(reverse("admin:auth_user_add")).status_code == 403
    response = editor_client.post(
        reverse("admin:auth_user_add"),
        {"username": "mole", "password1": "x-Long-pass-42", "password2": "x-Long-pass-42"},
    )
    assert response.status_code == 403
    assert not get_user_model().objects.filter(username="mole").exists()
    response = editor_client.post(
        reverse("admin:auth_user_change", args=[editor.pk]), {"username": "editor", "is_superuser": "on"}
    )
    assert response.status_code == 403
    editor.refresh_from_db()
    assert not editor.is_superuser
    case = CaseStudyFactory()
    delete = reverse("admin:catalogue_casestudy_delete", args=[case.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert CaseStudy.objects.filter(pk=case.pk).exists()
    assert editor_client.get(reverse("admin:principles_principle_add")).status_code == 403
    assert Principle.objects.count() == 6


# --- behind proxies (DJANGO_PROXY_COUNT, config/proxy.py) ------------------------------------------------------

PROXY = "10.0.0.1"  # the TLS proxy: every request reaches the app from it
CLIENT_A, CLIENT_B = "198.51.100.7", "203.0.113.9"


def log_in_via_proxy(client, password, forwarded_for):
    return client.post(
        reverse("admin:login"),
        {"username": "keeper", "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_one_proxy_the_lock_out_is_keyed_on_the_client_the_proxy_saw(client, staff, settings, caplog):
    """Before, every request had the proxy's address: anyone could lock any staff member out for everyone (D4)."""
    settings.CATALOGUE_PROXY_COUNT = 1
    caplog.set_level(logging.INFO, logger="axes")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in_via_proxy(client, "wrong", CLIENT_A)
    assert log_in_via_proxy(client, PASSWORD, CLIENT_A).status_code == 429
    # The same user from another client behind the same proxy is not locked out ...
    assert log_in_via_proxy(client, PASSWORD, CLIENT_B).status_code == 302
    client.logout()
    # ... and a client cannot pass for another by sending the header itself: the proxy appends what it saw.
    assert log_in_via_proxy(client, PASSWORD, f"{CLIENT_B}, {CLIENT_A}").status_code == 429
    assert log_in_via_proxy(client, PASSWORD, f"{CLIENT_A}, {CLIENT_B}").status_code == 302
    failures = [r.getMessage() for r in caplog.records if "login failure" in r.getMessage().lower()]
    assert failures and all(CLIENT_A in message and PROXY not in message for message in failures)


def test_behind_two_proxies_the_client_is_the_second_entry_from_the_right(client, staff, settings):
    settings.CATALOGUE_PROXY_COUNT = 2
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in_via_proxy(client, "wrong", f"{CLIENT_A}, 10.0.0.2")
    assert log_in_via_proxy(client, PASSWORD, f"{CLIENT_B}, {CLIENT_A}, 10.0.0.2").status_code == 429
    assert log_in_via_proxy(client, PASSWORD, f"{CLIENT_B}, 10.0.0.2").status_code == 302


def test_with_no_proxy_configured_the_header_is_ignored(client, staff, settings):
    settings.CATALOGUE_PROXY_COUNT = 0
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in_via_proxy(client, "wrong", CLIENT_A)
    # The lock-out is on the connection's address: changing the header does not escape it.
    assert log_in_via_proxy(client, PASSWORD, CLIENT_B).status_code == 429
    assert log_in(client, "keeper", PASSWORD, address="10.0.0.2").status_code == 302


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (0, CLIENT_A, PROXY),
        (1, CLIENT_A, CLIENT_A),
        (1, f" {CLIENT_B} ,{CLIENT_A} ", CLIENT_A),
        (1, "", PROXY),  # no header: the request did not come through the proxy
        (2, CLIENT_A, PROXY),  # fewer entries than proxies
        (1, "not-an-address", PROXY),
        (1, f"{CLIENT_A}, unknown", PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address(rf, settings, count, forwarded_for, expected):
    from config.proxy import client_ip

    settings.CATALOGUE_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == expected


def test_the_log_names_the_client_not_the_proxy(rf, settings):
    from config.security import RequestContextFilter

    settings.CATALOGUE_PROXY_COUNT = 1
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", None, None)
    record.request = rf.get("/case-studies/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_A)
    record.request.user = None
    RequestContextFilter().filter(record)
    assert f"ip={CLIENT_A}]" in record.context
