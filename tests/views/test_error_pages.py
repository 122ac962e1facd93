"""403, 404 and 500 in the app's own look and the interface language, each with a way back."""

import pytest
from django.test import Client
from django.urls import reverse

from menueditor.models import Menu
from tests.views.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False  # Django's own debug pages otherwise


def test_404_in_the_apps_look_with_a_way_back(team):
    response = client_for(team.editor).get("/menus/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'class="card error-card"' in page
    assert "This page does not exist" in page
    assert f'href="{reverse("home")}"' in page
    assert "Back to your accounts" in page


def test_another_teams_draft_is_a_404_in_chinese(team, factories):
    secret = factories.menu(team.b, title="Secret")
    response = client_for(team.editor).get(
        reverse("menu_edit", args=[secret.pk]), HTTP_ACCEPT_LANGUAGE="zh-CN"
    )
    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="zh-hans">' in page
    assert "Secret" not in page
    assert "Not Found" not in page  # not Django's bare English page


def test_403_says_why_and_whom_to_ask(team, factories):
    viewer = factories.user(perms=("view_menu",))
    team.a.members.add(viewer)
    menu = factories.menu(team.a)
    response = client_for(viewer).post(reverse("draft_rename", args=[menu.pk]), {"title": "x"})
    page = response.content.decode()
    assert response.status_code == 403
    assert 'class="card error-card"' in page
    assert "Changing drafts needs the Menu editors group; ask an admin." in page
    assert f'href="{reverse("home")}"' in page
    assert Menu.objects.get().title == "Draft"


@pytest.mark.urls("tests.views.error_urls")
def test_500_in_the_apps_look_without_a_request_context(team):
    client = Client(raise_request_exception=False)
    client.force_login(team.editor)
    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    page = response.content.decode()
    assert response.status_code == 500
    assert 'class="card error-card"' in page
    assert '<html lang="zh-hans">' in page
    assert 'href="/"' in page
    assert "a bug" not in page  # nothing of the error reaches the page


def test_a_form_posted_without_its_token_says_what_to_do_not_csrf(team, factories):
    menu = factories.menu(team.a, title="Spring")
    client = Client(enforce_csrf_checks=True)
    client.force_login(team.editor)
    response = client.post(reverse("draft_rename", args=[menu.pk]), {"title": "x"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "This form is out of date" in page and 'class="card error-card"' in page
    assert "CSRF verification failed" not in page  # not Django's own page
    assert Menu.objects.get().title == "Spring"
