"""The one naming scheme: posted names and page ids built from a button's path, and read back."""

from __future__ import annotations

import pytest

from menueditor import naming

PATHS = [(0,), (2,), (9,), (0, 0), (1, 4), (9, 9)]
FIELDS = ["name", "type", "kind", "url", "media_id", "subs"]


@pytest.mark.parametrize("path", PATHS)
def test_every_field_name_reads_back_as_its_path_and_field(path):
    for field in FIELDS:
        assert naming.parse_field_name(naming.field_name(path, field)) == (path, field)
    assert naming.parse_dotted(naming.dotted(path)) == path


def test_names_and_ids_as_the_page_and_the_post_spell_them():
    assert naming.field_name((0,), "name") == "b-0-name"
    assert naming.field_name((0, 2), "url") == "b-0-s-2-url"
    assert naming.field_id((0, 2), "url") == "f-b-0-s-2-url"
    assert naming.dotted((1, 3)) == "1.3"
    assert naming.control_id("name", (1, 3)) == "f-b-1-s-3-name"
    assert naming.control_id("type", (2,)) == "f-b-2-type"
    assert naming.control_id("up", (1, 3)) == "mv-up-1.3"
    assert naming.control_id("down", (0,)) == "mv-down-0"
    assert naming.control_id("add-sub", (2,)) == "add-sub-2"
    assert naming.control_id("add") == naming.ADD_TOP_ID == "add-top"
    assert naming.control_id("", (0,)) == naming.control_id("name", None) == ""


@pytest.mark.parametrize(
    "name",
    [
        "title",
        "b-0",
        "b--name",
        "b-0-s-name",
        "b-0-s-0-s-0-name",
        "b-100-name",
        "b-0-Name",
        "b-٣-name",
        "x-b-0-name",
    ],
)
def test_what_is_not_a_button_field_is_not_read_as_one(name):
    assert naming.parse_field_name(name) is None


@pytest.mark.parametrize("text", [None, "", "0.", ".0", "0.1.2", "-1", "+1", "1 ", "٣", "a", "9" * 5000])
def test_what_is_not_a_dotted_path_is_none(text):
    assert naming.parse_dotted(text) is None
