from django.urls import path

from . import views

app_name = "principles"

urlpatterns = [
    path("", views.principle_list, name="principle-list"),
    path("<slug:slug>/", views.principle_detail, name="principle-detail"),
]
