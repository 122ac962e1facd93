"""WeChat Official Accounts: button types, fields, limits, counting and payload.

Sources: ../shared/reference/platforms.md and the menu/create page
(https://developers.weixin.qq.com/doc/offiaccount/Custom_Menus/Creating_Custom-Defined_Menu.html).
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from menueditor.tree import MenuTree, decode_json, parse_menu

from ..base import (
    ERROR,
    ButtonType,
    DemoAccount,
    FieldSpec,
    LiveMenu,
    PlatformRules,
    Problem,
    TokenStore,
)
from .account import ACCOUNT

_KEY_HELP = _("Pushes an event carrying this key to your server.")
_CLIENT_NOTE = _("Needs WeChat 5.4 or later; older clients do nothing.")


# Every mini program AppID is "wx" and 16 hexadecimal digits, lower case (the page's own: wx286b93c14bbf93aa).
APPID_DIGITS = 16
_MINIPROGRAM_APPID = re.compile(rf"wx[0-9a-f]{{{APPID_DIGITS}}}")


class WeChatRules(PlatformRules):
    code = "wechat"
    label = _("WeChat")
    account = ACCOUNT
    # The phone preview's chat opens as a new follower's does: the account's follow greeting.
    greeting = _("Thanks for following %(name)s! Tap the menu below to get started.")
    max_buttons = 3
    max_sub_buttons = 5
    # The current page's limits: 16 bytes top level, 60 bytes sub level (older pages said 40).
    name_limits = {1: 16, 2: 60}
    # About 4 CJK characters top level and 8 sub level before "..." (menu/create, 注意事项).
    display_widths = {1: 8, 2: 16}
    # platforms.md: -1 "platform busy, retry in a moment", 45011 "per-minute limit, wait a minute".
    retry_later_codes = frozenset({"-1", "45011"})
    # key 128 and url 1024 bytes are WeChat's; the page gives no figure for the other fields, so
    # theirs are our own ceilings, well above any real AppID (18), media_id or article_id (~64).
    fields = {
        "key": FieldSpec("key", _("Key"), 128, _("Sent to your server when the button is tapped.")),
        "url": FieldSpec("url", _("Web address"), 1024, _("The page the button opens.")),
        "appid": FieldSpec("appid", _("Mini program AppID"), 32, _("Lower case, starts with wx.")),
        "pagepath": FieldSpec("pagepath", _("Mini program page"), 1024, _("For example pages/index/index.")),
        "media_id": FieldSpec("media_id", _("Media ID"), 128, _("A permanent material's media_id.")),
        "article_id": FieldSpec("article_id", _("Article ID"), 128, _("A published article's article_id.")),
    }
    button_types = {
        t.code: t
        for t in (
            ButtonType("click", _("Click (send key)"), ("key",), _KEY_HELP),
            ButtonType("view", _("Open web page"), ("url",), _("Opens the web page in WeChat.")),
            ButtonType(
                "miniprogram",
                _("Open mini program"),
                ("appid", "pagepath", "url"),
                _("Opens a page of a mini program linked to this account; old clients open the web address."),
            ),
            ButtonType(
                "scancode_push",
                _("Scan code"),
                ("key",),
                format_lazy(
                    "{} {}",
                    _("Opens the scanner, shows the result and sends it to your server."),
                    _CLIENT_NOTE,
                ),
            ),
            ButtonType(
                "scancode_waitmsg",
                _("Scan code, wait for reply"),
                ("key",),
                format_lazy(
                    "{} {}",
                    _("Opens the scanner, sends the result and shows “receiving message”."),
                    _CLIENT_NOTE,
                ),
            ),
            ButtonType(
                "pic_sysphoto",
                _("Take a photo"),
                ("key",),
                format_lazy("{} {}", _("Opens the camera and sends the photo to your server."), _CLIENT_NOTE),
            ),
            ButtonType(
                "pic_photo_or_album",
                _("Photo or album"),
                ("key",),
                format_lazy(
                    "{} {}", _("Lets the follower take a photo or pick one from the album."), _CLIENT_NOTE
                ),
            ),
            ButtonType(
                "pic_weixin",
                _("WeChat album"),
                ("key",),
                format_lazy("{} {}", _("Opens the WeChat album and sends the chosen photos."), _CLIENT_NOTE),
            ),
            ButtonType(
                "location_select",
                _("Send location"),
                ("key",),
                format_lazy(
                    "{} {}", _("Opens the location picker and sends the chosen place."), _CLIENT_NOTE
                ),
            ),
            ButtonType(
                "media_id",
                _("Send material"),
                ("media_id",),
                _("Sends a permanent image, voice or video material to the follower."),
            ),
            ButtonType(
                "view_limited",
                _("Open material (legacy)"),
                ("media_id",),
                _("Opens a permanent material."),
                _("Legacy type: news materials are no longer accepted; prefer “Open published article”."),
            ),
            ButtonType(
                "article_id",
                _("Send published article"),
                ("article_id",),
                _("Sends a published article to the follower as a card."),
            ),
            ButtonType(
                "article_view_limited",
                _("Open published article"),
                ("article_id",),
                _("Opens a published article."),
            ),
        )
    }
    # A mini program button is known by the page it opens; its web address is only the fallback.
    identity_fields = {"miniprogram": ("appid", "pagepath")}
    # Conditional menus may link to at most this many domains (65316); this app does not send them.
    max_conditional_domains = 3
    # A new draft's one button: a click that sends a key, valid as it stands.
    starter_type = "click"
    # New buttons open a web page: the most common kind of button.
    new_button_type = "view"
    starter_values = {"key": "MENU_1"}
    # Which WeChat error code each rule answers with; the second item is the level (1 top, 2 sub).
    error_codes = {
        ("count", 1): "40016",
        ("count", 2): "40023",
        ("type", 1): "40017",
        ("type", 2): "40024",
        ("name", 1): "40018",
        ("name", 2): "40025",
        ("key", 1): "40019",
        ("key", 2): "40026",
        ("url", 1): "40020",
        ("url", 2): "40027",
        # "invalid button url domain" / "invalid sub button url domain": also what a malformed URL gets.
        ("url_format", 1): "40055",
        ("url_format", 2): "40054",
        ("depth", 2): "40022",
    }

    def _check_leaf(self, button, path, level) -> list[Problem]:
        problems = super()._check_leaf(button, path, level)
        appid = button.value("appid")
        if button.type != "miniprogram" or any(p.field == "appid" for p in problems):
            return problems
        if appid != appid.lower() and _MINIPROGRAM_APPID.fullmatch(appid.lower()):
            problems.append(
                self._problem(
                    path,
                    "appid",
                    _("the mini program AppID must be lower case: %(fixed)s"),
                    "appid",
                    level,
                    severity=ERROR,
                    found=appid,
                    fixed=appid.lower(),
                )
            )
        elif not _MINIPROGRAM_APPID.fullmatch(appid):
            problems.append(
                self._problem(
                    path,
                    "appid",
                    _(
                        "a mini program AppID is “wx” and %(digits)d lower-case letters and digits; "
                        "found “%(found)s”"
                    ),
                    "appid",
                    level,
                    severity=ERROR,
                    found=appid,
                    digits=APPID_DIGITS,
                )
            )
        return problems

    @property
    def content(self):
        """Pickers for materials, published articles and mini programs (content.py)."""
        from .content import CONTENT

        return CONTENT

    def parse(self, data: Any) -> MenuTree:
        """Also reads a get_current_selfmenu_info answer (pasted from the API debugger, say)."""
        from .live import is_selfmenu_info, parse_selfmenu_info

        data = decode_json(data)
        return parse_selfmenu_info(data) if is_selfmenu_info(data) else parse_menu(data)

    # -- the registry's entry points (the HTTP side is imported only when it is used) --------------
    def client(self, account, token_store: TokenStore):
        from .client import WeChatClient

        return WeChatClient(account, token_store)

    def read_stored(self, raw: str) -> LiveMenu:
        from .live import read_live_text

        return read_live_text(raw)

    def demo(self) -> DemoAccount:
        from .demo import DEMO

        return DEMO

    @property
    def conditional(self):
        """Menus for tagged followers (conditional.py): WeChat is the platform that has them."""
        from .conditional import CONDITIONAL

        return CONDITIONAL


WECHAT = WeChatRules()
