from django.core.management.base import BaseCommand, CommandError

from catalogue.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace the whole database with a backup made by backup_database (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            restore(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored the database from {file}")
