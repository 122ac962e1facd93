"""URLs of the pages around the editor: sign-in, home, drafts, pull, history, delete live."""

from django.urls import path

from menueditor.views import auth, pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("login/", auth.login, name="login"),
    path("logout/", auth.logout, name="logout"),
]
