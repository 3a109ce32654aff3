"""What an import found and will do: the problems (each with its spreadsheet row and column), the plan of cases
to create, update or leave unchanged, and the result once written; and the file's text, or why it has none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .codecs import echo
from .columns import CSV_ENCODING
from .snapshot import CaseSnapshot


def column_letter(index: int) -> str:
    """Spreadsheet column letters: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    row: int | None  # spreadsheet row (the header is row 1); None for the file as a whole
    column: str | None  # column name
    message: str
    letter: str = ""  # the column's spreadsheet letter, when known

    def __post_init__(self) -> None:
        # A column name comes from the file's header, which may be any length: it is echoed shortened.
        if self.column is not None:
            object.__setattr__(self, "column", echo(self.column))

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}" + (f" ({self.letter})" if self.letter else ""))
        return (", ".join(where) + ": " if where else "") + self.message


@dataclass
class PlannedCase:
    row: int
    slug: str
    title: str
    action: str  # "create", "update" or "unchanged"
    values: dict[str, Any]
    existing: CaseSnapshot | None = None
    publish: bool = False


@dataclass
class ImportPlan:
    publish: bool
    problems: list[Problem] = field(default_factory=list)
    cases: list[PlannedCase] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problems

    def with_action(self, action: str) -> list[PlannedCase]:
        return [case for case in self.cases if case.action == action]

    @property
    def to_create(self) -> list[PlannedCase]:
        return self.with_action("create")

    @property
    def to_update(self) -> list[PlannedCase]:
        return self.with_action("update")

    @property
    def unchanged(self) -> list[PlannedCase]:
        return self.with_action("unchanged")

    def summary(self) -> str:
        state = "published" if self.publish else "drafts"
        return (
            f"{len(self.to_create)} to create (as {state}), {len(self.to_update)} to update, "
            f"{len(self.unchanged)} unchanged."
        )


class ImportRefused(Exception):
    """The file cannot be imported; `problems` says why, each with its row and column."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(map(str, self.problems)))


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"Created {len(self.created)}, updated {len(self.updated)}, unchanged {len(self.unchanged)}."


MAX_LISTED_ENCODING_ERRORS = 10


def decode_text(data: bytes) -> tuple[str | None, list[Problem]]:
    """The file's text (UTF-8, with or without a byte-order mark), or the lines that are not UTF-8."""
    try:
        return data.decode(CSV_ENCODING), []
    except UnicodeDecodeError:
        pass
    problems = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            if len(problems) == MAX_LISTED_ENCODING_ERRORS:
                problems.append(Problem(None, None, "... and more lines that are not UTF-8."))
                break
            bad = line[exc.start : exc.start + 1].hex()
            problems.append(
                Problem(
                    None,
                    None,
                    f"line {number} of the file is not UTF-8 text (byte 0x{bad} at character {exc.start + 1}). "
                    "Save the file as “CSV UTF-8” and try again.",
                )
            )
    return None, problems
