"""The editor's one form: the whole menu posted as flat, position-named fields.

Field names say where a value sits (menueditor/naming.py builds and reads them): ``b-0-name`` is the
first top-level button's name, ``b-0-s-2-url`` the third sub-button's web address, ``b-0-kind`` is
``leaf`` or ``parent``. Every request posts the whole form; ``MenuForm`` reads it into a ``MenuTree``
and reports the platform's rules as form errors keyed by the same names, so each problem shows beside
its field. ``editor_rows`` turns a tree back into what the template draws (fields, usage, problems).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import ProhibitNullCharactersValidator
from django.forms.fields import InvalidJSONInput
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from menueditor.models import Menu
from menueditor.naming import Path, dotted, field_name, input_id, parse_dotted, parse_field_name
from menueditor.platforms import PlatformRules, Problem
from menueditor.tree import FIELD_NAMES, MAX_DRAFT_BYTES, Button, MenuTree

KIND_LEAF = "leaf"
KIND_PARENT = "parent"
# Positions read from a post. A menu holds 3 and 5; a few more are kept so that an imported menu
# with too many buttons shows the problem instead of silently losing buttons.
MAX_POSITIONS = 10
_PER_BUTTON = ("name", "type", *FIELD_NAMES)
_BUTTON_KEYS = frozenset((*_PER_BUTTON, "kind"))

TITLE_MAX_LENGTH = Menu._meta.get_field("title").max_length

# -- what a stored draft may hold ----------------------------------------------------------------------

# Whitespace that str.strip() removes, less the control characters (U+0000 to U+001F): a name or a
# value keeps a line break, tab or NUL, so that the platform rules can point at it instead of the
# form dropping it without a word.
_STRIPPABLE = "".join(c for c in map(chr, range(0x20, 0x3001)) if c.isspace())
# A JSON \u0000 escape: an odd number of backslashes before u0000 (an even number escape each other).
_NUL_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")


def draft_bytes(data: Any) -> int:
    """The size of a draft's menu as JSON text: UTF-8 without \\u escapes, as export writes it."""
    return len(json.dumps(data, ensure_ascii=False).encode("utf-8", errors="surrogatepass"))


def too_large_message(size: int) -> str:
    """'' when a menu of this many bytes may be stored, else why not."""
    if size <= MAX_DRAFT_BYTES:
        return ""
    return gettext(
        "This menu is %(size)d kB as JSON; a draft holds at most %(limit)d kB (a full menu is a few "
        "kB). Shorten the longest names or values."
    ) % {"size": math.ceil(size / 1024), "limit": MAX_DRAFT_BYTES // 1024}


def has_nul(text: str) -> bool:
    """PostgreSQL cannot store U+0000 in text or JSON: such a draft is refused on any database."""
    return "\x00" in text


def unstorable_json(data: Any) -> str:
    """'' when the database can keep this decoded JSON as it is; else why not, in plain words."""
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    except ValueError:
        return gettext("Infinity and NaN are not JSON numbers: write a finite number or text.")
    except RecursionError:
        return gettext("The JSON is nested far deeper than a menu's two levels.")
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        return gettext(
            "The JSON holds half of a surrogate pair (such as \\ud800), which is not a character: remove it."
        )
    if _NUL_ESCAPE.search(text):
        return gettext("The JSON holds a NUL character (\\u0000), which cannot be stored: remove it.")
    return too_large_message(size)


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


class MenuTreeField(forms.JSONField):
    """The admin's JSON text of a draft: anything but a storable JSON object is refused beside it.

    Django's JSONField lets through what json.loads reads (NaN, Infinity, lone surrogates, \\u0000,
    any size), which the database then refuses (a 500), and answers a 500 itself for input that
    makes json.loads raise something else than a decoding error (deep nesting, huge numbers).
    """

    def to_python(self, value: Any) -> Any:
        if self.disabled:
            return value
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            value = self._load(value)
        problem = unstorable_json(value)
        if problem:
            raise forms.ValidationError(problem, code="unstorable")
        return value

    def _load(self, text: str) -> Any:
        if len(text) > 4 * MAX_DRAFT_BYTES:  # far past the limit: not worth reading
            raise forms.ValidationError(too_large_message(len(text)), code="unstorable")
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        except RecursionError as exc:
            raise forms.ValidationError(
                gettext("The JSON is nested far deeper than a menu's two levels."), code="invalid"
            ) from exc
        except ValueError as exc:  # NaN or Infinity, or a number past Python's digit limit
            if str(exc) in ("NaN", "Infinity", "-Infinity"):
                message = gettext("Infinity and NaN are not JSON numbers: write a finite number or text.")
            else:
                message = gettext("The JSON holds a number with too many digits: write it as text.")
            raise forms.ValidationError(message, code="invalid") from exc

    def bound_data(self, data: Any, initial: Any) -> Any:
        # What was typed is shown again as typed when it is refused (never re-encoded: a lone
        # surrogate could not even be written into the page).
        if self.disabled:
            return initial
        if data is None:
            return None
        try:
            return self.to_python(data)
        except forms.ValidationError:
            return InvalidJSONInput(data)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, InvalidJSONInput):
            return value
        text = json.dumps(value, ensure_ascii=False)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate, in a draft stored before these checks
            return json.dumps(value)
        return text


