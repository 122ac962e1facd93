"""The editor's form round trip: a tree written as the editor posts it is read back as the same tree.

Every seed example (tests/platforms/examples/) on every registered platform: tree_to_post_data(tree)
posted through MenuForm parses back to the tree's canonical form (MenuTree.canonical: WeChat's
"sub_button": [] on a leaf says nothing), and posting that again changes nothing.
"""

from __future__ import annotations

import json

import pytest

from menueditor.forms import MenuForm, tree_to_post_data
from menueditor.platforms import PLATFORMS
from menueditor.tree import MenuTree, parse_menu
from tests.platforms.test_examples import ALL, example

EXAMPLES = [name for name, _platform in ALL]


def posted(tree: MenuTree, platform) -> MenuForm:
    form = MenuForm(tree_to_post_data(tree, title="Spring", revision="3"), platform=platform)
    form.is_valid()
    return form


@pytest.mark.parametrize("platform", PLATFORMS.values(), ids=list(PLATFORMS))
@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_comes_back_from_the_form_as_it_went_in(name, platform):
    tree = parse_menu(example(name))
    form = posted(tree, platform)
    assert form.can_save  # platform problems (7 buttons, unknown types) never lose input
    assert form.tree == tree.canonical()
    assert [b.name for b in form.tree.buttons] == [b["name"] for b in json.loads(example(name))["button"]]
    assert posted(form.tree, platform).tree == form.tree
    # What the platform says of the menu is the same whether it came as JSON or from the form.
    assert form.problems == platform.validate(tree.canonical())


def test_the_form_reads_title_revision_and_the_preview_state():
    form = MenuForm(
        tree_to_post_data(
            parse_menu(example(EXAMPLES[0])), title="Spring", revision="3", selected="1.2", open="1"
        ),
        platform=PLATFORMS["wechat"],
    )
    assert form.is_valid()
    assert (form.cleaned_data["title"], form.cleaned_data["revision"]) == ("Spring", 3)
    assert (form.preview_selected, form.preview_open) == ("1.2", 1)


@pytest.mark.parametrize("selected", ["", "b-1-s-2", "1.2.3", "-1", "x", "1."])
def test_a_selection_that_names_no_button_selects_none(selected):
    form = MenuForm(
        tree_to_post_data(parse_menu(example(EXAMPLES[0])), title="t", revision="1", selected=selected),
        platform=PLATFORMS["wechat"],
    )
    assert form.can_save  # a selection naming no button is no reason to refuse the draft
    assert form.preview_selected == ""
