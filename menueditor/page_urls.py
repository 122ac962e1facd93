"""URLs of the pages around the editor: sign-in, home, drafts, pull, history, delete live, schedules."""

from django.urls import path

import menueditor.converters  # noqa: F401  (registers <id:...>)
from menueditor.views import auth, history, pages, schedules

urlpatterns = [
    path("", pages.home, name="home"),
    path("login/", auth.login, name="login"),
    path("logout/", auth.logout, name="logout"),
    path("accounts/<slug:slug>/drafts/new/", pages.draft_start, name="draft_start"),
    path("accounts/<slug:slug>/pull/", pages.menu_pull, name="menu_pull"),
    path("accounts/<slug:slug>/live/delete/", pages.live_delete, name="live_delete"),
    path("accounts/<slug:slug>/history/", history.account_history, name="account_history"),
    path("accounts/<slug:slug>/history/settle/", history.account_settle, name="account_settle"),
    path("history/<id:pk>/restore/", history.publication_restore, name="publication_restore"),
    path("history/<id:pk>/publish-again/", history.publication_republish, name="publication_republish"),
    path("menus/<id:pk>/schedule/", schedules.menu_schedule, name="menu_schedule"),
    path("schedules/<id:pk>/move/", schedules.schedule_move, name="schedule_move"),
    path("schedules/<id:pk>/cancel/", schedules.schedule_cancel, name="schedule_cancel"),
]
