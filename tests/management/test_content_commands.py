"""menu_review and menu_publish run the review's content check: chosen materials and articles still
on the account, against the simulator (which holds a deleted article)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError

from menueditor.models import Publication

from .test_menu_commands import run

pytestmark = pytest.mark.django_db

# ARTICLE_OLD_PROMO is deleted on the simulator; the banner and the other article are there.
WITH_DELETED = {
    "button": [
        {"type": "media_id", "name": "海报", "media_id": "MEDIA_IMG_BANNER"},
        {"type": "article_id", "name": "促销", "article_id": "ARTICLE_OLD_PROMO"},
        {"type": "article_view_limited", "name": "新店", "article_id": "ARTICLE_NEW_STORE"},
    ]
}
ALL_THERE = {"button": [WITH_DELETED["button"][0], WITH_DELETED["button"][2]]}


@pytest.fixture
def publisher(factories):
    return factories.user(username="pub", perms=("change_menu", "publish_menu"))


@pytest.fixture
def account(factories, simulator, publisher):
    return factories.account(slug="coffee", api_base=simulator.url, members=(publisher,))


def test_menu_review_warns_by_id_for_each_chosen_item_gone(account, factories):
    menu = factories.menu(account, tree=WITH_DELETED)
    out, _err = run("menu_review", str(menu.pk), "--user", "pub")
    warnings = [line for line in out.splitlines() if line.startswith("warning: ")]
    assert warnings == [
        "warning: “ARTICLE_OLD_PROMO” (ARTICLE_OLD_PROMO) is no longer on the account (deleted since "
        "it was chosen): the button would send nothing. Choose another one."
    ]
    assert out.splitlines()[-1].startswith("live-fingerprint: ")  # still the last line


def test_menu_review_names_a_check_the_platform_could_not_answer(account, factories, simulator):
    menu = factories.menu(account, tree=ALL_THERE)
    out, _err = run("menu_review", str(menu.pk), "--user", "pub")
    assert "warning:" not in out
    simulator.add_fault(path="/cgi-bin/freepublish/getarticle", errcode=-1)
    out, _err = run("menu_review", str(menu.pk), "--user", "pub")
    assert "warning: Could not check that “ARTICLE_NEW_STORE” still exists" in out


def test_menu_publish_refuses_a_menu_whose_chosen_article_is_gone(account, factories, simulator):
    menu = factories.menu(account, tree=WITH_DELETED)
    with pytest.raises(CommandError, match=r"Not published \[content\]: 1 chosen item is no longer"):
        run("menu_publish", str(menu.pk), "--user", "pub")
    assert simulator.requests_to("/cgi-bin/menu/create") == []
    assert not Publication.objects.exists()


def test_menu_publish_with_allow_missing_content_publishes_and_still_warns(account, factories, simulator):
    menu = factories.menu(account, tree=WITH_DELETED)
    out, err = run("menu_publish", str(menu.pk), "--user", "pub", "--allow-missing-content")
    assert "Published" in out
    assert "warning: “ARTICLE_OLD_PROMO” (ARTICLE_OLD_PROMO) is no longer on the account" in err
    assert simulator.wechat_menu["button"][1]["article_id"] == "ARTICLE_OLD_PROMO"


def test_menu_publish_goes_on_when_the_check_itself_fails(account, factories, simulator):
    menu = factories.menu(account, tree=ALL_THERE)
    simulator.add_fault(path="/cgi-bin/freepublish/getarticle", errcode=-1)
    out, err = run("menu_publish", str(menu.pk), "--user", "pub")
    assert "Published" in out
    assert "warning: Could not check that “ARTICLE_NEW_STORE” still exists" in err