class _ButtonText(forms.CharField):
    """A name, type or value: kept with any control character in it (the rules report them).

    A CharField strips line breaks and tabs at the ends and refuses NUL with an error of its own,
    after which the value was missing from the tree: an imported name holding one came back blank.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strip=False, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def to_python(self, value: Any) -> str:
        return super().to_python(value).strip(_STRIPPABLE)


# The fields of every button position. A field holds no state of its own once built (a bound form
# keeps its data and errors), so one instance serves every position of every form: building some 60
# fields for each keystroke's post took longer than cleaning them.
_KIND_FIELD = forms.ChoiceField(choices=[(KIND_LEAF, KIND_LEAF), (KIND_PARENT, KIND_PARENT)], required=False)
_NAME_FIELD = _ButtonText(required=False)
_TYPE_FIELD = _ButtonText(required=False, max_length=40)
_VALUE_FIELD = _ButtonText(required=False)


def problem_key(problem: Problem) -> str:
    """Which field a platform problem belongs beside; '' for the menu as a whole."""
    if not problem.path:
        return ""
    name = "subs" if problem.field == "sub_button" and len(problem.path) == 1 else problem.field
    return field_name(problem.path, name)


def _buttons_by_path(tree: MenuTree):
    """Every button with its position: (top,) then its sub-buttons (top, sub)."""
    for i, button in enumerate(tree.buttons):
        yield (i,), button
        for j, sub in enumerate(button.children or []):
            yield (i, j), sub


def tree_to_post_data(tree: MenuTree, **extra: str) -> dict[str, str]:
    """What the editor posts for this tree: the inverse of MenuForm's parsing (used by tests, too)."""
    data: dict[str, str] = dict(extra)
    for i, button in enumerate(tree.buttons):
        data[field_name((i,), "name")] = button.name
        if button.is_parent:
            data[field_name((i,), "kind")] = KIND_PARENT
            for j, sub in enumerate(button.children or []):
                _leaf_post_data(data, (i, j), sub)
        else:
            data[field_name((i,), "kind")] = KIND_LEAF
            _leaf_post_data(data, (i,), button)
    return data


def _leaf_post_data(data: dict[str, str], path: Path, button: Button) -> None:
    data[field_name(path, "name")] = button.name
    data[field_name(path, "type")] = button.type
    for name in FIELD_NAMES:
        if name in button.values:
            data[field_name(path, name)] = button.values[name]


