"""Weibo fan service: menu rules, payload, and (below) the HTTP client and error table.

Source: ../shared/reference/platforms.md and Weibo's menu/create.json page
(https://open.weibo.com/wiki/自定义菜单创建接口).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import requests
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from menueditor.tree import MenuTree, parse_menu

from .base import ButtonType, FieldSpec, PlatformRules
from .codes import read_code, shown_code, storable_text
from .transport import PlatformError, new_session, send, unknown_code_hint
from .wechat import LiveMenu


class WeiboRules(PlatformRules):
    code = "weibo"
    label = _("Weibo")
    max_buttons = 3
    max_sub_buttons = 5
    # "菜单标题，不超过16个字节，子菜单不超过40个字节"
    name_limits = {1: 16, 2: 40}
    # Weibo documents no display width; its client shows about as much as WeChat's.
    display_widths = {1: 8, 2: 16}
    # "sub_button ... 个数应为1~5个": an empty list is refused even on a leaf (platforms.md).
    leaf_may_carry_empty_sub_button = False
    # Weibo counts bytes as GBK/GB18030 does, not as UTF-8: ASCII 1, a Chinese character 2, an emoji
    # or other character outside the basic plane 4. Its own example's "查询客服电话" is 12 of 16 bytes
    # (18 in UTF-8), and menu/show.json's page answers with it, so Weibo accepted it (platforms.md).
    byte_encoding = "gb18030"
    byte_note = _("Weibo counts a Chinese character as 2 bytes (a letter or digit 1, an emoji 4).")
    fields = {
        "key": FieldSpec("key", _("Key"), 128, _("Sent to your server when the button is tapped.")),
        "url": FieldSpec("url", _("Web address"), 256, _("The page the button opens.")),
    }
    button_types = {
        t.code: t
        for t in (
            ButtonType(
                "click",
                _("Click (send key)"),
                ("key",),
                _("Pushes an event carrying this key to your server."),
            ),
            ButtonType("view", _("Open web page"), ("url",), _("Opens the web page in Weibo.")),
        )
    }


WEIBO = WeiboRules()


# -- HTTP client and error table ---------------------------------------------------------------------
# The stored token is the only credential: Weibo documents no lifetime and no refresh call for it.

WHEN_VISIBLE = _("up to 24 hours")

_RETRY_LATER = _("Weibo is having trouble. Try again later.")
_NEW_TOKEN = _(
    "Weibo no longer accepts the access token (missing, expired, revoked or invalid): copy a new token "
    "from the fan-service developer mode page and paste it into the account settings."
)
_BAD_PARAMETER = _(
    "Weibo refused a parameter of the request. This is a bug of this app, or a menu the editor's "
    "checks should have caught: please report it with the message below."
)
WEIBO_HINTS: dict[str, Any] = {
    "10001": _RETRY_LATER,
    "10002": _RETRY_LATER,
    "10003": _RETRY_LATER,
    "10004": _(
        "Weibo does not accept calls from this server's IP address: check the server's outgoing IP "
        "address against the app's settings on Weibo."
    ),
    "10006": _NEW_TOKEN,
    "21314": _NEW_TOKEN,
    "21315": _NEW_TOKEN,
    "21316": _NEW_TOKEN,
    "21317": _NEW_TOKEN,
    "21327": _NEW_TOKEN,
    "21332": _NEW_TOKEN,
    "21319": _(
        "The Weibo account withdrew this app's authorisation: its owner must authorise the app key "
        "again, then copy the new token into the account settings."
    ),
    "10008": _BAD_PARAMETER,
    "10016": _BAD_PARAMETER,
    "10017": _BAD_PARAMETER,
    "26406": _(
        "Developer mode is off for this Weibo account: its owner turns it on again in the fan-service "
        "settings."
    ),
}


def weibo_hint(code: str, message: str) -> str:
    """Plain-language advice for a Weibo error code, in the active language."""
    if code in WEIBO_HINTS:
        return str(WEIBO_HINTS[code])
    return unknown_code_hint(code, message)


def _error_from(data: dict[str, Any]) -> PlatformError | None:
    """The error a Weibo reply carries, or None; error_code comes as a number or a string.

    A value that is not a plain integer (1e999, "Infinity", "²", a float, an object) is an unknown
    code (platforms/codes.py); a reply with an error but no code says "unknown".
    """
    if "error_code" not in data and "error" not in data:
        return None
    raw = data.get("error_code")
    message = storable_text(data.get("error", ""))
    if raw is None or raw == "":
        return PlatformError("unknown", message, unknown_code_hint("unknown", message))
    code = read_code(raw)
    if code is None:
        code = shown_code(raw)
        return PlatformError(code, message, unknown_code_hint(code, message))
    return PlatformError(code, message, weibo_hint(code, message))


def read_show(data: dict[str, Any]) -> LiveMenu:
    """Read a show.json reply {"menu": {"button": [...]}}; an absent or empty menu is None."""
    raw = json.dumps(data, ensure_ascii=False)
    menu = data.get("menu")
    if isinstance(menu, str):  # some clients saw the menu as JSON text
        try:
            menu = json.loads(menu)
        except ValueError:
            menu = None
    if not isinstance(menu, dict) or not menu.get("button"):
        return LiveMenu(None, raw)
    return LiveMenu(parse_menu({"button": menu["button"]}), raw)


class WeiboClient:
    """Weibo's menu calls for one account. Raises PlatformError; the caller turns it into an outcome."""

    rules = WEIBO
    when_visible = WHEN_VISIBLE
    # "手机端……缓存……24小时才会重新更新一次" (menu/create.json, 注意事项).
    published_hint = _(
        "Published. The change is live now, but phones keep their copy of the menu for up to 24 hours, "
        "so followers may see the old one until then. No need to publish again."
    )
    deleted_hint = _(
        "The live menu was deleted. Phones keep their copy for up to 24 hours. Publish a draft to put "
        "a menu back."
    )

    def __init__(self, account, session: requests.Session | None = None) -> None:
        self.account = account
        self.session = session or new_session()

    def close(self) -> None:
        self.session.close()

    def _url(self, path: str) -> str:
        token = self.account.access_token
        if not token:
            raise PlatformError(
                "not_configured",
                "no access token",
                gettext(
                    "Copy the access token from the fan-service developer mode page into the account "
                    "settings."
                ),
            )
        return f"{self.account.effective_api_base}{path}?access_token={quote(token, safe='')}"

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        data = send(self.session, method, self._url(path), **kwargs)
        error = _error_from(data)
        if error is not None:
            raise error
        return data

    def publish(self, tree: MenuTree) -> tuple[str, str, str]:
        """create.json with the menu in the form field `menus` (form-encoded once): (text, "", reply)."""
        text = self.rules.payload_text(tree)
        data = self._call("POST", "/2/messages/menu/create.json", data={"menus": text})
        if data.get("result") not in (True, "true", 1):
            raise PlatformError(
                "unexpected",
                json.dumps(data, ensure_ascii=False)[:500],
                unknown_code_hint("unexpected", json.dumps(data, ensure_ascii=False)[:200]),
            )
        return text, "", json.dumps(data, ensure_ascii=False)

    def read_live(self) -> LiveMenu:
        return read_show(self._call("GET", "/2/messages/menu/show.json"))

    def delete(self) -> None:
        self._call("POST", "/2/messages/menu/delete.json")

    def check(self) -> str:
        live = self.read_live()
        if live.tree is None:
            return gettext("Connected: the token works; the live menu is empty.")
        return gettext("Connected: the token works; the live menu has %(count)d top-level buttons.") % {
            "count": len(live.tree.buttons)
        }

    @staticmethod
    def read_stored(raw: str) -> LiveMenu:
        data = json.loads(raw) if raw else {}
        return read_show(data) if isinstance(data, dict) else LiveMenu(None, raw)
