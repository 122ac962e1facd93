"""Schedule a draft's publish (and a switch back), list what is scheduled, move or cancel it.

Times are written and shown in the account's time zone (scheduling.account_zone); the publish
itself is run by `manage.py db_worker` when its time comes, through the same service as the editor.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from menueditor.management.commands.menu_publish import menu_with_id, user_named
from menueditor.management.menu_cli import add_language_argument
from menueditor.models import ScheduledPublish
from menueditor.scheduling import (
    ScheduleError,
    account_zone,
    cancel_schedule,
    in_account_time,
    move_schedule,
    schedule_publish,
)

TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")


def wall_clock(text: str, zone: str) -> datetime:
    """'2026-11-11 00:00' as a naive datetime (the account's zone); CommandError (one line) otherwise."""
    for form in TIME_FORMATS:
        try:
            return datetime.strptime(text.strip(), form)
        except ValueError:
            continue
    raise CommandError(
        _("cannot read the time “%(text)s”: write it as YYYY-MM-DD HH:MM (%(zone)s time)")
        % {"text": text, "zone": zone}
    )


def schedule_with_id(schedule_id: int) -> ScheduledPublish:
    found = ScheduledPublish.objects.select_related("account", "menu", "revert_of").filter(pk=schedule_id)
    schedule = found.first()
    if schedule is None:
        raise CommandError(_("no scheduled publish has the id %(id)d") % {"id": schedule_id})
    return schedule


def typed_time(schedule: ScheduledPublish) -> str:
    """The schedule's time as --at takes it, in the account's zone, with the zone's name."""
    local = in_account_time(schedule.account, schedule.run_at)
    return f"{local:%Y-%m-%d %H:%M} {account_zone(schedule.account).key}"


def describe(schedule: ScheduledPublish) -> str:
    """One line: id, time, account, draft, state, who; for a switch back, what it follows."""
    title = schedule.menu.title if schedule.menu else _("(deleted draft)")
    who = schedule.created_by.get_username() if schedule.created_by else _("someone")
    line = _("#%(id)d  %(when)s  %(account)s  “%(title)s” (draft %(menu)s)  %(state)s  by %(who)s") % {
        "id": schedule.pk,
        "when": typed_time(schedule),
        "account": schedule.account.slug,
        "title": title,
        "menu": schedule.menu_id or "-",
        "state": schedule.get_state_display().lower(),
        "who": who,
    }
    if schedule.revert_of_id:
        line += "  " + _("(switches back after #%(id)d)") % {"id": schedule.revert_of_id}
    if schedule.attempts and schedule.state == ScheduledPublish.State.SCHEDULED:
        line += "  " + _("(attempt %(n)d failed: %(code)s; trying again)") % {
            "n": schedule.attempts,
            "code": schedule.code,
        }
    return line


class Command(BaseCommand):
    help = (
        "Schedule the draft MENU_ID to be published at --at (the account's local time, "
        "YYYY-MM-DD HH:MM) as --user, optionally switching back to --revert-to at --revert-at; "
        "or --list what is scheduled, --cancel ID or --move ID --at TIME. `manage.py db_worker` "
        "runs them. Exit 0 when done; exit 1 with the reason on one line."
    )

    def add_arguments(self, parser):
        parser.add_argument("menu_id", type=int, nargs="?", metavar="MENU_ID")
        parser.add_argument("--user", metavar="USERNAME", help="who schedules (needed to schedule)")
        parser.add_argument("--at", metavar="TIME", help="when to publish: YYYY-MM-DD HH:MM, local time")
        parser.add_argument("--revert-to", type=int, metavar="MENU_ID", help="the draft to switch back to")
        parser.add_argument("--revert-at", metavar="TIME", help="when to switch back, local time")
        what = parser.add_mutually_exclusive_group()
        what.add_argument("--list", action="store_true", help="list what is scheduled and not finished")
        what.add_argument("--cancel", type=int, metavar="ID", help="cancel this scheduled publish")
        what.add_argument("--move", type=int, metavar="ID", help="move this scheduled publish to --at")
        parser.add_argument("--account", metavar="SLUG", help="with --list: only this account")
        add_language_argument(parser)

    def handle(self, *args, language: str, **options):
        with translation.override(language):
            try:
                if options["list"]:
                    return self.list_upcoming(options["account"])
                if options["cancel"] is not None:
                    return self.cancel(options["cancel"], options["user"])
                if options["move"] is not None:
                    return self.move(options["move"], options["user"], options["at"])
                return self.schedule(options)
            except ScheduleError as exc:
                raise CommandError(str(exc)) from exc
            except PermissionDenied as exc:
                raise CommandError(
                    _("%(user)s may not publish there: %(reason)s") % {"user": options["user"], "reason": exc}
                ) from exc

    def list_upcoming(self, account: str | None) -> None:
        upcoming = ScheduledPublish.objects.upcoming().select_related("account", "menu", "created_by")
        if account:
            upcoming = upcoming.filter(account__slug=account)
        lines = [describe(s) for s in upcoming]
        self.stdout.write("\n".join(lines) if lines else _("Nothing is scheduled."))

    def cancel(self, schedule_id: int, username: str | None) -> None:
        schedule = schedule_with_id(schedule_id)
        # The command line is trusted, as menu_settle is; a --user given must be allowed to publish.
        user = user_named(username) if username else None
        cancel_schedule(schedule, user, check_permission=user is not None)
        self.stdout.write(_("Cancelled: %(line)s") % {"line": describe(schedule)})

    def move(self, schedule_id: int, username: str | None, at: str | None) -> None:
        schedule = schedule_with_id(schedule_id)
        if not at:
            raise CommandError(_("--move needs --at, the new time"))
        user = user_named(username) if username else None
        zone = account_zone(schedule.account).key
        move_schedule(schedule, user, wall_clock(at, zone), check_permission=user is not None)
        self.stdout.write(_("Moved: %(line)s") % {"line": describe(schedule)})

    def schedule(self, options: dict) -> None:
        if options["menu_id"] is None:
            raise CommandError(_("give MENU_ID with --user and --at, or --list, --cancel ID or --move ID"))
        if not options["user"] or not options["at"]:
            raise CommandError(_("scheduling needs --user and --at"))
        if (options["revert_to"] is None) != (options["revert_at"] is None):
            raise CommandError(_("--revert-to and --revert-at go together"))
        user = user_named(options["user"])
        menu = menu_with_id(options["menu_id"])
        zone = account_zone(menu.account).key
        revert_menu = menu_with_id(options["revert_to"]) if options["revert_to"] is not None else None
        revert_at = wall_clock(options["revert_at"], zone) if options["revert_at"] else None
        schedule = schedule_publish(
            menu, user, wall_clock(options["at"], zone), revert_menu=revert_menu, revert_at=revert_at
        )
        self.stdout.write(_("Scheduled: %(line)s") % {"line": describe(schedule)})
        revert = ScheduledPublish.objects.filter(revert_of=schedule).first()
        if revert is not None:
            self.stdout.write(_("Then: %(line)s") % {"line": describe(revert)})
