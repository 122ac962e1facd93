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


VIP_KEY = '{"tag_id":"100"}'
VIP_MENU = {"button": [{"type": "click", "name": "会员专享", "key": "VIP"}]}
VIP_RENAMED = {"button": [{"type": "click", "name": "会员福利", "key": "VIP"}]}


def test_a_conditional_entry_is_compared_with_the_previous_entry_of_the_same_rule(team):
    record(team.a, team.publisher, tree=VIP_MENU, match_rule=VIP_KEY)
    record(team.a, team.publisher)  # the default menu, published between them
    renamed = record(team.a, team.publisher, tree=VIP_RENAMED, match_rule=VIP_KEY)
    default_again = record(team.a, team.publisher, tree=RENAMED)

    page = _history(team)

    # Against the VIP menu before it, not the default menu published in between.
    assert _changes(_entry(page, renamed.pk)) == [
        ("changed", "Changed “会员专享” (menu bar position 1): renamed to “会员福利”")
    ]
    # And the default menu against the default menu before it, not the VIP one.
    changes = _changes(_entry(page, default_again.pk))
    assert ("changed", "Changed “今日歌曲” (menu bar position 1): renamed to “每日一曲”") in changes
    assert all("会员" not in text for _kind, text in changes)
    # Both are what is live now, each for its own followers.
    assert "Live now" in _entry(page, renamed.pk) and "Live now" in _entry(page, default_again.pk)


def test_after_the_default_menu_was_deleted_a_conditional_menu_starts_from_nothing(team):
    record(team.a, team.publisher)
    record(team.a, team.publisher, tree=VIP_MENU, match_rule=VIP_KEY)
    record(team.a, team.publisher, tree=None, action="delete")  # deletes the VIP menu with it
    record(team.a, team.publisher)
    again = record(team.a, team.publisher, tree=VIP_MENU, match_rule=VIP_KEY)

    entry = _entry(_history(team), again.pk)

    # Not "no change" against the VIP menu the delete removed: its followers got the menu anew.
    assert "No change for followers" not in entry
    assert _changes(entry) == [
        ("", "there is no menu now; a new one is created"),
        ("added", "Added “会员专享” (Click (send key)) at menu bar position 1"),
    ]
    assert "Live now" in entry
