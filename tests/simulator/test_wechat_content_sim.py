"""The simulator's WeChat content calls (simulator/wechat_content.py), over real HTTP, against
platforms.md's "Content a button can send" and "Mini programs linked to the account"."""

from __future__ import annotations

import struct
import zlib

import pytest
import requests

from simulator import DEFAULT_APPID, DEFAULT_SECRET
from simulator.wechat_content import png

AUTHORIZER = "authorizer-token-for-tests-0123456789abcdef"


@pytest.fixture
def api(simulator):
    token = requests.post(
        simulator.url + "/cgi-bin/stable_token",
        json={"grant_type": "client_credential", "appid": DEFAULT_APPID, "secret": DEFAULT_SECRET},
        timeout=5,
    ).json()["access_token"]

    def call(path: str, body=None, *, token_: str | None = None, get: bool = False):
        url = f"{simulator.url}{path}?access_token={token_ or token}"
        response = requests.get(url, timeout=5) if get else requests.post(url, json=body, timeout=5)
        return response

    return call


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """A PNG's chunks, each CRC checked."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    out, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body)
        out.append((kind, body))
        at += 12 + length
    return out


def test_generated_images_are_valid_pngs():
    found = chunks(png(5, 3, (1, 2, 3)))
    assert [k for k, _ in found] == [b"IHDR", b"IDAT", b"IEND"]
    width, height, depth, colour = struct.unpack(">IIBB", found[0][1][:10])
    assert (width, height, depth, colour) == (5, 3, 8, 2)
    assert zlib.decompress(found[1][1]) == (b"\x00" + bytes((1, 2, 3)) * 5) * 3


def test_counts_and_pages_of_materials(api, simulator):
    assert api("/cgi-bin/material/get_materialcount", get=True).json() == {
        "image_count": 4,
        "voice_count": 1,
        "video_count": 1,
        "news_count": 0,
    }
    simulator.wechat.content.add_images(30)
    first = api("/cgi-bin/material/batchget_material", {"type": "image", "offset": 0, "count": 20}).json()
    assert (first["total_count"], first["item_count"]) == (34, 20)
    assert first["item"][0]["name"] == "banner.png" and first["item"][0]["update_time"] > 0
    rest = api("/cgi-bin/material/batchget_material", {"type": "image", "offset": 20, "count": 20}).json()
    assert rest["item_count"] == 14
    assert {i["media_id"] for i in first["item"]}.isdisjoint(i["media_id"] for i in rest["item"])


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"type": "photo", "offset": 0, "count": 20}, 40004),
        ({"type": "image", "offset": 0, "count": 21}, 47001),
        ({"type": "image", "offset": -1, "count": 5}, 47001),
        ({"type": "image", "offset": 0, "count": "5"}, 47001),
    ],
)
def test_batchget_refuses_what_the_platform_refuses(api, body, code):
    assert api("/cgi-bin/material/batchget_material", body).json()["errcode"] == code


def test_get_material_answers_bytes_for_images_and_json_for_videos(api):
    image = api("/cgi-bin/material/get_material", {"media_id": "MEDIA_IMG_BANNER"})
    assert image.headers["Content-Type"] == "image/png"
    chunks(image.content)
    video = api("/cgi-bin/material/get_material", {"media_id": "MEDIA_VIDEO_INTRO"}).json()
    assert set(video) == {"title", "description", "down_url"}
    assert api("/cgi-bin/material/get_material", {"media_id": "NOPE"}).json()["errcode"] == 40007


def test_published_articles_page_and_mark_the_deleted_one(api, simulator):
    listed = api("/cgi-bin/freepublish/batchget", {"offset": 0, "count": 2, "no_content": 1}).json()
    assert (listed["total_count"], listed["item_count"]) == (3, 2)
    assert "content" not in listed["item"][0]["content"]["news_item"][0]
    last = api("/cgi-bin/freepublish/batchget", {"offset": 2, "count": 20, "no_content": 1}).json()
    news = last["item"][0]["content"]["news_item"][0]
    assert (news["title"], news["is_deleted"]) == ("夏季促销", True)
    with_content = api("/cgi-bin/freepublish/batchget", {"offset": 0, "count": 1}).json()
    assert with_content["item"][0]["content"]["news_item"][0]["content"]


def test_getarticle_and_a_deletion(api, simulator):
    news = api("/cgi-bin/freepublish/getarticle", {"article_id": "ARTICLE_D11_GUIDE"}).json()["news_item"]
    assert news[0]["title"] == "双十一攻略" and news[0]["is_deleted"] is False
    simulator.wechat.content.delete_article("ARTICLE_D11_GUIDE")
    news = api("/cgi-bin/freepublish/getarticle", {"article_id": "ARTICLE_D11_GUIDE"}).json()["news_item"]
    assert news[0]["is_deleted"] is True
    unknown = api("/cgi-bin/freepublish/getarticle", {"article_id": "NOPE"}).json()
    assert unknown["errcode"] == 53600 and unknown["errmsg"].startswith("Article ID 无效")


def test_linked_mini_programs_for_third_party_tokens_only(api, simulator):
    assert api("/cgi-bin/wxopen/wxamplinkget", {}).json()["errcode"] == 48001
    simulator.add_authorizer_token(AUTHORIZER)
    answer = api("/cgi-bin/wxopen/wxamplinkget", {}, token_=AUTHORIZER).json()
    assert answer["errcode"] == 0
    items = {i["appid"]: i for i in answer["wxopens"]["items"]}
    assert items["wx286b93c14bbf93aa"]["status"] == 1 and items["wx0000000000000abc"]["status"] == 2


@pytest.mark.parametrize(
    "path",
    [
        "/cgi-bin/material/get_materialcount",
        "/cgi-bin/material/batchget_material",
        "/cgi-bin/material/get_material",
        "/cgi-bin/freepublish/batchget",
        "/cgi-bin/freepublish/getarticle",
        "/cgi-bin/wxopen/wxamplinkget",
    ],
)
def test_each_call_fails_on_request_and_needs_a_token(api, simulator, path):
    simulator.add_fault(path=path, errcode=45009, times=1)
    get = path.endswith("get_materialcount")
    assert api(path, {}, get=get).json()["errcode"] == 45009
    assert api(path, {}, get=get, token_="x" * 40).json()["errcode"] == 40001


def test_a_reset_brings_the_demo_content_back(api, simulator):
    simulator.wechat.content.delete_article("ARTICLE_D11_GUIDE")
    simulator.wechat.content.add_images(3)
    simulator.reset()
    token = requests.post(
        simulator.url + "/cgi-bin/stable_token",
        json={"grant_type": "client_credential", "appid": DEFAULT_APPID, "secret": DEFAULT_SECRET},
        timeout=5,
    ).json()["access_token"]
    count = requests.get(
        f"{simulator.url}/cgi-bin/material/get_materialcount?access_token={token}", timeout=5
    )
    assert count.json()["image_count"] == 4
