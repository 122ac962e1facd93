"""A save conflict says what the other save changed since this page opened the draft, and says
"you, in another tab" when the newer revision was the same person's."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from django.test import Client
from django.urls import reverse

from menueditor.forms import tree_to_post_data
from menueditor.models import Menu
from menueditor.tree import parse_menu

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def editor(factories):
    user = factories.user(username="hanmeimei", perms=("change_menu",))
    account = factories.account(members=(user,))
    menu = factories.menu(account, user=user)
    client = Client()
    client.force_login(user)
    return user, account, menu, client


def _opened(client: Client, menu: Menu) -> dict[str, str]:
    """The form as the page posts it, with the saved draft it opened (read from the page itself)."""
    page = client.get(reverse("menu_edit", args=[menu.pk])).content.decode()
    match = re.search(r'name="opened_tree" value="([^"]*)"', page)
    assert match, "the page carries no opened_tree"
    data = tree_to_post_data(parse_menu(menu.tree), title=menu.title, revision=str(menu.revision))
    return data | {"opened_tree": html_lib.unescape(match.group(1))}


def _save(client: Client, menu: Menu, data: dict[str, str]):
    return client.post(reverse("menu_save", args=[menu.pk]), data, **HTMX)


def test_a_conflict_says_what_the_other_person_changed_since_it_was_opened(editor, factories):
    _user, account, menu, client = editor
    other = factories.user(username="lilei", perms=("change_menu",))
    account.members.add(other)
    other_client = Client()
    other_client.force_login(other)
    mine = _opened(client, menu)
    theirs = _opened(other_client, menu)
    theirs["b-0-name"] = "他的改动"
    assert _save(other_client, menu, theirs).status_code == 200

    mine["b-1-s-0-name"] = "我的改动"
    html = _save(client, menu, mine).content.decode()

    assert "lilei saved revision 2" in html
    assert "What lilei changed since you opened it:" in html
    assert "When you opened it" in html and "Saved by lilei" in html
    changes = re.findall(r'<li class="change change-(\w+)">([^<]*)</li>', html)
    assert changes == [("changed", "Changed “今日歌曲” (menu bar position 1): renamed to “他的改动”")]
    assert "mark-changed" in html
    assert "another tab" not in html


def test_a_newer_revision_saved_by_the_same_person_reads_as_another_tab(editor):
    _user, _account, menu, client = editor
    first_tab = _opened(client, menu)
    second_tab = _opened(client, menu)
    del second_tab["b-1-s-1-name"]  # a sub-button removed in the second tab
    second_tab = {k: v for k, v in second_tab.items() if not k.startswith("b-1-s-1-")}
    assert _save(client, menu, second_tab).status_code == 200

    html = _save(client, menu, first_tab).content.decode()

    assert "You saved this draft in another tab" in html
    assert "You, in another tab, saved revision 2" in html
    assert "What you changed in the other tab since you opened it here:" in html
    assert "Someone else" not in html and "someone" not in html
    assert "Removed “赞一下我们”" in html


def test_a_conflict_without_a_readable_opened_menu_is_still_a_conflict(editor, factories):
    _user, account, menu, client = editor
    other = factories.user(username="lilei", perms=("change_menu",))
    account.members.add(other)
    other_client = Client()
    other_client.force_login(other)
    assert _save(other_client, menu, _opened(other_client, menu)).status_code == 200

    for opened in ("", "not json", '{"button": 3}', "[" * 100_000):
        data = _opened(client, menu) | {"opened_tree": opened, "revision": "1"}
        response = _save(client, menu, data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "lilei saved revision 2" in html and "changed since you opened it" not in html
