from django.contrib.sitemaps.views import sitemap
from django.urls import path, re_path

from . import strict
from .opendata.feeds import CaseStudyChangesFeed
from .opendata.sitemaps import SITEMAPS
from .views import assessments, cases, data, explore, participation, pdf, places, principles, statements

app_name = "catalogue"

urlpatterns = [
    path("", cases.home, name="home"),
    path("case-studies/", cases.case_list, name="case-list"),
    # Fixed file names come before the <slug> patterns, so they are never read as a case's address.
    path("case-studies/export.csv", data.export_csv, name="case-export-csv"),
    path("case-studies/assessments.csv", data.export_assessments_csv, name="case-assessments-csv"),
    path("case-studies/export.json", data.export_json, name="case-export-json"),
    path("case-studies/catalogue.pdf", pdf.case_booklet_pdf, name="case-booklet-pdf"),
    path("case-studies/<slug:slug>/", cases.case_detail, name="case-detail"),
    path("case-studies/<slug:slug>/summary.pdf", pdf.case_summary_pdf, name="case-summary-pdf"),
    path("case-studies/<slug:slug>/cite.<str:fmt>", data.case_citation, name="case-citation"),
    path("case-studies/<slug:slug>/report-an-error/", participation.report_error, name="report-error"),
    path("case-studies/<slug:slug>/reply/", participation.reply, name="reply"),
    path("suggest/", participation.suggest, name="suggest"),
    re_path(r"^received/(?P<reference>[A-Z]-\d{4}-\d{4,9})/$", participation.received, name="received"),
    path("principles/", principles.principle_list, name="principle-list"),
    path("principles/<slug:slug>/", principles.principle_detail, name="principle-detail"),
    path("assessments/", assessments.assessments_page, name="assessments"),
    path("assessments/rubric/<int:number>/", assessments.rubric_version, name="rubric-version"),
    path("compare/", explore.compare, name="compare"),
    path("insights/", explore.insights_page, name="insights"),
    path("map/", places.map_page, name="map"),
    path("places/<slug:slug>/", places.place_detail, name="place-detail"),
    path("about/", explore.about, name="about"),
    path("data/", data.data_dictionary, name="data"),
    path("accessibility/", statements.accessibility, name="accessibility"),
    path("privacy/", statements.privacy, name="privacy"),
    path("contact/", statements.contact, name="contact"),
    path("feed/", strict.refusing(CaseStudyChangesFeed()), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", data.robots_txt, name="robots"),
    path("healthz", data.healthz, name="healthz"),
]
