from django.contrib import admin
from django.urls import include, path

from catalogue.views.data import favicon
from config.security import CSP_REPORT_PATH, csp_report

admin.site.site_header = "Co-production Catalogue: editing"
admin.site.site_title = "Co-production Catalogue admin"
admin.site.index_title = "Keep the catalogue accurate"

urlpatterns = [
    path("", include("catalogue.urls")),
    path("api/", include("catalogue.api.urls")),
    path("admin/", admin.site.urls),
    path(CSP_REPORT_PATH.strip("/") + "/", csp_report, name="csp-report"),
    path("favicon.ico", favicon, name="favicon"),
]
