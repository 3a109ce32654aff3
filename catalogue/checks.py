"""System checks of the deployment (`manage.py check --deploy`), registered when the catalogue app is ready."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

# Backends whose entries live inside one process: each gunicorn worker (and each command: an import, a restore, a
# shell) would keep its own catalogue version and its own copies of pages and PDFs.
PER_PROCESS_CACHES = {"django.core.cache.backends.locmem.LocMemCache"}

CACHE_CHOICES = (
    "redis://host:6379/0 (shared by every app server), file:///absolute/directory (shared by the processes of one "
    "machine) or dummy:// (no cache)"
)


@register(Tags.caches, deploy=True)
def shared_cache(app_configs=None, **kwargs) -> list[Error]:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Error(
            "The cache is per-process (locmem://): after an edit, every other worker and every command-line change "
            "leaves pages, counts and PDFs stale for up to an hour.",
            hint=f"Set DJANGO_CACHE_URL to {CACHE_CHOICES}.",
            id="catalogue.E001",
        )
    ]
