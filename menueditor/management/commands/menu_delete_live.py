"""Delete an account's live menu (and its conditional menus, where the platform has them), after
confirmation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from menueditor.management.commands.menu_publish import user_named
from menueditor.management.commands.menu_pull import account_with_slug
from menueditor.management.menu_cli import add_language_argument
from menueditor.publishing import delete_live_menu


class Command(BaseCommand):
    help = (
        "Delete the live menu of the account SLUG. Followers lose the menu; the history keeps every "
        "past menu, so it can be restored and published again. Refuses to run without --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--account", required=True, metavar="SLUG")
        parser.add_argument("--yes", action="store_true", help="confirm the deletion")
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="who deletes (must be allowed to publish there); without it, the command line acts itself",
        )
        add_language_argument(parser)

    def handle(self, *args, account: str, yes: bool, user: str | None, language: str, **options):
        with translation.override(language):
            target = account_with_slug(account)
            if not yes:
                raise CommandError(
                    _("This deletes the live menu of %(account)s. Run again with --yes to confirm.")
                    % {"account": target}
                )
            actor = user_named(user) if user else None
            try:
                outcome = delete_live_menu(target, actor, check_permission=actor is not None)
            except PermissionDenied as exc:
                raise CommandError(str(exc)) from exc
            if not outcome.ok:
                raise CommandError(
                    _("Not deleted [%(code)s] (%(message)s): %(hint)s")
                    % {"code": outcome.code, "message": outcome.message, "hint": outcome.hint}
                )
            self.stdout.write(outcome.hint)
