"""Back up and restore the whole database: pg_dump/pg_restore on PostgreSQL, SQLite's own backup API on SQLite.

Used by `make backup` / `make restore` (manage.py backup_database / restore_database). A backup is one file,
readable by its owner only (0600): it holds password hashes and live session keys. It is written beside the
target under a temporary name and renamed into place, so the target is never a half-written or readable file.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.db import connections

from . import caching


class BackupError(Exception):
    pass


def _postgres_env(settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for the PostgreSQL client tools; the password goes in the environment only."""
    args = ["--dbname", settings_dict["NAME"]]
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client).")
    return path


def backup(target: Path, alias: str = "default") -> Path:
    connection = connections[alias]
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor not in {"postgresql", "sqlite"}:
        raise BackupError(f"backups of {connection.vendor} databases are not supported")
    # mkstemp creates the file with mode 0600 whatever the umask; pg_dump and SQLite write into it as it is.
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    os.close(fd)
    partial = Path(name)
    try:
        _write(connection, partial)
        os.chmod(partial, 0o600)  # in case a tool replaced the file rather than writing into it
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _write(connection, path: Path) -> None:
    if connection.vendor == "postgresql":
        args, env = _postgres_env(connection.settings_dict)
        cmd = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(path), *args]
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    else:
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)  # a consistent copy even while the site is writing
        copy.close()


def restore(source: Path, alias: str = "default") -> None:
    connection = connections[alias]
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} is not a backup file")
    if connection.vendor == "postgresql":
        connection.close()
        args, env = _postgres_env(connection.settings_dict)
        cmd = [
            _tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
            "--exit-on-error", *args, str(source),
        ]  # fmt: skip
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(source) as backup_file:
            backup_file.backup(connection.connection)
        backup_file.close()
    else:
        raise BackupError(f"restoring {connection.vendor} databases is not supported")
    # The restore sent no signal: make every version-keyed cache entry (facets, insights, public PDFs) obsolete.
    caching.bump()
