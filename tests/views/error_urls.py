"""The project's URLs plus a view that fails, to see the 500 page as a user would."""

from django.urls import path

from menueditor.urls import urlpatterns as project_urls


def fails(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", fails), *project_urls]
