"""Every structural edit of menueditor/structure.py, at both ends of the menu bar and of a sub-menu.

Each row: the tree before, the operation the editor posts, the tree after, the button left selected
and which of its controls takes the keyboard focus. Trees are written short: "A" is a click button
named A with key A, ("P", [...]) a parent with its sub-buttons, and anything else a leaf written as
"name|type|field=value" (NEW is the blank web-page button an add makes).
"""

from __future__ import annotations

import copy

import pytest

from menueditor.platforms import PLATFORMS, get_platform
from menueditor.structure import EditResult, apply_edit
from menueditor.tree import Button, MenuTree

WECHAT = get_platform("wechat")
NEW = "|view|"

Shape = list  # of str (a leaf) and tuple[str, list[str]] (a parent)


def leaf(text: str) -> Button:
    if "|" not in text:
        return Button(name=text, type="click", values={"key": text})
    name, type_, fields = text.split("|")
    values = dict(pair.split("=", 1) for pair in fields.split(",") if pair)
    return Button(name=name, type=type_, values=values)


def build(shape: Shape) -> MenuTree:
    return MenuTree(
        [
            Button(name=b[0], children=[leaf(s) for s in b[1]]) if isinstance(b, tuple) else leaf(b)
            for b in shape
        ]
    )


def written(button: Button) -> str:
    if button.type == "click" and button.values == {"key": button.name}:
        return button.name
    return f"{button.name}|{button.type}|" + ",".join(f"{k}={v}" for k, v in button.values.items())


def shape_of(tree: MenuTree) -> Shape:
    return [
        (b.name, [written(s) for s in b.children or []]) if b.is_parent else written(b) for b in tree.buttons
    ]


