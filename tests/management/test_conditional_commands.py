"""menu_import / menu_export of addconditional bodies, menu_publish of a conditional draft, menu_trymatch."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError

from menueditor.models import Menu, Publication

from .test_menu_commands import run, write

pytestmark = pytest.mark.django_db

BODY = {
    "button": [{"type": "view", "name": "会员专享", "url": "https://vip.example.com/"}],
    "matchrule": {"tag_id": "100", "client_platform_type": "2"},
}


@pytest.fixture
def account(factories, simulator):
    simulator.add_wechat_tag("100", "VIP会员")
    simulator.tag_follower("o-vip", "100", client_platform_type="2")
    simulator.tag_follower("o-plain")
    return factories.account(slug="coffee", api_base=simulator.url)


def test_import_of_an_addconditional_body_creates_a_conditional_draft_and_export_prints_it_back(
    account, tmp_path
):
    out, _err = run("menu_import", "--account", "coffee", write(tmp_path, BODY))
    menu = Menu.objects.get(pk=int(out))
    assert menu.match_rule == {"tag_id": "100", "client_platform_type": "2"}
    assert menu.tree == {"button": BODY["button"]}
    exported, _err = run("menu_export", str(menu.pk))
    assert json.loads(exported) == BODY
    assert "\\u" not in exported


def test_a_plain_menu_still_imports_as_a_default_draft(account, tmp_path):
    out, _err = run("menu_import", "--account", "coffee", write(tmp_path, {"button": BODY["button"]}))
    assert Menu.objects.get(pk=int(out)).match_rule == {}


@pytest.mark.parametrize(
    ("matchrule", "said"),
    [({"sex": "1"}, "sex"), ({}, "empty"), ("2", "match rule is not an object")],
)
def test_a_rule_the_platform_refuses_imports_nothing(account, tmp_path, matchrule, said):
    with pytest.raises(CommandError, match=said):
        run(
            "menu_import",
            "--account",
            "coffee",
            write(tmp_path, {"button": BODY["button"], "matchrule": matchrule}),
        )
    assert not Menu.objects.exists()


def test_a_platform_without_conditional_menus_imports_the_menu_alone(factories, simulator, tmp_path):
    factories.account(platform="weibo", slug="wb", api_base=simulator.url)
    body = {"button": [{"type": "click", "name": "优惠", "key": "k"}], "matchrule": {"tag_id": "1"}}
    out, err = run("menu_import", "--account", "wb", write(tmp_path, body))
    assert Menu.objects.get(pk=int(out)).match_rule == {}
    assert "warning: left out matchrule: Weibo accounts have one menu for every follower" in err


def test_publish_a_conditional_draft_from_the_command_line_and_trymatch(
    account, simulator, factories, tmp_path
):
    publisher = factories.user(username="pub", perms=("change_menu", "publish_menu"))
    account.members.add(publisher)
    default = factories.menu(account)
    run("menu_publish", str(default.pk), "--user", "pub")
    out, _err = run("menu_import", "--account", "coffee", write(tmp_path, BODY))
    published, _err = run("menu_publish", out.strip(), "--user", "pub")
    assert "Published" in published
    assert simulator.wechat_conditional_menus[0]["matchrule"] == BODY["matchrule"]
    assert Publication.objects.filter(match_rule__contains="tag_id").count() == 1

    shown, said = run("menu_trymatch", "--account", "coffee", "o-vip")
    assert json.loads(shown) == {"button": BODY["button"]}
    assert "Followers tagged “VIP会员” (1 follower), on Android" in said
    shown, said = run("menu_trymatch", "--account", "coffee", "o-plain")
    assert json.loads(shown)["button"][0]["name"] == "今日歌曲"
    assert "default menu" in said
    with pytest.raises(CommandError, match="65302"):
        run("menu_trymatch", "--account", "coffee", "nobody")
    with pytest.raises(CommandError, match="no spaces"):
        run("menu_trymatch", "--account", "coffee", "a b")


def test_publishing_a_conditional_draft_before_the_default_says_what_to_do(account, factories, tmp_path):
    publisher = factories.user(username="pub", perms=("change_menu", "publish_menu"))
    account.members.add(publisher)
    out, _err = run("menu_import", "--account", "coffee", write(tmp_path, BODY))
    reviewed, _err = run("menu_review", out.strip(), "--user", "pub")
    assert "✗ 65303: A conditional menu needs a default menu first" in reviewed
    with pytest.raises(CommandError, match=r"65303.*publish a default menu"):
        run("menu_publish", out.strip(), "--user", "pub")


def test_menu_review_of_a_conditional_draft_compares_with_the_live_menu_of_its_rule(
    account, factories, tmp_path
):
    publisher = factories.user(username="pub", perms=("change_menu", "publish_menu"))
    account.members.add(publisher)
    run("menu_publish", str(factories.menu(account).pk), "--user", "pub")
    out, _err = run("menu_import", "--account", "coffee", write(tmp_path, BODY))
    reviewed, _err = run("menu_review", out.strip(), "--user", "pub")
    assert "会员专享" in reviewed and "今日歌曲" not in reviewed  # not compared with the default menu
    assert "For: Followers tagged “VIP会员” (1 follower), on Android" in reviewed
    fingerprint = reviewed.strip().splitlines()[-1].split()[-1]
    published, _err = run("menu_publish", out.strip(), "--user", "pub", "--if-live", fingerprint)
    assert "Published" in published
