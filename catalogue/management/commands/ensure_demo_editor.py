import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from catalogue.permissions import EDITORS_GROUP, ensure_editors_group

USERNAME = "demo-editor"


class Command(BaseCommand):
    help = (
        "Local development only: make sure a staff account in the Editors group exists, give it a new "
        "generated password and print both. Refuses to run unless DEBUG is on."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--address",
            default=settings.SITE_URL,
            help="Where the site is served (make run passes http://HOST:PORT); default DJANGO_SITE_URL.",
        )

    def handle(self, *args, address: str, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_demo_editor is for local development only (DEBUG is off); it did nothing.")
        ensure_editors_group()
        user, created = get_user_model().objects.get_or_create(
            username=USERNAME, defaults={"first_name": "Demo", "last_name": "Editor"}
        )
        password = secrets.token_urlsafe(12)
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=EDITORS_GROUP))
        self.stdout.write(
            self.style.SUCCESS(
                f"{'Created' if created else 'Reset'} the demo editor for {address.rstrip('/')}/admin/ "
                f"(a member of {EDITORS_GROUP}):\n  user name: {USERNAME}\n  password:  {password}"
            )
        )
