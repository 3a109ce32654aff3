"""The one rule for text that any writer stores (admin forms, the CSV import, the content loader).

Browsers post every textarea with "\\r\\n" line endings and spreadsheets may keep "\\r" in a cell; the content
files and the export write "\\n". Storing whatever came in made a field nobody touched look changed in the
history, and made text with surrounding spaces change on export then import (the import trims cells). So every
text value is stored with "\\n" line endings and without leading or trailing whitespace, and a list kept one item
per line (partners) without blank lines or spaces around its items: the export writes exactly what is stored and
the import reads it back unchanged.
"""

from __future__ import annotations

from typing import Any

# Fields stored as one item per line (the CSV's Lines codec reads and writes them the same way).
LINE_LIST_FIELDS = frozenset({"partners"})


def normalise_text(value: str) -> str:
    """ "\\r\\n" and "\\r" become "\\n"; leading and trailing whitespace goes."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def normalise_lines(value: str) -> str:
    """One item per line: each line trimmed, blank lines dropped."""
    return "\n".join(line.strip() for line in (value or "").splitlines() if line.strip())


def normalise_field(name: str, value: Any) -> Any:
    """The value as it is stored in the field `name`: text normalised, anything else unchanged."""
    if not isinstance(value, str):
        return value
    return normalise_lines(value) if name in LINE_LIST_FIELDS else normalise_text(value)
