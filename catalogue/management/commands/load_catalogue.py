"""load_catalogue: add the content files' records the database lacks (what `make run` runs); with --replace,
bring the files' version back over stored cases, after listing them and asking."""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalogue.content import ContentError, load
from catalogue.content.loading import shown
from catalogue.content.replacing import Replacement, plan


class Command(BaseCommand):
    stealth_options = ("stdin",)  # the answer's input; tests give their own
    help = (
        "Load the catalogue's content (principles, taxonomies, case studies) from the content directory: add "
        "every record whose slug the database lacks; a record already there is never changed. All or nothing: "
        "on any error nothing is written and each problem is named. --replace brings the files' version back "
        "over stored cases that differ from them, after listing them and asking."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--content-dir", default=str(settings.CONTENT_DIR), help="Directory holding principles.yaml, "
            "taxonomy.yaml and cases/ (default: %(default)s)."
        )  # fmt: skip
        parser.add_argument(
            "--replace", nargs="*", metavar="SLUG", help="Also replace these stored cases (every case file's, "
            "when no slug is given) with their files' version where they differ. Lists them and asks first."
        )  # fmt: skip
        parser.add_argument(
            "--force", "--yes", action="store_true", help="With --replace: replace without asking (needed when "
            "the input is not a terminal)."
        )  # fmt: skip

    def handle(self, *args, content_dir: str, replace: list[str] | None, force: bool, **options):
        self.stdin = options.get("stdin", sys.stdin)
        if force and replace is None:
            raise CommandError("--force only goes with --replace (the ordinary load never asks); nothing written.")
        try:
            replacing = self._confirmed(plan(content_dir, replace), force) if replace is not None else []
            report = load(content_dir, replace={r.slug for r in replacing})
        except ContentError as exc:
            lines = "\n".join(f"  - {problem}" for problem in exc.problems)
            raise CommandError(
                f"The catalogue content was not loaded; the database is unchanged. "
                f"{len(exc.problems)} problem(s):\n{lines}"
            ) from exc
        self.stdout.write(self.style.SUCCESS(str(report)))

    def _confirmed(self, replacements: list[Replacement], force: bool) -> list[Replacement]:
        if not replacements:
            self.stdout.write("No stored case differs from its file: nothing to replace.")
            return []
        self.stdout.write(f"{len(replacements)} stored case(s) differ from their files and would be replaced:")
        for item in replacements:
            self.stdout.write(f"  - {item.slug} ({shown(item.path)}): {', '.join(item.keys)}")
        if force:
            return replacements
        if not self.stdin.isatty():
            raise CommandError(
                "Nothing was replaced or written: --replace asks for confirmation on a terminal, and the input is "
                "not one. Run it again with --force to replace them without asking."
            )
        self.stdout.write("Replace them with the files' version (the history keeps what they were)? [y/N] ", "")
        self.stdout.flush()
        answer = self.stdin.readline().strip().lower()
        if answer not in {"y", "yes"}:
            raise CommandError("Nothing was replaced or written (not confirmed).")
        return replacements
