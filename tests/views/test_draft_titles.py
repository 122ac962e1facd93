"""Drafts made for the user say where they came from: a pull, a restore, a copy, a conflict."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from menueditor import draft_titles
from menueditor.models import Menu, Publication
from menueditor.publishing import publish_menu
from tests.views.conftest import client_for

pytestmark = pytest.mark.django_db

MENU = {"button": [{"type": "click", "name": "Hello", "key": "HELLO"}]}


def test_a_pull_names_the_platform_and_the_time(team, factories):
    assert publish_menu(factories.menu(team.a, tree=MENU), team.publisher).ok
    client_for(team.editor).post(reverse("menu_pull", args=["coffee"]))
    pulled = Menu.objects.order_by("-pk").first()
    now = timezone.localtime()
    assert pulled.title.startswith("Pulled from WeChat, ")
    assert (
        now.strftime("%H:%M") in pulled.title
        or (now - dt.timedelta(minutes=1)).strftime("%H:%M") in pulled.title
    )


def test_a_pull_in_chinese_names_the_platform_in_chinese(team):
    with translation.override("zh-hans"):
        title = draft_titles.pulled(team.a, timezone.make_aware(dt.datetime(2026, 12, 2, 10, 31)))
    assert "微信" in title  # the platform's own name, in the interface language
    assert "10:31" in title


def test_a_restore_names_the_day_of_the_publication(team):
    entry = Publication.objects.create(
        account=team.a, user=team.publisher, action="publish", outcome="success", payload=json.dumps(MENU)
    )
    Publication.objects.filter(pk=entry.pk).update(
        created_at=timezone.make_aware(dt.datetime(2026, 11, 28, 9))
    )
    client_for(team.editor).post(reverse("publication_restore", args=[entry.pk]))
    assert Menu.objects.get().title == "Restored from the publication of November 28"


def test_a_copy_and_a_conflict_copy_say_so_and_fit_the_title_field():
    assert draft_titles.copy_of("Spring") == "Copy of Spring"
    long = draft_titles.conflict_copy("x" * 200)
    assert long.startswith("Your edits kept after a conflict, ")
    assert len(long) == 100


def test_a_conditional_pull_names_the_platform_and_who_sees_it(team):
    title = draft_titles.pulled_for(team.a, "VIP", timezone.make_aware(dt.datetime(2026, 12, 2, 10, 31)))
    assert title == "Pulled from WeChat for VIP, December 2 10:31"
