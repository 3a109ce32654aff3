from django.urls import path

from . import views, views_pdf

app_name = "catalogue"

urlpatterns = [
    path("", views.home, name="home"),
    path("case-studies/", views.case_list, name="case-list"),
    # Before the <slug> patterns, so the booklet is never read as a case's address.
    path("case-studies/catalogue.pdf", views_pdf.case_booklet_pdf, name="case-booklet-pdf"),
    path("case-studies/<slug:slug>/", views.case_detail, name="case-detail"),
    path("case-studies/<slug:slug>/summary.pdf", views_pdf.case_summary_pdf, name="case-summary-pdf"),
]
