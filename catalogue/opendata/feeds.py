"""The Atom feed at /feed/: what changed among the published case studies (a new case, its agreed scores revised),
newest first, for any selection the case list takes (`/feed/?condition=dementia&region=north-east`). The list
links "follow these results" to the feed of what it shows; a query the list would only correct with a notice is
refused with a 400 (catalogue/strict.py, urls.py wraps the feed in strict.refusing), as a feed reader cannot
show a notice."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .. import changes, selection, strict
from ..filters import CaseStudyFilter
from ..models import CaseStudy

FEED_LENGTH = 30


class PlainTextAtomFeed(Atom1Feed):
    """Atom with each summary sent as what it is, plain text (type="text"). Django's Atom1Feed says type="html",
    so a reader would render whatever markup an editor typed into a summary and mis-read "A&E"."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class CaseStudyChangesFeed(Feed):
    feed_type = PlainTextAtomFeed
    subtitle = "Case studies of co-production in health and social care: new cases and revised scores, newest first."

    def get_object(self, request, *args, **kwargs) -> CaseStudyFilter:
        return strict.checked(request.GET, request=request)

    def title(self, filterset: CaseStudyFilter) -> str:
        return f"{settings.SITE_NAME}: " + "; ".join(selection.in_words(filterset, with_order=False))

    def link(self, filterset: CaseStudyFilter) -> str:
        return _with_query(reverse("catalogue:case-list"), filterset)

    def feed_url(self, filterset: CaseStudyFilter) -> str:
        return _with_query(reverse("catalogue:feed"), filterset)

    def items(self, filterset: CaseStudyFilter) -> list[changes.Change]:
        cases = filterset.qs.prefetch_related(CaseStudy.objects.sites_prefetch(), "conditions", "approaches")
        return changes.recent(cases, FEED_LENGTH)

    def item_title(self, change: changes.Change) -> str:
        return change.case.title if change.kind == changes.PUBLISHED else f"Scores revised: {change.case.title}"

    def item_description(self, change: changes.Change) -> str:
        return f"{changes.describe(change)} {change.case.summary}"

    def item_link(self, change: changes.Change) -> str:
        return change.case.get_absolute_url()

    def item_guid(self, change: changes.Change) -> str:
        return change.key

    item_guid_is_permalink = False

    def item_pubdate(self, change: changes.Change):
        return change.when

    def item_updateddate(self, change: changes.Change):
        return change.when

    def item_author_name(self, change: changes.Change) -> str:
        return change.case.lead_organisation

    def item_categories(self, change: changes.Change) -> list[str]:
        """Its conditions, approaches and the areas of its sites, so a reader can follow one place."""
        case = change.case
        areas = dict.fromkeys(site.region.name for site in case.sites.all())
        return [term.name for term in [*case.conditions.all(), *case.approaches.all()]] + list(areas)


def _with_query(path: str, filterset: CaseStudyFilter) -> str:
    query = selection.query_string(filterset)
    return f"{path}?{query}" if query else path
