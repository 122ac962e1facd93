"""The menu as one platform-neutral value, with one parser from platform JSON and one writer to it.

Shape: up to a few top-level buttons, each a leaf (a type and that type's fields) or a parent of
leaves. A button's fields are whatever text values it carries besides its name and type: which
fields a type needs, counting and byte limits are the platform packages' business; this module
only reads and writes the structure, tolerantly, so that every problem can be reported by position
instead of failing on the first one. Anything that is not a menu at all raises MenuParseError, and
nothing else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

# What a button holds besides its fields: these are read and written by name.
STRUCTURE_KEYS = frozenset({"name", "type", "sub_button"})

# Guards against hostile input. The fullest menu of any platform (3 x 5 buttons with 1024-byte web
# addresses) is well under 100 kB, so these never refuse a real menu.
MAX_TEXT_BYTES = 1_000_000
# Two levels are allowed; a third is parsed so that validation can name it, deeper is not a menu.
MAX_DEPTH = 3
MAX_LIST_LENGTH = 100
# A button of any platform has a handful of fields.
MAX_FIELDS = 100
# The most a saved draft may hold: its menu as JSON text (UTF-8, no \u escapes, as exported). A full
# valid menu is a few kB (the largest any platform takes: 3 x 5 mini program buttons with 1024-byte
# web addresses and pages, 33 kB; 40 kB with every other type's values at their limits too); someone once
# stored a 2.4 MB button name. Checked by every form that saves a draft (menueditor/forms.py).
MAX_DRAFT_BYTES = 64 * 1024


def __getattr__(name: str) -> Any:
    # FIELD_NAMES moved to the registry (menueditor.platforms), built from the platforms' tables;
    # this keeps the editor's form importing it from here until it reads it from there.
    if name == "FIELD_NAMES":
        from menueditor.platforms import FIELD_NAMES

        return FIELD_NAMES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class MenuParseError(ValueError):
    """The input is not a menu at all (not JSON, not an object, no button list).

    str() is the detail in English, for logs and the record; kind and params say the same as data,
    which menueditor/parse_messages.py turns into words in the interface language.
    """

    def __init__(self, message: str, kind: str = "", **params: Any) -> None:
        super().__init__(message)
        self.kind = kind
        self.params = params


@dataclass
class Button:
    name: str = ""
    type: str = ""
    # Every text field the button carries, in the order it came in (a platform's payload writes
    # them in the order of its own field table).
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
        out.update(self.values)
        if self.children is not None:
            out["sub_button"] = [child.to_json() for child in self.children]
        return out

    def canonical(self) -> Button:
        """The button as followers experience it (see MenuTree.canonical)."""
        if self.is_parent:
            return Button(self.name, "", {}, [child.canonical() for child in self.children or []])
        return Button(self.name, self.type, {k: v for k, v in self.values.items() if v != ""}, None)


@dataclass
class MenuTree:
    buttons: list[Button] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Any) -> MenuTree:
        return parse_menu(data)

    def to_json(self) -> dict[str, Any]:
        """The {"button": [...]} shape people paste, export and the platforms accept."""
        return {"button": [b.to_json() for b in self.buttons]}

    def canonical(self) -> MenuTree:
        """The menu as followers experience it, free of how it happened to be written.

        A parent carries only its name and sub-buttons (no type or fields of its own); a leaf
        carries no sub_button list (menu/get adds an empty one to every leaf) and no empty field.
        Equal menus have equal canonical forms, and the canonical form of a canonical form is
        itself: it is what drafts store from a platform, what drift and changes compare, and what
        the editor compares with the saved draft.
        """
        return MenuTree([b.canonical() for b in self.buttons])

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
        raise MenuParseError(
            f"{where}: expected text, found {json.dumps(value)}", "expected_text", where=where
        )
    if isinstance(value, int | float):
        try:
            value = str(value)
        except ValueError as exc:  # integers past Python's digit limit
            raise MenuParseError(
                f"{where}: expected text, found a number too large", "expected_text", where=where
            ) from exc
    if not isinstance(value, str):
        raise MenuParseError(
            f"{where}: expected text, found {type(value).__name__}", "expected_text", where=where
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone \ud800 escape cannot be sent to any platform
        raise MenuParseError(f"{where}: the text is not valid Unicode", "bad_unicode", where=where) from exc
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise MenuParseError(
            f"{where}: expected a list, found {type(value).__name__}", "expected_list", where=where
        )
    if len(value) > MAX_LIST_LENGTH:
        raise MenuParseError(
            f"{where}: {len(value)} buttons is far more than any menu holds", "too_many", where=where
        )
    return value


def _is_text(value: Any) -> bool:
    return value is None or (isinstance(value, str | int | float) and not isinstance(value, bool))


def _fields(data: dict[str, Any], where: str) -> dict[str, str]:
    """The button's text fields; other values (objects, lists, true/false) are not fields and not
    carried, such as the reply content a platform's own read-back may add."""
    fields = {}
    for name, value in data.items():
        if name in STRUCTURE_KEYS or not _is_text(value):
            continue
        fields[_text(name, f"{where}: a field name")] = _text(value, f"{where}.{name}")
    if len(fields) > MAX_FIELDS:
        raise MenuParseError(
            f"{where}: {len(fields)} fields is far more than any button has", "too_many", where=where
        )
    return fields


