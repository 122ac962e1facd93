"""Why a text is not a menu, said in the interface language without the parser's English."""

import pytest
from django.utils import translation

from menueditor.parse_messages import explain
from menueditor.tree import MenuParseError, parse_menu


def why(text: str) -> str:
    with pytest.raises(MenuParseError) as caught:
        parse_menu(text)
    return explain(caught.value)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            '{"button": [\n  {"name": "a"}\n  {"name": "b"}]}',
            "This is not JSON: line 3, column 3. Probably a comma is missing",
        ),
        ('{"button": [{"name": "a",}]}', "column 26. Probably a name is not in double quotes"),
        ('{"button": [1,]}', "Probably a value is missing"),
        ('{"button": ["abc]}', "Probably a quotation mark is not closed"),
        ('{"button": []} {}', "Probably there is more text after the end of the menu"),
        ("", "This is not JSON: line 1, column 1."),
        ("[1]", 'This is not a menu: it is JSON, but a menu is an object with a "button" list'),
        (
            '{"button": [{"name": "a", "sub_button": [{"name": true}]}]}',
            "button 1, sub-button 1 (name): expected text",
        ),
        ('{"button": [5]}', "button 1: expected a button"),
        ("[" * 100_000, "nested deeper than a menu's two levels"),
    ],
)
def test_each_reason_names_where_and_what(text, says):
    message = why(text)
    assert says in message
    for english in ("Expecting", "delimiter", "Unterminated", "Extra data", "found bool", "not valid JSON"):
        assert english not in message


def test_bytes_that_are_not_utf8_say_so():
    assert "not UTF-8" in why(b"\xff\xfe\xfa")


def test_the_english_detail_stays_for_the_logs():
    with pytest.raises(MenuParseError) as caught:
        parse_menu("{nope")
    assert str(caught.value).startswith("not valid JSON: Expecting property name")


def test_in_chinese_the_position_is_kept():
    with translation.override("zh-hans"):
        message = why('{"button": [\n  {"name": "a"}\n  {"name": "b"}]}')
    assert "3" in message
