"""What every platform module provides: its button types, limits, display widths and payload.

A platform module subclasses PlatformRules, fills in the tables, and adds its HTTP client. The
generic checks here read only those tables, so templates and views ask the platform, never hard-code.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from menueditor.tree import Button, MenuTree, parse_menu

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a menu: where, which field, the limit and what was found."""

    path: tuple[int, ...]  # () for the whole menu, (top,) or (top, sub), counted from 0
    field: str  # "button", "sub_button", "name", "type" or a field name such as "url"
    template: Any  # a lazy translatable string with %(...)s placeholders
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    severity: str = ERROR
    code: str = ""  # the platform's own error code for this rule, when it has one
    limit: int | None = None
    found: int | str | None = None  # a count or byte length; for a type, the type found

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def button(self) -> int | None:
        """The top-level button's number as people count (1-based), or None for the whole menu."""
        return self.path[0] + 1 if self.path else None

    @property
    def sub_button(self) -> int | None:
        """The sub-button's number as people count (1-based), or None."""
        return self.path[1] + 1 if len(self.path) > 1 else None

    @property
    def where(self) -> str:
        return describe_path(self.path)

    @property
    def message(self) -> str:
        """The message in the active language, without the position."""
        return str(self.template) % {k: _render(v) for k, v in self.params.items()}

    def text(self, language: str | None = None) -> str:
        """Position, field and message, in the given language (or the active one)."""
        with translation.override(language or translation.get_language()):
            place = self.where
            head = f"{place}: {self.field}" if place else self.field
            return f"{head}: {self.message}"

    def as_dict(self, language: str | None = None) -> dict[str, Any]:
        """A JSON-friendly form, for APIs and the command line."""
        with translation.override(language or translation.get_language()):
            return {
                "path": list(self.path),
                "where": self.where,
                "field": self.field,
                "severity": self.severity,
                "code": self.code,
                "limit": self.limit,
                "found": self.found,
                "message": self.message,
            }

    def __str__(self) -> str:
        return self.text()


def _render(value: Any) -> Any:
    # Lazy strings are rendered in the language active at rendering time, not at creation.
    return value if isinstance(value, int | float | str) or value is None else str(value)


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
    return len(text.encode("utf-8", errors="surrogatepass"))


def encoded_length(text: str, encoding: str) -> int:
    """The bytes `text` takes in `encoding`: how a platform that counts in that encoding measures it.

    Never raises: a character the encoding cannot write (only a lone surrogate, which no parsed menu
    holds) counts as 4 bytes, the most any character takes in UTF-8 or GB18030.
    """
    try:
        return len(text.encode(encoding))
    except UnicodeEncodeError:
        return sum(_char_length(char, encoding) for char in text)


def _char_length(char: str, encoding: str) -> int:
    try:
        return len(char.encode(encoding))
    except UnicodeEncodeError:
        return 4


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

# A web address the phone can open: http(s)://host..., no spaces or control characters anywhere.
_URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f]")


# JSON must escape these as \u00XX, which a platform may refuse (one answers 40033); no name or field
# needs them.
_CONTROL = re.compile(r"[\x00-\x1f]")


def has_control_character(text: str) -> bool:
    return bool(_CONTROL.search(text))


def is_web_url(value: str) -> bool:
    return not url_problem(value)


