from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Principle


def principle_list(request: HttpRequest) -> HttpResponse:
    return render(request, "principles/principle_list.html", {"principles": Principle.objects.all()})


def principle_detail(request: HttpRequest, slug: str) -> HttpResponse:
    principle = get_object_or_404(Principle, slug=slug)
    return render(request, "principles/principle_detail.html", {"principle": principle})
