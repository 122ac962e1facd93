"""Menus for chosen followers, as any platform that has them offers them: match rules, the live set.

A platform with conditional menus gives its rules object a `conditional` (a ConditionalSupport);
the publishing service, the views and the commands ask it and never name a platform's fields.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Protocol

from menueditor.tree import MenuTree


@dataclass(frozen=True)
class MatchRule:
    """Which followers see a menu: a user tag and/or the phone's system, as the platform spells them.

    `fields` holds the rule exactly as the platform takes it (values as strings); `refused` the
    fields a pulled rule carries that the platform no longer matches on (it is then dead).
    """

    fields: tuple[tuple[str, str], ...] = ()
    refused: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, values: dict[str, Any] | None, refused: dict[str, Any] | None = None) -> MatchRule:
        def clean(data: dict[str, Any] | None) -> tuple[tuple[str, str], ...]:
            return tuple(sorted((str(k), str(v)) for k, v in (data or {}).items() if v not in (None, "")))

        return cls(clean(values), clean(refused))

    @property
    def is_default(self) -> bool:
        """No rule at all: the default menu."""
        return not self.fields and not self.refused

    @property
    def still_matches(self) -> bool:
        return not self.refused

    def get(self, name: str) -> str:
        return dict(self.fields).get(name, "")

    def to_json(self) -> dict[str, str]:
        """The rule as the platform's add call takes it (refused fields included, as they came)."""
        return dict(self.fields) | dict(self.refused)

    @property
    def key(self) -> str:
        """A stable text naming the rule ("" for the default menu): Publication.match_rule."""
        if self.is_default:
            return ""
        return json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_key(cls, key: str) -> MatchRule:
        """Back from `key` (only rules this app wrote are stored, so nothing is refused)."""
        try:
            data = json.loads(key) if key else {}
        except ValueError:
            data = {}
        return cls.of(data if isinstance(data, dict) else {})


DEFAULT_RULE = MatchRule()


@dataclass(frozen=True)
class Tag:
    """A user tag a rule can match: the platform's id, its name and how many followers carry it."""

    id: str
    name: str
    count: int = 0


@dataclass
class LiveConditionalMenu:
    """One conditional menu on the platform now."""

    menuid: str
    rule: MatchRule
    tree: MenuTree


@dataclass
class LiveSet:
    """Every menu of the account as the platform reports it: the default and the conditional ones."""

    default: MenuTree | None
    conditional: list[LiveConditionalMenu] = field(default_factory=list)
    raw: str = ""
    notes: list[str] = field(default_factory=list)

    def for_rule(self, rule: MatchRule) -> list[LiveConditionalMenu]:
        """The live conditional menus with exactly this rule, oldest first."""
        return [item for item in self.conditional if item.rule == rule]

    def tree_for(self, rule: MatchRule) -> MenuTree | None:
        """The live menu a draft of this rule replaces (the newest one with that rule wins on phones)."""
        if rule.is_default:
            return self.default
        found = self.for_rule(rule)
        return found[-1].tree if found else None


@dataclass
class SendCheck:
    """A rule the platform enforces, found broken before anything was sent."""

    code: str
    message: str


class ConditionalCalls(Protocol):
    """One account's conditional-menu calls (raise PlatformError)."""

    def tags(self) -> list[Tag]: ...

    def live_set(self) -> LiveSet: ...

    def add(self, tree: MenuTree, rule: MatchRule) -> tuple[str, str]:
        """(the exact text sent, the new menu's id)."""

    def delete(self, menuid: str) -> None: ...

    def try_match(self, user_id: str) -> MenuTree | None: ...


class ConditionalSupport(Protocol):
    """What a platform with conditional menus tells the rest of the app (its package implements it)."""

    os_choices: tuple[tuple[str, Any], ...]  # (value, label) of the phone systems a rule can name
    rule_key: str  # the top-level key of the add call's body that holds the rule
    user_id_label: Any  # what "what does this follower see?" asks for

    def rule_from_form(self, tag_id: str, os: str) -> MatchRule: ...

    def tag_of(self, rule: MatchRule) -> str: ...

    def os_of(self, rule: MatchRule) -> str: ...

    def read_rule(self, data: Any) -> MatchRule: ...

    def describe(self, rule: MatchRule, tags: dict[str, Tag]) -> str: ...

    def payload_text(self, tree: MenuTree, rule: MatchRule) -> str: ...

    def read_payload(self, data: Any) -> tuple[MenuTree, MatchRule]: ...

    def check_before_send(self, live: LiveSet, tree: MenuTree, rule: MatchRule) -> list[SendCheck]: ...

    def calls(self, client) -> ConditionalCalls: ...
