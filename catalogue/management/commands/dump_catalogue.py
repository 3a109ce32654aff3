"""dump_catalogue: write the database's cases back as content files, so editors' work can be committed."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalogue.content.dump import UnknownCases, dump
from catalogue.content.loading import shown


class Command(BaseCommand):
    help = (
        "Write the stored case studies (drafts and published; never synthetic ones) as DIR/cases/<slug>.yaml in "
        "the content files' format, replacing those files. Loading them back changes nothing. Principles and "
        "taxonomies are not written."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="Only these cases (default: every case).")
        parser.add_argument(
            "--output-dir", default=str(settings.CONTENT_DIR),
            help="Directory to write cases/ into (default: the content directory, %(default)s).",
        )  # fmt: skip

    def handle(self, *args, slugs: list[str], output_dir: str, **options):
        try:
            paths = dump(output_dir, slugs)
        except UnknownCases as exc:
            names = ", ".join(map(repr, exc.slugs))
            raise CommandError(f"No case study has the slug {names}; nothing written.") from exc
        except OSError as exc:
            raise CommandError(f"Could not write the case files: {exc}") from exc
        where = shown(paths[0].parent) if paths else output_dir
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(paths)} case file(s) to {where}/."))
