"""python manage.py import_case_studies FILE.csv [--dry-run] [--publish]"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalogue.opendata import importing


class Command(BaseCommand):
    help = (
        "Import case studies from a CSV file in the format of /case-studies/export.csv (see /data/). Rows are "
        "matched by slug and update existing cases; new cases are created as drafts unless --publish is given. "
        "Every problem is reported with its row and column, and nothing is written unless the whole file is valid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file to import (UTF-8), or - for standard input.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report what would change.")
        parser.add_argument(
            "--publish", action="store_true", help="Publish every case in the file (each must meet the rules)."
        )
        parser.add_argument(
            "--assessor",
            default=importing.DEFAULT_ASSESSOR,
            help="Who made scores whose assessed_by cell is empty (default: %(default)s).",
        )

    def handle(self, *args, file: str, dry_run: bool, publish: bool, assessor: str, verbosity: int, **options):
        data = self.read_file(file)
        progress = self.progress if verbosity >= 1 else None
        plan = importing.read(data, publish=publish, progress=progress, progress_every=self.progress_every)
        if not plan.is_valid:
            raise CommandError(self.refusal(plan.problems))
        if dry_run:
            self.stdout.write(f"Dry run: nothing was written. {plan.summary()}")
            for label, cases in [("create", plan.to_create), ("update", plan.to_update)]:
                for case in cases:
                    self.stdout.write(f"  would {label}: {case.slug} (row {case.row})")
            return
        try:
            result = importing.apply(plan, assessor=assessor, progress=progress, progress_every=self.progress_every)
        except importing.ImportRefused as exc:
            raise CommandError(self.refusal(exc.problems)) from exc
        self.stdout.write(self.style.SUCCESS(f"Imported {file}. {result}"))

    def read_file(self, file: str) -> bytes:
        if file == "-":
            return sys.stdin.buffer.read()
        try:
            return Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from exc

    def refusal(self, problems) -> str:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        return f"Nothing was imported; the database is unchanged. {len(problems)} problem(s):\n{lines}"

    # Counts are shown for files of at least this many rows (a short file is checked and written at once), every
    # progress_every rows (None: about twenty times a phase).
    progress_from = 200
    progress_every: int | None = None

    def progress(self, phase: str, done: int, total: int) -> None:
        if total >= self.progress_from:
            self.stderr.write(f"  {phase} {done} of {total} rows")