# What is wrong with a web address, in words; each takes %(field)s (the field's label) and may take
# %(shown)s (the address), %(scheme)s and %(suggestion)s.
URL_SPACE = _("%(field)s contains a space; a web address has none (remove it, or write %%20): “%(shown)s”")
URL_CONTROL = _("%(field)s contains a line break, a tab or another invisible character: “%(shown)s”")
URL_NO_SCHEME = _("%(field)s needs http:// or https:// in front, e.g. “%(suggestion)s”")
URL_SCHEME = _(
    "%(field)s must be a web address starting with http:// or https://, not “%(scheme)s:”; found “%(shown)s”"
)
URL_NO_HOST = _(
    "%(field)s has no site name after “%(scheme)s://”; a web address is http:// or https:// followed by a "
    "site name: “%(shown)s”"
)
URL_BAD_HOST = _("%(field)s has a site name or port that cannot be read: “%(shown)s”")
URL_SLASHES = _("%(field)s needs two slashes after “%(scheme)s:”, e.g. “%(suggestion)s”")

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def url_problem(value: str) -> tuple[Any, dict[str, str]] | None:
    """None for a web address the phone can open; else the message template naming what is wrong
    (a space, a missing scheme or site name...) and its parameters besides the field."""
    shown = value if len(value) <= 60 else value[:57] + ELLIPSIS
    if " " in value or "\u3000" in value:
        return URL_SPACE, {"shown": shown}
    if _URL_FORBIDDEN.search(value):
        return URL_CONTROL, {"shown": shown}
    found = _SCHEME.match(value)
    # "example.com:8080/x" reads as the scheme "example.com": a dot means a site name, not a scheme.
    scheme = found.group(1) if found and "." not in found.group(1) else ""
    if not scheme:
        return URL_NO_SCHEME, {"shown": shown, "suggestion": "https://" + value.lstrip("/")}
    if scheme.lower() not in ("http", "https"):
        return URL_SCHEME, {"shown": shown, "scheme": scheme}
    rest = value[len(scheme) + 1 :]
    if not rest.startswith("//"):
        if rest and not rest.startswith("/"):
            return URL_SLASHES, {"shown": shown, "scheme": scheme, "suggestion": f"{scheme}://{rest}"}
        return URL_NO_HOST, {"shown": shown, "scheme": scheme}
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018  (reading it checks it)
    except ValueError:  # an invalid IPv6 literal or port
        return URL_BAD_HOST, {"shown": shown}
    if not host:
        return URL_NO_HOST, {"shown": shown, "scheme": scheme}
    return None


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
    # Whether a leaf may carry "sub_button": [] (one platform's own example sends it; another refuses
    # any empty list).
    leaf_may_carry_empty_sub_button: bool = True
    # The encoding whose bytes the platform counts names, keys and addresses in (every limit above
    # and in `fields`), and one line for the editor saying how that counts, or "" to say nothing.
    byte_encoding: str = "utf-8"
    byte_note: Any = ""
    # The credentials an account of this platform holds (its package's account.py).
    account: AccountSpec | None = None
    # Error codes that mean "try again later" (busy, a rate limit): a scheduled publish refused with
    # one is retried after a wait (menueditor/scheduling.py); any other code is final.
    retry_later_codes: frozenset[str] = frozenset()
    # Menus for chosen followers (platforms/matching.py ConditionalSupport), or None: only the default.
    conditional: Any = None
    # Pickers for the content a button sends (platforms/content.py ContentSupport), or None: ids typed.
    content: Any = None
    # The phone preview's words: the account's first message in the chat (%(name)s: the account's
    # name), or "" where the platform sends none; and what the phone shows when there is no menu.
    greeting: Any = ""
    no_menu_text: Any = _("No menu: followers see only the text box.")

    # -- the registry's entry points, filled in by each platform package ------------------------
    def client(self, account, token_store: TokenStore) -> PlatformClient:
        """The platform's HTTP client for one account (its package's client.py)."""
        raise NotImplementedError(f"{self.code} has no client")

    def read_stored(self, raw: str) -> LiveMenu:
        """Read back a live-menu reply this app stored in a Publication."""
        raise NotImplementedError(f"{self.code} cannot read stored replies")

    def demo(self) -> DemoAccount | None:
        """The demo account `manage.py demo_setup` points at the simulator, or None for none."""
        return None

    # -- counting -------------------------------------------------------------------------------
    def byte_length(self, text: str) -> int:
        """Bytes of a name, key or address as the platform counts them (in `byte_encoding`)."""
        return encoded_length(text, self.byte_encoding)

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

    # -- telling buttons apart (menueditor/diff.py matches live and draft buttons by these) -------
    # Per type, the fields that say which button it is; a type not listed is known by all its fields.
    identity_fields: dict[str, tuple[str, ...]] = {}

    def identity(self, button: Button) -> tuple[str, ...] | None:
        """What makes this leaf the same button in another menu: its type and the values that say
        what it sends or opens (a key, an address, a material). None for parents and empty leaves."""
        if button.is_parent or not button.type:
            return None
        button_type = self.button_types.get(button.type)
        names = self.identity_fields.get(button.type) or (button_type.fields if button_type else ())
        if not names:  # a type the platform does not know: every value it carries
            names = tuple(sorted(button.values))
        values = tuple(button.value(name) for name in names)
        if not any(values):
            return None
        return (button.type, *values)

    def type_label(self, type_code: str) -> str:
        """A type in the interface language, never its code: what the review and history say."""
        if not type_code:
            return str(_("no action chosen"))
        button_type = self.button_types.get(type_code)
        return str(button_type.label) if button_type else str(_("a type this platform does not accept"))

    def field_label(self, name: str) -> str:
        spec = self.fields.get(name)
        return str(spec.label) if spec else name

    # -- reading and writing --------------------------------------------------------------------
    # A new draft's one button: a type of the platform's and the values that make it valid.
    starter_type: str = ""
    # The type a button added in the editor starts with (the first of button_types when empty).
    new_button_type: str = ""
    starter_values: dict[str, str] = {}

    def starter_tree(self, name: str) -> MenuTree:
        """The smallest menu the platform accepts, so that a new draft opens on something real."""
        return MenuTree([Button(name=name, type=self.starter_type, values=dict(self.starter_values))])

    def parse(self, data: Any) -> MenuTree:
        return parse_menu(data)

    def payload(self, tree: MenuTree) -> dict[str, Any]:
        """The JSON object the platform's create call takes.

        Each button carries its type's fields only: values left over from another type (the
        editor keeps them while someone switches types) are not sent.
        """
        return {"button": [self._payload_button(b) for b in tree.buttons]}

    def _payload_button(self, button: Button) -> dict[str, Any]:
        out: dict[str, Any] = {"type": button.type} if button.type else {}
        out["name"] = button.name
        button_type = self.button_types.get(button.type)
        # The platform's field table gives the order; fields it does not know follow as they came.
        for name in dict.fromkeys([*self.fields, *button.values]):
            if name not in button.values or button.is_parent:  # a parent has no fields of its own
                continue
            if button_type is None or name in button_type.fields:
                out[name] = button.values[name]
        if button.children is not None:
            out["sub_button"] = [self._payload_button(child) for child in button.children]
        return out

    def payload_text(self, tree: MenuTree) -> str:
        """The exact menu text that publishing sends: UTF-8, no \\u escapes."""
        return json.dumps(self.payload(tree), ensure_ascii=False)

    def payload_bytes(self, tree: MenuTree) -> bytes:
        """The body a JSON platform's menu/create takes: payload_text in UTF-8 (\\u escapes refused)."""
        return self.payload_text(tree).encode("utf-8")

    # -- validation -----------------------------------------------------------------------------
    def validate(self, tree: MenuTree) -> list[Problem]:
        """Every problem, errors and warnings, in the order of the buttons."""
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
            if button.is_parent:
                problems += self._check_parent(button, (i,))
            else:
                problems += self._check_leaf(button, (i,), 1)
        return problems

    def errors(self, tree: MenuTree) -> list[Problem]:
        return [p for p in self.validate(tree) if p.is_error]

    def warnings(self, tree: MenuTree) -> list[Problem]:
        return [p for p in self.validate(tree) if not p.is_error]

    def is_valid(self, tree: MenuTree) -> bool:
        return not self.errors(tree)

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

    def _check_parent(self, button: Button, path: tuple[int, ...]) -> list[Problem]:
        problems = self._check_name(button.name, path, 1)
        if button.type:
            problems.append(
                self._problem(
                    path,
                    "type",
                    _(
                        "a button with sub-buttons carries no type of its own; "
                        "remove “%(found)s” or remove the sub-buttons"
                    ),
                    "type",
                    1,
                    found=button.type,
                )
            )
        subs = button.children or []
        if not 1 <= len(subs) <= self.max_sub_buttons:
            problems.append(
                self._problem(
                    path,
                    "sub_button",
                    _("a button with a sub-menu needs 1 to %(limit)d sub-buttons; found %(found)d"),
                    "count",
                    2,
                    limit=self.max_sub_buttons,
                    found=len(subs),
                )
            )
        for j, sub in enumerate(subs):
            sub_path = (*path, j)
            if sub.children:
                problems += self._check_name(sub.name, sub_path, 2)
                problems.append(
                    self._problem(
                        sub_path,
                        "sub_button",
                        _("menus have two levels only; a sub-button cannot have %(found)d sub-buttons"),
                        "depth",
                        2,
                        limit=0,
                        found=len(sub.children),
                    )
                )
            else:
                problems += self._check_leaf(sub, sub_path, 2)
        return problems

    def _control_problem(self, path: tuple[int, ...], field_name: str, text: str, level: int) -> Problem:
        char = _CONTROL.search(text).group()
        return self._problem(
            path,
            field_name,
            _("remove the line break, tab or other control character (%(found)s)"),
            "control",
            level,
            found=f"U+{ord(char):04X}",
        )

    def _check_name(self, name: str, path: tuple[int, ...], level: int) -> list[Problem]:
        size = self.byte_length(name)
        limit = self.name_limit(level)
        if not name.strip():
            return [
                self._problem(path, "name", _("a name is required"), "name", level, limit=limit, found=size)
            ]
        if has_control_character(name):
            return [self._control_problem(path, "name", name, level)]
        if size > limit:
            return [
                self._problem(
                    path,
                    "name",
                    _("the name is %(found)d bytes; at most %(limit)d bytes are allowed here"),
                    "name",
                    level,
                    limit=limit,
                    found=size,
                )
            ]
        if self.is_truncated(name, level):
            return [
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
            ]
        return []

    def _check_leaf(self, button: Button, path: tuple[int, ...], level: int) -> list[Problem]:
        problems = self._check_name(button.name, path, level)
        if button.children == [] and not self.leaf_may_carry_empty_sub_button:
            problems.append(
                self._problem(
                    path,
                    "sub_button",
                    _("an empty sub-button list is refused; remove it or add 1 to %(limit)d sub-buttons"),
                    "count",
                    2,
                    limit=self.max_sub_buttons,
                    found=0,
                )
            )
        if not button.type:
            problems.append(self._problem(path, "type", _("choose what the button does"), "type", level))
            return problems
        button_type = self.button_types.get(button.type)
        if button_type is None:
            problems.append(
                self._problem(
                    path,
                    "type",
                    _("“%(found)s” is not a button type %(platform)s accepts"),
                    "type",
                    level,
                    found=button.type,
                    platform=self.label,
                )
            )
            return problems
        if button_type.note:
            problems.append(
                self._problem(
                    path, "type", "%(note)s", "note", level, severity=WARNING, note=button_type.note
                )
            )
        for spec in self.fields_for(button.type):
            problems += self._check_field(button, spec, path, level)
        return problems

    def _check_field(self, button: Button, spec: FieldSpec, path, level) -> list[Problem]:
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
        if has_control_character(value):
            return [self._control_problem(path, spec.name, value, level)]
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
        wrong = url_problem(value) if spec.name in self.url_fields else None
        if wrong is not None:
            template, params = wrong
            return [
                self._problem(
                    path, spec.name, template, "url_format", level, field=spec.label, found=value, **params
                )
            ]
        return []


