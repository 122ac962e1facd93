"""The menu rules each platform enforces, written from platforms.md (not from the product's code).

Each check answers with the first refusal the platform would give, or None when the menu passes.
Lengths are bytes as each platform counts them: UTF-8 for WeChat, GB18030 for Weibo (platforms.md,
"How Weibo counts a name's bytes": a Chinese character 2, ASCII 1, outside the basic plane 4).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

# menu/create types and the fields each needs (platforms.md, "Buttons").
WECHAT_TYPES: dict[str, tuple[str, ...]] = {
    "click": ("key",),
    "view": ("url",),
    "miniprogram": ("url", "appid", "pagepath"),
    "scancode_push": ("key",),
    "scancode_waitmsg": ("key",),
    "pic_sysphoto": ("key",),
    "pic_photo_or_album": ("key",),
    "pic_weixin": ("key",),
    "location_select": ("key",),
    "media_id": ("media_id",),
    "view_limited": ("media_id",),
    "article_id": ("article_id",),
    "article_view_limited": ("article_id",),
}
WECHAT_NAME_BYTES = {1: 16, 2: 60}
WECHAT_KEY_BYTES = 128
WECHAT_URL_BYTES = 1024
WECHAT_ID_BYTES = 128  # media_id / article_id: generous; real ids are well under this
WECHAT_MAX_BUTTONS = 3
WECHAT_MAX_SUB_BUTTONS = 5

# Per level (1 top, 2 sub): the code for each kind of refusal, as the error table pairs them.
_WECHAT_CODES = {
    "name": {1: 40018, 2: 40025},
    "type": {1: 40017, 2: 40024},
    "key": {1: 40019, 2: 40026},
    "url": {1: 40020, 2: 40027},
    "url_domain": {1: 40055, 2: 40054},
    "not_entitled": {1: 40119, 2: 40120},
}
_MINIPROGRAM_APPID = re.compile(r"wx[0-9a-f]{16}\Z")

WEIBO_TYPES: dict[str, tuple[str, int]] = {"click": ("key", 128), "view": ("url", 256)}
WEIBO_NAME_BYTES = {1: 16, 2: 40}
WEIBO_MAX_BUTTONS = 3
WEIBO_MAX_SUB_BUTTONS = 5


@dataclass(frozen=True)
class Refusal:
    """A refusal: the platform code, and for people reading the simulator's state, why."""

    code: int
    detail: str
    errmsg: str | None = None  # set when the platform's usual text for the code does not fit


def utf8_len(value: Any) -> int:
    return len(value.encode("utf-8")) if isinstance(value, str) else 0


def gb18030_len(value: Any) -> int:
    """Weibo's count: `len(text.encode("gb18030"))`; a lone surrogate (a JSON \\ud800) counts 4."""
    if not isinstance(value, str):
        return 0
    return sum(4 if "\ud800" <= c <= "\udfff" else len(c.encode("gb18030")) for c in value)


def has_unicode_escape(text: str) -> bool:
    r"""True when the JSON text holds a \uXXXX escape (a literal backslash is written \\)."""
    at = text.find("\\")
    while at >= 0:
        if text[at + 1 : at + 2] == "u":
            return True
        at = text.find("\\", at + 2)
    return False


def check_wechat_menu(
    body: Any, *, linked_miniprograms: Collection[str], disallowed_types: Collection[str]
) -> Refusal | None:
    """menu/create (and the buttons of addconditional): the first refusal, or None."""
    if not isinstance(body, dict):
        return Refusal(47001, "the body is not a JSON object")
    buttons = body.get("button")
    if buttons is None:
        return Refusal(40016, "no button list")
    if not isinstance(buttons, list):
        return Refusal(47001, "button is not a list")
    if not 1 <= len(buttons) <= WECHAT_MAX_BUTTONS:
        return Refusal(40016, f"{len(buttons)} top-level buttons, 1 to {WECHAT_MAX_BUTTONS} allowed")
    for i, button in enumerate(buttons):
        where = f"button[{i}]"
        if not isinstance(button, dict):
            return Refusal(47001, f"{where} is not an object")
        subs = button.get("sub_button")
        if subs is not None and not isinstance(subs, list):
            return Refusal(47001, f"{where}.sub_button is not a list")
        if not subs:
            # A leaf, possibly carrying "sub_button": [] as the page's own example does.
            refusal = _check_wechat_leaf(button, where, 1, linked_miniprograms, disallowed_types)
            if refusal:
                return refusal
            continue
        # A parent: its type, if any, is ignored; it needs a name and 1-5 leaves.
        refusal = _check_wechat_name(button, where, 1)
        if refusal:
            return refusal
        if len(subs) > WECHAT_MAX_SUB_BUTTONS:
            return Refusal(40023, f"{where} has {len(subs)} sub-buttons, at most {WECHAT_MAX_SUB_BUTTONS}")
        for j, sub in enumerate(subs):
            sub_where = f"{where}.sub_button[{j}]"
            if not isinstance(sub, dict):
                return Refusal(47001, f"{sub_where} is not an object")
            if sub.get("sub_button"):
                return Refusal(40022, f"{sub_where} has sub-buttons: only two levels exist")
            refusal = _check_wechat_leaf(sub, sub_where, 2, linked_miniprograms, disallowed_types)
            if refusal:
                return refusal
    return None


def _check_wechat_name(button: dict, where: str, level: int) -> Refusal | None:
    name = button.get("name")
    limit = WECHAT_NAME_BYTES[level]
    if not isinstance(name, str) or not name:
        return Refusal(_WECHAT_CODES["name"][level], f"{where}.name is missing")
    if utf8_len(name) > limit:
        return Refusal(
            _WECHAT_CODES["name"][level], f"{where}.name is {utf8_len(name)} bytes, at most {limit}"
        )
    return None


