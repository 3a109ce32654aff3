"""A tool a test needs is missing: fail in CI, where every test must run, and skip elsewhere, saying why."""

from __future__ import annotations

import os
import shutil

import pytest


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true, so this test must run)", pytrace=False)
    pytest.skip(reason)


def system_tool(name: str, package: str) -> str:
    """The path of the command `name`, which Debian's `package` installs (scripts/ensure-system-packages)."""
    path = shutil.which(name)
    if path is None:
        unavailable(f"{name} ({package}) is not installed; scripts/ensure-system-packages installs it")
    return path
