from django.conf import settings

from .search import MAX_QUERY_LENGTH


def site(request):
    """The catalogue's name and public address, and the longest search (the header's box), for every template."""
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, "MAX_QUERY_LENGTH": MAX_QUERY_LENGTH}
