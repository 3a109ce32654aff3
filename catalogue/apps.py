from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from .caching import connect_signals
        from .permissions import ensure_editors_group

        connect_signals()  # cached facet counts and insights are dropped by any edit

        # After every migrate (including the test database's), so the group always matches the models.
        post_migrate.connect(ensure_editors_group, sender=self)
