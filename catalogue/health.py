"""Whether the database answers: for /healthz, and to tell "the database has gone away" (503) from a fault in a
query (500) when a request fails with a database error (config/errors.py)."""

from __future__ import annotations

import logging

from django.db import connection

logger = logging.getLogger(__name__)


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure to reach the database means "not healthy"
        logger.warning("The database is unreachable (%s)", type(exc).__name__)
        return False
    return True
