"""Reading a WeCom application's live menu (menu/get)."""

from __future__ import annotations

import json
from typing import Any

from menueditor.tree import parse_menu

from ..base import LiveMenu

# menu/get's code when the application has no menu: an empty live menu, not a failure.
NO_MENU = "46003"


def read_menu_get(data: dict[str, Any]) -> LiveMenu:
    """Read a menu/get reply {"errcode": 0, "errmsg": "ok", "button": [...]}; no buttons is None."""
    raw = json.dumps(data, ensure_ascii=False)
    buttons = data.get("button")
    if not isinstance(buttons, list) or not buttons:
        return LiveMenu(None, raw)
    return LiveMenu(parse_menu({"button": buttons}), raw)


def no_menu(message: str) -> LiveMenu:
    """The live menu when menu/get answered 46003, keeping that answer as the stored reply."""
    return LiveMenu(None, json.dumps({"errcode": int(NO_MENU), "errmsg": message}, ensure_ascii=False))


def read_live_text(raw: str) -> LiveMenu:
    """Read back a menu/get reply stored in a Publication."""
    data = json.loads(raw) if raw else {}
    return read_menu_get(data) if isinstance(data, dict) else LiveMenu(None, raw)
