"""WeChat's error codes in plain language, and reading the error a reply carries.

The limits in the advice come from the rules' tables (rules.py), never written out again here.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..codes import read_code, shown_code, storable_text
from ..transport import PlatformError, unknown_code_hint
from .rules import WECHAT

# The token was refused: invalid (40001), superseded (40014) or expired (42001).
TOKEN_ERRORS = frozenset({"40001", "40014", "42001"})
# stable_token hands back the same token until 5 minutes before expiry: renew no later than that.
TOKEN_MARGIN_SECONDS = 300
WHEN_VISIBLE = _("within about 5 minutes")

WECHAT_HINTS: dict[str, Any] = {
    "-1": _("WeChat is busy. Try again in a moment."),
    "40013": _("The AppID is wrong: fix it in the account settings."),
    "40125": _(
        "The AppSecret is wrong: enter it again in the account settings (reset it in the MP console "
        "if it was lost)."
    ),
    "40164": _(
        "WeChat refused this server's IP address %(ip)s: add it to the IP whitelist in the MP console "
        "(设置与开发 > 基本配置). The change takes a few minutes."
    ),
    "40243": _("The AppSecret is frozen: unfreeze it in the MP console."),
    "40016": _("Wrong number of buttons: a menu has 1 to %(top)d top-level buttons."),
    "40023": _("Wrong number of sub-buttons: a button that opens a sub-menu has 1 to %(sub)d of them."),
    "40017": _(
        "WeChat does not accept a button type used here: use one of the types the editor offers; "
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
    "40033": _(
        "WeChat found \\u escapes in what this app sent. This is a bug of this app: please report it."
    ),
    "40054": _(
        "A web address uses a domain this account may not link to: use a domain the account may link to."
    ),
    "40119": _(
        "This account may not use one of the button types in the menu: remove it, or verify the account."
    ),
    "45009": _(
        "Today's quota for this call is used up. It resets tomorrow; the MP console can reset quotas "
        "up to 10 times a month."
    ),
    "45011": _("Too many calls in a minute: wait a minute and try again."),
    "45064": _("A mini program in the menu is not linked to this account: link it in the MP console first."),
    # Not in WeChat's menu table, but answered for a mini program button's AppID and page.
    "40165": _(
        "A mini program button's page path is not valid: copy it from the mini program, "
        "like pages/index/index."
    ),
    "40166": _(
        "A mini program button's AppID is not valid: it starts with “wx”, is all lower case, and is "
        "copied from the mini program's settings."
    ),
    "46003": _(
        "No menu has been set through the API: the live menu is empty or was set in the MP web console."
    ),
    "48001": _(
        "This account may not use the menu API: unverified subscription accounts cannot use it. "
        "Verify the account in the MP console."
    ),
    "50002": _("The account is restricted: resolve the restriction in the MP console."),
    "61004": _(
        "This server's IP address is not on the third-party platform's whitelist: fix it on the "
        "third-party platform."
    ),
    "61007": _(
        "The third-party platform is not authorised to manage this account's menu: grant it on the "
        "third-party platform."
    ),
    "65301": _("No conditional menu has that menuid: it may have been deleted already."),
    "65302": _("No follower matches that user: check the openid or WeChat ID."),
    "65303": _("A conditional menu needs a default menu first: publish a default menu, then try again."),
    "65316": _("The menu links to too many different domains (at most %(domains)d): use fewer domains."),
    "65317": _("A web address in the menu is not valid: correct it."),
    "65320": _(
        "WeChat no longer accepts conditional menus by sex, region or language: match on a follower tag."
    ),
    "65304": _("The match rule is empty: choose a follower tag or a phone system."),
    "65305": _(
        "The account has too many conditional menus: delete ones nobody needs in the account's live set."
    ),
    "65306": _("This account may not use conditional menus: verify the account in the MP console."),
    "65307": _("The conditional menu has no buttons: add at least one."),
    "65308": _("A button in the conditional menu has no type: choose what it does."),
    "65309": _("Conditional menus are switched off for this account: switch them on in the MP console."),
    "65315": _("That user does not follow the account: only followers have a menu to try."),
    "65318": _("WeChat could not read the menu as UTF-8. This is a bug of this app: please report it."),
    "65319": _("WeChat does not allow creating menus on this account now: check the MP console."),
}
# Codes that share one explanation (top level / sub level, or two names for one fault).
for _same, _as in {
    "40024": "40017",
    "40026": "40019",
    "40027": "40020",
    "47002": "40033",
    "40055": "40054",
    "40120": "40119",
}.items():
    WECHAT_HINTS[_same] = WECHAT_HINTS[_as]

# The calls behind the pickers (content.py): materials, published articles, linked mini programs.
CONTENT_HINTS: dict[str, Any] = {
    "40004": _("WeChat does not know that kind of material: only images, voice and videos can be listed."),
    "40007": _(
        "WeChat has no material with that media_id on this account: it may have been deleted. "
        "Choose another one."
    ),
    "48001": _(
        "This account may not read its materials, articles or linked mini programs through the API "
        "(unverified accounts cannot; linked mini programs are given to third-party platforms only). "
        "Type the id, or keep the mini programs in the account's settings."
    ),
    "53600": _(
        "WeChat has no published article with that article_id: it was deleted, or the id is a "
        "draft's media_id. Choose a published article."
    ),
    "85005": _(
        "That mini program is not bound to this account: link it in the MP console "
        "(广告与服务 > 小程序管理) first."
    ),
}
WECHAT_HINTS.update({code: hint for code, hint in CONTENT_HINTS.items() if code not in WECHAT_HINTS})

_TOKEN_REFUSED_HINT = _(
    "WeChat refused the access token even after this app fetched a new one and tried again. Another "
    "system is probably fetching tokens from /cgi-bin/token for the same AppID (switch it to "
    "stable_token, or let one system own the token), or the AppSecret was changed: enter the current "
    "one in the account settings."
)
_AUTHORIZER_REFUSED_HINT = _(
    "WeChat refused the third-party authorizer access token (invalid or expired). The third-party "
    "platform must refresh it; then paste the new token into the account settings."
)
_CONDITIONAL_HINT = _(
    "WeChat refused the conditional menu (code %(code)s: “%(message)s”): correct it as the message says."
)
_IP_PATTERN = re.compile(r"invalid ip\s+([0-9A-Fa-f:.]+)", re.IGNORECASE)


def _limits() -> dict[str, int]:
    """The figures the advice quotes, read from the rules' tables."""
    per_character = WECHAT.byte_length("中")
    return {
        "top": WECHAT.max_buttons,
        "sub": WECHAT.max_sub_buttons,
        "name_top": WECHAT.name_limit(1),
        "name_sub": WECHAT.name_limit(2),
        "name_top_chars": WECHAT.name_limit(1) // per_character,
        "name_sub_chars": WECHAT.name_limit(2) // per_character,
        "key": WECHAT.field_limit("key"),
        "url": WECHAT.field_limit("url"),
        "domains": WECHAT.max_conditional_domains,
    }


