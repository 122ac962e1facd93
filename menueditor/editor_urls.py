"""URLs of the menu editor: the page, and the endpoints its form posts to."""

from django.urls import path

from menueditor.views import editor

urlpatterns = [
    path("menus/<int:pk>/", editor.menu_edit, name="menu_edit"),
    path("menus/<int:pk>/preview/", editor.menu_preview, name="menu_preview"),
    path("menus/<int:pk>/structure/", editor.menu_structure, name="menu_structure"),
    path("menus/<int:pk>/save/", editor.menu_save, name="menu_save"),
    path("menus/<int:pk>/import/", editor.menu_import, name="menu_import"),
    path("menus/<int:pk>/export/", editor.menu_export, name="menu_export"),
    path("menus/<int:pk>/publish/review/", editor.menu_publish_review, name="menu_publish_review"),
    path("menus/<int:pk>/publish/", editor.menu_publish, name="menu_publish"),
]
