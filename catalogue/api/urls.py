from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import routers

from . import views

router = routers.DefaultRouter(trailing_slash=True)
router.register("case-studies", views.CaseStudyViewSet, basename="case")
router.register("principles", views.PrincipleViewSet, basename="principle")
router.register("conditions", views.ConditionViewSet, basename="condition")
router.register("approaches", views.ApproachViewSet, basename="approach")
router.register("regions", views.RegionViewSet, basename="region")

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