# -- tokens a platform client keeps between calls ----------------------------------------------------


@dataclass(frozen=True)
class StoredToken:
    token: str
    expires_at: Any  # an aware datetime: when to stop using it (already less a safety margin)
    fetched_at: Any


class TokenStore(Protocol):
    """Where a client keeps its access token, shared by every worker (accounts.tokens implements it).

    Refreshes are single-flight: one worker claims the refresh, the others wait and read its token.
    """

    def load(self) -> StoredToken | None:
        """The stored token, or None when there is none or it belongs to older credentials."""

    def save(self, token: str, expires_in: int) -> StoredToken:
        """Keep a token the platform issued, valid for expires_in seconds from now."""

    def claim_refresh(self, seconds: float) -> object | None:
        """The right to fetch a new token for `seconds`, or None while another worker is fetching."""

    def release_refresh(self, claim: object) -> None:
        """Give the refresh back (after saving the token, or after the fetch failed)."""


# -- what a platform client hands back ---------------------------------------------------------------


@dataclass
class LiveMenu:
    """The menu on the platform now: None when there is none; what could not be converted is listed."""

    tree: MenuTree | None
    raw: str = ""  # the reply body the menu came from (no token in it)
    unconvertible: list[str] = field(default_factory=list)
    # Buttons whose reply was set in the platform's web console, which the API cannot send: by
    # path, what the reply is (translated). Publishing from here loses each of them.
    console_replies: dict[tuple[int, ...], str] = field(default_factory=dict)


