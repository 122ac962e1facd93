"""URLs of the pages around the editor: sign-in, home, history, pull, delete live."""

from django.contrib.auth import views as auth_views
from django.urls import path

from menueditor.views import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
