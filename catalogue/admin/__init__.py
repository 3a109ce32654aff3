"""Editing the catalogue in Django admin: case studies (cases.py, with the CSV import in importing.py and the
history of their rows in history.py) and the taxonomies (taxonomy.py). Importing this package registers them."""

from . import cases, taxonomy

__all__ = ["cases", "taxonomy"]
