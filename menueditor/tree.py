"""The menu as one platform-neutral value, with one parser from platform JSON and one writer to it.

Shape: up to a few top-level buttons, each a leaf (a type and that type's fields) or a parent of
leaves. Counting, byte limits and which fields a type needs are the platform modules' business;
this module only reads and writes the structure, tolerantly, so that every problem can be reported
by position instead of failing on the first one. Anything that is not a menu at all raises
MenuParseError, and nothing else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

# Every per-type field any platform knows, in the order the platforms' pages write them.
FIELD_NAMES: tuple[str, ...] = ("key", "url", "appid", "pagepath", "media_id", "article_id")

# Guards against hostile input. A full WeChat menu (3 x 5 buttons with 1024-byte URLs) is well
# under 100 kB, so these never refuse a real menu.
MAX_TEXT_BYTES = 1_000_000
# Two levels are allowed; a third is parsed so that validation can name it, deeper is not a menu.
MAX_DEPTH = 3
MAX_LIST_LENGTH = 100
# The most a saved draft may hold: its menu as JSON text (UTF-8, no \u escapes, as exported). A full
# valid menu is a few kB (WeChat's largest: 3 x 5 mini program buttons with 1024-byte web addresses
# and pages, 33 kB; 40 kB with every other type's values kept at their limits too); someone once
# stored a 2.4 MB button name. Checked by every form that saves a draft (menueditor/forms.py).
MAX_DRAFT_BYTES = 64 * 1024


class MenuParseError(ValueError):
    """The input is not a menu at all (not JSON, not an object, no button list)."""


@dataclass
class Button:
    name: str = ""
    type: str = ""
    values: dict[str, str] = field(default_factory=dict)
    # None: a plain leaf. A list: the button had "sub_button" (a parent, or a leaf carrying []).
    children: list[Button] | None = None

    @property
    def is_parent(self) -> bool:
        """A parent has sub-buttons, or has a sub_button list and no type of its own."""
        return bool(self.children) or (self.children is not None and not self.type)

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def to_json(self) -> dict[str, Any]:
        """This button as the platforms write it; what was parsed comes back out unchanged."""
        out: dict[str, Any] = {}
        if self.type:
            out["type"] = self.type
        out["name"] = self.name
        for name in FIELD_NAMES:
            if name in self.values:
                out[name] = self.values[name]
        if self.children is not None:
            out["sub_button"] = [child.to_json() for child in self.children]
        return out


@dataclass
class MenuTree:
    buttons: list[Button] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Any) -> MenuTree:
        return parse_menu(data)

    def to_json(self) -> dict[str, Any]:
        """The {"button": [...]} shape people paste, export and the platforms accept."""
        return {"button": [b.to_json() for b in self.buttons]}

    def button_at(self, path: tuple[int, ...]) -> Button | None:
        """The button at (top,) or (top, sub), or None when there is none."""
        if not path or len(path) > 2 or any(i < 0 for i in path):
            return None
        try:
            button = self.buttons[path[0]]
            if len(path) == 2:
                return (button.children or [])[path[1]]
        except IndexError:
            return None
        return button


def _text(value: Any, where: str) -> str:
    # Numbers are read as their text (some clients write keys and ids as numbers); null is empty.
    if value is None:
        return ""
    if isinstance(value, bool):
        raise MenuParseError(f"{where}: expected text, found {json.dumps(value)}")
    if isinstance(value, int | float):
        try:
            value = str(value)
        except ValueError as exc:  # integers past Python's digit limit
            raise MenuParseError(f"{where}: expected text, found a number too large") from exc
    if not isinstance(value, str):
        raise MenuParseError(f"{where}: expected text, found {type(value).__name__}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone \ud800 escape cannot be sent to any platform
        raise MenuParseError(f"{where}: the text is not valid Unicode") from exc
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise MenuParseError(f"{where}: expected a list, found {type(value).__name__}")
    if len(value) > MAX_LIST_LENGTH:
        raise MenuParseError(f"{where}: {len(value)} buttons is far more than any menu holds")
    return value


def _parse_button(data: Any, where: str, depth: int) -> Button:
    if not isinstance(data, dict):
        raise MenuParseError(f"{where}: expected an object, found {type(data).__name__}")
    button = Button(
        name=_text(data.get("name"), f"{where}.name"),
        type=_text(data.get("type"), f"{where}.type"),
        values={n: _text(data[n], f"{where}.{n}") for n in FIELD_NAMES if n in data},
    )
    if "sub_button" in data:
        subs = data["sub_button"]
        if isinstance(subs, dict) and "list" in subs:  # get_current_selfmenu_info wraps lists
            subs = subs["list"]
        if subs is None:
            subs = []
        subs = _list(subs, f"{where}.sub_button")
        if subs and depth >= MAX_DEPTH:
            raise MenuParseError(f"{where}.sub_button: nested far deeper than a menu's two levels")
        button.children = [
            _parse_button(sub, f"{where}.sub_button[{i}]", depth + 1) for i, sub in enumerate(subs)
        ]
    return button


def parse_menu(data: Any) -> MenuTree:
    """Read a menu from JSON text or decoded JSON.

    Accepts {"button": [...]}, WeChat's menu/get answer {"menu": {"button": [...]}}, Weibo's
    show.json answer of the same shape, and get_current_selfmenu_info's {"selfmenu_info": {...}}.
    Raises MenuParseError, and nothing else, when it is not a menu at all.
    """
    if isinstance(data, bytes | bytearray | str):
        if len(data) > MAX_TEXT_BYTES:
            raise MenuParseError(f"the input is over {MAX_TEXT_BYTES} bytes; a menu is far smaller")
        try:
            data = json.loads(data)
        except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
            raise MenuParseError(f"not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise MenuParseError('expected a JSON object with a "button" list')
    if "button" not in data:
        for wrapper in ("menu", "selfmenu_info"):
            if isinstance(data.get(wrapper), dict):
                data = data[wrapper]
                break
    if not isinstance(data.get("button"), list):
        raise MenuParseError('expected a JSON object with a "button" list')
    buttons = _list(data["button"], "button")
    return MenuTree([_parse_button(b, f"button[{i}]", 1) for i, b in enumerate(buttons)])


def dumps_menu(tree: MenuTree) -> str:
    """The canonical text of a menu: UTF-8 friendly (no \\u escapes), stable key order."""
    return json.dumps(tree.to_json(), ensure_ascii=False)
