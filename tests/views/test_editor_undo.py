"""What undo, redo and discard ask of the server, and the edits that say what they took away.

editor.js keeps the form's states; an undo or redo to a state with other fields posts it with
op=redraw, and the server draws it as it would draw a structural edit. Discarding the unsaved edits
(op=discard) draws the saved draft. Both answer without JavaScript too (the whole page).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from menueditor.models import Menu
from tests.views.test_editor import HTMX, _form_data, post_data, structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(factories):
    user = factories.user(perms=("change_menu", "publish_menu"))
    account = factories.account(members=(user,))
    client = Client()
    client.force_login(user)
    return user, account, factories.menu(account, user=user), client


FULL = {
    "button": [
        {
            "name": f"P{i}",
            "sub_button": [{"type": "click", "name": f"s{i}{j}", "key": f"k{i}{j}"} for j in range(5)],
        }
        for i in range(3)
    ]
}


def test_redraw_draws_the_posted_state_and_changes_nothing_else(editor, factories):
    _user, account, _menu, client = editor
    menu = factories.menu(account, tree=FULL)
    # A state kept before a removal: two parents, the second's sub-buttons as they were then.
    kept = post_data(menu, tree={"button": FULL["button"][:2]}, selected="1.3")
    response = structure(client, menu, "redraw", kept, **HTMX)
    assert response.status_code == 200
    data = _form_data(response)
    assert {k for k in data if re.fullmatch(r"b-\d+-name", k)} == {"b-0-name", "b-1-name"}
    assert data["b-1-s-3-name"] == "s13"
    assert data["selected"] == "1.3"
    html = response.content.decode()
    assert '<div id="editor-message" class="editor-message" role="status" hx-swap-oob="true"></div>' in html
    menu.refresh_from_db()
    assert menu.revision == 1 and len(menu.tree["button"]) == 3  # nothing saved


def test_removing_a_parent_with_sub_buttons_says_so_with_an_undo(editor, factories):
    _user, account, _menu, client = editor
    menu = factories.menu(account, tree=FULL)
    html = structure(client, menu, "remove:1", **HTMX).content.decode()
    assert "Removed button 2 (P1) and its 5 sub-buttons." in html
    assert re.search(r'<button type="button" class="message-undo" data-action="undo">Undo</button>', html)
    # A sub-button, or a button without a sub-menu, goes without a message.
    html = structure(client, menu, "remove:1.2", **HTMX).content.decode()
    assert "message-undo" not in html
    assert '<div id="editor-message" class="editor-message" role="status" hx-swap-oob="true"></div>' in html


def test_discard_draws_the_saved_draft_and_its_title_with_an_undo(editor, factories):
    _user, account, _menu, client = editor
    menu = factories.menu(account, tree=FULL, title="Spring")
    edited = post_data(
        menu, tree={"button": [{"type": "click", "name": "only", "key": "o"}]}, title="Renamed"
    )
    response = structure(client, menu, "discard", edited, **HTMX)
    html = response.content.decode()
    data = _form_data(response)
    assert data["b-2-s-4-name"] == "s24"
    assert 'id="f-title" name="title" type="text" class="title-input" value="Spring"' in html
    assert "Your unsaved edits were discarded." in html
    assert 'data-action="undo"' in html
    assert 'data-dirty="false"' in html
    # Without JavaScript: the whole page, the saved draft in it.
    page = structure(client, menu, "discard", edited).content.decode()
    assert 'value="s24"' in page and "Your unsaved edits were discarded." in page
    assert Menu.objects.get(pk=menu.pk).revision == 1


def test_an_import_says_what_it_replaced_with_an_undo(editor):
    _user, _account, menu, client = editor
    data = post_data(menu) | {"import_text": '{"button": [{"type": "click", "name": "A", "key": "a"}]}'}
    html = client.post(f"/menus/{menu.pk}/import/", data, **HTMX).content.decode()
    assert "Imported 1 top-level buttons" in html
    assert 'class="message-undo" data-action="undo"' in html


def test_the_outline_says_each_button_in_one_line(editor, factories):
    """The summaries: number, name, what it does in words (a parent: how many sub-buttons), problems."""
    _user, account, _menu, client = editor
    tree = {
        "button": [
            {"name": "P", "sub_button": [{"type": "click", "name": "", "key": "k"}]},
            {"type": "view", "name": "Web", "url": "https://example.com/"},
        ]
    }
    menu = factories.menu(account, tree=tree)
    html = client.get(f"/menus/{menu.pk}/").content.decode()
    summaries = re.findall(
        r'<button type="button" class="card-select" data-select="([\d.]+)".*?</button>', html, re.S
    )
    assert summaries == ["0", "0.0", "1"]
    one = re.search(r'data-select="1".*?</button>', html, re.S)[0]
    assert "Button 2" in one and "Web" in one and "Open web page" in one
    parent = re.search(r'data-select="0".*?</button>', html, re.S)[0]
    assert "sub-menu of 1" in parent
    nameless = re.search(r'data-select="0\.0".*?</button>', html, re.S)[0]
    assert "(no name)" in nameless and "1 problem" in nameless
