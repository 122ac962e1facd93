"""What the menu commands share about conditional menus: reading an addconditional body, writing one."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from menueditor.management.menu_cli import not_a_menu, read_source, source_name
from menueditor.models import Menu
from menueditor.platforms.base import PlatformRules
from menueditor.platforms.matching import DEFAULT_RULE, MatchRule
from menueditor.tree import MenuParseError, MenuTree


def read_menu_and_rule(path: str, platform: PlatformRules) -> tuple[MenuTree, MatchRule, list[str]]:
    """FILE as a menu and, on a platform with conditional menus, the rule its add call's body carries
    (the default rule when it carries none), with the top-level keys left out on a platform without
    them. The editor's Import reads with the same conditional.read_import. CommandError (one line)
    when it is not a menu or its rule is one the platform refuses."""
    from menueditor.conditional import read_import

    data = read_source(path)
    try:
        imported = read_import(platform, data)
    except MenuParseError as exc:
        if exc.kind == "rule_refused":
            raise CommandError(
                _("the rule uses %(fields)s, which the platform no longer matches on: use a follower tag.")
                % {"fields": exc.params["fields"]}
            ) from exc
        raise not_a_menu(source_name(path), exc) from exc
    return imported.tree, imported.rule or DEFAULT_RULE, imported.left_out


def export_text(menu: Menu, platform: PlatformRules, tree: MenuTree) -> str:
    """What publishing the draft sends (conditional.payload_text_of: with its matchrule when it has one)."""
    from menueditor.conditional import payload_text_of

    return payload_text_of(menu, tree)
