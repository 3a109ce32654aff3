from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views, views_data
from .feeds import NewCaseStudiesFeed
from .sitemaps import SITEMAPS

app_name = "catalogue"

urlpatterns = [
    path("", views.home, name="home"),
    path("case-studies/", views.case_list, name="case-list"),
    path("case-studies/export.csv", views_data.export_csv, name="case-export-csv"),
    path("case-studies/export.json", views_data.export_json, name="case-export-json"),
    path("case-studies/<slug:slug>/", views.case_detail, name="case-detail"),
    path("data/", views_data.data_dictionary, name="data"),
    path("feed/", NewCaseStudiesFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views_data.robots_txt, name="robots"),
    path("healthz", views_data.healthz, name="healthz"),
]
