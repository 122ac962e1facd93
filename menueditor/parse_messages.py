"""Why a text is not a menu, in the interface language: MenuParseError's kind and params in words.

The parser's own English (the JSON decoder's "Expecting ',' delimiter") stays in logs; people read
where the problem is (line and column, or which button) and what usually causes it.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from menueditor.platforms.base import describe_path
from menueditor.tree import MenuParseError

# The JSON decoder's messages (json.decoder, stable since Python 3.5), by how they start, and what
# usually causes each in a menu pasted by hand.
JSON_CAUSES = (
    ("Expecting ',' delimiter", gettext_lazy("a comma is missing between two items")),
    ("Expecting ':' delimiter", gettext_lazy("a colon is missing after a name")),
    (
        "Expecting property name enclosed in double quotes",
        gettext_lazy("a name is not in double quotes, or there is a comma too many before a closing bracket"),
    ),
    ("Expecting value", gettext_lazy("a value is missing, or there is a comma too many")),
    ("Unterminated string", gettext_lazy("a quotation mark is not closed")),
    ("Invalid control character", gettext_lazy("a line break or tab is inside quotation marks")),
    ("Invalid \\escape", gettext_lazy("a backslash is not followed by a valid escape")),
    ("Invalid \\u", gettext_lazy("a backslash is not followed by a valid escape")),
    ("Extra data", gettext_lazy("there is more text after the end of the menu")),
)

_WHERE = re.compile(r"^button\[(\d+)\](?:\.sub_button\[(\d+)\])?(?:\.(\w+))?")


def place(where: str) -> str:
    """'button[0].sub_button[1].name' as 'button 1, sub-button 2 (name)'; '' when it names no button."""
    found = _WHERE.match(where or "")
    if found is None:
        return ""
    top, sub, field = found.groups()
    path = (int(top),) if sub is None else (int(top), int(sub))
    if field and field != "sub_button":
        return _("%(button)s (%(field)s)") % {"button": describe_path(path), "field": field}
    return describe_path(path)


def explain(error: MenuParseError) -> str:
    """Why the text is not a menu, in the interface language (the parser's English left out)."""
    params = error.params
    if error.kind == "not_json":
        if "line" not in params:
            return _("This is not JSON.")
        text = _("This is not JSON: line %(line)d, column %(column)d.") % params
        for start, cause in JSON_CAUSES:
            if str(params.get("reason", "")).startswith(start):
                return _("%(where)s Probably %(cause)s.") % {"where": text, "cause": cause}
        return text
    if error.kind == "not_utf8":
        return _("This is not UTF-8 text. Export the menu as JSON and try again.")
    if error.kind == "too_big":
        return _("This is far larger than any menu (over %(kb)d kB). Is it the right text?") % {
            "kb": params.get("limit", 0) // 1000
        }
    if error.kind == "no_button_list":
        return _(
            'This is not a menu: it is JSON, but a menu is an object with a "button" list, '
            'like {"button": [...]}.'
        )
    if error.kind == "rule_not_object":
        return _("This menu's match rule is not an object of fields, so it names no followers.")
    if error.kind == "rule_empty":
        return _("This menu's match rule is empty: it must name a follower tag, a phone system or both.")
    if error.kind == "rule_refused":
        return _(
            "This menu's match rule uses %(fields)s, which the platform no longer matches on: "
            "use a follower tag instead."
        ) % {"fields": params.get("fields", "")}
    where = place(params.get("where", ""))
    what = {
        "expected_text": _("expected text"),
        "expected_list": _("expected a list of buttons"),
        "expected_object": _("expected a button (an object in braces)"),
        "too_many": _("far more than any menu holds"),
        "too_deep": _("nested deeper than a menu's two levels"),
        "bad_unicode": _("the text holds a broken character"),
    }.get(error.kind)
    if what is None:
        return _("This is not a menu.")
    if where:
        return _("This is not a menu: %(where)s: %(what)s.") % {"where": where, "what": what}
    return _("This is not a menu: %(what)s.") % {"what": what}
