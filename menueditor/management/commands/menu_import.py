"""Create a draft menu for an account from a JSON file; prints the new draft's id."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Account
from menueditor.management.conditional_cli import read_menu_and_rule
from menueditor.management.menu_cli import (
    STDIN,
    add_language_argument,
    problem_line,
    source_name,
    summary,
)
from menueditor.models import Menu
from menueditor.platforms import get_platform


class Command(BaseCommand):
    help = (
        "Import a menu file as a new draft of an account. The menu must pass the platform's rules; "
        "nothing is created when it does not. Prints the draft's id."
    )

    def add_arguments(self, parser):
        parser.add_argument("--account", required=True, metavar="SLUG", help="the account's slug")
        parser.add_argument("--title", help="the draft's title (default: from the file name)")
        add_language_argument(parser)
        parser.add_argument("file", help="the menu JSON file, or - for standard input")

    def handle(self, *args, account: str, title: str | None, language: str, file: str, **options):
        with translation.override(language):
            target = Account.objects.filter(slug=account).first()
            if target is None:
                raise CommandError(_("no account has the slug “%(slug)s”") % {"slug": account})
            title = (title or "").strip() or self._default_title(file)
            max_length = Menu._meta.get_field("title").max_length
            if len(title) > max_length:
                raise CommandError(
                    _("the title is %(found)d characters; at most %(limit)d are allowed")
                    % {"found": len(title), "limit": max_length}
                )
            if "\x00" in title:  # PostgreSQL cannot store it; the editor's title field refuses it too
                raise CommandError(_("the title holds a control character (U+0000): remove it"))
            rules = get_platform(target.platform)
            # An addconditional body carries its rule; a platform without conditional menus leaves it out.
            tree, rule, left_out = read_menu_and_rule(file, rules)
            if left_out:
                self.stderr.write(
                    _(
                        "warning: left out %(keys)s: %(platform)s accounts have one menu for every "
                        "follower, with no match rule."
                    )
                    % {"keys": ", ".join(left_out), "platform": rules.label},
                    style_func=lambda s: s,
                )
            problems = rules.validate(tree)
            # Problems go to standard error, so that standard output holds the id alone.
            for problem in problems:
                self.stderr.write(problem_line(problem, rules), style_func=lambda s: s)
            if any(p.is_error for p in problems):
                raise CommandError(
                    _("Nothing imported: the menu is not valid for %(platform)s: %(summary)s.")
                    % {"platform": rules.label, "summary": summary(problems)}
                )
            menu = Menu.objects.create(
                account=target, title=title, tree=tree.to_json(), match_rule=rule.to_json()
            )
            self.stdout.write(str(menu.pk))

    @staticmethod
    def _default_title(file: str) -> str:
        name = source_name(file) if file == STDIN else Path(file).name
        return (_("Imported from %(file)s") % {"file": name})[:100]
