"""History entries say what each publication changed against the previous successful one, in words
and as two phones, matched by identity like the publish review."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.views.conftest import client_for
from tests.views.test_history import record

pytestmark = pytest.mark.django_db

RENAMED = {
    "button": [
        {"type": "click", "name": "每日一曲", "key": "V1001_TODAY_MUSIC"},
        {"name": "菜单", "sub_button": [{"type": "view", "name": "搜索", "url": "http://www.soso.com/"}]},
    ]
}


def _entry(page: str, pk: int) -> str:
    start = page.index(f'id="entry-{pk}"')
    end = page.find('<li class="card entry', start + 1)
    return page[start : end if end != -1 else len(page)]


def _changes(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<li class="change(?: change-(\w+))?">([^<]*)</li>', html)


def _history(team) -> str:
    return client_for(team.editor).get(reverse("account_history", args=["coffee"])).content.decode()


def test_each_publication_says_what_it_changed_against_the_one_before(team):
    first = record(team.a, team.publisher)
    failed = record(team.a, team.publisher, tree=RENAMED, outcome="failure", code="45009")
    second = record(team.a, team.publisher, tree=RENAMED)
    deleted = record(team.a, team.publisher, tree=None, action="delete")

    page = _history(team)

    assert "What this publication changed:" not in _entry(page, first.pk)  # nothing earlier to compare
    assert "What this publication changed:" not in _entry(page, failed.pk)  # it changed nothing live
    entry = _entry(page, second.pk)
    assert _changes(entry) == [
        ("removed", "Removed “一个非常非常长的子菜单名字” (Click (send key)) from “菜单” position 2"),
        ("changed", "Changed “今日歌曲” (menu bar position 1): renamed to “每日一曲”"),
    ]
    # The entry's own phone marks the renamed button; the two phones show the removed one too.
    assert 'mark mark-changed" title="每日一曲"' in entry
    assert "Before and after, as phones" in entry and "mark-removed" in entry
    assert _changes(_entry(page, deleted.pk)) == [("", "the whole menu is removed")]


def test_a_pull_is_the_baseline_for_the_next_publication(team):
    record(team.a, team.publisher)
    record(team.a, team.publisher, tree=RENAMED, action="pull")  # changed in the console, pulled here
    again = record(team.a, team.publisher, tree=RENAMED)

    entry = _entry(_history(team), again.pk)

    assert "No change for followers: the same menu as before." in entry
    assert not _changes(entry)


def test_other_accounts_publications_are_not_compared(team):
    record(team.b, team.publisher, tree=RENAMED)
    mine = record(team.a, team.publisher)

    assert "What this publication changed:" not in _entry(_history(team), mine.pk)
