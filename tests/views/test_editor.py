"""The menu editor through the Django test client: the whole form round trip, as the browser posts it."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from menueditor.forms import MenuForm, tree_to_post_data
from menueditor.models import Menu, Publication
from menueditor.naming import parse_field_name
from menueditor.platforms import PLATFORMS, get_platform
from menueditor.tree import parse_menu
from tests.platforms.test_examples import ALL as EXAMPLES
from tests.platforms.test_examples import example

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def editor(factories):
    user = factories.user(perms=("change_menu", "publish_menu"))
    account = factories.account(members=(user,))
    menu = factories.menu(account, user=user)
    client = Client()
    client.force_login(user)
    return user, account, menu, client


def post_data(menu: Menu, tree=None, **extra) -> dict[str, str]:
    tree = parse_menu(tree if tree is not None else menu.tree)
    return tree_to_post_data(tree, **({"title": menu.title, "revision": str(menu.revision)} | extra))


def url(name: str, menu: Menu) -> str:
    return reverse(name, args=[menu.pk])


# -- the page -----------------------------------------------------------------------------------


def test_editor_page_shows_the_form_and_the_phone(editor):
    _user, account, menu, client = editor
    response = client.get(url("menu_edit", menu))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="b-0-name" type="text" value="今日歌曲"' in html
    assert 'name="b-1-s-1-key"' in html
    assert "12/16 bytes" in html  # 今日歌曲 counts 12 bytes, as WeChat counts
    assert 'id="phone-menu" class="pm slots-2"' in html
    assert account.name in html
    # Strict CSP: no inline style attributes and no inline scripts anywhere in the page.
    assert "style=" not in html
    assert "<script>" not in html.replace("<script src=", "")


def test_other_accounts_menus_are_not_found(editor, factories):
    _user, _account, _menu, client = editor
    stranger = factories.account()
    theirs = factories.menu(stranger)
    for name in ("menu_edit", "menu_export"):
        assert client.get(url(name, theirs)).status_code == 404
    for name in ("menu_preview", "menu_structure", "menu_save", "menu_import", "menu_publish_review"):
        assert client.post(url(name, theirs), post_data(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revision == 1


def test_signed_out_users_are_sent_to_sign_in(editor):
    _user, _account, menu, _client = editor
    response = Client().get(url("menu_edit", menu))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# -- typing: the preview and the problems follow ------------------------------------------------


def test_preview_answers_with_the_preview_usage_and_problems_only(editor):
    _user, _account, menu, client = editor
    data = post_data(menu)
    data["b-0-name"] = "今日歌曲推荐"  # 18 bytes: over WeChat's 16
    response = client.post(url("menu_preview", menu), data, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="phone-menu"' in html and 'hx-swap-oob="true"' in html
    assert '<span id="use-b-0-name" class="usage over" hx-swap-oob="true">18/16 bytes</span>' in html
    assert "the name is 18 bytes; at most 16 bytes are allowed here" in html
    assert "40018" in html  # WeChat's own code for this rule
    # The fields themselves are never sent back while typing: focus and cursor stay put.
    assert 'name="b-0-name"' not in html
    assert 'id="save-status"' in html and 'data-dirty="true"' in html


def test_preview_sends_only_the_typed_in_buttons_counts(editor):
    _user, _account, menu, client = editor
    data = post_data(menu, touched="1.0")
    data["b-1-s-0-name"] = "搜一搜"
    html = client.post(url("menu_preview", menu), data, **HTMX).content.decode()
    assert '<span id="use-b-1-s-0-name" class="usage" hx-swap-oob="true">9/60 bytes</span>' in html
    assert 'id="use-b-0-name"' not in html and 'id="use-b-1-s-1-name"' not in html
    assert "搜一搜" in html  # the preview itself is always whole


def test_preview_shows_names_truncated_as_the_phone_does(editor):
    _user, _account, menu, client = editor
    data = post_data(menu)
    data["b-0-name"] = "五个汉字啊"  # 15 bytes: allowed, but wider than the phone shows
    html = client.post(url("menu_preview", menu), data, **HTMX).content.decode()
    assert "五个汉字..." in html  # four CJK characters fit on a top-level WeChat button
    assert "phones show only “五个汉字...”" in html
    assert 'class="problem warning"' in html


def test_untouched_form_is_not_dirty(editor):
    _user, _account, menu, client = editor
    html = client.post(url("menu_preview", menu), post_data(menu), **HTMX).content.decode()
    assert 'data-dirty="false"' in html


def test_garbage_posts_get_an_answer_not_an_error(editor):
    _user, _account, menu, client = editor
    garbage = [
        {},
        {"title": "x" * 500, "revision": "abc", "open": "-3", "selected": "x" * 99},
        {"b-0-kind": "nonsense", "b-0-name": "\x00", "b-0-type": "💥" * 100, "b-99-name": "far"},
        {"b-0-s-0-s-0-name": "deep", "b-0-kind": "parent", "b-0-s-3-url": "javascript:alert(1)"},
        {f"b-{i}-name": "n" for i in range(12)},
    ]
    for data in garbage:
        for name in ("menu_preview", "menu_structure", "menu_save", "menu_import"):
            response = client.post(url(name, menu), data, **HTMX)
            assert response.status_code in (200, 204), (name, data, response.status_code)
            response = client.post(url(name, menu), data)
            assert response.status_code in (200, 302, 400, 409), (name, data, response.status_code)
    menu.refresh_from_db()
    assert menu.revision == 1


def test_form_parses_position_names_into_the_tree_and_reports_errors_by_field():
    data = {
        "title": "t",
        "revision": "1",
        "b-0-kind": "parent",
        "b-0-name": "菜单",
        "b-0-s-0-name": "搜索",
        "b-0-s-0-type": "view",
        "b-0-s-0-url": "ftp://nope",
        "b-0-s-1-name": "",
        "b-0-s-1-type": "click",
        "b-0-s-1-key": "K",
        "b-1-kind": "leaf",
        "b-1-name": "关于",
        "b-1-type": "click",
        "b-1-key": "ABOUT",
    }
    form = MenuForm(data, platform=get_platform("wechat"))
    assert not form.is_valid()
    assert form.can_save  # a draft may break the platform's rules
    assert form.tree.to_json() == {
        "button": [
            {
                "name": "菜单",
                "sub_button": [
                    {"type": "view", "name": "搜索", "url": "ftp://nope"},
                    {"type": "click", "name": "", "key": "K"},
                ],
            },
            {"type": "click", "name": "关于", "key": "ABOUT"},
        ]
    }
    assert "b-0-s-0-url" in form.errors
    assert "b-0-s-1-name" in form.errors
    assert "b-1-name" not in form.errors


# -- structure ------------------------------------------------------------------------------------


def structure(client, menu, op, data=None, **extra):
    data = dict(data if data is not None else post_data(menu))
    data["op"] = op
    return client.post(url("menu_structure", menu), data, **extra)


def test_add_a_sub_button_redraws_the_form_with_the_new_fields(editor):
    _user, _account, menu, client = editor
    response = structure(client, menu, "add-sub:1", **HTMX)
    html = response.content.decode()
    assert '<div id="tree" class="tree" hx-swap-oob="true">' in html
    assert 'name="b-1-s-2-name"' in html
    assert 'id="f-b-1-s-2-name" name="b-1-s-2-name" type="text" value=""' in html
    assert "autofocus" in html.split('id="f-b-1-s-2-name"')[1].split(">")[0]


def test_full_round_trip_through_structure_edits(editor):
    _user, _account, menu, client = editor
    data = post_data(menu, {"button": []})
    names = ["新品", "会员", "关于"]
    for i, name in enumerate(names):
        data = _form_data(structure(client, menu, "add", data))
        assert data[f"b-{i}-name"] == "" and data[f"b-{i}-type"] == "view"
        data[f"b-{i}-name"] = name
        data = _form_data(structure(client, menu, f"to-parent:{i}", data))
        for j in range(5):
            if j:
                data = _form_data(structure(client, menu, f"add-sub:{i}", data))
            data[f"b-{i}-s-{j}-name"] = f"{name}{j + 1}"
            data[f"b-{i}-s-{j}-url"] = f"https://example.com/{i}/{j}"
    page = structure(client, menu, "add-sub:0", data).content.decode()
    assert "A sub-menu holds at most 5 buttons." in page
    page = structure(client, menu, "add", data).content.decode()
    assert "WeChat menus hold at most 3 buttons." in page
    response = client.post(url("menu_save", menu), data)
    assert response.status_code == 302
    menu.refresh_from_db()
    tree = parse_menu(menu.tree)
    assert [b.name for b in tree.buttons] == names
    assert [len(b.children) for b in tree.buttons] == [5, 5, 5]
    assert tree.buttons[2].children[4].values == {"url": "https://example.com/2/4"}
    assert get_platform("wechat").errors(tree) == []
    assert menu.revision == 2


def _form_data(response) -> dict[str, str]:
    """The values of the form as the page shows them: what the browser would post next."""
    import re

    html = response.content.decode()
    data: dict[str, str] = {}
    for match in re.finditer(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        data[match[1]] = _unescape(match[2])
    for match in re.finditer(r'<select[^>]*name="([^"]+)".*?</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', match[0])
        data[match[1]] = chosen[1] if chosen else ""
    data.pop("op", None)
    data.pop("csrfmiddlewaretoken", None)
    return data


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_move_up_down_and_to_another_parent(editor, factories):
    _user, account, _menu, client = editor
    menu = factories.menu(
        account,
        tree={
            "button": [
                {"name": "A", "sub_button": [{"type": "click", "name": "a1", "key": "1"}]},
                {"name": "B", "sub_button": [{"type": "click", "name": "b1", "key": "2"}]},
                {"type": "click", "name": "C", "key": "3"},
            ]
        },
    )
    data = _form_data(structure(client, menu, "move:0.0>1.0"))
    assert data["b-0-kind"] == "parent" and "b-0-s-0-name" not in data
    assert (data["b-1-s-0-name"], data["b-1-s-1-name"]) == ("a1", "b1")
    data = _form_data(structure(client, menu, "down:1.0", data))
    assert (data["b-1-s-0-name"], data["b-1-s-1-name"]) == ("b1", "a1")
    data = _form_data(structure(client, menu, "up:2", data))
    assert [data[f"b-{i}-name"] for i in range(3)] == ["A", "C", "B"]
    data = _form_data(structure(client, menu, "move:2>0", data))
    assert [data[f"b-{i}-name"] for i in range(3)] == ["B", "A", "C"]


def test_move_into_a_full_sub_menu_is_refused_with_the_reason(editor, factories):
    _user, account, _menu, client = editor
    full = [{"type": "click", "name": f"s{i}", "key": str(i)} for i in range(5)]
    menu = factories.menu(
        account,
        tree={
            "button": [
                {"name": "A", "sub_button": full},
                {"name": "B", "sub_button": [{"type": "click", "name": "b1", "key": "b"}]},
            ]
        },
    )
    html = structure(client, menu, "move:1.0>0").content.decode()
    assert "Button 1&#x27;s sub-menu already holds 5 buttons." in html or "already holds 5" in html
    data = _form_data(structure(client, menu, "move:1.0>0"))
    assert data["b-1-s-0-name"] == "b1"


def test_a_moved_button_is_selected_and_focused_in_the_answer(editor, factories):
    """The form, the phone and the arrow the person keeps pressing all point at the moved button."""
    _user, account, _menu, client = editor
    subs = [{"type": "click", "name": f"s{i}", "key": str(i)} for i in range(3)]
    menu = factories.menu(
        account,
        tree={"button": [{"type": "click", "name": "A", "key": "a"}, {"name": "B", "sub_button": subs}]},
    )
    html = structure(client, menu, "down:1.0", post_data(menu, selected="0"), **HTMX).content.decode()
    assert re.search(r'<li class="btn-card level-2 is-selected" id="card-1\.1" data-path="1\.1"', html)
    assert len(re.findall(r"btn-card[^\"]* is-selected", html)) == 1
    assert '<input type="hidden" id="f-selected" name="selected" value="1.1">' in html
    assert re.search(r'class="pm-sub-item is-selected" data-path="1\.1"', html)
    assert re.findall(r'<button[^>]*id="([^"]+)"[^>]*autofocus', html) == ["mv-down-1.1"]
    # At the end of the sub-menu the pressed arrow is disabled: the other one takes the focus.
    html = structure(
        client, menu, "down:1.1", _form_data(structure(client, menu, "down:1.0")), **HTMX
    ).content.decode()
    assert re.findall(r'<button[^>]*id="([^"]+)"[^>]*autofocus', html) == ["mv-up-1.2"]
    # A refused edit leaves the selection where it was.
    html = structure(client, menu, "up:1.0", post_data(menu, selected="0"), **HTMX).content.decode()
    assert '<input type="hidden" id="f-selected" name="selected" value="0">' in html
    assert "autofocus" not in html


def test_removing_the_last_sub_button_focuses_its_parents_add_button(editor, factories):
    _user, account, _menu, client = editor
    menu = factories.menu(
        account, tree={"button": [{"name": "P", "sub_button": [{"type": "click", "name": "a", "key": "a"}]}]}
    )
    html = structure(client, menu, "remove:0.0", **HTMX).content.decode()
    assert re.search(r'<button type="submit" id="add-sub-0"[^>]*autofocus', html)
    html = structure(client, menu, "remove:0", **HTMX).content.decode()
    assert re.search(r'<button type="submit" id="add-top"[^>]*autofocus', html)


def test_the_page_gives_the_script_each_buttons_path_and_name_field(editor):
    """editor.js finds a button's name field and reports the buttons typed in through these."""
    _user, _account, menu, client = editor
    html = client.get(url("menu_edit", menu)).content.decode()
    cards = re.findall(
        r'<li class="btn-card[^"]*" id="card-([0-9.]+)" data-path="([0-9.]+)" data-name-field="([^"]+)"', html
    )
    assert [(path, field) for _id, path, field in cards] == [
        ("0", "f-b-0-name"),
        ("1", "f-b-1-name"),
        ("1.0", "f-b-1-s-0-name"),
        ("1.1", "f-b-1-s-1-name"),
    ]
    for _id, _path, field in cards:
        assert f'id="{field}"' in html
    assert re.search(r'<input id="f-title" name="title"[^>]*data-touch="title"', html)


