"""Reading WeChat's live menus: menu/get, and get_current_selfmenu_info for console-made menus."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from menueditor.tree import MAX_DEPTH, MenuParseError, MenuTree, parse_menu

from ..base import (
    LiveMenu,
    describe_path,
)

# Reply types of menus built in the MP web console: fixed replies the API cannot express.
CONSOLE_REPLY_TYPES: dict[str, Any] = {
    "text": _("a text reply"),
    "img": _("an image reply"),
    "photo": _("an image reply"),  # some console menus name the image reply so
    "voice": _("a voice reply"),
    "video": _("a video reply"),
    "news": _("an article (news) reply"),
}


def _place(path: tuple[int, ...], name: str) -> str:
    return f"{describe_path(path)} “{name}”"


def _convert_console_button(
    data: dict[str, Any],
    path: tuple[int, ...],
    notes: list[str],
    replies: dict[tuple[int, ...], str] | None = None,
) -> dict[str, Any]:
    """A get_current_selfmenu_info button in menu/create shape; console replies become untyped slots
    (each said in `notes`, and in `replies` by path)."""
    if not isinstance(data, dict):
        return {"name": ""}
    name = str(data.get("name", ""))
    subs = data.get("sub_button")
    if isinstance(subs, dict):
        subs = subs.get("list", [])
    if isinstance(subs, list) and (subs or not data.get("type")):
        if len(path) >= MAX_DEPTH:  # deeper than any menu: left to parse_menu to refuse
            return {"name": name, "sub_button": subs}
        return {
            "name": name,
            "sub_button": [
                _convert_console_button(sub, (*path, j), notes, replies) for j, sub in enumerate(subs)
            ],
        }
    kind = str(data.get("type", ""))
    if kind in CONSOLE_REPLY_TYPES:
        notes.append(
            gettext(
                "%(place)s sends %(reply)s set up in the MP web console; the API cannot send fixed "
                "replies, so the button was kept without a type: choose what it does."
            )
            % {"place": _place(path, name), "reply": CONSOLE_REPLY_TYPES[kind]}
        )
        if replies is not None:
            replies[path] = str(CONSOLE_REPLY_TYPES[kind])
        return {"name": name}
    return {k: v for k, v in data.items() if k not in ("sub_button", "value", "news_info")}


def is_selfmenu_info(data: Any) -> bool:
    """Whether decoded JSON is a get_current_selfmenu_info reply rather than a menu."""
    return isinstance(data, dict) and "button" not in data and isinstance(data.get("selfmenu_info"), dict)


def parse_selfmenu_info(
    data: dict[str, Any], notes: list[str] | None = None, replies: dict[tuple[int, ...], str] | None = None
) -> MenuTree:
    """The menu of a get_current_selfmenu_info reply, its {"list": [...]} wrappers undone and its
    console replies kept as untyped buttons (each said in `notes`). MenuParseError when it has none.
    """
    info = data.get("selfmenu_info")
    buttons = info.get("button") if isinstance(info, dict) else None
    if not isinstance(buttons, list):
        raise MenuParseError('expected "selfmenu_info" with a "button" list')
    notes = [] if notes is None else notes
    return parse_menu(
        {"button": [_convert_console_button(b, (i,), notes, replies) for i, b in enumerate(buttons)]}
    )


def convert_selfmenu_info(data: dict[str, Any]) -> LiveMenu:
    """Read a get_current_selfmenu_info reply: its lists are wrapped in {"list": [...]}."""
    raw = json.dumps(data, ensure_ascii=False)
    info = data.get("selfmenu_info") or {}
    buttons = info.get("button") if isinstance(info, dict) else None
    if not data.get("is_menu_open") or not buttons:
        return LiveMenu(None, raw)
    notes: list[str] = []
    replies: dict[tuple[int, ...], str] = {}
    return LiveMenu(parse_selfmenu_info(data, notes, replies), raw, notes, replies)


def read_menu_get(data: dict[str, Any]) -> LiveMenu:
    """Read a menu/get reply (the default menu; conditional menus are listed, not pulled)."""
    raw = json.dumps(data, ensure_ascii=False)
    menu = data.get("menu") if isinstance(data.get("menu"), dict) else {}
    notes: list[str] = []
    conditional = data.get("conditionalmenu")
    if isinstance(conditional, list) and conditional:
        notes.append(
            gettext(
                "The account also has %(count)d conditional menu(s) for tagged followers; they were "
                "not pulled and stay as they are."
            )
            % {"count": len(conditional)}
        )
    if not menu.get("button"):
        return LiveMenu(None, raw, notes)
    return LiveMenu(parse_menu({"button": menu["button"]}), raw, notes)


def read_live_text(raw: str) -> LiveMenu:
    """Read back a reply stored in a Publication (menu/get or get_current_selfmenu_info)."""
    data = json.loads(raw) if raw else {}
    if not isinstance(data, dict):
        return LiveMenu(None, raw)
    if "selfmenu_info" in data or "is_menu_open" in data:
        return convert_selfmenu_info(data)
    if "menu" in data:
        return read_menu_get(data)
    return LiveMenu(parse_menu(data) if data.get("button") else None, raw)
