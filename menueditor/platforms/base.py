"""What every platform module provides: its button types, limits, display widths and payload.

A platform module subclasses PlatformRules, fills in the tables, and adds its HTTP client. The
generic checks here read only those tables, so templates and views ask the platform, never hard-code.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from menueditor.tree import MenuTree, parse_menu

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a menu: where, which field, the limit and what was found."""

    path: tuple[int, ...]  # () for the whole menu, (top,) or (top, sub)
    field: str  # "button", "sub_button", "name", "type" or a field name such as "url"
    template: Any  # a lazy translatable string with %(...)s placeholders
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = ERROR
    code: str = ""  # the platform's own error code for this rule, when it has one
    limit: int | None = None
    found: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def where(self) -> str:
        return describe_path(self.path)

    @property
    def message(self) -> str:
        """The message in the active language, without the position."""
        return str(self.template) % self.params

    def text(self, language: str | None = None) -> str:
        """Position, field and message, in the given language (or the active one)."""
        with translation.override(language or translation.get_language()):
            place = self.where
            return f"{place}: {self.field}: {self.message}" if place else self.message

    def __str__(self) -> str:
        return self.text()


def describe_path(path: tuple[int, ...]) -> str:
    if not path:
        return ""
    if len(path) == 1:
        return str(_("button %(n)d") % {"n": path[0] + 1})
    return str(_("button %(n)d, sub-button %(m)d") % {"n": path[0] + 1, "m": path[1] + 1})


@dataclass(frozen=True)
class ButtonType:
    code: str
    label: Any
    fields: tuple[str, ...]
    help: Any  # one line: what the button does on the phone
    note: Any = ""  # shown as a warning when the type is used (legacy, client versions)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: Any
    limit: int  # bytes, counted as the platform counts
    help: Any = ""


def utf8_length(text: str) -> int:
    return len(text.encode("utf-8"))


