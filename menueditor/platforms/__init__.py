"""The platforms a menu can be published to: one package each under menueditor/platforms/.

Each package exports PLATFORM, its rules object (types, fields, limits, counting, payload), which
is also the registry's entry: its client(), read_stored() and account spec. Adding a platform is
one package and one line in REGISTERED.
"""

from __future__ import annotations

from importlib import import_module

from .base import PlatformRules, Problem

REGISTERED: tuple[str, ...] = ("wechat", "weibo", "wecom")

PLATFORMS: dict[str, PlatformRules] = {
    code: import_module(f"{__name__}.{code}").PLATFORM for code in REGISTERED
}

# Every field the buttons of any registered platform carry, in registration and then table order:
# the fields the editor's form may hold for a button.
FIELD_NAMES: tuple[str, ...] = tuple(dict.fromkeys(name for p in PLATFORMS.values() for name in p.fields))


def get_platform(code: str) -> PlatformRules:
    """The registered platform of that code; KeyError for anything else."""
    return PLATFORMS[code]


def platform_choices() -> list[tuple[str, str]]:
    """(code, what its accounts are called) of every registered platform, for Account.platform."""
    return [(code, (p.account.label if p.account else p.label)) for code, p in PLATFORMS.items()]


__all__ = ["PLATFORMS", "REGISTERED", "PlatformRules", "Problem", "get_platform", "platform_choices"]
