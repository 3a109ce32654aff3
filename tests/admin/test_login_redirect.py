"""After a successful admin log-in, a `next` that is missing or unsafe (another site) lands on /admin/ (it landed
on Django's default /accounts/profile/, a 404); a safe one is followed."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-1"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("keeper", password=PASSWORD, is_staff=True)


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/", "//evil.example", "///evil.example", "https:evil.example", "\\\\evil.example",
               "javascript:alert(1)", ""],
)  # fmt: skip
def test_an_unsafe_next_lands_on_the_admin_index(client, staff, unsafe):
    login = reverse("admin:login")
    response = client.post(f"{login}?next={unsafe}", {"username": "keeper", "password": PASSWORD, "next": unsafe})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


def test_a_safe_next_is_followed(client, staff):
    target = reverse("admin:catalogue_casestudy_changelist")
    response = client.post(reverse("admin:login"), {"username": "keeper", "password": PASSWORD, "next": target})
    assert response["Location"] == target