def _parse_button(data: Any, where: str, depth: int) -> Button:
    if not isinstance(data, dict):
        raise MenuParseError(
            f"{where}: expected an object, found {type(data).__name__}", "expected_object", where=where
        )
    button = Button(
        name=_text(data.get("name"), f"{where}.name"),
        type=_text(data.get("type"), f"{where}.type"),
        values=_fields(data, where),
    )
    if "sub_button" in data:
        subs = data["sub_button"]
        if subs is None:
            subs = []
        subs = _list(subs, f"{where}.sub_button")
        if subs and depth >= MAX_DEPTH:
            raise MenuParseError(
                f"{where}.sub_button: nested far deeper than a menu's two levels", "too_deep", where=where
            )
        button.children = [
            _parse_button(sub, f"{where}.sub_button[{i}]", depth + 1) for i, sub in enumerate(subs)
        ]
    return button


def decode_json(data: Any) -> Any:
    """JSON text or bytes decoded (with the size guard); anything else as it is. MenuParseError."""
    if not isinstance(data, bytes | bytearray | str):
        return data
    if len(data) > MAX_TEXT_BYTES:
        raise MenuParseError(
            f"the input is over {MAX_TEXT_BYTES} bytes; a menu is far smaller",
            "too_big",
            limit=MAX_TEXT_BYTES,
        )
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise MenuParseError(
            f"not valid JSON: {exc}", "not_json", line=exc.lineno, column=exc.colno, reason=exc.msg
        ) from exc
    except UnicodeDecodeError as exc:
        raise MenuParseError(f"not valid JSON: {exc}", "not_utf8") from exc
    except RecursionError as exc:
        raise MenuParseError(f"not valid JSON: {exc}", "too_deep", where="") from exc
    except ValueError as exc:  # e.g. a number with more digits than Python converts
        raise MenuParseError(f"not valid JSON: {exc}", "not_json") from exc


def parse_menu(data: Any) -> MenuTree:
    """Read a menu from JSON text or decoded JSON.

    Accepts {"button": [...]} and a read-back answer that wraps it as {"menu": {"button": [...]}}
    (several platforms answer so). Shapes of one platform only are read by its package first.
    Raises MenuParseError, and nothing else, when it is not a menu at all.
    """
    data = decode_json(data)
    if not isinstance(data, dict):
        raise MenuParseError('expected a JSON object with a "button" list', "no_button_list")
    if "button" not in data and isinstance(data.get("menu"), dict):
        data = data["menu"]
    if not isinstance(data.get("button"), list):
        raise MenuParseError('expected a JSON object with a "button" list', "no_button_list")
    buttons = _list(data["button"], "button")
    return MenuTree([_parse_button(b, f"button[{i}]", 1) for i, b in enumerate(buttons)])


def dumps_menu(tree: MenuTree) -> str:
    """The canonical text of a menu: UTF-8 friendly (no \\u escapes), stable key order."""
    return json.dumps(tree.to_json(), ensure_ascii=False)
