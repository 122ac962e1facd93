"""URLs of the pickers beside content buttons' id fields (menueditor/views/pickers.py)."""

from django.urls import path

from menueditor.views import pickers

urlpatterns = [
    path("accounts/<slug:slug>/content/", pickers.picker_panel, name="picker_panel"),
    path("accounts/<slug:slug>/content/refresh/", pickers.picker_refresh, name="picker_refresh"),
    path("accounts/<slug:slug>/content/chosen/", pickers.picker_chosen, name="picker_chosen"),
    path("accounts/<slug:slug>/content/thumbnail/", pickers.picker_thumbnail, name="picker_thumbnail"),
    path("accounts/<slug:slug>/content/check/", pickers.picker_check, name="picker_check"),
]
