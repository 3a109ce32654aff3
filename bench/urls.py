"""The site's URLs plus two views that exist only for the benchmark: the floor and a same-size static body."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path

STATIC_BODY = {"bytes": b""}


def floor(request: HttpRequest) -> HttpResponse:
    """The simplest page the site can serve: the base template and nothing else."""
    return render(request, "base.html", {})


def static_body(request: HttpRequest) -> HttpResponse:
    """Bytes already in memory, as a static file server would send them (set by the benchmark)."""
    return HttpResponse(STATIC_BODY["bytes"], content_type="application/pdf")


urlpatterns = [
    path("bench-floor/", floor, name="bench-floor"),
    path("bench-static/", static_body, name="bench-static"),
    path("", include("config.urls")),
]
