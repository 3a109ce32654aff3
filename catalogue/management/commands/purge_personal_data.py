"""Delete senders' e-mail addresses (and relations to a case) older than the stated period. Meant to be run
daily by the host's scheduler (docs/personal-data.md); running it twice changes nothing the second time."""

from django.conf import settings
from django.core.management.base import BaseCommand

from catalogue.participation import personal


class Command(BaseCommand):
    help = (
        "Delete the e-mail addresses and other personal data that visitors sent with suggestions and error "
        "reports more than DJANGO_PERSONAL_DATA_DAYS days ago (settings.PARTICIPATION_PERSONAL_DATA_DAYS). "
        "Schedule it daily."
    )

    def handle(self, *args, **options):
        changed = personal.purge()
        days = settings.PARTICIPATION_PERSONAL_DATA_DAYS
        self.stdout.write(f"Personal data deleted from {changed} item(s) sent more than {days} days ago.")
