"""WeCom's application-menu rules, written from platforms.md ("WeCom application menus"), not from
the product's code. The first refusal WeCom would give, or None when the menu passes.

Names, keys and addresses are counted in UTF-8 bytes, as WeChat counts; sub-button names have 40.
"""

from __future__ import annotations

from typing import Any

from .rules import Refusal, utf8_len

# Types and the fields each needs (platforms.md: "Types: click, view, scancode_push, ...").
WECOM_TYPES: dict[str, tuple[str, ...]] = {
    "click": ("key",),
    "view": ("url",),
    "scancode_push": ("key",),
    "scancode_waitmsg": ("key",),
    "pic_sysphoto": ("key",),
    "pic_photo_or_album": ("key",),
    "pic_weixin": ("key",),
    "location_select": ("key",),
    "view_miniprogram": ("appid", "pagepath"),
}
WECOM_NAME_BYTES = {1: 16, 2: 40}
WECOM_KEY_BYTES = 128
WECOM_URL_BYTES = 1024
WECOM_MAX_BUTTONS = 3
WECOM_MAX_SUB_BUTTONS = 5

# Per level (1 top, 2 sub), the code "as for WeChat". platforms.md names no code for a top-level
# button of a wrong type; WeChat's 40017 is what is sent (the product has no advice for it).
_CODES = {
    "name": {1: 40018, 2: 40025},
    "type": {1: 40017, 2: 40024},
    "key": {1: 40019, 2: 40026},
    "url": {1: 40020, 2: 40027},
    "url_domain": {1: 40055, 2: 40054},
}
# Not in platforms.md for WeCom: WeChat's codes for a mini program's AppID and page (40166, 40165).
_MINIPROGRAM_CODES = {"appid": 40166, "pagepath": 40165}


def check_wecom_menu(body: Any) -> Refusal | None:
    """menu/create's body {"button": [...]}: the first refusal, or None."""
    if not isinstance(body, dict):
        return Refusal(47001, "the body is not a JSON object")
    buttons = body.get("button")
    if not isinstance(buttons, list):
        return Refusal(40016, "no button list")
    if not 1 <= len(buttons) <= WECOM_MAX_BUTTONS:
        return Refusal(40016, f"{len(buttons)} top-level buttons, 1 to {WECOM_MAX_BUTTONS} allowed")
    for i, button in enumerate(buttons):
        where = f"button[{i}]"
        if not isinstance(button, dict):
            return Refusal(47001, f"{where} is not an object")
        subs = button.get("sub_button")
        if subs is not None and not isinstance(subs, list):
            return Refusal(47001, f"{where}.sub_button is not a list")
        if not subs:
            refusal = _check_leaf(button, where, 1)
            if refusal:
                return refusal
            continue
        refusal = _check_name(button, where, 1)
        if refusal:
            return refusal
        if len(subs) > WECOM_MAX_SUB_BUTTONS:
            return Refusal(40023, f"{where} has {len(subs)} sub-buttons, at most {WECOM_MAX_SUB_BUTTONS}")
        for j, sub in enumerate(subs):
            sub_where = f"{where}.sub_button[{j}]"
            if not isinstance(sub, dict):
                return Refusal(47001, f"{sub_where} is not an object")
            if sub.get("sub_button"):
                return Refusal(40022, f"{sub_where} has sub-buttons: only two levels exist")
            refusal = _check_leaf(sub, sub_where, 2)
            if refusal:
                return refusal
    return None


def _check_name(button: dict, where: str, level: int) -> Refusal | None:
    name = button.get("name")
    limit = WECOM_NAME_BYTES[level]
    if not isinstance(name, str) or not name:
        return Refusal(_CODES["name"][level], f"{where}.name is missing")
    if utf8_len(name) > limit:
        return Refusal(_CODES["name"][level], f"{where}.name is {utf8_len(name)} bytes, at most {limit}")
    return None


def _check_leaf(button: dict, where: str, level: int) -> Refusal | None:
    refusal = _check_name(button, where, level)
    if refusal:
        return refusal
    kind = button.get("type")
    if not isinstance(kind, str) or kind not in WECOM_TYPES:
        return Refusal(_CODES["type"][level], f"{where}.type {kind!r} is not a WeCom menu type")
    for field in WECOM_TYPES[kind]:
        value = button.get(field)
        present = isinstance(value, str) and value.strip() != ""
        size = utf8_len(value)
        if field == "key" and (not present or size > WECOM_KEY_BYTES):
            return Refusal(_CODES["key"][level], f"{where}.key is {size} bytes, 1 to {WECOM_KEY_BYTES}")
        if field == "url":
            if not present or size > WECOM_URL_BYTES:
                return Refusal(_CODES["url"][level], f"{where}.url is {size} bytes, 1 to {WECOM_URL_BYTES}")
            if not value.lower().startswith(("http://", "https://")):
                return Refusal(_CODES["url_domain"][level], f"{where}.url is not an http(s) address")
        if field in _MINIPROGRAM_CODES and not present:
            return Refusal(_MINIPROGRAM_CODES[field], f"{where}.{field} is missing")
    return None
