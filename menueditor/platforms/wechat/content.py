"""What a WeChat button can send, as lists to pick from: materials, published articles, mini programs.

Calls (platforms.md, "Content a button can send" and "Mini programs linked to the account"):
material/get_materialcount, material/batchget_material (20 a page), material/get_material (an
image's bytes), freepublish/batchget, freepublish/getarticle and wxopen/wxamplinkget (third-party
authorizer tokens only). All go through the client's token path (refresh once and retry).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..codes import storable_text
from ..content import DELETED, REFUSED, WAITING, ContentItem, Listing, PickerKind, Source
from ..token_refresh import call_with_token
from ..transport import PlatformError, send_for_file
from .account import AUTHORIZER
from .hints import CONTENT_HINTS, TOKEN_ERRORS, _error_from, is_reply

# batchget_material and freepublish/batchget give at most 20 a page.
PAGE_SIZE = 20
# A refresh reads at most this many entries of one list (10 calls), sparing the daily quotas;
# the picker says when the account holds more.
MAX_ITEMS = 200
MATERIAL_SOURCES = ("image", "voice", "video")
# get_materialcount's field for each kind of material.
_COUNT_FIELDS = {"image": "image_count", "voice": "voice_count", "video": "video_count"}
# wxamplinkget's status: 1 linked, 2 waiting for the mini program's admin, 3 refused,
# 12 waiting for the account's admin.
_LINK_STATUS = {1: "", 2: WAITING, 3: REFUSED, 12: WAITING}

_SENDS_MATERIAL = {
    "image": _("sends the image %(name)s"),
    "voice": _("sends the voice message %(name)s"),
    "video": _("sends the video %(name)s"),
}


class WeChatContentSource:
    """The picker calls for one account, through its WeChatClient's token and session."""

    def __init__(self, client) -> None:
        self.client = client

    def close(self) -> None:
        self.client.close()

    # -- the calls ----------------------------------------------------------------------------
    def _post(self, path: str, body: dict[str, Any] | None) -> dict[str, Any] | tuple[bytes, str]:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        tokens = self.client.tokens

        def request(token: str) -> dict[str, Any] | tuple[bytes, str]:
            url = f"{self.client.account.effective_api_base}{path}?access_token={quote(token, safe='')}"
            headers = {"Content-Type": "application/json; charset=utf-8"} if data is not None else {}
            answer = send_for_file(
                self.client.session, "POST", url, data=data, headers=headers, is_reply=is_reply
            )
            if isinstance(answer, dict):
                error = _error_from(answer, tokens.mode)
                if error is not None:
                    raise _in_content_terms(error)
            return answer

        return call_with_token(
            tokens.current,
            lambda rejected: tokens.renew(rejected=rejected),
            request,
            refused=lambda error: error.code in TOKEN_ERRORS and tokens.mode != AUTHORIZER,
        )

    def _json(self, path: str, body: dict[str, Any] | None = None, *, get: bool = False) -> dict[str, Any]:
        if get:
            return self.client._call("GET", path)
        answer = self._post(path, body)
        if not isinstance(answer, dict):
            raise _not_a_reply(path)
        return answer

    def material_count(self) -> dict[str, int]:
        """How many permanent materials of each kind the account holds (get_materialcount)."""
        try:
            data = self.client._call("GET", "/cgi-bin/material/get_materialcount")
        except PlatformError as error:
            raise _in_content_terms(error) from None
        return {kind: _count(data.get(name)) for kind, name in _COUNT_FIELDS.items()}

    def materials_page(self, kind: str, offset: int) -> tuple[list[ContentItem], int]:
        """One page of batchget_material: its items and the list's total."""
        data = self._json(
            "/cgi-bin/material/batchget_material", {"type": kind, "offset": offset, "count": PAGE_SIZE}
        )
        items = []
        for entry in _list(data.get("item")):
            media_id = _text(entry.get("media_id"))
            if media_id:
                items.append(
                    ContentItem(
                        id=media_id,
                        name=_text(entry.get("name")) or media_id,
                        source=kind,
                        updated=_time(entry.get("update_time")),
                        thumb=media_id if kind == "image" else "",
                    )
                )
        return items, _count(data.get("total_count"))

    def articles_page(self, offset: int) -> tuple[list[ContentItem], int]:
        """One page of freepublish/batchget (without the articles' bodies)."""
        data = self._json(
            "/cgi-bin/freepublish/batchget", {"offset": offset, "count": PAGE_SIZE, "no_content": 1}
        )
        items = []
        for entry in _list(data.get("item")):
            article_id = _text(entry.get("article_id"))
            content = entry.get("content") if isinstance(entry.get("content"), dict) else {}
            news = [n for n in _list(content.get("news_item"))]
            if not article_id or not news:
                continue
            first = news[0]
            items.append(
                ContentItem(
                    id=article_id,
                    name=_text(first.get("title")) or article_id,
                    source="article",
                    updated=_time(entry.get("update_time")),
                    digest=_text(first.get("digest")),
                    thumb=_text(first.get("thumb_media_id")),
                    status=DELETED if _all_deleted(news) else "",
                )
            )
        return items, _count(data.get("total_count"))

    def linked_miniprograms(self) -> list[ContentItem]:
        """wxamplinkget: the mini programs linked to the account (third-party platforms only)."""
        data = self._json("/cgi-bin/wxopen/wxamplinkget", {})
        wxopens = data.get("wxopens") if isinstance(data.get("wxopens"), dict) else {}
        items = []
        for entry in _list(wxopens.get("items")):
            appid = _text(entry.get("appid")).lower()
            if appid:
                status = entry.get("status")
                items.append(
                    ContentItem(
                        id=appid,
                        name=_text(entry.get("nickname")) or appid,
                        source="miniprogram",
                        status=_LINK_STATUS.get(status, WAITING) if isinstance(status, int) else WAITING,
                    )
                )
        return items

    def material_file(self, media_id: str) -> tuple[bytes, str] | dict[str, Any]:
        """get_material: an image's or voice's bytes and type, or a video's description."""
        return self._post("/cgi-bin/material/get_material", {"media_id": media_id})

    def article(self, article_id: str) -> list[dict[str, Any]]:
        """freepublish/getarticle: the article's news items (53600 when the id is unknown)."""
        data = self._json("/cgi-bin/freepublish/getarticle", {"article_id": article_id})
        return [n for n in _list(data.get("news_item"))]

    # -- ContentSource ------------------------------------------------------------------------
    def list_items(self, source: str) -> Listing:
        if source in MATERIAL_SOURCES:
            total = self.material_count().get(source, 0)
            return self._pages(lambda offset: self.materials_page(source, offset), total)
        if source == "article":
            return self._pages(self.articles_page, None)
        if source == "miniprogram":
            items = self.linked_miniprograms()
            return Listing(items, len(items))
        raise ValueError(f"no list {source!r}")

    def _pages(self, page, total: int | None) -> Listing:
        """Pages read in turn until the list ends or MAX_ITEMS; a count of 0 costs no listing call."""
        items: list[ContentItem] = []
        seen: set[str] = set()
        if total == 0:
            return Listing([], 0)
        while len(items) < MAX_ITEMS:
            found, listed_total = page(len(items))
            total = listed_total if listed_total or total is None else total
            fresh = [i for i in found if i.id not in seen]
            seen.update(i.id for i in fresh)
            items.extend(fresh)
            if not found or len(items) >= total:
                break
        return Listing(items[:MAX_ITEMS], max(total or 0, len(items)))

    def thumbnail(self, thumb: str) -> tuple[bytes, str]:
        answer = self.material_file(thumb)
        if isinstance(answer, dict):
            raise PlatformError(
                "not_image", "get_material answered with JSON", gettext("This material has no picture.")
            )
        return answer

    def exists(self, source: str, item_id: str) -> bool:
        """Whether the account still holds it, from a fresh call (40007 / 53600: gone)."""
        try:
            if source == "article":
                return not _all_deleted(self.article(item_id))
            if source == "miniprogram":
                return any(i.id == item_id and i.choosable for i in self.linked_miniprograms())
            self.material_file(item_id)
            return True
        except PlatformError as error:
            if error.code in ("40007", "53600"):
                return False
            raise


