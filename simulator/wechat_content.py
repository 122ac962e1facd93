"""The WeChat side's content calls: permanent materials, published articles, linked mini programs.

platforms.md, "Content a button can send" and "Mini programs linked to the account". Every app
starts with the same demo content: images (tiny PNGs generated here with zlib and struct), voice
and video entries, published articles (one of them deleted) and two linked mini programs. Faults
(server.add_fault) apply to these paths like to any other.
"""

from __future__ import annotations

import copy
import struct
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .exchange import RecordedRequest, Reply

if TYPE_CHECKING:
    from .wechat import WeChat, WeChatApp

MATERIAL_TYPES = ("image", "voice", "video", "news")
MAX_COUNT = 20
# A day in 2026 the demo content was "uploaded" on, one hour apart.
_BASE_TIME = 1_764_547_200


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A valid PNG of one colour (8-bit RGB), built with the standard library only."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * width  # filter type 0, then the pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def demo_content() -> dict[str, Any]:
    """Every app's starting content, newest first as batchget lists it."""
    images = [
        ("MEDIA_IMG_BANNER", "banner.png", (220, 60, 60)),
        ("MEDIA_IMG_POSTER", "双十一海报.png", (240, 160, 30)),
        ("MEDIA_IMG_QR", "qrcode.png", (40, 40, 40)),
        ("MEDIA_IMG_STORE", "门店地图.png", (60, 140, 220)),
    ]
    materials: dict[str, list[dict[str, Any]]] = {
        "image": [
            {"media_id": mid, "name": name, "update_time": _BASE_TIME - i * 3600, "bytes": png(48, 32, rgb)}
            for i, (mid, name, rgb) in enumerate(images)
        ],
        "voice": [
            {"media_id": "MEDIA_VOICE_WELCOME", "name": "欢迎语音.mp3", "update_time": _BASE_TIME - 7200},
        ],
        "video": [
            {
                "media_id": "MEDIA_VIDEO_INTRO",
                "name": "品牌介绍.mp4",
                "update_time": _BASE_TIME - 10800,
                "title": "品牌介绍",
                "description": "一分钟了解我们",
            },
        ],
        "news": [],
    }
    thumbs = {
        "MEDIA_THUMB_D11": png(40, 40, (230, 30, 80)),
        "MEDIA_THUMB_NEW": png(40, 40, (30, 160, 90)),
        "MEDIA_THUMB_OLD": png(40, 40, (150, 150, 150)),
    }
    articles = [
        _article("ARTICLE_D11_GUIDE", "双十一攻略", "今年双十一怎么买最划算", "MEDIA_THUMB_D11", 0),
        _article("ARTICLE_NEW_STORE", "新店开业", "人民路新店本周六开业", "MEDIA_THUMB_NEW", 1),
        _article("ARTICLE_OLD_PROMO", "夏季促销", "已下线的夏季活动", "MEDIA_THUMB_OLD", 2, deleted=True),
    ]
    miniprograms = [
        {"appid": "wx286b93c14bbf93aa", "nickname": "示例小程序", "username": "gh_demo", "status": 1},
        {"appid": "wx0000000000000abc", "nickname": "会员中心", "username": "gh_member", "status": 2},
    ]
    return {"materials": materials, "thumbs": thumbs, "articles": articles, "miniprograms": miniprograms}


def _article(
    article_id: str, title: str, digest: str, thumb: str, age: int, *, deleted: bool = False
) -> dict:
    return {
        "article_id": article_id,
        "update_time": _BASE_TIME - age * 86400,
        "content": {
            "news_item": [
                {
                    "title": title,
                    "author": "运营部",
                    "digest": digest,
                    "thumb_media_id": thumb,
                    "thumb_url": f"http://mmbiz.qpic.cn/sim/{thumb}/0",
                    "url": f"https://mp.weixin.qq.com/s/{article_id}",
                    "is_deleted": deleted,
                }
            ]
        },
    }


