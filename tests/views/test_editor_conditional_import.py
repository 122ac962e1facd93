"""The editor's Import of an add call's body with its match rule, read as menu_import reads a file."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from menueditor.forms import tree_to_post_data
from menueditor.models import Menu
from menueditor.tree import parse_menu

from .conftest import client_for

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
BUTTONS = [{"type": "click", "name": "会员专享", "key": "VIP"}]


@pytest.fixture(autouse=True)
def _no_cached_tags():
    cache.clear()
    yield
    cache.clear()


def post(menu: Menu, text: str, **extra) -> dict[str, str]:
    data = {"title": menu.title, "revision": str(menu.revision), "import_text": text}
    return tree_to_post_data(parse_menu(menu.tree), **(data | extra))


def body(matchrule) -> str:
    return json.dumps({"button": BUTTONS, "matchrule": matchrule}, ensure_ascii=False)


def test_importing_an_addconditional_body_sets_the_rule_and_fills_the_form(team, factories):
    team.sim.add_wechat_tag("100", "VIP会员")
    menu = factories.menu(team.a, title="Default")
    client = client_for(team.editor)
    response = client.post(f"/menus/{menu.pk}/import/", post(menu, body({"tag_id": "100"})), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="会员专享"' in html  # the buttons are in the form
    assert "The draft is now for: Followers tagged “VIP会员” (0 followers)" in html
    # The rule is kept at once, with a new revision the form goes on with; the buttons only on Save.
    menu.refresh_from_db()
    assert menu.match_rule == {"tag_id": "100"} and menu.revision == 2
    assert menu.tree["button"][0]["name"] == "今日歌曲"
    assert 'id="revision" name="revision" value="2" hx-swap-oob="true"' in html
    assert 'id="match-rule" aria-labelledby="match-rule-title" hx-swap-oob="true"' in html
    assert 'id="audience" hx-swap-oob="true"' in html
    # Saving the imported buttons goes through without a conflict.
    saved = client.post(
        f"/menus/{menu.pk}/save/",
        tree_to_post_data(parse_menu({"button": BUTTONS}), title=menu.title, revision="2"),
        **HTMX,
    )
    assert saved.status_code == 200
    menu.refresh_from_db()
    assert menu.tree == {"button": BUTTONS} and menu.match_rule == {"tag_id": "100"}
    # Export gives the same body back.
    exported = client.get(f"/menus/{menu.pk}/export/")
    assert json.loads(exported.content) == {"button": BUTTONS, "matchrule": {"tag_id": "100"}}


def test_the_same_rule_or_none_leaves_the_draft_for_its_followers(team, factories):
    menu = factories.menu(team.a, title="VIP")
    menu.match_rule = {"tag_id": "100"}
    menu.save()
    client = client_for(team.editor)
    html = client.post(f"/menus/{menu.pk}/import/", post(menu, body({"tag_id": 100})), **HTMX)
    assert "The draft stays for: Followers with tag 100" in html.content.decode()
    plain = json.dumps({"button": BUTTONS})
    client.post(f"/menus/{menu.pk}/import/", post(menu, plain), **HTMX)
    menu.refresh_from_db()
    assert menu.match_rule == {"tag_id": "100"} and menu.revision == 1


@pytest.mark.parametrize(
    ("matchrule", "said"),
    [
        ({"sex": "1"}, "uses sex, which the platform no longer matches on"),
        ({}, "match rule is empty"),
        ("2", "match rule is not an object"),
    ],
)
def test_a_rule_the_platform_refuses_is_said_beside_the_import(team, factories, matchrule, said):
    menu = factories.menu(team.a, title="Default")
    response = client_for(team.editor).post(f"/menus/{menu.pk}/import/", post(menu, body(matchrule)))
    assert response.status_code == 400
    html = response.content.decode()
    assert said in html
    assert 'value="会员专享"' not in html  # nothing imported
    menu.refresh_from_db()
    assert menu.match_rule == {} and menu.revision == 1


def test_a_draft_saved_meanwhile_is_not_given_a_rule_behind_its_back(team, factories):
    menu = factories.menu(team.a, title="Default")
    data = post(menu, body({"tag_id": "100"}))
    Menu.objects.filter(pk=menu.pk).update(revision=5)  # someone saved in another tab
    response = client_for(team.editor).post(f"/menus/{menu.pk}/import/", data, **HTMX)
    assert "the draft was saved since you opened it" in response.content.decode()
    menu.refresh_from_db()
    assert menu.match_rule == {} and menu.revision == 5


def test_a_platform_without_conditional_menus_imports_the_buttons_and_says_why_the_rule_is_left_out(
    team, factories
):
    weibo = factories.account(platform="weibo", slug="wb", members=(team.editor,), api_base=team.sim.url)
    menu = factories.menu(weibo, title="Weibo", tree={"button": BUTTONS})
    response = client_for(team.editor).post(
        f"/menus/{menu.pk}/import/", post(menu, body({"tag_id": "100"})), **HTMX
    )
    html = response.content.decode()
    assert 'value="会员专享"' in html
    assert "Left out: “matchrule”. Weibo accounts have one menu for every follower" in html
    menu.refresh_from_db()
    assert menu.match_rule == {}
