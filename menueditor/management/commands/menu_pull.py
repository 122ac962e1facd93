"""Read an account's live menu into a new draft and print the draft's id."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Account
from menueditor.management.commands.menu_publish import user_named
from menueditor.management.menu_cli import add_language_argument
from menueditor.publishing import pull_menu


def account_with_slug(slug: str) -> Account:
    account = Account.objects.filter(slug=slug).first()
    if account is None:
        raise CommandError(_("no account has the slug %(slug)s") % {"slug": slug})
    return account


class Command(BaseCommand):
    help = (
        "Read the live menu of the account SLUG into a new draft and print the draft's id (only the id "
        "goes to standard output). Buttons that cannot be converted are listed on standard error."
    )

    def add_arguments(self, parser):
        parser.add_argument("--account", required=True, metavar="SLUG")
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="who pulls (checked against the account); without it, the command line acts itself",
        )
        add_language_argument(parser)

    def handle(self, *args, account: str, user: str | None, language: str, **options):
        with translation.override(language):
            target = account_with_slug(account)
            puller = user_named(user) if user else None
            try:
                result = pull_menu(target, puller, check_permission=puller is not None)
            except PermissionDenied as exc:
                raise CommandError(str(exc)) from exc
            for line in result.unconvertible:
                self.stderr.write(f"  - {line}")
            if not result.outcome.ok:
                raise CommandError(
                    _("Not pulled [%(code)s] (%(message)s): %(hint)s")
                    % {
                        "code": result.outcome.code,
                        "message": result.outcome.message,
                        "hint": result.outcome.hint,
                    }
                )
            if result.menu is None:
                self.stderr.write(result.outcome.hint)
                return
            self.stderr.write(result.outcome.hint)
            self.stdout.write(str(result.menu.pk))