def wechat_hint(code: str, message: str, *, token_mode: str = "") -> str:
    """Plain-language advice for a WeChat error code, in the active language."""
    if code in TOKEN_ERRORS:
        return str(_AUTHORIZER_REFUSED_HINT if token_mode == "authorizer" else _TOKEN_REFUSED_HINT)
    if code in WECHAT_HINTS:
        match = _IP_PATTERN.search(message or "") if code == "40164" else None
        ip = match.group(1).rstrip(".,") if match else gettext("named in the message")
        return str(WECHAT_HINTS[code]) % {**_limits(), "ip": ip}
    if code.isdigit() and 65301 <= int(code) <= 65320:
        return str(_CONDITIONAL_HINT) % {"code": code, "message": message}
    return unknown_code_hint(code, message)


def is_reply(data: dict[str, Any]) -> bool:
    """Whether a JSON body sent with an HTTP error status is still WeChat's own reply."""
    return "errcode" in data


def _error_from(data: dict[str, Any], token_mode: str = "") -> PlatformError | None:
    """The error a WeChat reply carries, or None. Branch on errcode only: errmsg has a request id.

    No errcode (or null) and 0 are success; any value that is not a plain integer (1e999, "²", a
    float, an object) is an unknown code, never taken for success (platforms/codes.py).
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
    return PlatformError(code, message, wechat_hint(code, message, token_mode=token_mode))
