from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401  (checks registers the deploy checks by being imported)

        signals.connect(self)
