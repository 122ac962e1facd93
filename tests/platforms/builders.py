"""Small builders for menus in platform JSON, so each test states only what it is about."""

from __future__ import annotations

from typing import Any

from menueditor.platforms.base import Problem
from menueditor.tree import parse_menu

CJK = "菜"  # 3 bytes in UTF-8, two half-width units on the phone
EMOJI = "😀"  # 4 bytes in UTF-8


def click(name: str = "OK", key: str = "k", **extra: Any) -> dict[str, Any]:
    return {"type": "click", "name": name, "key": key, **extra}


def view(name: str = "OK", url: str = "https://example.com/", **extra: Any) -> dict[str, Any]:
    return {"type": "view", "name": name, "url": url, **extra}


def parent(name: str = "More", subs: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    return {"name": name, "sub_button": [click()] if subs is None else subs, **extra}


def menu(*buttons: dict[str, Any]) -> dict[str, Any]:
    return {"button": list(buttons)}


def problems_of(platform, data: dict[str, Any]) -> list[Problem]:
    return platform.validate(parse_menu(data))


def errors_of(platform, data: dict[str, Any]) -> list[Problem]:
    return platform.errors(parse_menu(data))


def summary_of(problems: list[Problem]) -> list[tuple]:
    """(path, field, severity, code, limit, found) of each problem: what a caller relies on."""
    return [(p.path, p.field, p.severity, p.code, p.limit, p.found) for p in problems]
