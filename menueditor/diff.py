"""Differences between two menus in words a marketer reads: for drift and "what will change".

Buttons are compared slot by slot (button 1 with button 1, its sub-button 2 with sub-button 2),
which is how followers see them; a move therefore reads as the slots' contents changing.
"""

from __future__ import annotations

import hashlib
import json

from django.utils.translation import gettext as _

from menueditor.platforms.base import describe_path
from menueditor.tree import Button, MenuTree


def _canonical(tree: MenuTree | None) -> MenuTree:
    # No menu and a menu without buttons look the same to followers.
    return MenuTree() if tree is None else tree.canonical()


def same_menu(a: MenuTree | None, b: MenuTree | None) -> bool:
    """Whether followers would see the same menu, however each was written."""
    return _canonical(a) == _canonical(b)


def live_fingerprint(tree: MenuTree | None) -> str:
    """A short hex digest of a live menu as followers see it: equal menus, equal fingerprints."""
    text = json.dumps(_canonical(tree).to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _label(path: tuple[int, ...], button: Button) -> str:
    return f"{describe_path(path)} “{button.name}”"


def _describe_button(before: Button | None, after: Button | None, path: tuple[int, ...]) -> list[str]:
    if before is None and after is None:
        return []
    if before is None:
        return [_("%(button)s added") % {"button": _label(path, after)}]
    if after is None:
        return [_("%(button)s removed") % {"button": _label(path, before)}]
    if before.canonical() == after.canonical():
        return []
    changes: list[str] = []
    where = describe_path(path)
    if before.name != after.name:
        changes.append(
            _("%(where)s renamed from “%(old)s” to “%(new)s”")
            % {"where": where, "old": before.name, "new": after.name}
        )
    label = _label(path, after)
    if before.is_parent != after.is_parent:
        if after.is_parent:
            changes.append(_("%(button)s now opens a sub-menu") % {"button": label})
        else:
            changes.append(
                _("%(button)s no longer opens a sub-menu; it now does “%(type)s”")
                % {"button": label, "type": after.type}
            )
    if before.is_parent and after.is_parent:
        old, new = before.children or [], after.children or []
        for j in range(max(len(old), len(new))):
            changes += _describe_button(
                old[j] if j < len(old) else None, new[j] if j < len(new) else None, (*path, j)
            )
        return changes
    if after.is_parent:
        changes += [
            _("%(button)s added") % {"button": _label((*path, j), child)}
            for j, child in enumerate(after.children or [])
        ]
        return changes
    if before.is_parent:
        return changes
    if before.type != after.type:
        changes.append(
            _("%(button)s: type changed from “%(old)s” to “%(new)s”")
            % {"button": label, "old": before.type or "-", "new": after.type or "-"}
        )
    for name in dict.fromkeys([*before.values, *after.values]):
        old_value, new_value = before.value(name), after.value(name)
        if old_value != new_value:
            if not new_value:
                changes.append(
                    _("%(button)s: %(field)s “%(old)s” removed")
                    % {"button": label, "field": name, "old": old_value}
                )
            elif not old_value:
                changes.append(
                    _("%(button)s: %(field)s set to “%(new)s”")
                    % {"button": label, "field": name, "new": new_value}
                )
            else:
                changes.append(
                    _("%(button)s: %(field)s changed from “%(old)s” to “%(new)s”")
                    % {"button": label, "field": name, "old": old_value, "new": new_value}
                )
    return changes


def describe_changes(before: MenuTree | None, after: MenuTree | None) -> list[str]:
    """What changes when the menu `before` becomes `after`; [] when followers would see no change."""
    if same_menu(before, after):
        return []
    if after is None or not after.buttons:
        return [_("the whole menu is removed")]
    lines = [] if before is not None and before.buttons else [_("there is no menu now; a new one is created")]
    old = before.buttons if before is not None else []
    new = after.buttons
    for i in range(max(len(old), len(new))):
        lines += _describe_button(old[i] if i < len(old) else None, new[i] if i < len(new) else None, (i,))
    return lines
