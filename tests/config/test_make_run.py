"""`make run` tells the person where the site is: the admin address has the HOST and PORT it serves on."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_make_run_passes_its_host_and_port_to_the_demo_editor_message():
    result = subprocess.run(
        [shutil.which("make") or "make", "-n", "run", "HOST=0.0.0.0", "PORT=8123"], cwd=settings.BASE_DIR,
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    lines = [line for line in result.stdout.splitlines() if "ensure_demo_editor" in line]
    assert len(lines) == 1 and lines[0].endswith("--address http://0.0.0.0:8123")
    assert any(line.endswith("runserver 0.0.0.0:8123") for line in result.stdout.splitlines())


def test_the_demo_editor_is_told_the_real_admin_address(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("ensure_demo_editor", "--address", "http://127.0.0.1:8123/", stdout=out)
    assert "http://127.0.0.1:8123/admin/" in out.getvalue()
    assert ":8000" not in out.getvalue()
