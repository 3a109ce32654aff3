"""Configuration from the environment, and production's refusal to start without a secret key."""

from .manage_subprocess import run_manage


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
        DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY="x" * 50,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_debug_is_off_unless_dev():
    result = run_manage(
        "shell", "--no-imports", "-c", "from django.conf import settings; print(settings.DEBUG)",
        DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY="x" * 50, DJANGO_DEBUG="true",
    )  # fmt: skip
    assert result.stdout.strip() == "False"
    dev = run_manage("shell", "--no-imports", "-c", "from django.conf import settings; print(settings.DEBUG)")
    assert dev.stdout.strip() == "True"


def test_a_malformed_boolean_setting_is_one_clear_sentence():
    result = run_manage("check", DJANGO_DEBUG="perhaps")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr
    assert "Traceback" not in result.stderr