@pytest.mark.parametrize("platform", list(PLATFORMS))
@pytest.mark.parametrize("name", [name for name, _platform in EXAMPLES])
def test_every_example_round_trips_through_the_page(editor, factories, platform, name):
    """What the page draws for a menu is what the form reads back: names the template writes are
    the names the form reads, on every platform."""
    user, _account, _menu, client = editor
    account = factories.account(platform=platform, members=(user,))
    menu = factories.menu(account, tree=json.loads(example(name)))
    data = _form_data(client.get(url("menu_edit", menu)))
    form = MenuForm(data, platform=get_platform(platform))
    assert form.can_save
    assert {k for k in data if parse_field_name(k)} == {k for k in post_data(menu) if parse_field_name(k)}
    assert form.tree == parse_menu(menu.tree).canonical()
    assert form.tree.buttons and [b.name for b in form.tree.buttons] == [
        b.name for b in parse_menu(menu.tree).buttons
    ]


# -- save -----------------------------------------------------------------------------------------


def test_save_keeps_the_draft_and_bumps_the_revision(editor):
    user, _account, menu, client = editor
    data = post_data(menu, title="Spring menu")
    data["b-0-name"] = "春季新品"
    response = client.post(url("menu_save", menu), data, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<input type="hidden" id="revision" name="revision" value="2" hx-swap-oob="true">' in html
    assert response["HX-Trigger"] == "editor-saved"
    menu.refresh_from_db()
    assert (menu.title, menu.revision, menu.updated_by) == ("Spring menu", 2, user)
    assert menu.tree["button"][0]["name"] == "春季新品"


def test_a_draft_without_a_title_is_not_saved_and_the_form_is_kept(editor):
    _user, _account, menu, client = editor
    data = post_data(menu, title="  ")
    data["b-0-name"] = "改了名字"
    html = client.post(url("menu_save", menu), data, **HTMX).content.decode()
    assert 'id="prob-title"' in html and "This field is required." in html
    assert "The draft was not saved" in html
    assert 'name="b-0-name"' not in html  # what was typed stays on the screen
    response = client.post(url("menu_save", menu), data)
    assert response.status_code == 400 and 'value="改了名字"' in response.content.decode()
    menu.refresh_from_db()
    assert menu.revision == 1


def test_unknown_structure_edits_change_nothing(editor):
    _user, _account, menu, client = editor
    for op in ("explode:1", "remove:9", "move:0>1.0", "up:0", "add-sub:0", "to-leaf:1", ""):
        data = _form_data(structure(client, menu, op))
        assert parse_menu(menu.tree).to_json() == _tree_of(data), op


def _tree_of(data):
    form = MenuForm(data, platform=get_platform("wechat"))
    form.is_valid()
    return form.tree.to_json()


def test_invalid_menus_can_be_saved_as_drafts(editor):
    _user, _account, menu, client = editor
    data = post_data(menu)
    data["b-0-name"] = ""
    response = client.post(url("menu_save", menu), data)
    assert response.status_code == 302
    menu.refresh_from_db()
    assert menu.revision == 2 and menu.tree["button"][0]["name"] == ""


def test_save_conflict_says_who_and_keeps_the_edits(editor, factories):
    user, account, menu, client = editor
    other = factories.user(username="lilei", perms=("change_menu",))
    account.members.add(other)
    mine = post_data(menu)
    mine["b-0-name"] = "我的改动"
    # Someone else saves first.
    theirs = post_data(menu)
    theirs["b-0-name"] = "他的改动"
    other_client = Client()
    other_client.force_login(other)
    assert other_client.post(url("menu_save", menu), theirs).status_code == 302

    response = client.post(url("menu_save", menu), mine, **HTMX)
    html = response.content.decode()
    assert "lilei saved revision 2" in html
    assert "Keep mine as a new draft" in html
    assert 'name="b-0-name"' not in html  # the user's fields stay untouched on the screen
    menu.refresh_from_db()
    assert menu.tree["button"][0]["name"] == "他的改动"

    # Without htmx the whole page comes back with the user's edits in the fields.
    response = client.post(url("menu_save", menu), mine)
    assert response.status_code == 409
    assert 'value="我的改动"' in response.content.decode()

    response = client.post(url("menu_save", menu), mine | {"as_new": "1"}, **HTMX)
    assert response.status_code == 204
    copy = Menu.objects.exclude(pk=menu.pk).get(account=account)
    assert response["HX-Redirect"] == url("menu_edit", copy)
    assert copy.tree["button"][0]["name"] == "我的改动"
    assert copy.updated_by == user
    assert copy.title.startswith("Your edits kept after a conflict, ")  # says where it came from


def test_save_needs_the_edit_permission(editor, factories):
    _user, account, menu, _client = editor
    viewer = factories.user()
    account.members.add(viewer)
    client = Client()
    client.force_login(viewer)
    assert client.get(url("menu_edit", menu)).status_code == 200
    assert client.post(url("menu_save", menu), post_data(menu)).status_code == 403


def test_csrf_is_enforced(editor):
    user, _account, menu, _client = editor
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    for name in ("menu_preview", "menu_structure", "menu_save", "menu_import", "menu_publish"):
        assert client.post(url(name, menu), post_data(menu), **HTMX).status_code == 403
    page = client.get(url("menu_edit", menu)).content.decode()
    token = client.cookies["csrftoken"].value
    assert "X-CSRFToken" in page
    response = client.post(url("menu_save", menu), post_data(menu), HTTP_X_CSRFTOKEN=token, **HTMX)
    assert response.status_code == 200


# -- import and export ----------------------------------------------------------------------------


def test_export_downloads_the_platform_payload(editor):
    _user, _account, menu, client = editor
    response = client.get(url("menu_export", menu))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    body = response.content.decode("utf-8")
    assert "今日歌曲" in body and "\\u" not in body
    assert json.loads(body) == get_platform("wechat").payload(parse_menu(menu.tree))


def test_import_pasted_json_fills_the_form_without_saving(editor):
    _user, _account, menu, client = editor
    pasted = json.dumps(
        {"menu": {"button": [{"type": "view", "name": "官网", "url": "https://example.com/"}]}},
        ensure_ascii=False,
    )
    response = client.post(url("menu_import", menu), post_data(menu, import_text=pasted), **HTMX)
    html = response.content.decode()
    assert 'value="官网"' in html
    assert "Imported 1 top-level buttons" in html
    menu.refresh_from_db()
    assert menu.revision == 1 and menu.tree["button"][0]["name"] == "今日歌曲"


def test_import_upload_and_bad_json(editor):
    _user, _account, menu, client = editor
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "menu.json",
        '{"button": [{"type": "click", "name": "签到", "key": "SIGN"}]}'.encode(),
        content_type="application/json",
    )
    html = client.post(url("menu_import", menu), post_data(menu) | {"import_file": upload}, **HTMX).content
    assert 'value="签到"' in html.decode()
    html = client.post(
        url("menu_import", menu), post_data(menu, import_text="{nope"), **HTMX
    ).content.decode()
    assert "This is not JSON: line 1, column 2." in html
    assert "Expecting" not in html  # not the parser's English
    assert 'id="tree"' not in html  # the form is left as it was


