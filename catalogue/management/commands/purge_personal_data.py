"""Delete senders' e-mail addresses (and relations to a case) older than the stated period. Meant to be run
daily by the host's scheduler (docs/personal-data.md); running it twice changes nothing the second time."""

from django.conf import settings
from django.core.management.base import BaseCommand

from catalogue.participation import personal


class Command(BaseCommand):
    help = (
        "Delete the e-mail addresses and other personal data that visitors sent with suggestions and error "
        "reports, and the admin's log-in records, more than DJANGO_PERSONAL_DATA_DAYS days old "
        "(settings.PERSONAL_DATA_RETENTION_DAYS). "
        "Schedule it daily."
    )

    def handle(self, *args, **options):
        changed = personal.purge()
        logins = personal.purge_login_records()
        days = settings.PERSONAL_DATA_RETENTION_DAYS
        self.stdout.write(f"Personal data deleted from {changed} item(s) sent more than {days} days ago.")
        self.stdout.write(f"Admin log-in records older than {days} days deleted: {logins}.")