def _check_wechat_leaf(
    button: dict, where: str, level: int, linked: Collection[str], disallowed: Collection[str]
) -> Refusal | None:
    refusal = _check_wechat_name(button, where, level)
    if refusal:
        return refusal
    kind = button.get("type")
    if not isinstance(kind, str) or kind not in WECHAT_TYPES:
        return Refusal(_WECHAT_CODES["type"][level], f"{where}.type {kind!r} is not a menu/create type")
    if kind in disallowed:
        return Refusal(_WECHAT_CODES["not_entitled"][level], f"{where}: this account may not use {kind}")
    for field in WECHAT_TYPES[kind]:
        refusal = _check_wechat_field(button, field, where, level, linked)
        if refusal:
            return refusal
    return None


def _check_wechat_field(
    button: dict, field: str, where: str, level: int, linked: Collection[str]
) -> Refusal | None:
    value = button.get(field)
    present = isinstance(value, str) and value != ""
    size = utf8_len(value)
    if field == "key":
        if not present or size > WECHAT_KEY_BYTES:
            return Refusal(
                _WECHAT_CODES["key"][level], f"{where}.key is {size} bytes, 1 to {WECHAT_KEY_BYTES}"
            )
    elif field == "url":
        if not present or size > WECHAT_URL_BYTES:
            return Refusal(
                _WECHAT_CODES["url"][level], f"{where}.url is {size} bytes, 1 to {WECHAT_URL_BYTES}"
            )
        if not value.lower().startswith(("http://", "https://")):
            return Refusal(_WECHAT_CODES["url_domain"][level], f"{where}.url is not an http(s) address")
    elif field == "appid":
        if not present or not _MINIPROGRAM_APPID.match(value):
            return Refusal(40166, f"{where}.appid {value!r} is not a lower-case mini program AppID")
        if value not in linked:
            return Refusal(45064, f"{where}.appid {value} is not linked to this account")
    elif field == "pagepath":
        if not present or size > WECHAT_URL_BYTES:
            return Refusal(40165, f"{where}.pagepath is missing or too long")
    elif field in ("media_id", "article_id") and (not present or size > WECHAT_ID_BYTES):
        return Refusal(40007, f"{where}.{field} is missing or too long", errmsg=f"invalid {field}")
    return None


def check_wechat_matchrule(rule: Any) -> Refusal | None:
    """addconditional's matchrule: only tags and the client platform are dependable now."""
    if not isinstance(rule, dict):
        return Refusal(65304, "matchrule is missing")
    for privacy_field in ("sex", "country", "province", "city", "language"):
        if rule.get(privacy_field) not in (None, ""):
            return Refusal(65320, f"matchrule.{privacy_field} is no longer allowed")
    if all(rule.get(f) in (None, "") for f in ("tag_id", "group_id", "client_platform_type")):
        return Refusal(65304, "matchrule is empty")
    return None


def check_wechat_conditional_domains(buttons: list[dict], limit: int = 3) -> Refusal | None:
    """A conditional menu may link to at most three domains (65316)."""
    leaves = [s for b in buttons for s in (b.get("sub_button") or [b])]
    hosts = {urlsplit(leaf["url"]).hostname for leaf in leaves if isinstance(leaf.get("url"), str)}
    if len(hosts) > limit:
        return Refusal(65316, f"the menu links to {len(hosts)} domains, at most {limit}")
    return None


def check_weibo_menu(menu: Any) -> str | None:
    """menu/create.json's rules: why the menu is refused (always 10008), or None."""
    if not isinstance(menu, dict):
        return "menus is not a JSON object"
    buttons = menu.get("button")
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= WEIBO_MAX_BUTTONS:
        return f"button must be a list of 1 to {WEIBO_MAX_BUTTONS}"
    for i, button in enumerate(buttons):
        where = f"button[{i}]"
        if not isinstance(button, dict):
            return f"{where} is not an object"
        problem = _check_weibo_name(button, where, 1)
        if problem:
            return problem
        if "sub_button" not in button:
            problem = _check_weibo_leaf(button, where)
            if problem:
                return problem
            continue
        subs = button["sub_button"]
        if not isinstance(subs, list) or not 1 <= len(subs) <= WEIBO_MAX_SUB_BUTTONS:
            return f"{where}.sub_button must be a list of 1 to {WEIBO_MAX_SUB_BUTTONS}"
        for j, sub in enumerate(subs):
            sub_where = f"{where}.sub_button[{j}]"
            if not isinstance(sub, dict):
                return f"{sub_where} is not an object"
            if "sub_button" in sub:
                return f"{sub_where} has sub_button: only two levels exist"
            problem = _check_weibo_name(sub, sub_where, 2) or _check_weibo_leaf(sub, sub_where)
            if problem:
                return problem
    return None


def _check_weibo_name(button: dict, where: str, level: int) -> str | None:
    name = button.get("name")
    limit = WEIBO_NAME_BYTES[level]
    if not isinstance(name, str) or not name:
        return f"{where}.name is missing"
    if gb18030_len(name) > limit:
        return f"{where}.name is {gb18030_len(name)} bytes (GB18030), at most {limit}"
    return None


def _check_weibo_leaf(button: dict, where: str) -> str | None:
    kind = button.get("type")
    if kind not in WEIBO_TYPES:
        return f"{where}.type {kind!r} is not click or view"
    field, limit = WEIBO_TYPES[kind]
    value = button.get(field)
    if not isinstance(value, str) or not value or gb18030_len(value) > limit:
        return f"{where}.{field} must be 1 to {limit} bytes (GB18030)"
    return None
