"""Structural edits of a menu in the editor: add, remove, move, change a button's kind.

Each edit is named by a short operation string posted by a button of the editor (or by drag and
drop): ``add``, ``add-sub:0``, ``remove:1.2``, ``up:1``, ``down:0.3``, ``move:0.2>1.0`` (to
another parent, before its first sub-button), ``move:0.2>1`` (to the end of parent 1),
``move:2>0`` (top-level button 3 before button 1), ``to-parent:1``, ``to-leaf:1`` and ``type:0``
(a new type was chosen: only the fields change). Limits come from the platform; an edit that would
break one is refused with the reason, never half done. An edit answers with values: the tree, the
button left selected and which of its controls takes the keyboard focus; the view turns those into
the page's ids (menueditor/naming.py).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from menueditor.naming import Path, parse_dotted
from menueditor.platforms import PlatformRules
from menueditor.tree import Button, MenuTree

_OP = re.compile(r"^(add|add-sub|remove|up|down|move|to-parent|to-leaf|type)(?::([\d.]+)(?:>([\d.]+))?)?$")


@dataclass
class EditResult:
    tree: MenuTree
    # The button the edit leaves selected (None: the selection stays as it was, or the menu is empty).
    selected: Path | None = None
    # Which control takes the keyboard focus (naming.control_id): 'name', 'type', 'up', 'down' or
    # 'add-sub' of the selected button, 'add' (the add-a-button button), '' (none).
    focus: str = ""
    message: str = ""  # why an edit was refused, in the user's words
    # What an edit that took much away did, said with an "Undo" (instead of asking first).
    done: str = ""
    open: int | None = None  # a top-level button whose sub-menu the preview should show


def default_type(platform: PlatformRules) -> str:
    """The type a new button starts with: the platform's choice, else its first type."""
    return platform.new_button_type or next(iter(platform.button_types), "")


def apply_edit(tree: MenuTree, op: str, platform: PlatformRules) -> EditResult:
    """Apply one operation to a copy of the tree; unknown or impossible operations change nothing."""
    tree = copy.deepcopy(tree)
    match = _OP.match(op or "")
    if not match:
        return EditResult(tree, message=_("That change is not one the editor knows; nothing was changed."))
    action, src, dest = match[1], parse_dotted(match[2]), parse_dotted(match[3])
    handler = _HANDLERS[action]
    try:
        return handler(tree, platform, src, dest)
    except _Refused as refusal:
        return EditResult(tree, message=str(refusal), open=refusal.open)


class _Refused(Exception):
    def __init__(self, message: str, open: int | None = None) -> None:
        super().__init__(message)
        self.open = open


def _top(tree: MenuTree, path: tuple[int, ...] | None) -> Button:
    if path is None or len(path) != 1 or tree.button_at(path) is None:
        raise _Refused(_("That button no longer exists; nothing was changed."))
    return tree.buttons[path[0]]


def _parent_of(tree: MenuTree, path: tuple[int, ...] | None) -> Button:
    if path is None or len(path) != 2 or tree.button_at(path) is None:
        raise _Refused(_("That button no longer exists; nothing was changed."))
    parent = tree.buttons[path[0]]
    if not parent.is_parent:
        raise _Refused(_("That button no longer exists; nothing was changed."))
    return parent


def _add(tree, platform, src, dest) -> EditResult:
    if len(tree.buttons) >= platform.max_buttons:
        raise _Refused(
            _("%(platform)s menus hold at most %(limit)d buttons.")
            % {"platform": platform.label, "limit": platform.max_buttons}
        )
    tree.buttons.append(Button(type=default_type(platform)))
    return EditResult(tree, selected=(len(tree.buttons) - 1,), focus="name")


def _add_sub(tree, platform, src, dest) -> EditResult:
    parent = _top(tree, src)
    if not parent.is_parent:
        raise _Refused(_("That button has no sub-menu; give it one first."))
    children = parent.children if parent.children is not None else []
    if len(children) >= platform.max_sub_buttons:
        raise _Refused(
            _("A sub-menu holds at most %(limit)d buttons.") % {"limit": platform.max_sub_buttons},
            open=src[0],
        )
    children.append(Button(type=default_type(platform)))
    parent.children = children
    return EditResult(tree, selected=(src[0], len(children) - 1), focus="name", open=src[0])


