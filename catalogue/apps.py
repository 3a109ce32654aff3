from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from . import caching, profiles
        from .permissions import ensure_editors_group

        caching.connect_signals()  # cached facet counts and insights are dropped by any edit
        profiles.connect_signals()  # each case's stored profile follows its scores

        # After every migrate (including the test database's), so the group always matches the models.
        post_migrate.connect(ensure_editors_group, sender=self)
