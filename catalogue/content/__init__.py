"""The catalogue's content files (fixtures/): loading them (loading.py, with reference.py for principles and
taxonomies, reading.py for reading and checking the files), listing what `--replace` would bring back
(replacing.py), and writing stored cases back in the files' format (dump.py), on the shape in records.py."""

from __future__ import annotations

from .loading import LoadReport, load
from .reading import ContentError

__all__ = ["ContentError", "LoadReport", "load"]
