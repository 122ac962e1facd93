"""WeChat's content calls (wechat/content.py) over real HTTP against the simulator: the lists, the
pages asked for, the bytes sent, tokens renewed once, and each failure's hint."""

from __future__ import annotations

import json

import pytest

from accounts.tokens import AccountTokenStore
from menueditor.platforms import get_platform
from menueditor.platforms.content import DELETED, WAITING, ContentItem
from menueditor.platforms.transport import PlatformError
from menueditor.platforms.wechat.content import MAX_ITEMS, PAGE_SIZE

pytestmark = pytest.mark.django_db

BATCHGET = "/cgi-bin/material/batchget_material"
COUNT = "/cgi-bin/material/get_materialcount"
AUTHORIZER_TOKEN = "authorizer-token-for-tests-0123456789abcdef"


@pytest.fixture
def account(simulator, factories):
    return factories.account(api_base=simulator.url)


@pytest.fixture
def calls(account):
    source = get_platform("wechat").content.connect(account, AccountTokenStore(account))
    yield source
    source.close()


def test_images_are_listed_with_names_dates_and_thumbnail_keys(calls, simulator):
    listing = calls.list_items("image")
    assert [i.name for i in listing.items] == ["banner.png", "双十一海报.png", "qrcode.png", "门店地图.png"]
    assert listing.total == 4
    banner = listing.items[0]
    assert (banner.id, banner.source, banner.thumb, banner.updated) == (
        "MEDIA_IMG_BANNER",
        "image",
        "MEDIA_IMG_BANNER",
        1_764_547_200,
    )
    # The count first, then one page; the body is the platform's, in UTF-8 JSON.
    assert [r.path for r in simulator.requests if r.path != "/cgi-bin/stable_token"] == [COUNT, BATCHGET]
    sent = simulator.requests_to(BATCHGET)[0]
    assert json.loads(sent.body) == {"type": "image", "offset": 0, "count": PAGE_SIZE}
    assert sent.header("Content-Type") == "application/json; charset=utf-8"


def test_voice_and_video_have_no_thumbnails(calls):
    assert [(i.name, i.thumb) for i in calls.list_items("voice").items] == [("欢迎语音.mp3", "")]
    assert [(i.name, i.thumb) for i in calls.list_items("video").items] == [("品牌介绍.mp4", "")]


def test_pages_are_read_in_turn_up_to_the_cap(calls, simulator):
    simulator.wechat.content.add_images(45)
    listing = calls.list_items("image")
    assert len(listing.items) == listing.total == 49
    assert [json.loads(r.body)["offset"] for r in simulator.requests_to(BATCHGET)] == [0, 20, 40]
    simulator.wechat.content.add_images(250)
    listing = calls.list_items("image")
    assert len(listing.items) == MAX_ITEMS and listing.total == 299
    assert len(simulator.requests_to(BATCHGET)) == 3 + MAX_ITEMS // PAGE_SIZE
    assert len({i.id for i in listing.items}) == MAX_ITEMS


def test_an_empty_kind_costs_no_listing_call(calls, simulator):
    with simulator.lock:
        simulator.wechat.content.of("wx0123456789abcdef")["materials"]["voice"].clear()
    assert calls.list_items("voice").items == []
    assert simulator.requests_to(BATCHGET) == []


def test_articles_carry_title_digest_thumbnail_and_deletion(calls):
    listing = calls.list_items("article")
    by_id = {i.id: i for i in listing.items}
    guide = by_id["ARTICLE_D11_GUIDE"]
    assert (guide.name, guide.digest, guide.thumb, guide.status) == (
        "双十一攻略",
        "今年双十一怎么买最划算",
        "MEDIA_THUMB_D11",
        "",
    )
    assert by_id["ARTICLE_OLD_PROMO"].status == DELETED
    assert not by_id["ARTICLE_OLD_PROMO"].choosable


def test_the_articles_body_is_not_asked_for(calls, simulator):
    calls.list_items("article")
    body = json.loads(simulator.requests_to("/cgi-bin/freepublish/batchget")[0].body)
    assert body == {"offset": 0, "count": PAGE_SIZE, "no_content": 1}


def test_a_thumbnail_is_the_materials_bytes(calls):
    data, content_type = calls.thumbnail("MEDIA_IMG_BANNER")
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and content_type == "image/png"


def test_exists_asks_afresh_and_reads_40007_and_53600_as_gone(calls, simulator):
    assert calls.exists("image", "MEDIA_IMG_BANNER")
    assert calls.exists("video", "MEDIA_VIDEO_INTRO")
    assert not calls.exists("image", "MEDIA_NOT_THERE")
    assert calls.exists("article", "ARTICLE_NEW_STORE")
    assert not calls.exists("article", "ARTICLE_OLD_PROMO")  # is_deleted
    assert not calls.exists("article", "NO_SUCH_ARTICLE")  # 53600
    simulator.add_fault(path="/cgi-bin/freepublish/getarticle", errcode=45009)
    with pytest.raises(PlatformError) as raised:
        calls.exists("article", "ARTICLE_NEW_STORE")
    assert raised.value.code == "45009"


