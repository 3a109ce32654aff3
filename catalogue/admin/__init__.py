"""Editing the catalogue in Django admin: case studies (cases.py, with the CSV import in importing.py, the history
of their rows in history.py and the moderation queue in moderation.py), their independent assessments and the
organisations' replies (assessments.py), the taxonomies (taxonomy.py) and the queue of
what visitors send in (participation.py). Importing this package registers them."""

from . import assessments, cases, participation, taxonomy

__all__ = ["assessments", "cases", "participation", "taxonomy"]
