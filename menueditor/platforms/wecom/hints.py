"""WeCom's error codes in plain language, and reading the error a reply carries.

The limits in the advice come from the rules' tables (rules.py), never written out again here.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..codes import read_code, shown_code, storable_text
from ..transport import PlatformError, unknown_code_hint
from .rules import WECOM

# The token was refused: invalid (40014) or expired (42001). WeCom's 40001 is a wrong secret instead.
TOKEN_ERRORS = frozenset({"40014", "42001"})
# No documented renewal window: stop using a token this long before it expires.
TOKEN_MARGIN_SECONDS = 300
# WeCom documents no delay before its apps show a new menu (platforms.md says so for WeChat and Weibo).
WHEN_VISIBLE = _("when members next open the application (WeCom documents no delay)")

_WAIT = _("WeCom limits how often and how many of these calls run at once: wait a moment and try again.")
WECOM_HINTS: dict[str, Any] = {
    "40001": _(
        "The application's secret is wrong: enter it again in the account settings (WeCom admin "
        "console > 应用管理 > the application: Secret)."
    ),
    "40013": _(
        "The corp ID is wrong: fix it in the account settings (WeCom admin console > 我的企业 > 企业信息)."
    ),
    "40056": _("The application's AgentId is wrong: fix the agent ID in the account settings."),
    "301002": _(
        "The secret and the agent ID belong to different applications: enter the secret of the "
        "application whose AgentId the account names, or fix the agent ID."
    ),
    "60020": _(
        "WeCom does not trust this server's IP address %(ip)s: add it to the application's 企业可信IP "
        "(WeCom admin console > 应用管理 > the application)."
    ),
    "60011": _(
        "The application has no privilege for this call: its visible range and permissions in the "
        "WeCom admin console must include it."
    ),
    "48002": _("This application may not use this API (only the company's own applications may set menus)."),
    "40016": _("Wrong number of buttons: a menu has 1 to %(top)d top-level buttons."),
    "40023": _("Wrong number of sub-buttons: a button that opens a sub-menu has 1 to %(sub)d of them."),
    "40024": _(
        "WeCom does not accept a button type used here: use one of the types the editor offers; "
        "a button with sub-buttons carries no type."
    ),
    "40018": _(
        "A top-level button name is too long: at most %(name_top)d bytes (%(name_top_chars)d Chinese "
        "characters)."
    ),
    "40025": _(
        "A sub-button name is too long: at most %(name_sub)d bytes (%(name_sub_chars)d Chinese characters)."
    ),
    "40019": _("A button's key is missing or too long: 1 to %(key)d bytes."),
    "40020": _("A button's web address is missing or too long: 1 to %(url)d bytes."),
    "40022": _("The menu has more than two levels: sub-buttons cannot have sub-buttons."),
    "40054": _(
        "A web address uses a domain this application may not link to: use a domain the application may "
        "link to."
    ),
    "45009": _WAIT,
    "45033": _WAIT,
    "46003": _("No menu is set for this application: the live menu is empty."),
}
# Codes that share one explanation (top level / sub level).
for _same, _as in {"40026": "40019", "40027": "40020", "40055": "40054"}.items():
    WECOM_HINTS[_same] = WECOM_HINTS[_as]

_TOKEN_REFUSED_HINT = _(
    "WeCom refused the access token even after this app fetched a new one and tried again: the "
    "application's secret may have been reset. Enter the current secret in the account settings."
)
# "..., hint: [...], from ip: 1.2.3.4, more info at https://open.work.weixin.qq.com/devtool/query?e=60020"
_IP_PATTERN = re.compile(r"from ip:\s*([0-9A-Fa-f:.]+)", re.IGNORECASE)


def _chinese_characters(limit: int) -> int:
    return limit // WECOM.byte_length("中")


def _limits() -> dict[str, int]:
    """The figures the advice quotes, read from the rules' tables."""
    return {
        "top": WECOM.max_buttons,
        "sub": WECOM.max_sub_buttons,
        "name_top": WECOM.name_limit(1),
        "name_sub": WECOM.name_limit(2),
        "name_top_chars": _chinese_characters(WECOM.name_limit(1)),
        "name_sub_chars": _chinese_characters(WECOM.name_limit(2)),
        "key": WECOM.field_limit("key"),
        "url": WECOM.field_limit("url"),
    }


def ip_from(message: str) -> str | None:
    """The server's IP address WeCom names in errmsg ("from ip: 1.2.3.4"), or None."""
    match = _IP_PATTERN.search(message or "")
    return match.group(1).rstrip(".,") if match else None


def wecom_hint(code: str, message: str) -> str:
    """Plain-language advice for a WeCom error code, in the active language."""
    if code in TOKEN_ERRORS:
        return str(_TOKEN_REFUSED_HINT)
    if code not in WECOM_HINTS:
        return unknown_code_hint(code, message)
    params: dict[str, Any] = _limits()
    params["ip"] = ip_from(message) or gettext("named in the message")
    return str(WECOM_HINTS[code]) % params


def is_reply(data: dict[str, Any]) -> bool:
    """Whether a JSON body sent with an HTTP error status is still WeCom's own reply."""
    return "errcode" in data


def error_from(data: dict[str, Any]) -> PlatformError | None:
    """The error a WeCom reply carries, or None. Branch on errcode only: errmsg carries hints and ids.

    No errcode (or null) and 0 are success; a value that is not a plain integer (1e999, "²", a float,
    an object) is an unknown code, never taken for success (platforms/codes.py).
    """
    errcode = data.get("errcode")
    if errcode is None:
        return None
    code = read_code(errcode)
    if code == "0":
        return None
    message = storable_text(data.get("errmsg", ""))
    if code is None:
        code = shown_code(errcode)
        return PlatformError(code, message, unknown_code_hint(code, message))
    return PlatformError(code, message, wecom_hint(code, message))
