"""The site's URLs plus views that fail, for the error-handling tests."""

from django.db import connection
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("the secret sauce is 42 and the password is hunter2")


def bad_sql(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table_secret")


urlpatterns = [path("boom/", boom), path("bad-sql/", bad_sql), *site_urlpatterns]