def subs(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{i + 1}" for i in range(count)]


FULL_SUBS = subs("s", WECHAT.max_sub_buttons)  # s1..s5
EDITED, REFUSED = "edited", "refused"

# (before, op, after, selected, focus, open)
ROWS = [
    # add: a top-level button at the end of the bar, its name focused
    ([], "add", [NEW], (0,), "name", None),
    (["A"], "add", ["A", NEW], (1,), "name", None),
    (["A", ("P", ["a"])], "add", ["A", ("P", ["a"]), NEW], (2,), "name", None),
    # add-sub: a sub-button at the end of the sub-menu, which the preview opens
    ([("P", [])], "add-sub:0", [("P", [NEW])], (0, 0), "name", 0),
    (["A", ("P", ["a", "b"])], "add-sub:1", ["A", ("P", ["a", "b", NEW])], (1, 2), "name", 1),
    # remove: the button beside it takes the focus; once empty, the add button does
    (["A", "B", "C"], "remove:0", ["B", "C"], (0,), "name", None),
    (["A", "B", "C"], "remove:1", ["A", "C"], (1,), "name", None),
    (["A", "B", "C"], "remove:2", ["A", "B"], (1,), "name", None),
    (["A"], "remove:0", [], None, "add", None),
    ([("P", ["a", "b", "c"])], "remove:0.0", [("P", ["b", "c"])], (0, 0), "name", 0),
    ([("P", ["a", "b", "c"])], "remove:0.2", [("P", ["a", "b"])], (0, 1), "name", 0),
    (["A", ("P", ["a"])], "remove:1.0", ["A", ("P", [])], (1,), "add-sub", 1),
    (["A", ("P", ["a"])], "remove:1", ["A"], (0,), "name", None),
    # up and down: the same arrow keeps the focus, the other one once the end is reached
    (["A", "B", "C"], "up:1", ["B", "A", "C"], (0,), "down", None),
    (["A", "B", "C"], "up:2", ["A", "C", "B"], (1,), "up", None),
    (["A", "B", "C"], "down:0", ["B", "A", "C"], (1,), "down", None),
    (["A", "B", "C"], "down:1", ["A", "C", "B"], (2,), "up", None),
    (["A", "B"], "down:0", ["B", "A"], (1,), "up", None),
    ([("P", ["a", "b", "c"])], "up:0.1", [("P", ["b", "a", "c"])], (0, 0), "down", 0),
    ([("P", ["a", "b", "c"])], "up:0.2", [("P", ["a", "c", "b"])], (0, 1), "up", 0),
    ([("P", ["a", "b", "c"])], "down:0.0", [("P", ["b", "a", "c"])], (0, 1), "down", 0),
    ([("P", ["a", "b", "c"])], "down:0.1", [("P", ["a", "c", "b"])], (0, 2), "up", 0),
    ([("P", FULL_SUBS)], "down:0.3", [("P", ["s1", "s2", "s3", "s5", "s4"])], (0, 4), "up", 0),
    # move along the bar: dest is the position to insert before (3: after the last)
    (["A", "B", "C"], "move:2>0", ["C", "A", "B"], (0,), "name", None),
    (["A", "B", "C"], "move:0>3", ["B", "C", "A"], (2,), "name", None),
    (["A", "B", "C"], "move:0>2", ["B", "A", "C"], (1,), "name", None),
    (["A", "B", "C"], "move:0>1", ["A", "B", "C"], (0,), "name", None),  # dropped on itself
    (["A", "B", "C"], "move:1>1", ["A", "B", "C"], (1,), "name", None),
    # dragging a sub-button within its own sub-menu, down and up
    ([("P", ["a", "b", "c"])], "move:0.0>0.2", [("P", ["b", "a", "c"])], (0, 1), "name", 0),
    ([("P", ["a", "b", "c"])], "move:0.0>0.3", [("P", ["b", "c", "a"])], (0, 2), "name", 0),
    ([("P", ["a", "b", "c"])], "move:0.0>0", [("P", ["b", "c", "a"])], (0, 2), "name", 0),
    ([("P", ["a", "b", "c"])], "move:0.2>0.0", [("P", ["c", "a", "b"])], (0, 0), "name", 0),
    ([("P", ["a", "b", "c"])], "move:0.1>0.1", [("P", ["a", "b", "c"])], (0, 1), "name", 0),
    ([("P", ["a", "b", "c"])], "move:0.1>0.2", [("P", ["a", "b", "c"])], (0, 1), "name", 0),
    ([("P", FULL_SUBS)], "move:0.0>0.5", [("P", ["s2", "s3", "s4", "s5", "s1"])], (0, 4), "name", 0),
    # moving a sub-button across parents: before a sub-button, or at the end (dest is the parent)
    (
        [("P", ["a", "b"]), ("Q", ["c"])],
        "move:0.1>1.0",
        [("P", ["a"]), ("Q", ["b", "c"])],
        (1, 0),
        "name",
        1,
    ),
    ([("P", ["a", "b"]), ("Q", ["c"])], "move:0.0>1", [("P", ["b"]), ("Q", ["c", "a"])], (1, 1), "name", 1),
    ([("P", ["a"]), ("Q", ["c"])], "move:1.0>0", [("P", ["a", "c"]), ("Q", [])], (0, 1), "name", 0),
    ([("P", ["a"]), ("Q", [])], "move:0.0>1", [("P", []), ("Q", ["a"])], (1, 0), "name", 1),
    # a position past the end of the other sub-menu puts it last
    ([("P", ["a"]), ("Q", ["c"])], "move:0.0>1.9", [("P", []), ("Q", ["c", "a"])], (1, 1), "name", 1),
    (
        [("P", ["a"]), "B", ("Q", FULL_SUBS[:-1])],
        "move:0.0>2.4",
        [("P", []), "B", ("Q", [*FULL_SUBS[:-1], "a"])],
        (2, 4),
        "name",
        2,
    ),
    # a button gets a sub-menu: what it did moves to its first sub-button, nothing typed is lost
    (["A"], "to-parent:0", [("A", ["|click|key=A"])], (0, 0), "name", 0),
    (
        ["A", "B|view|url=https://example.com/"],
        "to-parent:1",
        ["A", ("B", ["|view|url=https://example.com/"])],
        (1, 0),
        "name",
        1,
    ),
    # a sub-menu of one (or none) becomes a button doing what that one did; its type is focused
    (["A", ("P", ["a"])], "to-leaf:1", ["A", "P|click|key=a"], (1,), "type", None),
    ([("P", [])], "to-leaf:0", ["P|view|"], (0,), "type", None),
    # a new type was chosen: the form is drawn again, its type still focused
    (["A"], "type:0", ["A"], (0,), "type", None),
    ([("P", ["a", "b"])], "type:0.1", [("P", ["a", "b"])], (0, 1), "type", 0),
    # nothing to do: the tree stays, no focus moves
    ([("P", ["a"])], "to-parent:0", [("P", ["a"])], None, "", 0),
    (["A"], "to-leaf:0", ["A"], None, "", None),
    (["A"], "type:3", ["A"], None, "", None),
]


@pytest.mark.parametrize(
    ("before", "op", "after", "selected", "focus", "open"), ROWS, ids=[r[1] for r in ROWS]
)
def test_edit(before, op, after, selected, focus, open):
    tree = build(before)
    untouched = copy.deepcopy(tree)
    result = apply_edit(tree, op, WECHAT)
    assert (shape_of(result.tree), result.selected, result.focus, result.open) == (
        after,
        selected,
        focus,
        open,
    )
    assert result.message == ""
    assert tree == untouched  # the edit works on a copy: the posted tree is what it was


# (before, op, a phrase of the reason, open): refused edits change nothing and move no focus
REFUSALS = [
    (["A", "B", "C"], "add", "at most 3 buttons", None),
    ([("P", FULL_SUBS)], "add-sub:0", "at most 5 buttons", 0),
    (["A"], "add-sub:0", "has no sub-menu", None),
    (["A"], "add-sub:1", "no longer exists", None),
    ([], "add-sub:0", "no longer exists", None),
    ([], "remove:0", "no longer exists", None),
    (["A"], "remove:1", "no longer exists", None),
    (["A"], "remove:0.0", "no longer exists", None),  # A has no sub-menu
    ([("P", ["a"])], "remove:0.1", "no longer exists", None),
    ([], "up:0", "no longer exists", None),
    (["A", "B", "C"], "up:0", "already at the end", None),
    (["A", "B", "C"], "down:2", "already at the end", None),
    (["A"], "down:0", "already at the end", None),
    ([("P", ["a", "b"])], "up:0.0", "already at the end", None),
    ([("P", ["a", "b"])], "down:0.1", "already at the end", None),
    (["A", "B"], "move:0>0.0", "only move along the menu bar", None),
    (["A", "B"], "move:0>3", "only move along the menu bar", None),
    (["A", "B"], "move:2>0", "no longer exists", None),
    (["A", "B"], "move:0", "no longer exists", None),
    ([("P", ["a"]), "B"], "move:0.0>1", "only move into a button that has a sub-menu", None),
    ([("P", ["a"]), ("Q", FULL_SUBS)], "move:0.0>1.0", "already holds 5 buttons", 0),
    ([("P", ["a"]), ("Q", FULL_SUBS)], "move:0.0>1", "already holds 5 buttons", 0),
    ([("P", ["a", "b"])], "to-leaf:0", "Move or remove its sub-buttons first", 0),
    ([("P", ["a"])], "to-parent:0.0", "no longer exists", None),
    (["A"], "to-leaf:1", "no longer exists", None),
    (["A"], "explode:0", "not one the editor knows", None),
    (["A"], "", "not one the editor knows", None),
    (["A"], "up:0.0.0", "no longer exists", None),
    (["A"], "up:x", "not one the editor knows", None),
]


@pytest.mark.parametrize(
    ("before", "op", "reason", "open"), REFUSALS, ids=[r[1] or "(none)" for r in REFUSALS]
)
def test_refused_edit_changes_nothing_and_says_why(before, op, reason, open):
    result = apply_edit(build(before), op, WECHAT)
    assert shape_of(result.tree) == before
    assert reason in result.message
    assert (result.selected, result.focus, result.open) == (None, "", open)


@pytest.mark.parametrize("platform", PLATFORMS.values(), ids=list(PLATFORMS))
def test_full_menus_of_every_platform_stop_at_its_limits(platform):
    full_bar = [(f"P{i}", subs(f"p{i}-", platform.max_sub_buttons)) for i in range(platform.max_buttons)]
    tree = build(full_bar)
    for op in ("add", "add-sub:0", f"move:1.0>{platform.max_buttons - 1}"):
        result = apply_edit(tree, op, platform)
        assert result.message and shape_of(result.tree) == full_bar, op
    # One below each limit, the same edits go through, and end at the limit.
    result = apply_edit(build(full_bar[:-1]), "add", platform)
    assert len(result.tree.buttons) == platform.max_buttons and result.selected == (platform.max_buttons - 1,)
    short = [("P", subs("s", platform.max_sub_buttons - 1))]
    result = apply_edit(build(short), "add-sub:0", platform)
    assert len(result.tree.buttons[0].children) == platform.max_sub_buttons
    assert result.selected == (0, platform.max_sub_buttons - 1)
    # New buttons open a web page, a type every platform has.
    assert result.tree.buttons[0].children[-1] == Button(type="view")


def test_moving_within_a_full_sub_menu_is_allowed():
    """A full sub-menu refuses buttons from elsewhere, never a reorder of its own."""
    result = apply_edit(build([("P", FULL_SUBS)]), "move:0.4>0.0", WECHAT)
    assert shape_of(result.tree) == [("P", ["s5", "s1", "s2", "s3", "s4"])]
    assert isinstance(result, EditResult) and result.message == ""
