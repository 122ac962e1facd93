"""Drafts nobody should be able to store, through every form that saves one: the editor (save and
import), the admin and `manage.py menu_import`.

- hostile JSON in the admin's menu field: a validation error beside the field, never a 500;
- drafts of any size: refused past MAX_DRAFT_BYTES with a message saying so; the home page does not
  load trees; the editor's saved-draft cache stays within its byte budget;
- names and keys holding NUL or another control character: kept, and the platform rules' own
  control-character problem shown beside the field (they used to come back blank or stripped).

Run on SQLite and PostgreSQL alike: PostgreSQL is the one that refuses NUL, NaN and lone surrogates
outright, so what passes on SQLite here would have been a 500 there.
"""

from __future__ import annotations

import io
import json
import re
from collections import OrderedDict
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from menueditor.forms import MenuForm, draft_bytes, tree_to_post_data
from menueditor.models import Menu
from menueditor.platforms import get_platform
from menueditor.tree import MAX_DRAFT_BYTES, parse_menu
from menueditor.views import editor as editor_views

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
CONTROL_PROBLEM = "remove the line break, tab or other control character"
GOOD = {"button": [{"type": "click", "name": "Today", "key": "TODAY"}]}


@pytest.fixture
def team(factories):
    user = factories.user(username="root", superuser=True)
    account = factories.account(members=(user,))
    menu = factories.menu(account, title="Spring", tree=GOOD, user=user)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client, account, menu


def stored(menu: Menu) -> tuple:
    menu = Menu.objects.get(pk=menu.pk)
    return (menu.title, json.dumps(menu.tree, sort_keys=True), menu.revision, menu.updated_at)


def post_data(menu: Menu, tree, **extra) -> dict[str, str]:
    tree = parse_menu(tree)
    return tree_to_post_data(tree, **({"title": menu.title, "revision": str(menu.revision)} | extra))


def field_problems(html: str, key: str) -> str:
    """The text of the problems drawn beside one field."""
    match = re.search(rf'<div id="prob-{re.escape(key)}" class="field-problems"[^>]*>(.*?)</div>', html, re.S)
    assert match, f"no problems area beside {key}"
    return unescape(match[1])


def field_value(html: str, key: str) -> str:
    match = re.search(rf'name="{re.escape(key)}" type="text" value="([^"]*)"', html)
    assert match, f"no field {key}"
    return unescape(match[1])


# -- 3. hostile JSON in the admin -------------------------------------------------------------------

HOSTILE_JSON = {
    "deep nesting": "[" * 100_000,
    "deep nesting inside a menu": '{"button": ' + "[" * 100_000,
    "5000-digit number": "1" * 5000,
    "5000-digit number inside a menu": '{"button": [], "n": ' + "9" * 5000 + "}",
    "Infinity": "Infinity",
    "NaN": "NaN",
    "-Infinity inside a menu": '{"button": [{"type": "click", "name": "a", "key": -Infinity}]}',
    "1e999 inside a menu": '{"button": [{"type": "click", "name": "a", "key": 1e999}]}',
    "lone surrogate": '"\\ud800"',
    "lone surrogate in a name": '{"button": [{"type": "click", "name": "\\ud800", "key": "K"}]}',
    "lone surrogate in a key of the object": '{"button": [], "\\udfff": 1}',
    "NUL in a name": '{"button": [{"type": "click", "name": "a\\u0000b", "key": "K"}]}',
    "NUL in a key of the object": '{"button": [], "\\u0000": 1}',
    "a list": "[]",
    "a string": '"menu"',
    "a number": "1",
    "null": "null",
    "not JSON": "{button",
    "raw control character": '{"button": [{"name": "a\x01"}]}',
    "2.4 MB name": '{"button": [{"type": "click", "name": "' + "x" * 2_400_000 + '", "key": "K"}]}',
}


