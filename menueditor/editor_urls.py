"""URLs of the menu editor: the page, and the endpoints its form posts to."""

from django.urls import path

import menueditor.converters  # noqa: F401  (registers <id:...>)
from menueditor.views import editor

urlpatterns = [
    path("menus/<id:pk>/", editor.menu_edit, name="menu_edit"),
    path("menus/<id:pk>/preview/", editor.menu_preview, name="menu_preview"),
    path("menus/<id:pk>/structure/", editor.menu_structure, name="menu_structure"),
    path("menus/<id:pk>/save/", editor.menu_save, name="menu_save"),
    path("menus/<id:pk>/import/", editor.menu_import, name="menu_import"),
    path("menus/<id:pk>/export/", editor.menu_export, name="menu_export"),
    path("menus/<id:pk>/publish/review/", editor.menu_publish_review, name="menu_publish_review"),
    path("menus/<id:pk>/publish/", editor.menu_publish, name="menu_publish"),
]