# -- publish --------------------------------------------------------------------------------------


def test_publish_review_then_publish_to_the_simulator(editor, simulator):
    _user, account, menu, client = editor
    account.api_base = simulator.url
    account.save()
    html = client.post(url("menu_publish_review", menu), post_data(menu), **HTMX).content.decode()
    assert 'id="publish-panel"' in html
    assert "Publish now" in html
    response = client.post(
        url("menu_publish", menu), post_data(menu, reviewed_revision="1", confirm_drift="0"), **HTMX
    )
    html = response.content.decode()
    assert "Published" in html
    assert simulator.wechat_menu["button"][0]["name"] == "今日歌曲"
    assert Publication.objects.filter(menu=menu, outcome="success").count() == 1


def test_publish_refuses_unsaved_edits(editor, simulator):
    _user, account, menu, client = editor
    account.api_base = simulator.url
    account.save()
    data = post_data(menu, reviewed_revision="1")
    data["b-0-name"] = "没保存"
    html = client.post(url("menu_publish", menu), data, **HTMX).content.decode()
    assert "Save your changes first" in html
    assert simulator.wechat_menu is None


def test_publish_needs_the_permission(editor, factories):
    _user, account, menu, _client = editor
    editor_only = factories.user(perms=("change_menu",))
    account.members.add(editor_only)
    client = Client()
    client.force_login(editor_only)
    page = client.get(url("menu_edit", menu)).content.decode()
    assert 'id="publish-button"' not in page
    assert "Publishing needs the Menu publishers group; ask an admin." in page  # why, in its place
    assert client.post(url("menu_publish", menu), post_data(menu, reviewed_revision="1")).status_code == 403


