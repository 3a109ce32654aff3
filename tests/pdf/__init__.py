"""Tests of catalogue/pdf (documents, fingerprints, render, patches) and the PDF views."""

from django.urls import reverse

BOOKLET_URL = "/case-studies/catalogue.pdf"


def summary_url(case) -> str:
    return reverse("catalogue:case-summary-pdf", kwargs={"slug": case.slug})
