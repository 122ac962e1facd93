"""Weibo fan service: menu rules, payload, and (below) the HTTP client and error table.

Source: ../shared/reference/platforms.md and Weibo's menu/create.json page
(https://open.weibo.com/wiki/自定义菜单创建接口).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .base import ButtonType, FieldSpec, PlatformRules


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
