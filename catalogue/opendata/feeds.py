"""The Atom feed of newly published case studies, at /feed/."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from ..models import CaseStudy

FEED_LENGTH = 30


class PlainTextAtomFeed(Atom1Feed):
    """Atom with each summary sent as what it is, plain text (type="text"). Django's Atom1Feed says type="html",
    so a reader would render whatever markup an editor typed into a summary and mis-read "A&E"."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class NewCaseStudiesFeed(Feed):
    feed_type = PlainTextAtomFeed
    title = f"{settings.SITE_NAME}: newly published case studies"
    subtitle = "Case studies of co-production in health and social care, newest first."

    def link(self) -> str:
        return reverse("catalogue:case-list")

    def feed_url(self) -> str:
        return reverse("catalogue:feed")

    def items(self):
        return (
            CaseStudy.objects.published()
            .filter(first_published_at__isnull=False)
            .prefetch_related(CaseStudy.objects.sites_prefetch(), "conditions", "approaches")
            .order_by("-first_published_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, case: CaseStudy) -> str:
        return case.title

    def item_description(self, case: CaseStudy) -> str:
        return case.summary

    def item_pubdate(self, case: CaseStudy):
        return case.first_published_at

    def item_updateddate(self, case: CaseStudy):
        return case.updated_at

    def item_author_name(self, case: CaseStudy) -> str:
        return case.lead_organisation

    def item_categories(self, case: CaseStudy) -> list[str]:
        """Its conditions, approaches and the areas of its sites, so a reader can follow one place."""
        areas = dict.fromkeys(site.region.name for site in case.sites.all())
        return [term.name for term in [*case.conditions.all(), *case.approaches.all()]] + list(areas)