def _remove(tree, platform, src, dest) -> EditResult:
    if src is not None and len(src) == 2:
        parent = _parent_of(tree, src)
        del parent.children[src[1]]
        left = len(parent.children)
        if not left:  # the sub-menu is empty now: its add button is next
            return EditResult(tree, selected=src[:1], focus="add-sub", open=src[0])
        return EditResult(tree, selected=(src[0], min(src[1], left - 1)), focus="name", open=src[0])
    removed = _top(tree, src)
    del tree.buttons[src[0]]
    done = ""
    if removed.is_parent and removed.children:
        done = ngettext(
            "Removed button %(number)d (%(name)s) and its sub-button.",
            "Removed button %(number)d (%(name)s) and its %(count)d sub-buttons.",
            len(removed.children),
        ) % {"number": src[0] + 1, "name": removed.name, "count": len(removed.children)}
    left = len(tree.buttons)
    if not left:
        return EditResult(tree, focus="add", done=done)
    return EditResult(tree, selected=(min(src[0], left - 1),), focus="name", done=done)


def _step(direction: int):
    def handler(tree, platform, src, dest) -> EditResult:
        if src is None:
            raise _Refused(_("That button no longer exists; nothing was changed."))
        if len(src) == 2:
            parent = _parent_of(tree, src)
            siblings, index = parent.children, src[1]
        else:
            _top(tree, src)
            siblings, index = tree.buttons, src[0]
        target = index + direction
        if not 0 <= target < len(siblings):
            raise _Refused(_("That button is already at the end."))
        siblings[index], siblings[target] = siblings[target], siblings[index]
        new_path = (*src[:-1], target)
        # The same arrow again, unless the button reached the end, where that arrow is disabled.
        at_edge = target in (0, len(siblings) - 1)
        word = ("up" if direction < 0 else "down") if not at_edge else ("down" if target == 0 else "up")
        return EditResult(tree, selected=new_path, focus=word, open=src[0] if len(src) == 2 else None)

    return handler


def _move(tree, platform, src, dest) -> EditResult:
    if src is None or dest is None:
        raise _Refused(_("That button no longer exists; nothing was changed."))
    if len(src) == 1:
        _top(tree, src)
        if len(dest) != 1 or not 0 <= dest[0] <= len(tree.buttons):
            raise _Refused(_("A top-level button can only move along the menu bar."))
        button = tree.buttons.pop(src[0])
        index = dest[0] - 1 if dest[0] > src[0] else dest[0]
        tree.buttons.insert(index, button)
        return EditResult(tree, selected=(index,), focus="name")
    source_parent = _parent_of(tree, src)
    target_parent = _top(tree, dest[:1])
    if not target_parent.is_parent:
        raise _Refused(_("Sub-buttons can only move into a button that has a sub-menu."))
    targets = target_parent.children
    index = dest[1] if len(dest) == 2 else len(targets)
    if not 0 <= index <= len(targets):
        index = len(targets)
    if target_parent is not source_parent and len(targets) >= platform.max_sub_buttons:
        raise _Refused(
            _("Button %(n)d's sub-menu already holds %(limit)d buttons.")
            % {"n": dest[0] + 1, "limit": platform.max_sub_buttons},
            open=src[0],
        )
    button = source_parent.children.pop(src[1])
    if target_parent is source_parent and index > src[1]:
        index -= 1
    targets.insert(index, button)
    return EditResult(tree, selected=(dest[0], index), focus="name", open=dest[0])


def _to_parent(tree, platform, src, dest) -> EditResult:
    button = _top(tree, src)
    if button.is_parent:
        return EditResult(tree, open=src[0])
    # What the button did moves to its first sub-button, so nothing typed is lost.
    first = Button(type=button.type or default_type(platform), values=dict(button.values))
    tree.buttons[src[0]] = Button(name=button.name, children=[first])
    return EditResult(tree, selected=(src[0], 0), focus="name", open=src[0])


def _to_leaf(tree, platform, src, dest) -> EditResult:
    button = _top(tree, src)
    if not button.is_parent:
        return EditResult(tree)
    children = button.children or []
    if len(children) > 1:
        raise _Refused(
            _("Move or remove its sub-buttons first: only a sub-menu of one button can become a button."),
            open=src[0],
        )
    only: Any = children[0] if children else Button(type=default_type(platform))
    tree.buttons[src[0]] = Button(name=button.name, type=only.type, values=dict(only.values))
    return EditResult(tree, selected=src, focus="type")


def _retype(tree, platform, src, dest) -> EditResult:
    if src is None or tree.button_at(src) is None:
        return EditResult(tree)
    return EditResult(tree, selected=src, focus="type", open=src[0] if len(src) == 2 else None)


_HANDLERS = {
    "add": _add,
    "add-sub": _add_sub,
    "remove": _remove,
    "up": _step(-1),
    "down": _step(+1),
    "move": _move,
    "to-parent": _to_parent,
    "to-leaf": _to_leaf,
    "type": _retype,
}
