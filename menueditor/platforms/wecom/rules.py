"""WeCom (企业微信) application menus: button types, fields, limits, counting and payload.

Sources: ../shared/reference/platforms.md ("WeCom application menus") and WeCom's menu/create page
(https://developer.work.weixin.qq.com/document/path/90231).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..base import ButtonType, DemoAccount, FieldSpec, LiveMenu, PlatformRules, TokenStore
from .account import ACCOUNT

_KEY_HELP = _("Pushes an event carrying this key to your server.")


class WeComRules(PlatformRules):
    code = "wecom"
    label = _("WeCom")
    account = ACCOUNT
    # A WeCom application has members in its visible range, not followers, and no follow greeting:
    # its chat opens empty.
    no_menu_text = _("No menu: members see only the text box.")
    # platforms.md: 45009, 45033 "frequency / concurrency limit, wait and retry".
    retry_later_codes = frozenset({"45009", "45033"})
    max_buttons = 3
    max_sub_buttons = 5
    # Counted in UTF-8 bytes, as WeChat counts; sub-button names have 40 bytes, not WeChat's 60.
    name_limits = {1: 16, 2: 40}
    # WeCom documents no display width: its app chat shows about as much as WeChat's.
    display_widths = {1: 8, 2: 16}
    # key 128 and url 1024 bytes are WeCom's; it gives no figure for the mini program's fields, so
    # theirs are our own ceilings, well above a real AppID (18 characters).
    fields = {
        "key": FieldSpec("key", _("Key"), 128, _("Sent to your server when the button is tapped.")),
        "url": FieldSpec("url", _("Web address"), 1024, _("The page the button opens.")),
        "appid": FieldSpec(
            "appid", _("Mini program AppID"), 32, _("The AppID of a mini program bound to the company.")
        ),
        "pagepath": FieldSpec("pagepath", _("Mini program page"), 1024, _("For example pages/index/index.")),
    }
    button_types = {
        t.code: t
        for t in (
            ButtonType("click", _("Click (send key)"), ("key",), _KEY_HELP),
            ButtonType("view", _("Open web page"), ("url",), _("Opens the web page in WeCom.")),
            ButtonType(
                "scancode_push",
                _("Scan code"),
                ("key",),
                _("Opens the scanner, shows the result and sends it to your server."),
            ),
            ButtonType(
                "scancode_waitmsg",
                _("Scan code, wait for reply"),
                ("key",),
                _("Opens the scanner, sends the result and shows “receiving message”."),
            ),
            ButtonType(
                "pic_sysphoto",
                _("Take a photo"),
                ("key",),
                _("Opens the camera and sends the photo to your server."),
            ),
            ButtonType(
                "pic_photo_or_album",
                _("Photo or album"),
                ("key",),
                _("Lets the member take a photo or pick one from the album."),
            ),
            ButtonType(
                "pic_weixin",
                _("WeCom album"),
                ("key",),
                _("Opens the WeCom album and sends the chosen photos."),
            ),
            ButtonType(
                "location_select",
                _("Send location"),
                ("key",),
                _("Opens the location picker and sends the chosen place."),
            ),
            ButtonType(
                "view_miniprogram",
                _("Open mini program"),
                ("appid", "pagepath"),
                _("Opens a page of a mini program bound to the company."),
            ),
        )
    }
    # A new draft's one button: a click that sends a key, valid as it stands.
    starter_type = "click"
    # New buttons open a web page: the most common kind of button.
    new_button_type = "view"
    starter_values = {"key": "MENU_1"}
    # Which WeCom error code each rule answers with ("as for WeChat"); the second item is the level.
    # platforms.md lists no code for a top-level button of a wrong type (WeChat's 40017), so none.
    error_codes = {
        ("count", 1): "40016",
        ("count", 2): "40023",
        ("type", 2): "40024",
        ("name", 1): "40018",
        ("name", 2): "40025",
        ("key", 1): "40019",
        ("key", 2): "40026",
        ("url", 1): "40020",
        ("url", 2): "40027",
        ("url_format", 1): "40055",
        ("url_format", 2): "40054",
        ("depth", 2): "40022",
    }

    # -- the registry's entry points (the HTTP side is imported only when it is used) --------------
    def client(self, account, token_store: TokenStore):
        from .client import WeComClient

        return WeComClient(account, token_store)

    def read_stored(self, raw: str) -> LiveMenu:
        from .live import read_live_text

        return read_live_text(raw)

    def demo(self) -> DemoAccount:
        from .demo import DEMO

        return DEMO


WECOM = WeComRules()