def _fingerprint(html: str) -> str:
    match = re.search(r'name="live_fingerprint" value="([0-9a-f]+)"', html)
    assert match, "the answer carries no live_fingerprint to confirm against"
    return match.group(1)


def test_publish_review_warns_when_the_live_menu_changed_elsewhere(editor, simulator):
    _user, account, menu, client = editor
    account.api_base = simulator.url
    account.save()
    simulator.wechat_menu = {"button": [{"type": "click", "name": "控制台做的", "key": "X"}]}
    html = client.post(url("menu_publish_review", menu), post_data(menu), **HTMX).content.decode()
    assert "changed elsewhere" in html and "Replace the live menu" in html
    seen = _fingerprint(html)
    # Publishing without confirming what the review showed is refused; the live menu is kept.
    data = post_data(menu, reviewed_revision="1")
    html = client.post(url("menu_publish", menu), data, **HTMX).content.decode()
    assert "Replace the live menu" in html
    assert simulator.wechat_menu["button"][0]["name"] == "控制台做的"
    data["live_fingerprint"] = seen
    html = client.post(url("menu_publish", menu), data, **HTMX).content.decode()
    assert "Published" in html
    assert simulator.wechat_menu["button"][0]["name"] == "今日歌曲"


def test_a_confirmation_covers_only_the_live_menu_it_was_given_for(editor, simulator):
    _user, account, menu, client = editor
    account.api_base = simulator.url
    account.save()
    simulator.wechat_menu = {"button": [{"type": "click", "name": "控制台做的", "key": "X"}]}
    html = client.post(url("menu_publish_review", menu), post_data(menu), **HTMX).content.decode()
    seen = _fingerprint(html)
    # A colleague changes the live menu again in the console while the review is open.
    simulator.wechat_menu = {"button": [{"type": "click", "name": "又改了", "key": "Y"}]}
    data = post_data(menu, reviewed_revision="1", live_fingerprint=seen)
    html = client.post(url("menu_publish", menu), data, **HTMX).content.decode()
    assert "changed after you reviewed it" in html and "又改了" in html
    assert simulator.wechat_menu["button"][0]["name"] == "又改了"
    assert not simulator.requests_to("/cgi-bin/menu/create")
    # Confirming what is shown now replaces exactly that menu.
    data["live_fingerprint"] = _fingerprint(html)
    assert data["live_fingerprint"] != seen
    html = client.post(url("menu_publish", menu), data, **HTMX).content.decode()
    assert "Published" in html
    assert simulator.wechat_menu["button"][0]["name"] == "今日歌曲"


def test_publish_failure_is_explained_and_the_draft_kept(editor, simulator):
    _user, account, menu, client = editor
    account.api_base = simulator.url
    account.save()
    simulator.add_fault("/cgi-bin/menu/create", errcode=45009, errmsg="reach max api daily quota limit")
    review = client.post(url("menu_publish_review", menu), post_data(menu), **HTMX).content.decode()
    data = post_data(menu, reviewed_revision="1", live_fingerprint=_fingerprint(review))
    html = client.post(url("menu_publish", menu), data, **HTMX).content.decode()
    assert "Not published" in html and "45009" in html
    assert "Your draft is unchanged." in html
    menu.refresh_from_db()
    assert menu.revision == 1


def test_publish_review_of_an_invalid_saved_draft_says_why(editor):
    _user, _account, menu, client = editor
    menu.tree = {"button": [{"type": "view", "name": "", "url": "nope"}]}
    menu.save()
    html = client.post(url("menu_publish_review", menu), post_data(menu), **HTMX).content.decode()
    assert "Fix the 2 problems and save before publishing." in html
