from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.home, name="home"),
    path("case-studies/", views.case_list, name="case-list"),
    path("case-studies/<slug:slug>/", views.case_detail, name="case-detail"),
]
