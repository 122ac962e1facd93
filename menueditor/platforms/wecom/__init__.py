"""WeCom (企业微信) application menus: everything this app knows of the platform, behind the registry."""

from .client import WeComClient, WeComTokens
from .hints import TOKEN_ERRORS, WECOM_HINTS, error_from, ip_from, wecom_hint
from .live import read_live_text, read_menu_get
from .rules import WECOM, WeComRules

PLATFORM = WECOM

__all__ = [
    "PLATFORM",
    "TOKEN_ERRORS",
    "WECOM",
    "WECOM_HINTS",
    "WeComClient",
    "WeComRules",
    "WeComTokens",
    "error_from",
    "ip_from",
    "read_live_text",
    "read_menu_get",
    "wecom_hint",
]
