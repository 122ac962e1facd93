"""What the menu commands share: reading a menu file (or standard input) and printing problems."""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from menueditor.parse_messages import explain
from menueditor.platforms.base import PlatformRules, Problem
from menueditor.tree import MAX_TEXT_BYTES, MenuParseError, MenuTree

STDIN = "-"


def add_language_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--language",
        choices=[code for code, _name in settings.LANGUAGES],
        default=settings.LANGUAGE_CODE,
        help="Language of the messages (default: the LANGUAGE_CODE setting).",
    )


def read_source(path: str) -> bytes:
    """The bytes of FILE, or of standard input for '-'; CommandError (one line) when unreadable."""
    if path == STDIN:
        stream = getattr(sys.stdin, "buffer", None)
        data = stream.read(MAX_TEXT_BYTES + 1) if stream else sys.stdin.read(MAX_TEXT_BYTES + 1)
        return data.encode("utf-8") if isinstance(data, str) else data
    try:
        with Path(path).open("rb") as handle:
            return handle.read(MAX_TEXT_BYTES + 1)
    except OSError as exc:
        raise CommandError(
            _("cannot read %(file)s: %(reason)s") % {"file": path, "reason": exc.strerror or exc}
        ) from exc


def source_name(path: str) -> str:
    return _("standard input") if path == STDIN else path


def read_menu(path: str, platform: PlatformRules) -> MenuTree:
    """Parse FILE as a menu, in any shape the platform reads; CommandError (one line) when it is
    unreadable or not a menu."""
    data = read_source(path)
    try:
        return platform.parse(data)
    except MenuParseError as exc:
        raise not_a_menu(source_name(path), exc) from exc


def not_a_menu(source: str, error: MenuParseError) -> CommandError:
    """Why SOURCE is not a menu, on one line, in the sentence the editor's Import says
    (parse_messages.explain: where and the likely cause, in the interface language, without the
    parser's English)."""
    reason = " ".join(explain(error).split())
    return CommandError(_("%(file)s: %(reason)s") % {"file": source, "reason": reason})


def problem_line(problem: Problem, platform: PlatformRules) -> str:
    """One line: severity, where, which field, what is wrong, and the platform's code if any."""
    severity = _("error") if problem.is_error else _("warning")
    line = f"{severity}: {problem.text()}"
    if problem.code:
        line += " " + _("(%(platform)s error %(code)s)") % {"platform": platform.label, "code": problem.code}
    return line


def summary(problems: list[Problem]) -> str:
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    return ", ".join(
        [
            ngettext("%(n)d error", "%(n)d errors", errors) % {"n": errors},
            ngettext("%(n)d warning", "%(n)d warnings", warnings) % {"n": warnings},
        ]
    )
