"""Run manage.py in a fresh process with a controlled environment (for settings that act at start-up)."""

import os
import subprocess
import sys

from django.conf import settings


def run_manage(*args, **env):
    """Run `manage.py *args` with the DJANGO_* variables of this process removed and `env` added."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=environment,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
