"""WeChat Official Accounts: everything this app knows of the platform, behind the registry."""

from .client import WeChatClient, WeChatTokens
from .hints import TOKEN_ERRORS, WECHAT_HINTS, wechat_hint
from .live import convert_selfmenu_info, read_live_text, read_menu_get
from .rules import WECHAT, WeChatRules

PLATFORM = WECHAT

__all__ = [
    "PLATFORM",
    "TOKEN_ERRORS",
    "WECHAT",
    "WECHAT_HINTS",
    "WeChatClient",
    "WeChatRules",
    "WeChatTokens",
    "convert_selfmenu_info",
    "read_live_text",
    "read_menu_get",
    "wechat_hint",
]
