"""What the menu commands share about conditional menus: reading an addconditional body, writing one."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from menueditor.management.menu_cli import read_source, source_name
from menueditor.models import Menu
from menueditor.platforms.base import PlatformRules
from menueditor.platforms.matching import DEFAULT_RULE, MatchRule
from menueditor.tree import MenuParseError, MenuTree, decode_json


def read_menu_and_rule(path: str, platform: PlatformRules) -> tuple[MenuTree, MatchRule]:
    """FILE as a menu and, for an addconditional body ({"button": [...], "matchrule": {...}}), its rule
    (the default rule otherwise). CommandError (one line) when it is not a menu, or has a rule the
    account's platform cannot take."""
    data = read_source(path)
    try:
        decoded = decode_json(data)
        tree = platform.parse(decoded)
    except MenuParseError as exc:
        message = " ".join(str(exc).split())
        raise CommandError(
            _("%(file)s is not a menu: %(reason)s") % {"file": source_name(path), "reason": message}
        ) from exc
    if not isinstance(decoded, dict) or "matchrule" not in decoded:
        return tree, DEFAULT_RULE
    if platform.conditional is None:
        raise CommandError(
            _("%(platform)s accounts have no conditional menus: remove “matchrule”.")
            % {"platform": platform.label}
        )
    try:
        tree, rule = platform.conditional.read_payload(decoded)
    except MenuParseError as exc:
        raise CommandError(_("%(file)s: %(reason)s") % {"file": source_name(path), "reason": exc}) from exc
    if rule.is_default:
        raise CommandError(_("“matchrule” is empty: give a tag, a phone system or both."))
    if not rule.still_matches:
        raise CommandError(
            _("“matchrule” uses %(fields)s, which the platform no longer matches on: use a follower tag.")
            % {"fields": ", ".join(k for k, _v in rule.refused)}
        )
    return tree, rule


def export_text(menu: Menu, platform: PlatformRules, tree: MenuTree) -> str:
    """What publishing the draft sends (conditional.payload_text_of: with its matchrule when it has one)."""
    from menueditor.conditional import payload_text_of

    return payload_text_of(menu, tree)
