from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalogue.content import ContentError, load


class Command(BaseCommand):
    help = (
        "Load the catalogue's content (principles, taxonomies, case studies) from the content directory. "
        "Idempotent, and all-or-nothing: on any error nothing is written and each problem is named."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--content-dir", default=str(settings.CONTENT_DIR), help="Directory holding principles.yaml, "
            "taxonomy.yaml and cases/ (default: %(default)s)."
        )  # fmt: skip

    def handle(self, *args, content_dir: str, **options):
        try:
            report = load(content_dir)
        except ContentError as exc:
            lines = "\n".join(f"  - {problem}" for problem in exc.problems)
            raise CommandError(
                f"The catalogue content was not loaded; the database is unchanged. "
                f"{len(exc.problems)} problem(s):\n{lines}"
            ) from exc
        self.stdout.write(self.style.SUCCESS(str(report)))
