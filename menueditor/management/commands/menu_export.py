"""Print the exact payload that publishing a draft would send to its platform."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from menueditor.management.conditional_cli import export_text
from menueditor.management.menu_cli import add_language_argument, not_a_menu, problem_line, summary
from menueditor.models import Menu
from menueditor.platforms import get_platform
from menueditor.tree import MenuParseError, parse_menu


class Command(BaseCommand):
    help = (
        "Print the payload that publishing the draft MENU_ID would send: the menu text the platform's "
        "create call carries (its whole body, or the form field that holds the menu). A draft the "
        "platform would refuse is not printed (exit 1) unless --ignore-errors is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("menu_id", type=int, metavar="MENU_ID")
        parser.add_argument(
            "--ignore-errors",
            action="store_true",
            help="print the payload even when the platform would refuse the menu",
        )
        add_language_argument(parser)

    def handle(self, *args, menu_id: int, ignore_errors: bool, language: str, **options):
        with translation.override(language):
            menu = Menu.objects.select_related("account").filter(pk=menu_id).first()
            if menu is None:
                raise CommandError(_("no menu draft has the id %(id)d") % {"id": menu_id})
            rules = get_platform(menu.account.platform)
            try:
                tree = parse_menu(menu.tree)
            except MenuParseError as exc:
                raise not_a_menu(_("the stored draft"), exc) from exc
            problems = rules.validate(tree)
            for problem in problems:
                self.stderr.write(problem_line(problem, rules), style_func=lambda s: s)
            if not ignore_errors and any(p.is_error for p in problems):
                raise CommandError(
                    _("Publishing would refuse this draft for %(platform)s: %(summary)s.")
                    % {"platform": rules.label, "summary": summary(problems)}
                )
            self._write_exactly(export_text(menu, rules, tree))  # a conditional draft: with its matchrule

    def _write_exactly(self, text: str) -> None:
        """The payload's UTF-8 bytes and nothing else; a newline only for a person at a terminal."""
        out = self.stdout._out
        if out is sys.stdout and hasattr(out, "buffer"):
            out.flush()
            out.buffer.write(text.encode("utf-8"))
            if out.isatty():
                out.buffer.write(b"\n")
            out.buffer.flush()
        else:
            out.write(text)
