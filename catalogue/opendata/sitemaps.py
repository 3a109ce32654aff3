"""/sitemap.xml: every published case, every principle, and the main pages."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from principles.models import Principle

from ..models import CaseStudy


class CaseStudySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = 5000

    def items(self):
        return CaseStudy.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, case: CaseStudy):
        return case.updated_at


class PrincipleSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.6

    def items(self):
        return Principle.objects.order_by("number")


class PageSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self) -> list[str]:
        return ["catalogue:home", "catalogue:case-list", "catalogue:principle-list", "catalogue:data"]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "cases": CaseStudySitemap, "principles": PrincipleSitemap}