class PlatformClient(Protocol):
    """One account's HTTP client (each package's client.py); failures raise PlatformError."""

    published_hint: Any  # what to tell people after a publish, translatable
    deleted_hint: Any
    when_visible: Any  # when phones show a change

    def publish(self, tree: MenuTree) -> tuple[str, str, str]:
        """Send the menu: (the exact text sent, the platform's code, its message)."""

    def read_live(self) -> LiveMenu:
        """The live menu now."""

    def delete(self) -> None:
        """Remove the live menu."""

    def check(self) -> str:
        """Prove the credentials work; a line saying what was found."""

    def close(self) -> None:
        """Free the HTTP session."""


# -- the credentials an account of a platform holds ---------------------------------------------------

# The Account fields any platform may use (a package's own migration may add more, e.g. WeCom's
# agent_id): an identifier, two secrets, and how tokens are obtained. A platform leaves unused
# identifiers and secrets empty; Account.api_base is everyone's and not listed in a spec.
GENERIC_CREDENTIALS: tuple[str, ...] = ("app_id", "app_secret", "access_token")


@dataclass(frozen=True)
class CredentialField:
    """One Account field a platform uses, in that platform's words.

    - name: the Account model field it fills: "app_id" (an identifier), "app_secret" or
      "access_token" (secrets), "token_mode" (a choice), or a field the platform's own
      migration adds (WeCom's "agent_id").
    - label, help: what the admin form and `account_add --help` call it (translatable).
    - secret: write-only. The admin offers set / replace / clear and never shows the value back;
      account_add reads it from stdin or --secret-env only, so a secret has no `flag`.
    - required: always needed. required_when=("token_mode", ("stable", "classic")): needed only
      while that other field holds one of those values.
    - missing: the message beside the field when a needed value is empty (say where to find it).
    - pattern, invalid: a regular expression the whole value must match (after normalize; a number
      is matched as its digits, e.g. r"[1-9][0-9]*" for a positive integer) and the message when
      it does not.
    - normalize: applied to a text value before it is checked and saved (it is stripped anyway).
    - choices, default: the only values allowed, as (value, label) pairs, and the value taken
      when none is given.
    - flag: the account_add option that sets it, e.g. "--app-id"; the same flag on two
      platforms must fill the same field.
    """

    name: str
    label: Any
    help: Any = ""
    secret: bool = False
    required: bool = False
    required_when: tuple[str, tuple[str, ...]] | None = None
    missing: Any = ""
    pattern: str = ""
    invalid: Any = ""
    normalize: Callable[[str], str] | None = None
    choices: tuple[tuple[str, Any], ...] = ()
    default: str = ""
    flag: str = ""

    def __post_init__(self) -> None:
        if self.secret and self.flag:
            raise ValueError(f"{self.name}: a secret never comes from the command line (no flag)")


