"""URLs of the pages around the editor: sign-in, home, drafts, pull, history, delete live, schedules."""

from django.urls import path

import menueditor.converters  # noqa: F401  (registers <id:...>)
from menueditor.views import account, auth, history, pages, reviews, schedules

urlpatterns = [
    path("", pages.home, name="home"),
    path("login/", auth.login, name="login"),
    path("logout/", auth.logout, name="logout"),
    path("accounts/<slug:slug>/", account.account_page, name="account_page"),
    path("drafts/<id:pk>/rename/", account.draft_rename, name="draft_rename"),
    path("drafts/<id:pk>/duplicate/", account.draft_duplicate, name="draft_duplicate"),
    path("drafts/<id:pk>/archive/", account.draft_archive, name="draft_archive"),
    path("drafts/<id:pk>/unarchive/", account.draft_unarchive, name="draft_unarchive"),
    path("drafts/<id:pk>/delete/", account.draft_delete, name="draft_delete"),
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
    path("menus/<id:pk>/submit/", reviews.menu_submit, name="menu_submit"),
    path("reviews/<id:pk>/", reviews.review_page, name="review_page"),
    path("reviews/<id:pk>/approve/", reviews.review_approve, name="review_approve"),
    path("reviews/<id:pk>/publish/", reviews.review_publish, name="review_publish"),
    path("reviews/<id:pk>/reschedule/", reviews.review_reschedule, name="review_reschedule"),
    path("reviews/<id:pk>/send-back/", reviews.review_send_back, name="review_send_back"),
    path("reviews/<id:pk>/withdraw/", reviews.review_withdraw, name="review_withdraw"),
]
