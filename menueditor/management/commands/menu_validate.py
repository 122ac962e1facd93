"""Check a menu file against a platform's rules, as the platform itself would."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from menueditor.management.menu_cli import add_language_argument, problem_line, read_menu, summary
from menueditor.platforms import PLATFORMS, get_platform


class Command(BaseCommand):
    help = (
        'Validate a menu (JSON {"button": [...]}, or a platform\'s answer when reading its menu) '
        "against a platform's rules. Exit 0 when the platform would accept it (warnings are printed), "
        "1 when not."
    )

    def add_arguments(self, parser):
        parser.add_argument("--platform", required=True, choices=sorted(PLATFORMS))
        add_language_argument(parser)
        parser.add_argument("file", help="the menu JSON file, or - for standard input")

    def handle(self, *args, platform: str, language: str, file: str, **options):
        rules = get_platform(platform)
        with translation.override(language):
            tree = read_menu(file, rules)
            problems = rules.validate(tree)
            for problem in problems:
                self.stdout.write(problem_line(problem, rules))
            if any(p.is_error for p in problems):
                raise CommandError(
                    _("The menu is not valid for %(platform)s: %(summary)s.")
                    % {"platform": rules.label, "summary": summary(problems)}
                )
            if problems:
                message = _("The menu is valid for %(platform)s, with %(summary)s.") % {
                    "platform": rules.label,
                    "summary": summary(problems),
                }
            else:
                message = _("The menu is valid for %(platform)s.") % {"platform": rules.label}
            self.stdout.write(self.style.SUCCESS(message))
