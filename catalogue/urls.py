from django.urls import path

from . import views, views_explore

app_name = "catalogue"

urlpatterns = [
    path("", views.home, name="home"),
    path("case-studies/", views.case_list, name="case-list"),
    path("case-studies/<slug:slug>/", views.case_detail, name="case-detail"),
    path("compare/", views_explore.compare, name="compare"),
    path("insights/", views_explore.insights_page, name="insights"),
    path("about/", views_explore.about, name="about"),
]