def char_width(char: str) -> int:
    """Half-width units a character takes on the phone: CJK, full-width and emoji take two."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(char) in ("W", "F") or ord(char) >= 0x1F000:
        return 2
    return 1


def text_width(text: str) -> int:
    return sum(char_width(c) for c in text)


ELLIPSIS = "..."


class PlatformRules:
    code: str = ""
    label: Any = ""
    max_buttons: int = 3
    max_sub_buttons: int = 5
    name_limits: dict[int, int] = {1: 16, 2: 60}  # bytes by level
    display_widths: dict[int, int] = {1: 8, 2: 16}  # half-width units by level
    button_types: dict[str, ButtonType] = {}
    fields: dict[str, FieldSpec] = {}
    # Platform error codes per rule, keyed (rule, level); see the platform module for sources.
    error_codes: dict[tuple[str, int], str] = {}
    url_fields: tuple[str, ...] = ("url",)

    # -- counting -------------------------------------------------------------------------------
    def byte_length(self, text: str) -> int:
        return utf8_length(text)

    def name_limit(self, level: int) -> int:
        return self.name_limits[level]

    def field_limit(self, name: str) -> int:
        return self.fields[name].limit

    def display_width(self, level: int) -> int:
        return self.display_widths[level]

    def display_name(self, name: str, level: int) -> str:
        """The name as the phone shows it: cut at the display width, then '...'."""
        limit = self.display_width(level)
        if text_width(name) <= limit:
            return name
        shown, used = [], 0
        for char in name:
            width = char_width(char)
            if used + width > limit:
                break
            shown.append(char)
            used += width
        return "".join(shown) + ELLIPSIS

    def is_truncated(self, name: str, level: int) -> bool:
        return text_width(name) > self.display_width(level)

    def fields_for(self, type_code: str) -> tuple[FieldSpec, ...]:
        button_type = self.button_types.get(type_code)
        return tuple(self.fields[f] for f in button_type.fields) if button_type else ()

    # -- reading and writing --------------------------------------------------------------------
    def parse(self, data: Any) -> MenuTree:
        return parse_menu(data)

    def payload(self, tree: MenuTree) -> dict[str, Any]:
        """The JSON object the platform's create call takes."""
        return tree.to_json()

    def payload_text(self, tree: MenuTree) -> str:
        """The exact menu text that publishing sends: UTF-8, no \\u escapes."""
        return json.dumps(self.payload(tree), ensure_ascii=False)

    # -- validation -----------------------------------------------------------------------------
    def validate(self, tree: MenuTree) -> list[Problem]:
        problems: list[Problem] = []
        count = len(tree.buttons)
        if not 1 <= count <= self.max_buttons:
            problems.append(
                self._problem(
                    (),
                    "button",
                    _("a menu needs 1 to %(limit)d top-level buttons; found %(found)d"),
                    "count",
                    1,
                    limit=self.max_buttons,
                    found=count,
                )
            )
        for i, button in enumerate(tree.buttons):
            path = (i,)
            if button.is_parent:
                problems += self._check_name(button.name, path, 1)
                if button.type:
                    problems.append(
                        self._problem(
                            path,
                            "type",
                            _(
                                "a button with sub-buttons carries no type of its own; "
                                "the platform ignores “%(type)s”"
                            ),
                            "type",
                            1,
                            severity=WARNING,
                            type=button.type,
                        )
                    )
                subs = button.children or []
                if not 1 <= len(subs) <= self.max_sub_buttons:
                    problems.append(
                        self._problem(
                            path,
                            "sub_button",
                            _("a parent needs 1 to %(limit)d sub-buttons; found %(found)d"),
                            "count",
                            2,
                            limit=self.max_sub_buttons,
                            found=len(subs),
                        )
                    )
                for j, sub in enumerate(subs):
                    if sub.children:
                        problems.append(
                            self._problem(
                                (i, j),
                                "sub_button",
                                _("menus have two levels only; a sub-button cannot have sub-buttons"),
                                "depth",
                                2,
                            )
                        )
                    problems += self._check_leaf(sub, (i, j), 2)
            else:
                problems += self._check_leaf(button, path, 1)
        return problems

    def errors(self, tree: MenuTree) -> list[Problem]:
        return [p for p in self.validate(tree) if p.is_error]

    def _problem(
        self, path, field_name, template, rule, level, *, severity=ERROR, limit=None, found=None, **params
    ) -> Problem:
        params = {"limit": limit, "found": found, **params}
        return Problem(
            path=path,
            field=field_name,
            template=template,
            params=params,
            severity=severity,
            code=self.error_codes.get((rule, level), ""),
            limit=limit,
            found=found,
        )

    def _check_name(self, name: str, path: tuple[int, ...], level: int) -> list[Problem]:
        problems = []
        size = self.byte_length(name)
        limit = self.name_limit(level)
        if not name.strip():
            problems.append(
                self._problem(path, "name", _("a name is required"), "name", level, limit=limit, found=size)
            )
        elif size > limit:
            problems.append(
                self._problem(
                    path,
                    "name",
                    _("the name is %(found)d bytes; at most %(limit)d bytes are allowed here"),
                    "name",
                    level,
                    limit=limit,
                    found=size,
                )
            )
        elif self.is_truncated(name, level):
            problems.append(
                self._problem(
                    path,
                    "name",
                    _("phones show only “%(shown)s”: about %(chars)d Chinese characters fit here"),
                    "display",
                    level,
                    severity=WARNING,
                    limit=self.display_width(level),
                    found=text_width(name),
                    shown=self.display_name(name, level),
                    chars=self.display_width(level) // 2,
                )
            )
        return problems

    def _check_leaf(self, button, path: tuple[int, ...], level: int) -> list[Problem]:
        problems = self._check_name(button.name, path, level)
        button_type = self.button_types.get(button.type)
        if not button.type:
            problems.append(self._problem(path, "type", _("choose what the button does"), "type", level))
            return problems
        if button_type is None:
            problems.append(
                self._problem(
                    path,
                    "type",
                    _("“%(type)s” is not a button type this platform accepts"),
                    "type",
                    level,
                    type=button.type,
                )
            )
            return problems
        if button_type.note:
            problems.append(
                self._problem(
                    path,
                    "type",
                    pgettext_lazy("note", "%(note)s"),
                    "note",
                    level,
                    severity=WARNING,
                    note=button_type.note,
                )
            )
        for spec in self.fields_for(button.type):
            problems += self._check_field(button, spec, path, level)
        return problems

    def _check_field(self, button, spec: FieldSpec, path, level) -> list[Problem]:
        value = button.value(spec.name)
        size = self.byte_length(value)
        if not value.strip():
            return [
                self._problem(
                    path,
                    spec.name,
                    _("%(field)s is required for this type"),
                    spec.name,
                    level,
                    limit=spec.limit,
                    found=size,
                    field=spec.label,
                )
            ]
        if size > spec.limit:
            return [
                self._problem(
                    path,
                    spec.name,
                    _("%(field)s is %(found)d bytes; at most %(limit)d bytes are allowed"),
                    spec.name,
                    level,
                    limit=spec.limit,
                    found=size,
                    field=spec.label,
                )
            ]
        if spec.name in self.url_fields:
            parts = urlsplit(value.strip())
            if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
                return [
                    self._problem(
                        path,
                        spec.name,
                        _("%(field)s must be a web address starting with http:// or https://"),
                        spec.name,
                        level,
                        field=spec.label,
                    )
                ]
        return []
