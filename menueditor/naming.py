"""The editor's one naming scheme: what a button's fields are called in the post, and its ids on the page.

A button sits at a path, (top,) or (top, sub). Its fields are posted under a name built from that
path: ``b-0-name`` is the first top-level button's name, ``b-0-s-2-url`` the third sub-button's web
address. The page names a button by its dotted path (``0.2``, in ``data-path`` and in the structural
edits' operations), and gives ids built here to the controls the server points the keyboard at.
The form, the structural edits, the views and the template (through templatetags/editor_names.py)
read names from here; editor.js reads them from the page's data attributes.
"""

from __future__ import annotations

import re
from functools import lru_cache

Path = tuple[int, ...]

# A posted field name; positions of one or two digits (a menu holds 3 by 5, the form reads up to 10).
_FIELD_NAME = re.compile(r"^b-([0-9]{1,2})-(?:s-([0-9]{1,2})-)?([a-z_]+)$")
_DOTTED = re.compile(r"^[0-9]+(?:\.[0-9]+)?$")

# The button that adds a top-level button: where the focus goes once the menu is empty.
ADD_TOP_ID = "add-top"


def button_prefix(path: Path) -> str:
    """The name prefix of the button at (top,) or (top, sub): 'b-0' or 'b-0-s-2'."""
    return f"b-{path[0]}" if len(path) == 1 else f"b-{path[0]}-s-{path[1]}"


# Every keystroke's post names some 150 fields, from a few dozen positions and field names.
@lru_cache(maxsize=4096)
def field_name(path: Path, field: str) -> str:
    """The posted name of one field: field_name((0, 2), 'url') == 'b-0-s-2-url'."""
    return f"{button_prefix(path)}-{field}"


def parse_field_name(name: str) -> tuple[Path, str] | None:
    """The path and field a posted name stands for, or None: 'b-0-s-2-url' -> ((0, 2), 'url')."""
    match = _FIELD_NAME.match(name)
    if not match:
        return None
    top, sub, field = int(match[1]), match[2], match[3]
    return ((top,) if sub is None else (top, int(sub))), field


def dotted(path: Path) -> str:
    """How the page names a button: '0' or '0.2'."""
    return ".".join(map(str, path))


def parse_dotted(text: str | None) -> Path | None:
    """The path of a dotted name ('0.2' -> (0, 2)), or None when it is not one."""
    if not text or not _DOTTED.match(text):
        return None
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:  # more digits than Python reads
        return None


def input_id(name: str) -> str:
    """The id of the control posting this name: 'b-0-name' is posted by #f-b-0-name."""
    return f"f-{name}"


def field_id(path: Path, field: str) -> str:
    """The id of a button's field: field_id((0, 2), 'url') == 'f-b-0-s-2-url'."""
    return input_id(field_name(path, field))


def control_id(control: str, path: Path | None = None) -> str:
    """The id of one of a button's controls, the ones an edit or a problem puts the focus on:
    'name' and 'type' (its fields), 'up' and 'down' (its arrows), 'add-sub' (a parent's add button);
    'add' is the add-a-button button, which needs no path. '' for no control."""
    if control == "add":
        return ADD_TOP_ID
    if not control or not path:
        return ""
    if control in ("up", "down"):
        return f"mv-{control}-{dotted(path)}"
    if control == "add-sub":
        return f"add-sub-{path[0]}"
    return field_id(path, control)