@pytest.mark.parametrize("text", HOSTILE_JSON.values(), ids=HOSTILE_JSON.keys())
def test_the_admin_refuses_hostile_json_beside_the_field(team, text):
    client, account, menu = team
    before = stored(menu)
    response = client.post(
        reverse("admin:menueditor_menu_change", args=[menu.pk]),
        {"account": account.pk, "title": "Changed", "tree": text},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["tree"], errors
    html = response.content.decode()
    assert 'class="errorlist' in html
    assert stored(menu) == before


def test_the_admin_shows_what_was_typed_again_when_it_is_refused(team):
    client, account, menu = team
    text = '{"button": [{"type": "click", "name": "\\ud800", "key": "K"}]}'
    response = client.post(
        reverse("admin:menueditor_menu_change", args=[menu.pk]),
        {"account": account.pk, "title": "Spring", "tree": text},
    )
    assert unescape(text) in unescape(response.content.decode())


def test_the_admin_says_why(team):
    client, account, menu = team
    url = reverse("admin:menueditor_menu_change", args=[menu.pk])

    def error(text: str) -> str:
        response = client.post(url, {"account": account.pk, "title": "Spring", "tree": text})
        return " ".join(response.context["adminform"].form.errors["tree"])

    assert "Infinity and NaN" in error('{"button": [], "x": NaN}')
    assert "surrogate" in error('{"button": [], "x": "\\ud800"}')
    assert "NUL" in error('{"button": [], "x": "\\u0000"}')
    assert "nested" in error("[" * 5000)
    assert "digits" in error("9" * 5000)
    assert "at most 64 kB" in error('{"button": [], "x": "' + "y" * MAX_DRAFT_BYTES + '"}')
    assert "not a menu" in error("[1]")


def test_the_admin_still_saves_a_menu_and_a_draft_with_problems(team):
    client, account, menu = team
    url = reverse("admin:menueditor_menu_change", args=[menu.pk])
    escaped_tab = {"button": [{"type": "click", "name": "a\tb", "key": "K\\u0000 written out"}]}
    response = client.post(url, {"account": account.pk, "title": "Autumn", "tree": json.dumps(escaped_tab)})
    assert response.status_code == 302
    menu.refresh_from_db()
    assert menu.title == "Autumn" and menu.tree == escaped_tab and menu.revision == 2


def test_the_admin_opens_a_draft_stored_before_these_checks(team):
    """A lone surrogate stored on SQLite earlier: the page still opens (escaped), and says nothing odd."""
    client, _account, menu = team
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite could have stored such a draft")
    Menu.objects.filter(pk=menu.pk).update(tree={"button": [], "\ud800": 1})
    response = client.get(reverse("admin:menueditor_menu_change", args=[menu.pk]))
    assert response.status_code == 200
    assert "\\ud800" in response.content.decode()


# -- 4. drafts of any size --------------------------------------------------------------------------


def huge_tree(name_bytes: int) -> dict:
    return {"button": [{"type": "click", "name": "x" * name_bytes, "key": "K"}]}


def test_a_full_valid_menu_is_far_under_the_limit():
    """The largest menu WeChat accepts, with every other type's values kept at their own limits."""
    leaf = {
        "type": "miniprogram",
        "name": "界" * 20,  # 60 bytes
        "url": "https://example.com/" + "a" * 1004,
        "appid": "wx" + "a" * 16,
        "pagepath": "p" * 1024,
        "key": "k" * 128,
        "media_id": "m" * 128,
        "article_id": "r" * 128,
    }
    tree = {"button": [{"name": "界" * 5, "sub_button": [dict(leaf) for _ in range(5)]} for _ in range(3)]}
    rules = get_platform("wechat")
    assert not rules.errors(parse_menu(tree))
    assert draft_bytes(tree) < MAX_DRAFT_BYTES * 0.7


@pytest.mark.parametrize("htmx", [False, True])
def test_the_editor_does_not_save_a_draft_past_the_limit(team, htmx):
    client, _account, menu = team
    before = stored(menu)
    data = post_data(menu, huge_tree(300_000))
    response = client.post(reverse("menu_save", args=[menu.pk]), data, **(HTMX if htmx else {}))
    assert response.status_code == (200 if htmx else 400)
    html = unescape(response.content.decode())
    assert "The draft was not saved" in html
    assert "at most 64 kB" in html
    assert stored(menu) == before


def test_the_editor_does_not_save_a_copy_past_the_limit_either(team):
    client, _account, menu = team
    count = Menu.objects.count()
    data = post_data(menu, huge_tree(MAX_DRAFT_BYTES), as_new="1")
    response = client.post(reverse("menu_save", args=[menu.pk]), data)
    assert response.status_code == 400
    assert Menu.objects.count() == count


def test_the_editor_saves_a_draft_just_under_the_limit(team):
    """Drafts may break the platform's rules (a name far too long), only not the storage limit."""
    client, _account, menu = team
    tree = huge_tree(MAX_DRAFT_BYTES - 200)
    assert draft_bytes(tree) <= MAX_DRAFT_BYTES
    response = client.post(reverse("menu_save", args=[menu.pk]), post_data(menu, tree))
    assert response.status_code == 302
    assert Menu.objects.get(pk=menu.pk).tree == tree


def test_the_title_has_its_limit_too(team):
    client, _account, menu = team
    before = stored(menu)
    response = client.post(reverse("menu_save", args=[menu.pk]), post_data(menu, GOOD, title="T" * 101))
    assert response.status_code == 400
    assert "at most 100 characters" in unescape(response.content.decode())
    assert stored(menu) == before


def test_a_title_with_nul_is_refused_beside_it_in_the_editor_and_the_admin(team):
    client, account, menu = team
    before = stored(menu)
    response = client.post(reverse("menu_save", args=[menu.pk]), post_data(menu, GOOD, title="Spr\x00ing"))
    assert response.status_code == 400
    assert "Null characters are not allowed" in response.content.decode()
    response = client.post(
        reverse("admin:menueditor_menu_change", args=[menu.pk]),
        {"account": account.pk, "title": "Spr\x00ing", "tree": json.dumps(GOOD)},
    )
    assert list(response.context["adminform"].form.errors) == ["title"]
    assert stored(menu) == before


def test_import_refuses_a_menu_past_the_limit(team):
    client, _account, menu = team
    before = stored(menu)
    pasted = json.dumps(huge_tree(MAX_DRAFT_BYTES + 1))
    response = client.post(reverse("menu_import", args=[menu.pk]), post_data(menu, GOOD, import_text=pasted))
    assert response.status_code == 400
    assert "at most 64 kB" in unescape(response.content.decode())
    assert stored(menu) == before


def test_the_home_page_does_not_load_trees(team):
    client, account, _menu = team
    Menu.objects.create(account=account, title="Big old draft", tree=huge_tree(300_000))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Big old draft" in response.content.decode()
    menu_queries = [q["sql"] for q in queries.captured_queries if "menueditor_menu" in q["sql"]]
    assert menu_queries
    assert not any('"menueditor_menu"."tree"' in sql for sql in menu_queries)


def test_a_large_draft_stored_before_the_limit_opens_and_is_kept_until_shortened(team):
    client, account, _menu = team
    big = Menu.objects.create(account=account, title="Old", tree=huge_tree(300_000))
    response = client.get(reverse("menu_edit", args=[big.pk]))
    assert response.status_code == 200
    before = stored(big)
    data = post_data(big, big.tree, title="Old, renamed")
    assert client.post(reverse("menu_save", args=[big.pk]), data).status_code == 400
    assert stored(big) == before
    data["b-0-name"] = "Short"
    assert client.post(reverse("menu_save", args=[big.pk]), data).status_code == 302
    assert Menu.objects.get(pk=big.pk).tree["button"][0]["name"] == "Short"


def test_the_saved_draft_cache_is_bounded_in_bytes(team, monkeypatch):
    client, account, _menu = team
    monkeypatch.setattr(editor_views, "_SAVED_CACHE", OrderedDict())
    monkeypatch.setattr(editor_views, "_saved_cache_bytes", 0)
    monkeypatch.setattr(editor_views, "SAVED_CACHE_MAX_BYTES", 1024 * 1024)
    drafts = [
        Menu.objects.create(account=account, title=f"Old {i}", tree=huge_tree(100_000 + i)) for i in range(8)
    ]
    for draft in drafts:  # 8 drafts of 100 kB, counted twice (key and tree): 1.6 MB
        assert client.get(reverse("menu_edit", args=[draft.pk])).status_code == 200
        assert editor_views.saved_cache_size()[1] <= 1024 * 1024
    entries, _size = editor_views.saved_cache_size()
    assert 2 < entries < 8  # the oldest went first
    # The most recently used stay: opening the newest again is a hit, and the draft still opens.
    assert client.get(reverse("menu_edit", args=[drafts[-1].pk])).status_code == 200
    assert editor_views.saved_cache_size()[0] == entries
    # A draft larger than the whole budget is used, never kept.
    huge = Menu.objects.create(account=account, title="Huge", tree=huge_tree(600_000))
    assert client.get(reverse("menu_edit", args=[huge.pk])).status_code == 200
    assert editor_views.saved_cache_size()[0] == entries


# -- 6. control characters in imported names and keys ---------------------------------------------

CONTROL_NAMES = {
    "NUL inside": "A\x00B",
    "NUL alone": "\x00",
    "SOH at the end": "Menu\x01",
    "line break first": "\nMenu",
    "tab last": "Menu\t",
    "unit separator last": "Menu\x1f",
}


def import_post(client, menu, text: str, *, upload: bool = False, htmx: bool = True):
    data = post_data(menu, GOOD)
    if upload:
        data["import_file"] = SimpleUploadedFile("menu.json", text.encode("utf-8"), "application/json")
    else:
        data["import_text"] = text
    return client.post(reverse("menu_import", args=[menu.pk]), data, **(HTMX if htmx else {}))


@pytest.mark.parametrize("upload", [False, True], ids=["pasted", "uploaded"])
@pytest.mark.parametrize("value", CONTROL_NAMES.values(), ids=CONTROL_NAMES.keys())
def test_an_imported_name_or_key_with_a_control_character_is_kept_and_shown_as_a_problem(team, value, upload):
    client, _account, menu = team
    before = stored(menu)
    text = json.dumps({"button": [{"type": "click", "name": value, "key": "K" + value}]})
    response = import_post(client, menu, text, upload=upload)
    assert response.status_code == 200
    html = response.content.decode()
    assert field_value(html, "b-0-name") == value
    assert field_value(html, "b-0-key") == "K" + value
    assert CONTROL_PROBLEM in field_problems(html, "b-0-name")
    assert CONTROL_PROBLEM in field_problems(html, "b-0-key")
    assert f"U+{ord(value.strip('AMBenu')[0]):04X}" in field_problems(html, "b-0-name")
    assert stored(menu) == before  # import only fills the form


def test_a_control_character_in_a_sub_button_is_shown_beside_it(team):
    client, _account, menu = team
    text = json.dumps(
        {
            "button": [
                {
                    "name": "More",
                    "sub_button": [{"type": "view", "name": "Site\x00", "url": "https://a.example/"}],
                }
            ]
        }
    )
    html = import_post(client, menu, text).content.decode()
    assert field_value(html, "b-0-s-0-name") == "Site\x00"
    assert CONTROL_PROBLEM in field_problems(html, "b-0-s-0-name")


def test_a_draft_with_nul_is_not_saved_and_says_where(team):
    """PostgreSQL cannot store U+0000: the draft is refused on every database, the field marked."""
    client, _account, menu = team
    before = stored(menu)
    tree = {"button": [{"type": "click", "name": "A\x00B", "key": "K"}]}
    response = client.post(reverse("menu_save", args=[menu.pk]), post_data(menu, tree))
    assert response.status_code == 400
    html = response.content.decode()
    assert "The draft was not saved" in unescape(html)
    assert CONTROL_PROBLEM in field_problems(html, "b-0-name")
    assert field_value(html, "b-0-name") == "A\x00B"
    assert stored(menu) == before


def test_nul_in_a_value_the_type_does_not_use_is_shown_too(team):
    client, _account, menu = team
    data = post_data(menu, GOOD) | {"b-0-url": "https://a.example/\x00"}  # kept while the type is click
    form = MenuForm(data, platform=get_platform("wechat"))
    assert not form.can_save
    assert any(p.field == "url" and "U+0000" in p.message for p in form.problems)
    response = client.post(reverse("menu_save", args=[menu.pk]), data)
    assert response.status_code == 400
    assert "U+0000" in response.content.decode()


def test_a_draft_with_other_control_characters_is_saved_with_them(team):
    """Drafts may hold problems; these the database can keep, and publishing refuses them."""
    client, _account, menu = team
    tree = {"button": [{"type": "click", "name": "\tMenu\x01", "key": "K\n"}]}
    response = client.post(reverse("menu_save", args=[menu.pk]), post_data(menu, tree))
    assert response.status_code == 302
    assert Menu.objects.get(pk=menu.pk).tree == tree


def test_spaces_around_a_typed_name_are_still_trimmed(team):
    client, _account, menu = team
    tree = {"button": [{"type": "click", "name": "  Menu\u3000", "key": " K "}]}
    client.post(reverse("menu_save", args=[menu.pk]), post_data(menu, tree))
    assert Menu.objects.get(pk=menu.pk).tree["button"][0] == {"type": "click", "name": "Menu", "key": "K"}


@pytest.mark.parametrize("value", CONTROL_NAMES.values(), ids=CONTROL_NAMES.keys())
def test_menu_import_refuses_a_control_character_and_says_where(factories, tmp_path, value):
    account = factories.account()
    path = tmp_path / "menu.json"
    path.write_text(json.dumps({"button": [{"type": "click", "name": value, "key": "K"}]}))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("menu_import", "--account", account.slug, str(path), stdout=io.StringIO(), stderr=err)
    assert "button 1: name: " + CONTROL_PROBLEM in err.getvalue()
    assert not Menu.objects.filter(account=account).exists()


def test_menu_import_refuses_a_title_with_nul(factories, tmp_path):
    account = factories.account()
    path = tmp_path / "menu.json"
    path.write_text(json.dumps(GOOD))
    with pytest.raises(CommandError, match="control character"):
        call_command(
            "menu_import", "--account", account.slug, "--title", "Spring\x00", str(path), stdout=io.StringIO()
        )
    assert not Menu.objects.filter(account=account).exists()
