"""The pickers beside content buttons' id fields, through the test client and the simulator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import ContentList, ContentThumbnail, MiniProgram
from menueditor import pickers
from tests.views.conftest import client_for

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}

CONTENT_MENU = {
    "button": [
        {"type": "media_id", "name": "海报", "media_id": "MEDIA_IMG_BANNER"},
        {
            "name": "文章",
            "sub_button": [
                {"type": "article_view_limited", "name": "攻略", "article_id": "ARTICLE_D11_GUIDE"},
                {"type": "article_id", "name": "新店", "article_id": "ARTICLE_NEW_STORE"},
            ],
        },
        {
            "type": "miniprogram",
            "name": "小程序",
            "appid": "wx286b93c14bbf93aa",
            "pagepath": "pages/index/index",
            "url": "https://example.com/",
        },
    ]
}


def panel(client, account, **params):
    return client.get(reverse("picker_panel", args=[account.slug]), params, **HTMX)


def refresh(client, account, **params):
    return client.post(reverse("picker_refresh", args=[account.slug]), params, **HTMX)


def test_the_editor_offers_pickers_beside_content_fields_only(team, factories):
    menu = factories.menu(team.a, tree=CONTENT_MENU)
    html = client_for(team.editor).get(reverse("menu_edit", args=[menu.pk])).content.decode()
    assert html.count('class="picker-open"') == 4  # media_id, two article ids, the mini program
    assert "Choose image, voice or video" in html
    assert "Choose a published article" in html
    assert "Choose a mini program" in html
    assert 'src="/static/js/pickers.js"' in html
    assert "style=" not in html


def test_a_draft_without_content_buttons_has_no_picker(team, factories):
    menu = factories.menu(team.a)
    html = client_for(team.editor).get(reverse("menu_edit", args=[menu.pk])).content.decode()
    assert 'class="picker-open"' not in html


def test_a_first_opening_fetches_and_later_ones_read_the_cache(team):
    client = client_for(team.editor)
    first = panel(client, team.a, kind="material", field="f-b-0-media_id")
    html = first.content.decode()
    assert "Not fetched from the platform yet." in html
    assert 'hx-trigger="load, click"' in html  # fetched as soon as the panel shows
    answer = refresh(client, team.a, kind="material", field="f-b-0-media_id").content.decode()
    assert "banner.png" in answer and "双十一海报.png" in answer
    assert "Refreshed at" in answer
    calls = len(team.sim.requests_to("/cgi-bin/material/batchget_material"))
    assert calls == 3  # one page each of images, voice and videos
    again = panel(client, team.a, kind="material", source="voice").content.decode()
    assert "欢迎语音.mp3" in again and "banner.png" not in again
    assert len(team.sim.requests_to("/cgi-bin/material/batchget_material")) == calls  # from the cache
    assert 'hx-trigger="load, click"' not in again


def test_search_by_name_and_paging(team):
    team.sim.wechat.content.add_images(45)
    client = client_for(team.editor)
    refresh(client, team.a, kind="material")
    assert ContentList.objects.get(account=team.a, kind="image").total == 49
    page1 = panel(client, team.a, kind="material").content.decode()
    assert "Page 1 of 3" in page1 and "photo-0044.png" not in page1
    page3 = panel(client, team.a, kind="material", page="3").content.decode()
    assert "photo-0048.png" in page3
    found = panel(client, team.a, kind="material", q="海报").content.decode()
    assert "双十一海报.png" in found and "banner.png" not in found
    nothing = panel(client, team.a, kind="material", q="no such name").content.decode()
    assert "Nothing matches that name." in nothing


def test_articles_show_digest_and_a_deleted_one_cannot_be_chosen(team):
    client = client_for(team.editor)
    html = refresh(client, team.a, kind="article", field="f-b-1-s-0-article_id").content.decode()
    assert "双十一攻略" in html and "今年双十一怎么买最划算" in html
    assert 'data-pick="ARTICLE_D11_GUIDE"' in html
    assert "夏季促销" in html and 'data-pick="ARTICLE_OLD_PROMO"' not in html
    assert "deleted" in html and "Cannot be chosen" in html


def test_a_platform_failure_shows_its_hint_and_keeps_the_old_list(team):
    client = client_for(team.editor)
    refresh(client, team.a, kind="article")
    team.sim.add_fault(path="/cgi-bin/freepublish/batchget", errcode=48001)
    html = refresh(client, team.a, kind="article").content.decode()
    assert "48001" in html
    assert "type the id" in html.lower()
    assert "双十一攻略" in html  # the list fetched before is still offered
    assert ContentList.objects.get(account=team.a, kind="article").error_code == "48001"


def test_thumbnails_are_served_by_the_app_for_listed_ids_only(team):
    client = client_for(team.editor)
    url = reverse("picker_thumbnail", args=[team.a.slug])
    assert client.get(url, {"source": "image", "id": "MEDIA_IMG_BANNER"}).status_code == 404  # not listed yet
    refresh(client, team.a, kind="material")
    response = client.get(url, {"source": "image", "id": "MEDIA_IMG_BANNER"})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    fetched = len(team.sim.requests_to("/cgi-bin/material/get_material"))
    assert client.get(url, {"source": "image", "id": "MEDIA_IMG_BANNER"}).content == response.content
    assert len(team.sim.requests_to("/cgi-bin/material/get_material")) == fetched  # kept
    assert ContentThumbnail.objects.filter(account=team.a).count() == 1
    # Another team's user cannot reach it, and an arbitrary address is never fetched.
    assert (
        client_for(team.outsider).get(url, {"source": "image", "id": "MEDIA_IMG_BANNER"}).status_code == 404
    )
    assert client.get(url, {"source": "image", "id": "http://evil.example/x.png"}).status_code == 404


def test_only_the_newest_thumbnails_are_kept(team, monkeypatch):
    monkeypatch.setattr(pickers, "THUMBNAILS_PER_ACCOUNT", 2)
    client = client_for(team.editor)
    refresh(client, team.a, kind="material")
    url = reverse("picker_thumbnail", args=[team.a.slug])
    for media_id in ("MEDIA_IMG_BANNER", "MEDIA_IMG_POSTER", "MEDIA_IMG_QR"):
        assert client.get(url, {"source": "image", "id": media_id}).status_code == 200
    kept = set(ContentThumbnail.objects.filter(account=team.a).values_list("key", flat=True))
    assert kept == {"MEDIA_IMG_POSTER", "MEDIA_IMG_QR"}


def test_article_thumbnails_come_from_their_thumb_material(team):
    client = client_for(team.editor)
    refresh(client, team.a, kind="article")
    response = client.get(
        reverse("picker_thumbnail", args=[team.a.slug]), {"source": "article", "id": "ARTICLE_D11_GUIDE"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    bodies = [r.json() for r in team.sim.requests_to("/cgi-bin/material/get_material")]
    assert bodies == [{"media_id": "MEDIA_THUMB_D11"}]


def test_a_picture_that_is_not_one_is_never_served(team, simulator):
    client = client_for(team.editor)
    refresh(client, team.a, kind="material")
    simulator.add_fault(path="/cgi-bin/material/get_material", body=b"<html>login</html>")
    response = client.get(
        reverse("picker_thumbnail", args=[team.a.slug]), {"source": "image", "id": "MEDIA_IMG_POSTER"}
    )
    assert response.status_code == 404
    assert not ContentThumbnail.objects.exists()


def test_the_chosen_line_names_what_the_id_sends(team):
    client = client_for(team.editor)
    refresh(client, team.a, kind="material")
    refresh(client, team.a, kind="article")
    url = reverse("picker_chosen", args=[team.a.slug])
    image = client.get(
        url,
        {"kind": "material", "type": "media_id", "name": "b-0-media_id", "b-0-media_id": "MEDIA_IMG_BANNER"},
    )
    html = image.content.decode()
    assert "banner.png" in html and 'data-sends="sends the image banner.png"' in html
    assert (
        "picker_thumbnail" not in html and "/content/thumbnail/?source=image&amp;id=MEDIA_IMG_BANNER" in html
    )
    article = client.get(url, {"kind": "article", "type": "article_view_limited", "id": "ARTICLE_D11_GUIDE"})
    assert "opens the article “双十一攻略”" in article.content.decode()
    card = client.get(url, {"kind": "article", "type": "article_id", "id": "ARTICLE_NEW_STORE"})
    assert "sends the article “新店开业”" in card.content.decode()
    typed = client.get(url, {"kind": "material", "type": "media_id", "id": "SOMETHING_TYPED"})
    assert "sent as typed" in typed.content.decode()


def test_mini_programs_come_from_the_admin_list_without_a_third_party_token(team):
    MiniProgram.objects.create(account=team.a, appid="wx286b93c14bbf93aa", name="示例小程序")
    client = client_for(team.editor)
    html = panel(client, team.a, kind="miniprogram", field="f-b-2-appid").content.decode()
    assert "示例小程序" in html and 'data-pick="wx286b93c14bbf93aa"' in html
    assert "Kept in the account&#x27;s settings" in html or "Kept in the account's settings" in html
    assert 'id="picker-refresh"' not in html
    refresh(client, team.a, kind="miniprogram")
    assert team.sim.requests_to("/cgi-bin/wxopen/wxamplinkget") == []


def test_mini_programs_are_fetched_with_a_third_party_token(team, factories):
    team.sim.add_authorizer_token("authorizer-token-for-tests-0123456789abcdef")
    account = factories.account(
        slug="third",
        members=(team.editor,),
        api_base=team.sim.url,
        token_mode="authorizer",
        access_token="authorizer-token-for-tests-0123456789abcdef",
        app_secret="",
    )
    html = refresh(client_for(team.editor), account, kind="miniprogram").content.decode()
    assert "示例小程序" in html and 'data-pick="wx286b93c14bbf93aa"' in html
    assert "会员中心" in html and 'data-pick="wx0000000000000abc"' not in html  # link not confirmed
    assert "link not confirmed yet" in html


def test_with_its_own_secret_wxamplinkget_answers_48001_in_plain_words(team):
    source = pickers.support(team.a).connect(team.a, _store(team.a))
    try:
        with pytest.raises(Exception) as raised:
            source.linked_miniprograms()
    finally:
        source.close()
    assert raised.value.code == "48001"
    assert "third-party platforms only" in raised.value.hint


def _store(account):
    from accounts.tokens import AccountTokenStore

    return AccountTokenStore(account)


def test_pickers_of_another_teams_account_do_not_exist(team):
    client = client_for(team.editor)
    assert panel(client, team.b, kind="material").status_code == 404
    assert refresh(client, team.b, kind="material").status_code == 404
    assert panel(client, team.a, kind="no-such-kind").status_code == 404
    assert team.sim.requests_to("/cgi-bin/material/batchget_material") == []


def test_the_review_check_warns_by_name_when_an_article_is_gone(team, factories):
    menu = factories.menu(team.a, tree=CONTENT_MENU, user=team.publisher)
    client = client_for(team.publisher)
    refresh(client, team.a, kind="article")
    url = reverse("picker_check", args=[team.a.slug])
    fine = client.get(url, {"menu": menu.pk}, **HTMX).content.decode()
    assert "is still on the account" in fine and "(3 items)" in fine
    team.sim.wechat.content.delete_article("ARTICLE_D11_GUIDE")
    gone = client.get(url, {"menu": menu.pk}, **HTMX).content.decode()
    assert "“双十一攻略” (ARTICLE_D11_GUIDE) is no longer on the account" in gone
    assert "新店开业" not in gone
    checked = [r.json() for r in team.sim.requests_to("/cgi-bin/freepublish/getarticle")]
    assert {"article_id": "ARTICLE_D11_GUIDE"} in checked


def test_the_review_check_names_a_material_gone_and_a_check_that_failed(team, factories):
    tree = {"button": [{"type": "media_id", "name": "图", "media_id": "MEDIA_GONE"},
                       {"type": "article_id", "name": "文", "article_id": "ARTICLE_NEW_STORE"}]}  # fmt: skip
    menu = factories.menu(team.a, tree=tree)
    team.sim.add_fault(path="/cgi-bin/freepublish/getarticle", errcode=-1)
    html = (
        client_for(team.publisher)
        .get(reverse("picker_check", args=[team.a.slug]), {"menu": menu.pk})
        .content.decode()
    )
    assert "“MEDIA_GONE” (MEDIA_GONE) is no longer on the account" in html
    assert "Could not check that “ARTICLE_NEW_STORE” still exists" in html


def test_the_publish_review_loads_the_check(team, factories):
    menu = factories.menu(team.a, tree=CONTENT_MENU, user=team.publisher)
    client = client_for(team.publisher)
    from menueditor.forms import tree_to_post_data
    from menueditor.tree import parse_menu

    data = tree_to_post_data(parse_menu(menu.tree), title=menu.title, revision=str(menu.revision))
    html = client.post(reverse("menu_publish_review", args=[menu.pk]), data, **HTMX).content.decode()
    assert 'id="content-check"' in html
    assert f"/accounts/{team.a.slug}/content/check/?menu={menu.pk}" in html


def test_without_javascript_the_check_is_a_page_of_its_own(team, factories):
    menu = factories.menu(team.a, tree=CONTENT_MENU)
    team.sim.wechat.content.delete_article("ARTICLE_D11_GUIDE")
    response = client_for(team.publisher).get(reverse("picker_check", args=[team.a.slug]), {"menu": menu.pk})
    html = response.content.decode()
    assert response.status_code == 200 and "<!doctype html>" in html.lower()
    assert "(ARTICLE_D11_GUIDE) is no longer on the account" in html
    assert reverse("menu_edit", args=[menu.pk]) in html


def test_the_review_check_of_another_teams_draft_does_not_exist(team, factories):
    menu_b = factories.menu(team.b, tree=CONTENT_MENU)
    client = client_for(team.publisher)
    assert client.get(reverse("picker_check", args=[team.a.slug]), {"menu": menu_b.pk}).status_code == 404
    assert client.get(reverse("picker_check", args=[team.b.slug]), {"menu": menu_b.pk}).status_code == 404
    assert client.get(reverse("picker_check", args=[team.a.slug]), {"menu": "x"}).status_code == 404
