"""python manage.py export_catalogue DIR: the full CSV, the JSON, and the data dictionary, written to DIR."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from catalogue.explore import palette
from catalogue.models import CaseStudy
from catalogue.opendata import export
from catalogue.opendata.snapshot import snapshots
from catalogue.views.data import EXPORT_FILENAME, dictionary_context


class Command(BaseCommand):
    help = (
        "Write every published case study to DIR as CSV and JSON (the same files as /case-studies/export.csv "
        "and export.json), with the data dictionary as HTML."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Where to write the files (created if missing).")
        parser.add_argument(
            "--base-url", default=settings.SITE_URL, help="The site's public address, for links (default: %(default)s)."
        )

    def handle(self, *args, directory: str, base_url: str, **options):
        target = Path(directory)
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Cannot create {target}: {exc.strerror}.") from exc
        base_url = base_url.rstrip("/")
        cases = CaseStudy.objects.published().order_by("title", "pk")
        written = []
        for suffix, chunks in [
            ("csv", export.csv_bytes(snapshots(cases), base_url)),
            ("json", export.json_bytes(snapshots(cases, assessments=True), base_url)),
        ]:
            path = target / f"{EXPORT_FILENAME}.{suffix}"
            self.write(path, chunks)
            written.append(path)
        dictionary = target / "data-dictionary.html"
        # A file read on its own, away from the site's stylesheets: it carries the palette's colours itself.
        context = dictionary_context(base_url) | {"colours": palette.colours()}
        html = render_to_string("catalogue/data_dictionary_file.html", context)
        dictionary.write_text(html, encoding="utf-8")
        written.append(dictionary)
        count = cases.count()
        self.stdout.write(self.style.SUCCESS(f"Wrote {count} case studies:"))
        for path in written:
            self.stdout.write(f"  {path} ({path.stat().st_size:,} bytes)")

    def write(self, path: Path, chunks) -> None:
        partial = path.with_suffix(path.suffix + ".partial")
        try:
            with partial.open("wb") as out:
                for chunk in chunks:
                    out.write(chunk)
            partial.replace(path)  # a reader never sees half a file
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Cannot write {path}: {exc.strerror}.") from exc