def test_a_refused_token_is_renewed_once_and_the_call_retried(calls, simulator):
    calls.list_items("voice")
    simulator.invalidate_tokens()
    assert [i.name for i in calls.list_items("voice").items] == ["欢迎语音.mp3"]
    assert len(simulator.requests_to("/cgi-bin/stable_token")) == 2


@pytest.mark.parametrize(
    ("path", "code", "words"),
    [
        (BATCHGET, 40004, "only images, voice and videos"),
        (COUNT, 48001, "unverified accounts cannot"),
        (BATCHGET, 45009, "quota"),
        ("/cgi-bin/freepublish/batchget", -1, "busy"),
    ],
)
def test_each_failure_says_what_to_do(calls, simulator, path, code, words):
    simulator.add_fault(path=path, errcode=code)
    with pytest.raises(PlatformError) as raised:
        calls.list_items("article" if "freepublish" in path else "image")
    assert raised.value.code == str(code)
    assert words in raised.value.hint


def test_answers_of_the_wrong_shape_list_nothing_rather_than_fail(calls, simulator):
    simulator.add_fault(path=COUNT, body=b'{"image_count": "lots"}')
    assert calls.list_items("image").items == []
    simulator.add_fault(path=BATCHGET, body=b'{"total_count": 3, "item": [1, {"name": "no id"}, null]}')
    simulator.add_fault(path=COUNT, body=b'{"image_count": 3}')
    assert calls.list_items("image").items == []
    simulator.add_fault(
        path="/cgi-bin/freepublish/batchget",
        body=b'{"item": [{"article_id": "A", "content": {"news_item": "x"}}, {"article_id": 7}]}',
    )
    assert calls.list_items("article").items == []


def test_linked_mini_programs_need_a_third_party_token(simulator, factories):
    simulator.add_authorizer_token(AUTHORIZER_TOKEN)
    account = factories.account(
        api_base=simulator.url, token_mode="authorizer", access_token=AUTHORIZER_TOKEN, app_secret=""
    )
    content = get_platform("wechat").content
    assert content.fetches(account, "miniprogram")
    calls = content.connect(account, AccountTokenStore(account))
    try:
        items = {i.id: i for i in calls.list_items("miniprogram").items}
        assert items["wx286b93c14bbf93aa"].name == "示例小程序" and items["wx286b93c14bbf93aa"].choosable
        assert items["wx0000000000000abc"].status == WAITING
        assert calls.exists("miniprogram", "wx286b93c14bbf93aa")
        assert not calls.exists("miniprogram", "wx0000000000000abc")
    finally:
        calls.close()
    assert simulator.requests_to("/cgi-bin/stable_token") == []  # the authorizer token, as given


def test_accounts_with_their_own_secret_keep_the_mini_programs_here(account):
    content = get_platform("wechat").content
    assert not content.fetches(account, "miniprogram")
    assert content.fetches(account, "image") and content.fetches(account, "article")


def test_which_fields_get_which_picker():
    content = get_platform("wechat").content
    assert content.pickers[("media_id", "media_id")] == "material"
    assert content.pickers[("article_id", "article_id")] == "article"
    assert content.pickers[("article_view_limited", "article_id")] == "article"
    assert content.pickers[("miniprogram", "appid")] == "miniprogram"
    # view_limited's news materials are no longer accepted: no picker offers them.
    assert ("view_limited", "media_id") not in content.pickers
    for (type_code, field), kind in content.pickers.items():
        assert field in get_platform("wechat").button_types[type_code].fields
        assert kind in content.kinds
    assert get_platform("weibo").content is None and get_platform("wecom").content is None


def test_what_a_button_sends_in_a_line():
    content = get_platform("wechat").content
    image = ContentItem("M", "banner.png", "image")
    article = ContentItem("A", "双十一攻略", "article")
    assert content.sends("media_id", image) == "sends the image banner.png"
    assert (
        content.sends("media_id", ContentItem("V", "welcome.mp3", "voice"))
        == "sends the voice message welcome.mp3"
    )
    assert content.sends("article_id", article) == "sends the article “双十一攻略”"
    assert content.sends("article_view_limited", article) == "opens the article “双十一攻略”"


@pytest.mark.parametrize(
    ("appid", "problem"),
    [
        ("wx286b93c14bbf93aa", ""),
        ("wx286B93C14BBF93AA", "must be lower case: wx286b93c14bbf93aa"),
        ("gh_286b93c14bbf", "“wx” and 16"),
        ("wx123", "“wx” and 16"),
    ],
)
def test_mini_program_appids_kept_in_the_admin_are_checked(appid, problem):
    found = get_platform("wechat").content.check_kept_id("miniprogram", appid)
    assert (problem in found) if problem else found == ""


def test_items_read_back_from_the_cache_tolerate_anything():
    assert ContentItem.from_dict({"id": "X", "name": 3, "updated": True}) == ContentItem("X", "3", "")
    assert ContentItem.from_dict({"id": ""}) is None
    assert ContentItem.from_dict("not a dict") is None
    assert ContentItem("X", "n", "image", updated=10**18).updated_at is None
