"""Editing the catalogue in Django admin: case studies (cases.py, with the CSV import in importing.py, the history
of their rows in history.py and the moderation queue in moderation.py), their independent assessments and the
organisations' replies (assessments.py) and the taxonomies (taxonomy.py). Importing this package registers them."""

from . import assessments, cases, taxonomy

__all__ = ["assessments", "cases", "taxonomy"]