@dataclass(frozen=True)
class Fieldset:
    """A group of credential fields on the admin form: a title, field names, one line of help."""

    title: Any
    fields: tuple[str, ...]
    description: Any = ""


@dataclass(frozen=True)
class AccountSpec:
    """What an account of one platform holds, how it is checked and where it connects.

    - label: what the platform's accounts are called, e.g. "WeChat Official Account" (the
      choices of Account.platform).
    - fields: the CredentialFields it uses, in form order; other generic credentials stay empty.
    - fieldsets: how the admin groups them; every field appears in exactly one.
    - api_base_setting, default_api_base: the setting that moves the platform's host for every
      account (read when used: the Django setting, else the environment variable of that name)
      and the platform's own host when neither is set.
    """

    label: Any
    fields: tuple[CredentialField, ...]
    fieldsets: tuple[Fieldset, ...]
    api_base_setting: str
    default_api_base: str

    def __post_init__(self) -> None:
        grouped = [name for fieldset in self.fieldsets for name in fieldset.fields]
        if sorted(grouped) != sorted(self.names):
            raise ValueError(f"fieldsets {grouped} must hold each of {self.names} once")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def secrets(self) -> tuple[CredentialField, ...]:
        return tuple(f for f in self.fields if f.secret)

    def field(self, name: str) -> CredentialField | None:
        return next((f for f in self.fields if f.name == name), None)

    def api_base(self) -> str:
        """The host every account of this platform uses unless it names its own (no trailing /)."""
        name = self.api_base_setting
        value = getattr(settings, name, None) or os.environ.get(name) or self.default_api_base
        return value.rstrip("/")

    def value_of(self, account: Any, name: str) -> Any:
        """The account's value of a field, or that field's default when it is empty."""
        value = getattr(account, name, None)
        field = self.field(name)
        return field.default if value in (None, "") and field is not None and field.default else value

    def needed(self, account: Any) -> tuple[CredentialField, ...]:
        """The fields this account must fill: the required ones, and those its other fields call for."""
        return tuple(
            f
            for f in self.fields
            if f.required
            or (
                f.required_when is not None
                and self.value_of(account, f.required_when[0]) in f.required_when[1]
            )
        )

    def normalize(self, account: Any) -> None:
        """Strip text values, apply each field's normalize, put in defaults for empty choices."""
        for f in self.fields:
            value = getattr(account, f.name, None)
            if not isinstance(value, str):
                continue
            value = value.strip()
            if f.normalize is not None:
                value = f.normalize(value)
            if f.choices and not value:
                value = f.default
            setattr(account, f.name, value)

    def validate(self, account: Any) -> dict[str, ValidationError]:
        """Normalize the account's credentials and say what is wrong, keyed by the field to fix."""
        self.normalize(account)
        errors: dict[str, ValidationError] = {}
        needed = self.needed(account)
        for f in self.fields:
            value = getattr(account, f.name, None)
            if value is None or value == "":
                if f in needed:
                    errors[f.name] = ValidationError(
                        f.missing or _("%(field)s is required.") % {"field": f.label}, code="missing"
                    )
            elif f.choices and value not in {code for code, _label in f.choices}:
                errors[f.name] = ValidationError(
                    _("Choose one of: %(choices)s.")
                    % {"choices": ", ".join(str(label) for _code, label in f.choices)},
                    code="invalid_choice",
                )
            elif f.pattern and not re.fullmatch(f.pattern, str(value)):
                # Not "invalid": a ModelForm puts its field's own "invalid" message (e.g. "Enter a whole
                # number.") in place of a model error of that code.
                errors[f.name] = ValidationError(f.invalid, code="pattern")
        for name in GENERIC_CREDENTIALS:
            if name not in self.names and getattr(account, name, ""):
                errors[name] = ValidationError(
                    _("%(platform)s accounts have no %(field)s; leave it empty.")
                    % {"platform": self.label, "field": account._meta.get_field(name).verbose_name},
                    code="not_used",
                )
        return errors

    def is_complete(self, account: Any) -> bool:
        """Whether every credential this account needs is there (not whether it works)."""
        return all(getattr(account, f.name, None) not in (None, "") for f in self.needed(account))

    def secret_for(self, account: Any) -> CredentialField | None:
        """The secret this account needs, given its other fields (the one account_add reads)."""
        needed = [f for f in self.needed(account) if f.secret]
        return (needed or list(self.secrets) or [None])[0]


# -- a demo account against the simulator -------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    """An account of a platform that talks to the simulator, holding the simulator's default
    credentials (simulator/<platform>.py), and a sample draft: what `manage.py demo_setup` sets up."""

    slug: str
    name: str
    credentials: dict[str, Any]  # Account fields, e.g. {"app_id": ..., "app_secret": ...}
    sample: dict[str, Any]  # the sample draft's menu, {"button": [...]}
    path: str = ""  # added to the simulator's URL when the simulator serves the platform there
