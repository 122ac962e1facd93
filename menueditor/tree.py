"""The menu as one platform-neutral value, with one parser from platform JSON and one writer to it.

Shape: up to a few top-level buttons, each a leaf (a type and that type's fields) or a parent of
leaves. Counting, byte limits and which fields a type needs are the platform modules' business;
this module only reads and writes the structure, tolerantly, so that every problem can be reported
by position instead of failing on the first one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

# Every per-type field any platform knows, in the order the platforms' pages write them.
FIELD_NAMES: tuple[str, ...] = ("key", "url", "appid", "pagepath", "media_id", "article_id")


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
        out: dict[str, Any] = {}
        if self.is_parent:
            out["name"] = self.name
            out["sub_button"] = [child.to_json() for child in self.children or []]
            return out
        if self.type:
            out["type"] = self.type
        out["name"] = self.name
        for name in FIELD_NAMES:
            if name in self.values:
                out[name] = self.values[name]
        if self.children is not None:
            out["sub_button"] = []
        return out


@dataclass
class MenuTree:
    buttons: list[Button] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The {"button": [...]} shape people paste, export and the platforms accept."""
        return {"button": [b.to_json() for b in self.buttons]}

    def button_at(self, path: tuple[int, ...]) -> Button | None:
        """The button at (top,) or (top, sub), or None when there is none."""
        try:
            button = self.buttons[path[0]]
            if len(path) == 2:
                return (button.children or [])[path[1]]
        except IndexError:
            return None
        return button


def _text(value: Any, where: str) -> str:
    # Platforms accept numbers where strings are expected (ids from menu/get); nested values are not text.
    if value is None:
        return ""
    if isinstance(value, bool):
        raise MenuParseError(f"{where}: expected text, found {json.dumps(value)}")
    if isinstance(value, str | int | float):
        return str(value)
    raise MenuParseError(f"{where}: expected text, found {type(value).__name__}")


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
        if not isinstance(subs, list):
            raise MenuParseError(f"{where}.sub_button: expected a list")
        button.children = [
            _parse_button(sub, f"{where}.sub_button[{i}]", depth + 1) for i, sub in enumerate(subs)
        ]
    return button


def parse_menu(data: Any) -> MenuTree:
    """Read a menu from JSON text or decoded JSON.

    Accepts {"button": [...]}, WeChat's menu/get answer {"menu": {"button": [...]}} and Weibo's
    show.json answer of the same shape. Raises MenuParseError when it is not a menu at all.
    """
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except (ValueError, RecursionError) as exc:
            raise MenuParseError(f"not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise MenuParseError('expected a JSON object with a "button" list')
    if "button" not in data and isinstance(data.get("menu"), dict):
        data = data["menu"]
    buttons = data.get("button")
    if not isinstance(buttons, list):
        raise MenuParseError('expected a JSON object with a "button" list')
    return MenuTree([_parse_button(b, f"button[{i}]", 1) for i, b in enumerate(buttons)])


def dumps_menu(tree: MenuTree) -> str:
    """The canonical text of a menu: UTF-8 friendly (no \\u escapes), stable key order."""
    return json.dumps(tree.to_json(), ensure_ascii=False)
