"""Differences between two menus in words a marketer reads: for the review, drift, conflicts, history.

Buttons are matched between the two menus by what they are, not where they sit: first by the
platform's identity (its type and the key, address, material or page it sends or opens:
PlatformRules.identity), then by the same key or address under another type, then by name, and
only then by slot (the same slot and the same type). So removing two sub-buttons and adding one
elsewhere reads as two removed and one added, and a button dragged to another sub-menu reads as
moved, from where to where. Types and fields are named by the platform's labels, never their codes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from menueditor.platforms.base import PlatformRules
from menueditor.tree import Button, MenuTree

Path = tuple[int, ...]

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"
MOVED = "moved"


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


# -- the result ------------------------------------------------------------------------------------


@dataclass
class ButtonChange:
    """One button that was added, removed, moved or changed, said in one sentence (`text`)."""

    kind: str  # ADDED, REMOVED, MOVED (perhaps changed too) or CHANGED
    name: str
    before_path: Path | None
    after_path: Path | None
    details: list[str] = field(default_factory=list)  # renamed, type changed, each field changed
    text: str = ""


@dataclass
class MenuDiff:
    """What changes when one menu becomes another, and which buttons of each to mark on its phone."""

    changes: list[ButtonChange] = field(default_factory=list)
    before_marks: dict[Path, str] = field(default_factory=dict)
    after_marks: dict[Path, str] = field(default_factory=dict)
    summary: str = ""  # the whole menu removed, or created where there was none

    def lines(self) -> list[str]:
        """Every change as a sentence: [] when followers would see no change."""
        return ([self.summary] if self.summary else []) + [c.text for c in self.changes]

    def __bool__(self) -> bool:
        return bool(self.summary or self.changes)


# -- naming things ---------------------------------------------------------------------------------


class _AnyPlatform(PlatformRules):
    """For callers that name no platform: labels from whichever registered platform knows the type."""

    def _platforms(self) -> list[PlatformRules]:
        from menueditor.platforms import PLATFORMS

        return list(PLATFORMS.values())

    def identity(self, button: Button) -> tuple[str, ...] | None:
        for platform in self._platforms():
            if button.type in platform.button_types:
                return platform.identity(button)
        return super().identity(button)

    def type_label(self, type_code: str) -> str:
        for platform in self._platforms():
            if type_code in platform.button_types:
                return platform.type_label(type_code)
        return super().type_label(type_code)

    def field_label(self, name: str) -> str:
        for platform in self._platforms():
            if name in platform.fields:
                return platform.field_label(name)
        return name


_ANY_PLATFORM = _AnyPlatform()


def _quoted(name: str) -> str:
    return f"“{name}”" if name else _("(no name)")


@dataclass
class _Node:
    path: Path
    button: Button
    parent: Button | None  # the sub-menu it is in, None on the menu bar


def _nodes(tree: MenuTree) -> list[_Node]:
    nodes = []
    for i, button in enumerate(tree.buttons):
        nodes.append(_Node((i,), button, None))
        for j, child in enumerate(button.children or [] if button.is_parent else []):
            nodes.append(_Node((i, j), child, button))
    return nodes


def place(node_path: Path, parent: Button | None) -> str:
    """Where a button sits, as a person finds it: on the menu bar or in a named sub-menu."""
    if parent is None:
        return _("menu bar position %(n)d") % {"n": node_path[0] + 1}
    return _("%(parent)s position %(n)d") % {"parent": _quoted(parent.name), "n": node_path[-1] + 1}


# -- matching --------------------------------------------------------------------------------------


def _pair_by(
    befores: list[_Node],
    afters: list[_Node],
    key: Callable[[_Node], Hashable | None],
    pairs: dict[Path, Path],
) -> None:
    """Pair the not yet paired nodes whose keys are equal (None never pairs); among equals, the
    ones in the same slot first, then in menu order, so identical buttons pair without crossing."""
    taken = set(pairs.values())
    groups_before: dict[Hashable, list[_Node]] = {}
    groups_after: dict[Hashable, list[_Node]] = {}
    for node in befores:
        k = key(node) if node.path not in pairs else None
        if k is not None:
            groups_before.setdefault(k, []).append(node)
    for node in afters:
        k = key(node) if node.path not in taken else None
        if k is not None:
            groups_after.setdefault(k, []).append(node)
    for k, olds in groups_before.items():
        news = groups_after.get(k)
        if not news:
            continue
        new_paths = {n.path for n in news}
        rest_old = []
        for old in olds:
            if old.path in new_paths:
                pairs[old.path] = old.path
                new_paths.discard(old.path)
            else:
                rest_old.append(old)
        rest_new = [n for n in news if n.path in new_paths]
        for old, new in zip(rest_old, rest_new, strict=False):
            pairs[old.path] = new.path


def _longest_increasing(values: list[int]) -> set[int]:
    """Indexes (into values) of one longest increasing run: the buttons that kept their order."""
    if not values:
        return set()
    best_len = [1] * len(values)
    prev = [-1] * len(values)
    for i in range(len(values)):
        for j in range(i):
            if values[j] < values[i] and best_len[j] + 1 > best_len[i]:
                best_len[i], prev[i] = best_len[j] + 1, j
    i = max(range(len(values)), key=lambda k: (best_len[k], -k))
    kept = set()
    while i != -1:
        kept.add(i)
        i = prev[i]
    return kept


class _Comparison:
    def __init__(
        self, before: MenuTree, after: MenuTree, platform: PlatformRules, before_types: dict[Path, str]
    ):
        self.before, self.after, self.platform = before, after, platform
        self.before_types = before_types
        self.old = {n.path: n for n in _nodes(before)}
        self.new = {n.path: n for n in _nodes(after)}
        self.pairs: dict[Path, Path] = {}

    def match(self) -> None:
        platform = self.platform
        old_leaves = [n for n in self.old.values() if not n.button.is_parent]
        new_leaves = [n for n in self.new.values() if not n.button.is_parent]

        def identity(node: _Node) -> Hashable | None:
            return platform.identity(node.button)

        def sends_the_same(node: _Node) -> Hashable | None:
            found = platform.identity(node.button)
            return found[1:] if found else None

        def name(node: _Node) -> Hashable | None:
            return node.button.name or None

        def slot_and_type(node: _Node) -> Hashable | None:
            return (node.path, node.button.type)

        for key in (identity, sends_the_same, name, slot_and_type):
            _pair_by(old_leaves, new_leaves, key, self.pairs)

        old_parents = [n for n in self.old.values() if n.button.is_parent]
        new_parents = [n for n in self.new.values() if n.button.is_parent]
        _pair_by(old_parents, new_parents, name, self.pairs)
        self._pair_parents_by_children(old_parents, new_parents)
        # Two empty sub-menus in the same slot: nothing else could tell them apart.
        _pair_by(old_parents, new_parents, lambda n: None if n.button.children else n.path, self.pairs)
        # A button that became a sub-menu (or the other way round) under the same name.
        old_top = [n for n in self.old.values() if len(n.path) == 1]
        new_top = [n for n in self.new.values() if len(n.path) == 1]
        _pair_by(old_top, new_top, name, self.pairs)

    def _pair_parents_by_children(self, old_parents: list[_Node], new_parents: list[_Node]) -> None:
        taken = set(self.pairs.values())
        for old in old_parents:
            if old.path in self.pairs:
                continue
            counts: dict[Path, int] = {}
            for old_path, new_path in self.pairs.items():
                if len(old_path) == 2 and old_path[0] == old.path[0] and len(new_path) == 2:
                    top = (new_path[0],)
                    if top not in taken and self.new[top].button.is_parent:
                        counts[top] = counts.get(top, 0) + 1
            if counts:
                best = max(counts, key=lambda p: (counts[p], -p[0]))
                self.pairs[old.path] = best
                taken.add(best)

    def _container(self, path: Path, side: str) -> Hashable:
        """The menu bar, or a sub-menu named by its path in the old menu (new ones by their own)."""
        if len(path) == 1:
            return "bar"
        top = (path[0],)
        if side == "old":
            return ("old", top)
        old_top = next((o for o, n in self.pairs.items() if n == top), None)
        return ("old", old_top) if old_top is not None else ("new", top)

    def moved(self) -> set[Path]:
        """Old paths of the paired buttons that changed sub-menu or order among those that stayed."""
        moved: set[Path] = set()
        stayed: dict[Hashable, list[tuple[Path, Path]]] = {}
        for old_path, new_path in self.pairs.items():
            here, there = self._container(old_path, "old"), self._container(new_path, "new")
            if here != there:
                moved.add(old_path)
            else:
                stayed.setdefault(here, []).append((old_path, new_path))
        for pairs in stayed.values():
            pairs.sort()
            kept = _longest_increasing([new[-1] for _old, new in pairs])
            moved.update(old for i, (old, _new) in enumerate(pairs) if i not in kept)
        return moved

    # -- sentences ---------------------------------------------------------------------------
    def _type(self, node: _Node, side: str) -> str:
        if node.button.is_parent:
            return _("opens a sub-menu")
        if side == "old" and node.path in self.before_types:
            return self.before_types[node.path]
        return self.platform.type_label(node.button.type)

    def details(self, old: _Node, new: _Node) -> list[str]:
        a, b = old.button, new.button
        out: list[str] = []
        if a.name != b.name:
            out.append(_("renamed to %(new)s") % {"new": _quoted(b.name)})
        if a.is_parent != b.is_parent:
            if b.is_parent:
                out.append(_("now opens a sub-menu"))
            else:
                out.append(
                    _("no longer opens a sub-menu; it now does “%(type)s”") % {"type": self._type(new, "new")}
                )
            return out
        if b.is_parent:
            return out
        type_changed = a.type != b.type or old.path in self.before_types
        if type_changed:
            out.append(
                _("what it does changed from “%(old)s” to “%(new)s”")
                % {"old": self._type(old, "old"), "new": self._type(new, "new")}
            )
        for key in dict.fromkeys([*a.values, *b.values]):
            was, now = a.value(key), b.value(key)
            if was == now or (type_changed and not now):
                continue  # the old type's fields go with it
            label = self.platform.field_label(key)
            if not now:
                out.append(_("%(field)s “%(old)s” removed") % {"field": label, "old": was})
            elif not was:
                out.append(_("%(field)s set to “%(new)s”") % {"field": label, "new": now})
            else:
                out.append(
                    _("%(field)s changed from “%(old)s” to “%(new)s”")
                    % {"field": label, "old": was, "new": now}
                )
        return out

    def changes(self) -> MenuDiff:
        result = MenuDiff()
        moved = self.moved()
        paired_new = {n: o for o, n in self.pairs.items()}
        removed_parents = {p for p, n in self.old.items() if n.button.is_parent and p not in self.pairs}
        added_parents = {p for p, n in self.new.items() if n.button.is_parent and p not in paired_new}
        removed: list[ButtonChange] = []
        for path, node in self.old.items():
            if path in self.pairs or (len(path) == 2 and (path[0],) in removed_parents):
                continue
            result.before_marks[path] = REMOVED
            if node.button.is_parent:
                gone = [c for j, c in enumerate(node.button.children or []) if (*path, j) not in self.pairs]
                for j, _c in enumerate(node.button.children or []):
                    if (*path, j) not in self.pairs:
                        result.before_marks[(*path, j)] = REMOVED
                text = ngettext(
                    "Removed the sub-menu %(name)s and its %(count)d sub-button (%(names)s) from %(place)s",
                    "Removed the sub-menu %(name)s and its %(count)d sub-buttons (%(names)s) from %(place)s",
                    len(gone),
                ) % {
                    "name": _quoted(node.button.name),
                    "count": len(gone),
                    "names": ", ".join(_quoted(c.name) for c in gone),
                    "place": place(path, None),
                }
                if not gone:
                    text = _("Removed the sub-menu %(name)s from %(place)s") % {
                        "name": _quoted(node.button.name),
                        "place": place(path, None),
                    }
            else:
                text = _("Removed %(name)s (%(type)s) from %(place)s") % {
                    "name": _quoted(node.button.name),
                    "type": self._type(node, "old"),
                    "place": place(path, node.parent),
                }
            removed.append(ButtonChange(REMOVED, node.button.name, path, None, [], text))
        others: list[ButtonChange] = []
        for path, node in self.new.items():
            old_path = paired_new.get(path)
            if old_path is None:
                if len(path) == 2 and (path[0],) in added_parents:
                    result.after_marks[path] = ADDED
                    continue
                result.after_marks[path] = ADDED
                if node.button.is_parent:
                    kids = [
                        c for j, c in enumerate(node.button.children or []) if (*path, j) not in paired_new
                    ]
                    text = ngettext(
                        "Added the sub-menu %(name)s with %(count)d sub-button (%(names)s) at %(place)s",
                        "Added the sub-menu %(name)s with %(count)d sub-buttons (%(names)s) at %(place)s",
                        len(kids),
                    ) % {
                        "name": _quoted(node.button.name),
                        "count": len(kids),
                        "names": ", ".join(_quoted(c.name) for c in kids),
                        "place": place(path, None),
                    }
                    if not kids:
                        text = _("Added the sub-menu %(name)s at %(place)s") % {
                            "name": _quoted(node.button.name),
                            "place": place(path, None),
                        }
                else:
                    text = _("Added %(name)s (%(type)s) at %(place)s") % {
                        "name": _quoted(node.button.name),
                        "type": self._type(node, "new"),
                        "place": place(path, node.parent),
                    }
                others.append(ButtonChange(ADDED, node.button.name, None, path, [], text))
                continue
            old = self.old[old_path]
            details = self.details(old, node)
            is_moved = old_path in moved
            if not details and not is_moved:
                continue
            kind = MOVED if is_moved else CHANGED
            result.before_marks[old_path] = kind
            result.after_marks[path] = kind
            said = "; ".join(details)
            if is_moved:
                text = _("Moved %(name)s from %(old)s to %(new)s") % {
                    "name": _quoted(old.button.name),
                    "old": place(old_path, old.parent),
                    "new": place(path, node.parent),
                }
                if said:
                    text = _("%(move)s; %(details)s") % {"move": text, "details": said}
            else:
                text = _("Changed %(name)s (%(place)s): %(details)s") % {
                    "name": _quoted(old.button.name),
                    "place": place(path, node.parent),
                    "details": said,
                }
            others.append(ButtonChange(kind, old.button.name, old_path, path, details, text))
        result.changes = removed + others
        return result


def compare_menus(
    before: MenuTree | None,
    after: MenuTree | None,
    platform: PlatformRules | None = None,
    *,
    before_types: dict[Path, str] | None = None,
) -> MenuDiff:
    """What changes when the menu `before` becomes `after`, button by button, matched by identity.

    platform: whose identities and labels to use (any registered platform's, when None).
    before_types: labels for buttons of `before` whose type no API code says (a console reply).
    """
    old, new = _canonical(before), _canonical(after)
    if old == new and not before_types:
        return MenuDiff()
    comparison = _Comparison(old, new, platform or _ANY_PLATFORM, before_types or {})
    comparison.match()
    result = comparison.changes()
    if not new.buttons:
        result.summary = _("the whole menu is removed")
        result.changes = []
        result.before_marks = {path: REMOVED for path in comparison.old}
    elif not old.buttons:
        result.summary = _("there is no menu now; a new one is created")
    return result


def describe_changes(
    before: MenuTree | None, after: MenuTree | None, platform: PlatformRules | None = None
) -> list[str]:
    """What changes when the menu `before` becomes `after`; [] when followers would see no change."""
    return compare_menus(before, after, platform).lines()
