"""What the PDF tests share: a case's summary URL and a case with an outcome figure (`renders` is in conftest)."""

from __future__ import annotations

from django.urls import reverse

from .factories import OutcomeFigureFactory, complete_case


def summary_url(case) -> str:
    return reverse("catalogue:case-summary-pdf", kwargs={"slug": case.slug})


def a_case(**fields):
    case = complete_case(title="Rushey Green Time Bank", slug="rushey-green-time-bank", **fields)
    OutcomeFigureFactory(case_study=case, statement="GP visits fell by a fifth.")
    return case
