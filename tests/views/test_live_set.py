"""The live set page, its pull and delete of conditional menus, trymatch, and a draft's rule."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from menueditor.models import Menu
from menueditor.publishing import publish_menu

from .conftest import client_for

pytestmark = pytest.mark.django_db

VIP_TREE = {"button": [{"type": "click", "name": "会员专享", "key": "VIP"}]}


@pytest.fixture(autouse=True)
def _no_cached_tags():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def live_vip(team, factories):
    """Coffee Club with its default menu and a VIP conditional menu live; o-vip is tagged, o-plain not."""
    team.sim.add_wechat_tag("100", "VIP会员")
    team.sim.tag_follower("o-vip", "100")
    team.sim.tag_follower("o-plain")
    default = factories.menu(team.a, title="Default")
    assert publish_menu(default, team.publisher).ok
    vip = factories.menu(team.a, title="VIP", tree=VIP_TREE)
    vip.match_rule = {"tag_id": "100"}
    vip.save()
    assert publish_menu(vip, team.publisher).ok
    team.vip_menuid = str(team.sim.wechat_conditional_menus[0]["menuid"])
    return team


def test_the_live_set_lists_the_default_and_each_conditional_menu(live_vip):
    page = client_for(live_vip.editor).get(f"/accounts/{live_vip.a.slug}/live/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Default menu" in html and f"Conditional menu {live_vip.vip_menuid}" in html
    assert "Followers tagged “VIP会员” (1 follower)" in html
    assert "会员专享" in html and "今日歌曲" in html
    # An editor may pull, not delete.
    assert f"/live/{live_vip.vip_menuid}/pull/" in html
    assert "delete-conditional" not in html


def test_a_publisher_deletes_one_conditional_menu_after_confirming(live_vip):
    client = client_for(live_vip.publisher)
    url = f"/accounts/{live_vip.a.slug}/live/{live_vip.vip_menuid}/delete-conditional/"
    confirm = client.get(url)
    assert "Followers tagged “VIP会员” (1 follower)" in confirm.content.decode()
    assert live_vip.sim.wechat_conditional_menus  # nothing deleted by looking
    done = client.post(url, follow=True)
    assert done.status_code == 200
    assert live_vip.sim.wechat_conditional_menus == []
    assert live_vip.sim.wechat_menu is not None
    assert client_for(live_vip.editor).post(url).status_code == 403


def test_pulling_a_conditional_menu_opens_a_draft_for_the_same_rule(live_vip):
    response = client_for(live_vip.editor).post(
        f"/accounts/{live_vip.a.slug}/live/{live_vip.vip_menuid}/pull/"
    )
    assert response.status_code == 302
    menu = Menu.objects.order_by("-pk").first()
    assert response.url == f"/menus/{menu.pk}/"
    assert menu.match_rule == {"tag_id": "100"} and menu.tree == VIP_TREE


@pytest.mark.parametrize(
    ("user_id", "menu_name", "said"),
    [("o-vip", "会员专享", "matched"), ("o-plain", "今日歌曲", "No conditional menu matched")],
)
def test_what_does_this_follower_see(live_vip, user_id, menu_name, said):
    page = client_for(live_vip.editor).get(f"/accounts/{live_vip.a.slug}/live/", {"user_id": user_id})
    html = page.content.decode()
    tried = html[html.index('id="tried"') :]
    assert menu_name in tried and said in tried


def test_trymatch_for_an_unknown_follower_and_bad_input(live_vip):
    client = client_for(live_vip.editor)
    html = client.get(f"/accounts/{live_vip.a.slug}/live/", {"user_id": "nobody"}).content.decode()
    assert "65302" in html and "check the openid" in html
    bad = client.get(f"/accounts/{live_vip.a.slug}/live/", {"user_id": "has space"})
    assert bad.status_code == 200
    assert "no spaces" in bad.content.decode()
    assert not live_vip.sim.requests_to("/cgi-bin/menu/trymatch")[1:]  # only the unknown follower was asked


def test_the_live_set_says_what_the_platform_said_when_it_fails(team):
    team.sim.add_fault("/cgi-bin/menu/get", errcode=48001)
    page = client_for(team.editor).get(f"/accounts/{team.a.slug}/live/")
    assert page.status_code == 200
    assert "48001" in page.content.decode()


def test_accounts_without_conditional_menus_have_no_live_set(team, factories):
    weibo = factories.account(
        platform="weibo", slug="weibo-one", members=(team.editor,), api_base=team.sim.url
    )
    assert client_for(team.editor).get(f"/accounts/{weibo.slug}/live/").status_code == 404
    assert client_for(team.outsider).get(f"/accounts/{team.a.slug}/live/").status_code == 404


def test_a_draft_targets_a_tag_and_a_system_and_back_to_the_default(team, factories):
    team.sim.add_wechat_tag("100", "VIP会员")
    menu = factories.menu(team.a, title="Draft")
    client = client_for(team.editor)
    editor = client.get(f"/menus/{menu.pk}/").content.decode()
    assert "Who sees this menu" in editor and "VIP会员 (0 followers)" in editor
    assert client.post(f"/menus/{menu.pk}/rule/", {"tag_id": "100", "os": "1"}).status_code == 302
    menu.refresh_from_db()
    assert menu.match_rule == {"client_platform_type": "1", "tag_id": "100"}
    assert menu.revision == 2
    editor = client.get(f"/menus/{menu.pk}/").content.decode()
    assert "Seen by: Followers tagged “VIP会员” (0 followers), on iOS" in editor
    client.post(f"/menus/{menu.pk}/rule/", {"tag_id": "", "os": ""})
    menu.refresh_from_db()
    assert menu.match_rule == {}


def test_a_rule_form_with_an_unknown_tag_is_refused_and_the_draft_kept(team, factories):
    menu = factories.menu(team.a, title="Draft")
    response = client_for(team.editor).post(
        f"/menus/{menu.pk}/rule/", {"tag_id": "999", "os": "7"}, follow=True
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    menu.refresh_from_db()
    assert menu.match_rule == {} and menu.revision == 1


def test_deleting_the_default_menu_lists_the_conditional_menus_it_takes_along(live_vip):
    page = client_for(live_vip.publisher).get(f"/accounts/{live_vip.a.slug}/live/delete/")
    html = page.content.decode()
    assert "also deletes every conditional menu" in html
    assert "Followers tagged “VIP会员” (1 follower)" in html


def test_the_history_says_which_followers_a_conditional_entry_was_for(live_vip):
    html = client_for(live_vip.editor).get(f"/accounts/{live_vip.a.slug}/history/").content.decode()
    assert html.count("Conditional menu for: Followers tagged “VIP会员” (1 follower)") == 1


def test_the_account_page_marks_conditional_drafts_without_asking_the_platform(team, factories):
    menu = factories.menu(team.a, title="VIP draft")
    menu.match_rule = {"tag_id": "100"}
    menu.save()
    html = client_for(team.editor).get(f"/accounts/{team.a.slug}/").content.decode()
    assert "Followers with tag 100" in html  # the tags were never read: named by id
    assert not team.sim.requests
    team.sim.add_wechat_tag("100", "VIP会员")
    client_for(team.editor).post(f"/accounts/{team.a.slug}/live/tags/refresh/")
    html = client_for(team.editor).get(f"/accounts/{team.a.slug}/").content.decode()
    assert "Followers tagged “VIP会员” (0 followers)" in html


@pytest.mark.parametrize(
    "body",
    [
        '{"menu": {"button": []}, "conditionalmenu": [{"button": "x", "matchrule": {}, "menuid": 1}]}',
        '{"menu": {"button": [{"type": "click", "name": "a", "key": "k"}]},'
        ' "conditionalmenu": [{"matchrule": 5}]}',
        '{"menu": 7, "conditionalmenu": "x"}',
        '{"menu": {"button": [{"type": "click", "name": "a", "key": "k"}]},'
        ' "conditionalmenu": [3, {"button": [], "matchrule": []}]}',
    ],
)
def test_strange_live_sets_never_answer_500(team, body):
    team.sim.add_fault("/cgi-bin/menu/get", body=body, times=None)
    client = client_for(team.publisher)
    assert client.get(f"/accounts/{team.a.slug}/live/").status_code == 200
    assert client.get(f"/accounts/{team.a.slug}/live/", {"user_id": "o-1"}).status_code == 200
    assert client.get(f"/accounts/{team.a.slug}/live/1/delete-conditional/").status_code in (200, 302)
    assert client.post(f"/accounts/{team.a.slug}/live/1/pull/").status_code == 302
    assert client.get(f"/accounts/{team.a.slug}/live/delete/").status_code == 200


def test_a_stored_rule_that_names_nobody_is_refused_before_sending(team, factories):
    menu = factories.menu(team.a, title="Odd")
    menu.match_rule = ["not", "a", "rule"]
    menu.save()
    outcome = publish_menu(menu, team.publisher)
    assert outcome.code == "invalid" and "names no followers" in outcome.hint + " ".join(outcome.problems)
    assert not team.sim.requests_to("/cgi-bin/menu/addconditional")


def test_the_editors_export_of_a_conditional_draft_is_the_addconditional_body(team, factories):
    menu = factories.menu(team.a, title="VIP", tree=VIP_TREE)
    menu.match_rule = {"tag_id": "100"}
    menu.save()
    response = client_for(team.editor).get(f"/menus/{menu.pk}/export/")
    assert json.loads(response.content) == {**VIP_TREE, "matchrule": {"tag_id": "100"}}
