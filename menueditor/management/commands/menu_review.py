"""Show what publishing a draft would change, and the live menu's fingerprint to confirm against."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from menueditor.management.commands.menu_publish import menu_with_id, user_named
from menueditor.management.menu_cli import add_language_argument
from menueditor.pickers import check_content
from menueditor.publishing import preview_publish
from menueditor.tree import MenuParseError, MenuTree, parse_menu


class Command(BaseCommand):
    help = (
        "Print what publishing the draft MENU_ID would change on the live menu, any change made "
        "outside this app, and as the last line `live-fingerprint: <hex>` for `menu_publish --if-live`. "
        "Nothing is sent. Exit 1 when the live menu cannot be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("menu_id", type=int, metavar="MENU_ID")
        parser.add_argument("--user", metavar="USERNAME", help="review as this user (default: any superuser)")
        add_language_argument(parser)

    def handle(self, *args, menu_id: int, user: str | None, language: str, **options):
        with translation.override(language):
            menu = menu_with_id(menu_id)
            reviewer = user_named(user) if user else _any_superuser()
            try:
                preview = preview_publish(menu, reviewer)
            except PermissionDenied as exc:
                raise CommandError(
                    _("%(user)s may not work on %(account)s: %(reason)s")
                    % {"user": reviewer.username, "account": menu.account.slug, "reason": exc}
                ) from exc
            if preview.outcome is not None:
                raise CommandError(
                    _("The live menu could not be read [%(code)s]: %(hint)s")
                    % {"code": preview.outcome.code, "hint": preview.outcome.hint}
                )
            self.stdout.write(
                _("Publishing “%(title)s” to %(account)s:") % {"title": menu.title, "account": menu.account}
            )
            if preview.drift:
                self.stdout.write(_("The live menu was changed outside this app; publishing replaces that:"))
                for line in preview.drift_changes:
                    self.stdout.write(f"  ! {line}")
            if preview.changes:
                self.stdout.write(_("Followers will see these changes:"))
                for line in preview.changes:
                    self.stdout.write(f"  - {line}")
            else:
                self.stdout.write(_("The live menu is already the same as this draft."))
            for line in preview.unconvertible:
                self.stdout.write(f"  ? {line}")
            # A conditional draft (conditional.ConditionalPreview): who sees it, what would be refused.
            if getattr(preview, "who", ""):
                self.stdout.write(_("For: %(who)s") % {"who": preview.who})
            for check in getattr(preview, "checks", []):
                self.stdout.write(f"  ✗ {check.code}: {check.message}")
            # The review's content check: chosen materials and articles still on the account.
            for line in check_content(
                menu.account, getattr(preview, "draft_tree", None) or _tree(menu)
            ).warnings:
                self.stdout.write(_("warning: %(line)s") % {"line": line})
            self.stdout.write(f"live-fingerprint: {preview.fingerprint}")


def _tree(menu) -> MenuTree | None:
    try:
        return parse_menu(menu.tree)
    except MenuParseError:
        return None


def _any_superuser():
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise CommandError(_("no active superuser exists: name a user with --user"))
    return user
