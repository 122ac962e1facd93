"""URLs of the account's live menus as a set, "what does this follower see?", and a draft's rule."""

from django.urls import path

import menueditor.converters  # noqa: F401  (registers <id:...>)
from menueditor.views import live_set

urlpatterns = [
    path("accounts/<slug:slug>/live/", live_set.live_set, name="live_set"),
    path("accounts/<slug:slug>/live/tags/refresh/", live_set.live_tags_refresh, name="live_tags_refresh"),
    path(
        "accounts/<slug:slug>/live/<str:menuid>/pull/",
        live_set.live_conditional_pull,
        name="live_conditional_pull",
    ),
    path(
        "accounts/<slug:slug>/live/<str:menuid>/delete-conditional/",
        live_set.live_conditional_delete,
        name="live_conditional_delete",
    ),
    path("menus/<id:pk>/rule/", live_set.menu_rule, name="menu_rule"),
]
