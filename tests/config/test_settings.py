"""Configuration from the environment, and production's refusal to start without a secret key."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.settings.base import cache_from_url
from tests.support.manage_subprocess import run_manage


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="config.settings.production")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DJANGO_SECRET_KEY is not set" in lines[0]
    assert "Traceback" not in result.stderr


def test_production_starts_with_a_secret_key_and_debug_off():
    result = run_manage(
        "shell", "--no-imports", "-c", "from django.conf import settings; print(settings.DEBUG)",
        DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY="x" * 50, DJANGO_CACHE_URL="dummy://",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_debug_is_off_unless_dev():
    result = run_manage(
        "shell", "--no-imports", "-c", "from django.conf import settings; print(settings.DEBUG)",
        DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY="x" * 50, DJANGO_DEBUG="true",
        DJANGO_CACHE_URL="dummy://",
    )  # fmt: skip
    assert result.stdout.strip() == "False"
    dev = run_manage("shell", "--no-imports", "-c", "from django.conf import settings; print(settings.DEBUG)")
    assert dev.stdout.strip() == "True"


def test_a_malformed_boolean_setting_is_one_clear_sentence():
    result = run_manage("check", DJANGO_DEBUG="perhaps")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_cache_is_chosen_by_url():
    assert cache_from_url("locmem://")["BACKEND"].endswith("LocMemCache")
    assert cache_from_url("file:///srv/cache/catalogue")["LOCATION"] == "/srv/cache/catalogue"
    assert cache_from_url("dummy://")["BACKEND"].endswith("DummyCache")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_CACHE_URL must be"):
        cache_from_url("memcached://127.0.0.1:11211")


def test_every_variable_the_settings_read_is_in_the_readme_and_env_example():
    """The README's configuration table and .env.example are complete: a variable the settings read but neither
    documents is a configuration nobody can find."""
    base = Path(settings.BASE_DIR)
    source = "".join(path.read_text() for path in (base / "config" / "settings").glob("*.py"))
    read = set(re.findall(r"env(?:_bool|_list)?\(\s*\"([A-Z_]+)\"", source)) | {"DJANGO_SETTINGS_MODULE"}
    assert {"DATABASE_URL", "DJANGO_SECRET_KEY", "DJANGO_CACHE_URL", "DJANGO_PROXY_COUNT"} <= read
    readme = (base / "README.md").read_text()
    example = (base / ".env.example").read_text()
    assert sorted(name for name in read if f"| `{name}` |" not in readme) == []
    assert sorted(name for name in read if not re.search(rf"^{name}=", example, re.MULTILINE)) == []


@pytest.mark.parametrize("module", ["config.settings.dev", "config.settings.production"])
def test_kept_database_connections_are_checked_before_use_in_every_environment(module):
    """With DJANGO_DB_CONN_MAX_AGE=60, a connection that died with a PostgreSQL restart is tested and replaced
    at the start of the next request instead of answering it with a 500 (D8)."""
    result = run_manage(
        "shell", "--no-imports", "-c",
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])",
        DJANGO_SETTINGS_MODULE=module, DJANGO_SECRET_KEY="x" * 50, DJANGO_DB_CONN_MAX_AGE="60",
        DJANGO_CACHE_URL="dummy://",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["60", "True"]
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True  # the test settings too


@pytest.mark.parametrize("cache_url", [None, "", "locmem://", "locmem://pages"])
def test_production_refuses_a_cache_of_each_process_its_own_in_one_sentence(cache_url):
    """Each worker would serve its own stale pages and PDFs for up to an hour after an edit made on another (D3)."""
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.production", "DJANGO_SECRET_KEY": "x" * 50}
    if cache_url is not None:
        env["DJANGO_CACHE_URL"] = cache_url
    result = run_manage("check", **env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DJANGO_CACHE_URL is not set or is locmem://" in lines[0]
    for choice in ("redis://", "file:///", "dummy://"):
        assert choice in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("cache_url", ["redis://127.0.0.1:6399/0", "file:///tmp/catalogue-cache", "dummy://"])
def test_production_accepts_a_shared_cache_or_none(cache_url):
    result = run_manage(
        "shell", "--no-imports", "-c", "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY="x" * 50, DJANGO_CACHE_URL=cache_url,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "LocMem" not in result.stdout


def test_the_deploy_check_says_why_a_per_process_cache_will_not_do(settings, db):
    # `db`: the model checks ask SQLite whether it supports JSON fields (the rubric's levels), a query of its own
    # unless an earlier test in the same process already asked.
    from django.core.checks import run_checks

    def cache_errors():
        return [m for m in run_checks(include_deployment_checks=True) if m.id == "catalogue.E001"]

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    [error] = cache_errors()
    assert "per-process" in error.msg and "stale" in error.msg
    assert "DJANGO_CACHE_URL" in error.hint and "redis://" in error.hint and "dummy://" in error.hint
    assert not [m for m in run_checks() if m.id == "catalogue.E001"]  # a deploy check only
    settings.CACHES = {"default": cache_from_url("redis://127.0.0.1:6399/0")}
    assert cache_errors() == []
    settings.CACHES = {"default": cache_from_url("dummy://")}
    assert cache_errors() == []


def test_a_malformed_proxy_count_is_one_clear_sentence():
    result = run_manage("check", DJANGO_PROXY_COUNT="-1")
    assert result.returncode != 0
    assert "DJANGO_PROXY_COUNT must be a number of proxies" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("health_checks", [True, False])
def test_after_a_postgresql_restart_the_next_request_gets_a_new_connection(health_checks, settings):
    """What a worker sees when PostgreSQL restarts under a kept connection (DJANGO_DB_CONN_MAX_AGE=60): with the
    health checks (D8) the first query of the next request reconnects; without them it fails (the check works)."""
    from django.db import OperationalError, connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL test (run with DATABASE_URL=postgres://...)")
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 60
    connection.settings_dict["CONN_HEALTH_CHECKS"] = health_checks
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        other = connections.create_connection("default")
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])  # what a restart does to every connection
        other.close()
        connection.close_if_unusable_or_obsolete()  # what Django does as each request starts
        if not health_checks:
            with pytest.raises(OperationalError), connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            assert cursor.fetchone()[0] != pid
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = 0
        connection.settings_dict["CONN_HEALTH_CHECKS"] = True
        connection.close()
