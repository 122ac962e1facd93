"""Weibo fan service: button types, fields, limits, counting (GB18030 bytes) and payload.

Source: ../shared/reference/platforms.md and Weibo's menu/create.json page
(https://open.weibo.com/wiki/自定义菜单创建接口).
"""

from __future__ import annotations

import json

from django.utils.translation import gettext_lazy as _

from ..base import ButtonType, DemoAccount, FieldSpec, LiveMenu, PlatformRules
from .account import ACCOUNT


class WeiboRules(PlatformRules):
    code = "weibo"
    label = _("Weibo")
    account = ACCOUNT
    # A Weibo account greets a new follower too (its automatic reply to a follow).
    greeting = _("Thanks for following %(name)s! Tap the menu below to get started.")
    # platforms.md: 10001, 10002, 10003 "platform trouble, retry later".
    retry_later_codes = frozenset({"10001", "10002", "10003"})
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
    # A new draft's one button: a click that sends a key, valid as it stands.
    starter_type = "click"
    # New buttons open a web page: the most common kind of button.
    new_button_type = "view"
    starter_values = {"key": "MENU_1"}

    @property
    def byte_note(self) -> str:
        """How Weibo counts, in the active language, with the encoding's own figures."""
        return _(
            "Weibo counts a Chinese character as %(cjk)d bytes (a letter or digit %(ascii)d, an emoji "
            "%(emoji)d)."
        ) % {"cjk": self.byte_length("中"), "ascii": self.byte_length("a"), "emoji": self.byte_length("😀")}

    # -- the registry's entry points (the HTTP side is imported only when it is used) --------------
    def client(self, account, token_store=None):
        from .client import WeiboClient

        return WeiboClient(account, token_store)

    def read_stored(self, raw: str) -> LiveMenu:
        from .live import read_show

        data = json.loads(raw) if raw else {}
        return read_show(data) if isinstance(data, dict) else LiveMenu(None, raw)

    def demo(self) -> DemoAccount:
        from .demo import DEMO

        return DEMO


WEIBO = WeiboRules()