class MenuForm(forms.Form):
    """Parses the posted editor into ``self.tree`` and validates it with the platform's rules.

    ``is_valid()`` is False while the menu breaks a platform rule; a draft may still be saved
    then (``can_save``), as long as the title and revision are fine.
    """

    title = forms.CharField(label=_("Draft title"), max_length=TITLE_MAX_LENGTH)
    revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    # Preview state only: which top-level button's sub-menu is open, which button is selected.
    open = forms.IntegerField(required=False, min_value=0, max_value=MAX_POSITIONS)
    selected = forms.CharField(required=False, max_length=16)

    def __init__(self, data=None, *, platform: PlatformRules, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.platform = platform
        self.tree = MenuTree()
        self.problems: list[Problem] = []
        self.input_error_keys: set[str] = set()
        self.storage_error = ""  # why the tree cannot be stored as a draft (too large), or ''
        self.dropped = 0  # positions past MAX_POSITIONS that were ignored
        if data is not None:
            self._add_button_fields(data)

    def _add_button_fields(self, data) -> None:
        tops: dict[int, set[int]] = {}
        for key in data:
            parsed = parse_field_name(key)
            if parsed is None or parsed[1] not in _BUTTON_KEYS:
                continue
            path = parsed[0]
            if max(path) >= MAX_POSITIONS:
                self.dropped += 1
                continue
            subs = tops.setdefault(path[0], set())
            if len(path) == 2:
                subs.add(path[1])
        self._positions = []
        for top in sorted(tops):
            self.fields[field_name((top,), "kind")] = _KIND_FIELD
            self._add_leaf_fields((top,), data)
            subs = sorted(tops[top])
            for sub in subs:
                self._add_leaf_fields((top, sub), data)
            self._positions.append((top, subs))

    def _add_leaf_fields(self, path: Path, data) -> None:
        self.fields[field_name(path, "name")] = _NAME_FIELD
        self.fields[field_name(path, "type")] = _TYPE_FIELD
        for name in FIELD_NAMES:
            if field_name(path, name) in data:
                self.fields[field_name(path, name)] = _VALUE_FIELD

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # Errors so far are about the input itself (title, revision, unreadable values).
        self.input_error_keys = set(self._errors)
        self.tree = self._build_tree(cleaned)
        self.problems = self.platform.validate(self.tree)
        for problem in self.problems:
            if problem.is_error:
                key = problem_key(problem)
                self.add_error(key if key in self.fields else None, problem.message)
        self._check_storable()
        if self.dropped:
            self.add_error(None, _("Some posted buttons were past any menu's size and were ignored."))
        return cleaned

    def _check_storable(self) -> None:
        """What no database could keep makes the input itself wrong: the draft is not saved."""
        # NUL: the rules already show their control-character problem beside the field (added here
        # for a value they do not check, such as another type's kept value).
        shown = {problem_key(p) for p in self.problems if p.is_error}
        for path, button in _buttons_by_path(self.tree):
            for name, value in (("name", button.name), ("type", button.type), *button.values.items()):
                if not has_nul(value):
                    continue
                key = field_name(path, name)
                self.input_error_keys.add(key)
                if key not in shown:
                    problem = self.platform._control_problem(path, name, value, len(path))
                    self.problems.append(problem)
                    self.add_error(key if key in self.fields else None, problem.message)
        self.storage_error = too_large_message(draft_bytes(self.tree.to_json()))
        if self.storage_error:
            self.input_error_keys.add(NON_FIELD_ERRORS)
            self.add_error(None, self.storage_error)

    def _build_tree(self, cleaned: dict[str, Any]) -> MenuTree:
        buttons = []
        for top, subs in getattr(self, "_positions", []):
            kind = cleaned.get(field_name((top,), "kind")) or (KIND_PARENT if subs else KIND_LEAF)
            if kind == KIND_PARENT:
                children = [self._leaf((top, sub), cleaned) for sub in subs]
                buttons.append(Button(name=cleaned.get(field_name((top,), "name"), ""), children=children))
            else:
                buttons.append(self._leaf((top,), cleaned))
        return MenuTree(buttons)

    def _leaf(self, path: Path, cleaned: dict[str, Any]) -> Button:
        values = {
            name: cleaned.get(field_name(path, name)) or ""
            for name in FIELD_NAMES
            if field_name(path, name) in self.fields
        }
        return Button(
            name=cleaned.get(field_name(path, "name"), ""),
            type=cleaned.get(field_name(path, "type"), ""),
            values=values,
        )

    @property
    def can_save(self) -> bool:
        """A draft may hold platform problems; it needs a title and a readable revision."""
        self.is_valid()
        return not self.input_error_keys

    @property
    def preview_open(self) -> int | None:
        return self.cleaned_data.get("open") if "open" not in self.input_error_keys else None

    @property
    def preview_selected(self) -> str:
        """The selected button's dotted path ('0.2', as the page names it), or ''."""
        if "selected" in self.input_error_keys:
            return ""
        path = parse_dotted(self.cleaned_data.get("selected"))
        return dotted(path) if path is not None else ""


# -- what the template draws ----------------------------------------------------------------------


@dataclass
class FieldRow:
    key: str  # the posted name
    label: Any
    value: str
    limit: int | None
    used: int
    help: Any = ""
    input_type: str = "text"
    problems: list[Problem] = field(default_factory=list)
    picker: Any = None  # the PickerKind beside the field (None for none): the platform's choice

    @property
    def id(self) -> str:
        return input_id(self.key)

    @property
    def over(self) -> bool:
        return self.limit is not None and self.used > self.limit

    @property
    def usage(self) -> str:
        """'12/16 bytes': written here rather than by {% blocktranslate %}, which cost each
        keystroke's answer more than the rest of its field's markup."""
        if self.limit is not None:
            return gettext("%(used)s/%(limit)s bytes") % {"used": self.used, "limit": self.limit}
        return gettext("%(used)s bytes") % {"used": self.used}

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


@dataclass
class ButtonRow:
    path: tuple[int, ...]
    name: FieldRow
    shown: str  # the name as the phone shows it
    truncated: bool
    is_parent: bool = False
    type: str = ""
    type_label: Any = ""
    type_help: Any = ""
    type_choices: list[tuple[str, Any]] = field(default_factory=list)
    type_known: bool = True
    fields: list[FieldRow] = field(default_factory=list)
    kept_values: list[tuple[str, str]] = field(default_factory=list)  # other types' values, hidden
    children: list[ButtonRow] = field(default_factory=list)
    problems_by_key: dict[str, list[Problem]] = field(default_factory=dict)
    first: bool = False
    last: bool = False

    @property
    def dotted(self) -> str:
        return dotted(self.path)

    @property
    def number(self) -> str:
        return ".".join(str(i + 1) for i in self.path)

    @property
    def level(self) -> int:
        return len(self.path)

    @property
    def kind_key(self) -> str:
        return field_name(self.path, "kind")

    @property
    def type_key(self) -> str:
        return field_name(self.path, "type")

    @property
    def subs_key(self) -> str:
        return field_name(self.path, "subs")

    @property
    def type_problems(self) -> list[Problem]:
        return self.problems_by_key.get(self.type_key, [])

    @property
    def subs_problems(self) -> list[Problem]:
        return self.problems_by_key.get(self.subs_key, [])

    @property
    def has_error(self) -> bool:
        return any(p.is_error for ps in self.problems_by_key.values() for p in ps)

    @property
    def error_count(self) -> int:
        """The button's own errors, said on its one-line summary in the outline."""
        return sum(1 for ps in self.problems_by_key.values() for p in ps if p.is_error)

    @property
    def warning_count(self) -> int:
        return sum(1 for ps in self.problems_by_key.values() for p in ps if not p.is_error)


def group_problems(problems: list[Problem]) -> dict[str, list[Problem]]:
    grouped: dict[str, list[Problem]] = {}
    for problem in problems:
        grouped.setdefault(problem_key(problem), []).append(problem)
    return grouped


def status_rows(
    tree: MenuTree, platform: PlatformRules, problems: list[Problem], paths: set[str]
) -> list[ButtonRow]:
    """The rows of only these buttons (dotted paths: '0', '0.1'), without their children: what a
    keystroke's answer redraws beside the fields (usage and problems) of the buttons typed in."""
    grouped = group_problems(problems)
    rows = []
    for i, button in enumerate(tree.buttons):
        if dotted((i,)) in paths:
            row = _row(button, (i,), platform, grouped)
            row.is_parent = button.is_parent
            rows.append(row)
        for j, sub in enumerate((button.children or []) if button.is_parent else []):
            if dotted((i, j)) in paths:
                rows.append(_row(sub, (i, j), platform, grouped))
    return rows


def field_statuses(buttons: list[ButtonRow], menu_problems: list[Problem]) -> list[dict[str, Any]]:
    """What a keystroke's answer redraws beside the fields of these buttons, in page order: each
    field's usage ('usage' is '' where there is none) and problems, the menu's own problems first."""
    statuses: list[dict[str, Any]] = [{"key": "menu", "usage": "", "problems": menu_problems}]

    def add(row: FieldRow) -> None:
        statuses.append({"key": row.key, "usage": row.usage, "over": row.over, "problems": row.problems})

    for button in buttons:
        add(button.name)
        if button.is_parent:
            statuses.append({"key": button.subs_key, "usage": "", "problems": button.subs_problems})
        else:
            statuses.append({"key": button.type_key, "usage": "", "problems": button.type_problems})
            for row in button.fields:
                add(row)
    return statuses


def phone_preview(
    tree: MenuTree, platform: PlatformRules, selected: str, open_index: int | None
) -> list[dict[str, Any]]:
    """The phone's menu bar: per slot its classes, item and sub-items, worked out here so that the
    template, drawn on every keystroke, only prints them."""
    slots = []
    count = len(tree.buttons)
    for i, button in enumerate(tree.buttons):
        top = dotted((i,))
        is_open = button.is_parent and open_index == i
        slot_class = "pm-slot"
        if i == 0:
            slot_class += " is-first"
        if i == count - 1:
            slot_class += " is-last"
        if is_open:
            slot_class += " is-open"
        item_class = "pm-item"
        if button.is_parent:
            item_class += " has-sub"
        if selected == top:
            item_class += " is-selected"
        subs = None
        if button.is_parent:
            subs = []
            for j, sub in enumerate(button.children or []):
                path = dotted((i, j))
                subs.append(
                    {
                        "class": "pm-sub-item is-selected" if selected == path else "pm-sub-item",
                        "path": path,
                        "shown": platform.display_name(sub.name, 2),
                    }
                )
        slots.append(
            {
                "top": top,
                "slot_class": slot_class,
                "item_class": item_class,
                "shown": platform.display_name(button.name, 1),
                "is_parent": button.is_parent,
                "expanded": "true" if is_open else "false",
                "subs": subs,
            }
        )
    return slots


def _picker(platform: PlatformRules, type_code: str, name: str) -> Any:
    """The picker the platform offers beside this field of this type, or None."""
    content = platform.content
    return content.kinds.get(content.pickers.get((type_code, name), "")) if content is not None else None


def editor_rows(tree: MenuTree, platform: PlatformRules, problems: list[Problem]) -> list[ButtonRow]:
    """The tree as rows of fields with their limits, usage and problems, for the template."""
    grouped = group_problems(problems)
    rows = []
    for i, button in enumerate(tree.buttons):
        row = _row(button, (i,), platform, grouped)
        row.first, row.last = i == 0, i == len(tree.buttons) - 1
        if button.is_parent:
            row.is_parent = True
            children = button.children or []
            for j, sub in enumerate(children):
                child = _row(sub, (i, j), platform, grouped)
                child.first, child.last = j == 0, j == len(children) - 1
                row.children.append(child)
        rows.append(row)
    return rows


def _row(button: Button, path, platform: PlatformRules, grouped) -> ButtonRow:
    level = len(path)
    name_key = field_name(path, "name")
    own = {k: v for k, v in grouped.items() if (parsed := parse_field_name(k)) and parsed[0] == path}
    row = ButtonRow(
        path=path,
        name=FieldRow(
            key=name_key,
            label=_("Name"),
            value=button.name,
            limit=platform.name_limit(level),
            used=platform.byte_length(button.name),
            problems=grouped.get(name_key, []),
        ),
        shown=platform.display_name(button.name, level),
        truncated=platform.is_truncated(button.name, level),
        problems_by_key=own,
    )
    if button.is_parent and level == 1:
        return row
    row.type = button.type
    button_type = platform.button_types.get(button.type)
    row.type_known = button_type is not None or not button.type
    row.type_choices = [(code, t.label) for code, t in platform.button_types.items()]
    needed: tuple[str, ...] = ()
    if button_type is not None:
        row.type_label, row.type_help = button_type.label, button_type.help
        needed = button_type.fields
    else:
        # An unknown type (imported): show whatever values it carries so that nothing is lost.
        needed = tuple(n for n in FIELD_NAMES if n in button.values)
    for name in needed:
        spec = platform.fields.get(name)
        value = button.value(name)
        key = field_name(path, name)
        row.fields.append(
            FieldRow(
                key=key,
                label=spec.label if spec else name,
                value=value,
                limit=spec.limit if spec else None,
                used=platform.byte_length(value),
                help=spec.help if spec else "",
                input_type="url" if name in platform.url_fields else "text",
                problems=grouped.get(key, []),
                picker=_picker(platform, button.type, name),
            )
        )
    row.kept_values = [
        (field_name(path, n), v) for n, v in button.values.items() if n not in needed and n in FIELD_NAMES
    ]
    return row
