from django.core.management.base import BaseCommand, CommandError

from catalogue.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write the whole database to one file (pg_dump custom format on PostgreSQL, a copy on SQLite)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            path = backup(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up the database to {path}")
