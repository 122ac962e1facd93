"""Print the menu the platform shows one follower (trymatch), and which of the live menus matched."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Account
from menueditor import conditional
from menueditor.conditional_forms import TryMatchForm
from menueditor.management.menu_cli import add_language_argument
from menueditor.tree import dumps_menu


class Command(BaseCommand):
    help = (
        "Print the menu the follower USER_ID (an openid, or the platform's account ID) sees on the account "
        'SLUG, as {"button": [...]}, and on standard error which live menu matched (a conditional '
        "menu's rule, or the default menu)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--account", required=True, metavar="SLUG", help="the account's slug")
        parser.add_argument("user_id", metavar="USER_ID")
        add_language_argument(parser)

    def handle(self, *args, account: str, user_id: str, language: str, **options):
        with translation.override(language):
            target = Account.objects.filter(slug=account).first()
            if target is None:
                raise CommandError(_("no account has the slug “%(slug)s”") % {"slug": account})
            support = conditional.support(target)
            if support is None:
                raise CommandError(
                    _("%(account)s has no conditional menus: every follower sees the live menu (menu_pull).")
                    % {"account": target.slug}
                )
            form = TryMatchForm({"user_id": user_id}, support=support)
            if not form.is_valid():
                raise CommandError(" ".join(form.errors["user_id"]))
            found = conditional.try_match(target, None, form.cleaned_data["user_id"], check_permission=False)
            if found.outcome is not None:
                raise CommandError(
                    _("Not found [%(code)s] (%(message)s): %(hint)s")
                    % {
                        "code": found.outcome.code,
                        "message": found.outcome.message,
                        "hint": found.outcome.hint,
                    }
                )
            self.stderr.write(_("Matched: %(who)s") % {"who": found.matched}, style_func=lambda s: s)
            self.stdout.write(dumps_menu(found.tree) if found.tree is not None else '{"button": []}')
