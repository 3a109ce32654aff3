"""Static files in production: collected with hashed names and served by whitenoise, cached for a year or more
when the name carries the hash (a changed file gets a new name), briefly when it does not."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture
def collected(tmp_path, db):
    # Only the project's own static/ directory, so the test stays fast; admin's files are treated alike.
    middleware = [settings.MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *settings.MIDDLEWARE[1:]]
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES=PRODUCTION_STORAGES,
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        MIDDLEWARE=middleware,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield tmp_path


def test_hashed_static_files_are_cached_for_a_long_time_and_compressed(collected):
    client = Client()
    page = client.get("/about/").content.decode()
    css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
    assert css, "pages link the hashed name of the stylesheet"
    response = client.get(css.group(1), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    max_age = int(re.search(r"max-age=(\d+)", cache_control).group(1))
    assert max_age >= 365 * 24 * 3600
    assert "immutable" in cache_control
    assert response["Content-Encoding"] == "gzip"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_unhashed_names_are_cached_briefly(collected):
    response = Client().get("/static/css/site.css")
    assert response.status_code == 200
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
    assert max_age <= 3600