class WeChatContent:
    """The pickers a WeChat button gets (platforms/content.py ContentSupport)."""

    pickers = {
        ("media_id", "media_id"): "material",
        ("article_id", "article_id"): "article",
        ("article_view_limited", "article_id"): "article",
        ("miniprogram", "appid"): "miniprogram",
    }
    kinds = {
        "material": PickerKind(
            "material",
            _("Choose image, voice or video"),
            _("Permanent materials"),
            (
                Source("image", _("Images"), has_thumbnails=True),
                Source("voice", _("Voice")),
                Source("video", _("Videos")),
            ),
        ),
        "article": PickerKind(
            "article",
            _("Choose a published article"),
            _("Published articles"),
            (Source("article", _("Published articles"), has_thumbnails=True),),
        ),
        "miniprogram": PickerKind(
            "miniprogram",
            _("Choose a mini program"),
            _("Mini programs linked to the account"),
            (Source("miniprogram", _("Mini programs")),),
        ),
    }

    # Lists an administrator keeps on the account for accounts the platform does not give them to.
    kept_sources = ("miniprogram",)

    def fetches(self, account, source: str) -> bool:
        # Only a third-party platform may list the linked mini programs (48001 otherwise).
        return source != "miniprogram" or account.token_mode == AUTHORIZER

    def check_kept_id(self, source: str, value: str) -> str:
        """Why an id typed in the admin's list is not one, or "" (mini program AppIDs: lower case)."""
        from .rules import _MINIPROGRAM_APPID

        if _MINIPROGRAM_APPID.fullmatch(value):
            return ""
        if _MINIPROGRAM_APPID.fullmatch(value.lower()):
            return gettext("The mini program AppID must be lower case: %(fixed)s") % {"fixed": value.lower()}
        return gettext(
            "A mini program AppID is “wx” and 16 lower-case letters and digits, like wx286b93c14bbf93aa."
        )

    def connect(self, account, token_store) -> WeChatContentSource:
        from .client import WeChatClient

        return WeChatContentSource(WeChatClient(account, token_store))

    def sends(self, type_code: str, item: ContentItem) -> str:
        if item.source in _SENDS_MATERIAL:
            return str(_SENDS_MATERIAL[item.source]) % {"name": item.name}
        if item.source == "article":
            if type_code == "article_id":
                return gettext("sends the article “%(name)s”") % {"name": item.name}
            return gettext("opens the article “%(name)s”") % {"name": item.name}
        if item.source == "miniprogram":
            return gettext("opens the mini program %(name)s") % {"name": item.name}
        return item.name


CONTENT = WeChatContent()


def _in_content_terms(error: PlatformError) -> PlatformError:
    """The same error with the advice for these calls (48001 means something else for menus)."""
    if error.code in CONTENT_HINTS:
        error.hint = str(CONTENT_HINTS[error.code])
    return error


def _not_a_reply(path: str) -> PlatformError:
    return PlatformError(
        "not_json",
        f"{path} answered with a file",
        gettext("WeChat answered with a file instead of a reply. Try again in a few minutes."),
    )


def _all_deleted(news: list[dict[str, Any]]) -> bool:
    return bool(news) and all(n.get("is_deleted") in (True, 1, "true") for n in news)


def _list(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    # Names and digests are shown in a list: a few hundred characters are plenty.
    return storable_text(value)[:300] if isinstance(value, str | int) and not isinstance(value, bool) else ""


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _time(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None
