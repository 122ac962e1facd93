from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("menueditor.page_urls")),
    path("", include("menueditor.editor_urls")),
    path("", include("menueditor.live_set_urls")),
    path("", include("menueditor.picker_urls")),
]
