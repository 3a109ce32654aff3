from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views, views_data, views_explore, views_pdf
from .feeds import NewCaseStudiesFeed
from .sitemaps import SITEMAPS

app_name = "catalogue"

urlpatterns = [
    path("", views.home, name="home"),
    path("case-studies/", views.case_list, name="case-list"),
    # Fixed file names come before the <slug> patterns, so they are never read as a case's address.
    path("case-studies/export.csv", views_data.export_csv, name="case-export-csv"),
    path("case-studies/export.json", views_data.export_json, name="case-export-json"),
    path("case-studies/catalogue.pdf", views_pdf.case_booklet_pdf, name="case-booklet-pdf"),
    path("case-studies/<slug:slug>/", views.case_detail, name="case-detail"),
    path("case-studies/<slug:slug>/summary.pdf", views_pdf.case_summary_pdf, name="case-summary-pdf"),
    path("compare/", views_explore.compare, name="compare"),
    path("insights/", views_explore.insights_page, name="insights"),
    path("about/", views_explore.about, name="about"),
    path("data/", views_data.data_dictionary, name="data"),
    path("feed/", NewCaseStudiesFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views_data.robots_txt, name="robots"),
    path("healthz", views_data.healthz, name="healthz"),
]