class WeChatContentSide:
    """The content of each app, and the six calls that read it."""

    def __init__(self, wechat: WeChat) -> None:
        self.wechat = wechat
        self.content: dict[str, dict[str, Any]] = {}

    def reset(self) -> None:
        self.content = {}

    def of(self, appid: str) -> dict[str, Any]:
        """The app's content (the demo content until a test changes it). Hold the lock to change it."""
        if appid not in self.content:
            self.content[appid] = demo_content()
        return self.content[appid]

    # --- set-up used by tests and the demo --------------------------------------------------------

    def delete_article(self, article_id: str, appid: str | None = None) -> None:
        """The article is deleted on the platform: listed with is_deleted, getarticle says so."""
        with self.wechat.sim.lock:
            for article in self.of(appid or _default_appid()).get("articles", []):
                if article["article_id"] == article_id:
                    for news in article["content"]["news_item"]:
                        news["is_deleted"] = True

    def add_images(self, count: int, appid: str | None = None) -> None:
        """`count` more images (for paging), oldest last."""
        with self.wechat.sim.lock:
            images = self.of(appid or _default_appid())["materials"]["image"]
            start = len(images)
            for n in range(start, start + count):
                images.append(
                    {
                        "media_id": f"MEDIA_IMG_{n:04d}",
                        "name": f"photo-{n:04d}.png",
                        "update_time": _BASE_TIME - n * 3600,
                        "bytes": png(8, 8, (n % 256, 100, 200)),
                    }
                )

    # --- HTTP ------------------------------------------------------------------------------------

    def routes(self) -> dict[str, tuple[str, Callable[[RecordedRequest], Reply]]]:
        return {
            "/cgi-bin/material/get_materialcount": ("GET", self.material_count),
            "/cgi-bin/material/batchget_material": ("POST", self.batchget_material),
            "/cgi-bin/material/get_material": ("POST", self.get_material),
            "/cgi-bin/freepublish/batchget": ("POST", self.freepublish_batchget),
            "/cgi-bin/freepublish/getarticle": ("POST", self.get_article),
            "/cgi-bin/wxopen/wxamplinkget": ("POST", self.wxamplinkget),
        }

    def _app(self, req: RecordedRequest) -> WeChatApp | Reply:
        return self.wechat._app_for_token(req)

    def _body(self, req: RecordedRequest) -> dict | Reply:
        return self.wechat._plain_body(req)

    def material_count(self, req: RecordedRequest) -> Reply:
        app = self._app(req)
        if isinstance(app, Reply):
            return app
        materials = self.of(app.appid)["materials"]
        return Reply.json({f"{kind}_count": len(materials[kind]) for kind in MATERIAL_TYPES})

    def batchget_material(self, req: RecordedRequest) -> Reply:
        app = self._app(req)
        if isinstance(app, Reply):
            return app
        body = self._body(req)
        if isinstance(body, Reply):
            return body
        kind, offset, count = body.get("type"), body.get("offset", 0), body.get("count", MAX_COUNT)
        if kind not in MATERIAL_TYPES:
            return self.wechat.error(req, 40004, "invalid media type")
        if not _whole(offset) or not _whole(count) or not 1 <= count <= MAX_COUNT:
            return self.wechat.error(req, 47001)
        listed = self.of(app.appid)["materials"][kind]
        page = [
            {
                "media_id": m["media_id"],
                "name": m["name"],
                "update_time": m["update_time"],
                "url": f"http://mmbiz.qpic.cn/sim/{m['media_id']}/0" if kind == "image" else "",
            }
            for m in listed[offset : offset + count]
        ]
        return Reply.json({"total_count": len(listed), "item_count": len(page), "item": page})

    def get_material(self, req: RecordedRequest) -> Reply:
        app = self._app(req)
        if isinstance(app, Reply):
            return app
        body = self._body(req)
        if isinstance(body, Reply):
            return body
        media_id = body.get("media_id")
        content = self.of(app.appid)
        if media_id in content["thumbs"]:
            return Reply(200, content["thumbs"][media_id], {"Content-Type": "image/png"})
        for kind, listed in content["materials"].items():
            for material in listed:
                if material["media_id"] != media_id:
                    continue
                if kind == "video":
                    return Reply.json(
                        {
                            "title": material.get("title", ""),
                            "description": material.get("description", ""),
                            "down_url": f"http://mmbiz.qpic.cn/sim/{media_id}.mp4",
                        }
                    )
                if kind == "voice":
                    return Reply(200, b"ID3\x03\x00sim-voice", {"Content-Type": "audio/mpeg"})
                return Reply(200, material.get("bytes", b""), {"Content-Type": "image/png"})
        return self.wechat.error(req, 40007, "invalid media_id")

    def freepublish_batchget(self, req: RecordedRequest) -> Reply:
        app = self._app(req)
        if isinstance(app, Reply):
            return app
        body = self._body(req)
        if isinstance(body, Reply):
            return body
        offset, count = body.get("offset", 0), body.get("count", MAX_COUNT)
        if not _whole(offset) or not _whole(count) or not 1 <= count <= MAX_COUNT:
            return self.wechat.error(req, 47001)
        articles = self.of(app.appid)["articles"]
        page = copy.deepcopy(articles[offset : offset + count])
        if body.get("no_content") not in (1, True):
            for article in page:
                for news in article["content"]["news_item"]:
                    news["content"] = f"<p>{news['title']}</p>"
        return Reply.json({"total_count": len(articles), "item_count": len(page), "item": page})

    def get_article(self, req: RecordedRequest) -> Reply:
        app = self._app(req)
        if isinstance(app, Reply):
            return app
        body = self._body(req)
        if isinstance(body, Reply):
            return body
        for article in self.of(app.appid)["articles"]:
            if article["article_id"] == body.get("article_id"):
                return Reply.json({"news_item": copy.deepcopy(article["content"]["news_item"])})
        return self.wechat.error(req, 53600, "Article ID 无效")

    def wxamplinkget(self, req: RecordedRequest) -> Reply:
        app = self._app(req)
        if isinstance(app, Reply):
            return app
        issued = self.wechat.tokens.get(req.query.get("access_token", ""))
        # Only a third-party platform's authorizer token may list them (permission set 33).
        if issued is None or issued.kind != "authorizer":
            return self.wechat.error(req, 48001)
        items = copy.deepcopy(self.of(app.appid)["miniprograms"])
        for item in items:
            item["released"] = 1
            item["headimg_url"] = f"http://wx.qlogo.cn/sim/{item['appid']}/0"
        return Reply.json({"errcode": 0, "errmsg": "ok", "wxopens": {"items": items}})


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _default_appid() -> str:
    from .wechat import DEFAULT_APPID

    return DEFAULT_APPID
