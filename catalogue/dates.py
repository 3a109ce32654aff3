"""The window of dates and times the catalogue accepts and can show: 1900 to 2100, in one place.

Everything that reads a date from outside (the CSV import, the admin's forms) checks it against these bounds
with a plain message, and the database refuses what is outside them (the CheckConstraints in models.py), so a
value the site cannot show (PostgreSQL stores year 10000 from 9999-12-31T23:59:59-14:00; Python cannot even
read it back) is never stored.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q

YEAR_MIN, YEAR_MAX = 1900, 2100
DATE_MIN, DATE_MAX = datetime.date(YEAR_MIN, 1, 1), datetime.date(YEAR_MAX, 12, 31)
DATETIME_MIN = datetime.datetime(YEAR_MIN, 1, 1, tzinfo=datetime.UTC)
DATETIME_MAX = datetime.datetime(YEAR_MAX, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.UTC)
WINDOW = f"{YEAR_MIN} to {YEAR_MAX}"


def year_problem(year: int) -> str | None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        return f"{year} is not a plausible year ({YEAR_MIN}-{YEAR_MAX})"
    return None


def date_problem(value: datetime.date) -> str | None:
    if not DATE_MIN <= value <= DATE_MAX:
        return f"{value.isoformat()} is outside the dates the catalogue accepts ({WINDOW})"
    return None


def datetime_problem(value: datetime.datetime) -> str | None:
    """For an aware value, compared in UTC without converting it (converting 9999-12-31T23:59:59-14:00 to UTC
    overflows Python's datetime)."""
    if value.tzinfo is None or not DATETIME_MIN <= value <= DATETIME_MAX:
        return f"{value.isoformat()} is outside the dates and times the catalogue accepts ({WINDOW}, UTC)"
    return None


def validate_year(year: int | None) -> None:
    if year is not None and (problem := year_problem(year)):
        raise ValidationError(problem, code="year_out_of_range")


def validate_date(value: datetime.date | None) -> None:
    if value is not None and (problem := date_problem(value)):
        raise ValidationError(problem, code="date_out_of_range")


def in_window(field: str, lowest: object, highest: object) -> Q:
    """A CheckConstraint's condition: `field` is empty or within [lowest, highest]."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": lowest, f"{field}__lte": highest})
