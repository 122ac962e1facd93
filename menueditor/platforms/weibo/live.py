"""Reading Weibo's live menu (show.json)."""

from __future__ import annotations

import json
from typing import Any

from menueditor.tree import parse_menu

from ..base import LiveMenu


def read_show(data: dict[str, Any]) -> LiveMenu:
    """Read a show.json reply {"menu": {"button": [...]}}; an absent or empty menu is None."""
    raw = json.dumps(data, ensure_ascii=False)
    menu = data.get("menu")
    if isinstance(menu, str):  # some clients saw the menu as JSON text
        try:
            menu = json.loads(menu)
        except ValueError:
            menu = None
    if not isinstance(menu, dict) or not menu.get("button"):
        return LiveMenu(None, raw)
    return LiveMenu(parse_menu({"button": menu["button"]}), raw)
