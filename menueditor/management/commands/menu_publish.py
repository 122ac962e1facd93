"""Publish a draft to its account's live menu, through the same service as the editor."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from menueditor.management.menu_cli import add_language_argument
from menueditor.models import Menu
from menueditor.pickers import check_content
from menueditor.publishing import can_publish, publish_menu
from menueditor.tree import MenuParseError, parse_menu


def menu_with_id(menu_id: int) -> Menu:
    """The draft with that id, with its account; CommandError otherwise."""
    menu = Menu.objects.select_related("account").filter(pk=menu_id).first()
    if menu is None:
        raise CommandError(_("no menu draft has the id %(id)d") % {"id": menu_id})
    return menu


def user_named(username: str):
    """The active user of that name; CommandError otherwise."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("no active user is named %(name)s") % {"name": username})
    return user


class Command(BaseCommand):
    help = (
        "Publish the draft MENU_ID to its account as USERNAME (who must be allowed to publish there). "
        "Exit 0 with the outcome on success; exit 1 with what to do on failure."
    )

    def add_arguments(self, parser):
        parser.add_argument("menu_id", type=int, metavar="MENU_ID")
        parser.add_argument("--user", required=True, metavar="USERNAME", help="who publishes")
        confirm = parser.add_mutually_exclusive_group()
        confirm.add_argument(
            "--if-live",
            metavar="FINGERPRINT",
            help="publish only while the live menu still has this fingerprint (from menu_review)",
        )
        confirm.add_argument(
            "--confirm-drift",
            action="store_true",
            help="replace whatever the live menu is, even when changed outside this app",
        )
        parser.add_argument(
            "--allow-missing-content",
            action="store_true",
            help="publish even when a chosen material or article is no longer on the account",
        )
        add_language_argument(parser)

    def handle(
        self,
        *args,
        menu_id: int,
        user: str,
        confirm_drift: bool,
        if_live: str | None,
        language: str,
        allow_missing_content: bool = False,
        **options,
    ):
        with translation.override(language):
            publisher = user_named(user)
            menu = menu_with_id(menu_id)
            self._check_content(menu, publisher, allow_missing_content)
            fingerprint = if_live.strip().lower() if if_live is not None else None
            try:
                outcome = publish_menu(menu, publisher, confirm_drift=confirm_drift, if_live=fingerprint)
            except PermissionDenied as exc:
                raise CommandError(
                    _("%(user)s may not publish on %(account)s: %(reason)s")
                    % {"user": publisher.username, "account": menu.account.slug, "reason": exc}
                ) from exc
            if outcome.ok:
                self.stdout.write(
                    _("Published “%(title)s” to %(account)s (%(code)s: %(message)s).")
                    % {
                        "title": menu.title,
                        "account": menu.account,
                        "code": outcome.code,
                        "message": outcome.message,
                    }
                )
                self.stdout.write(outcome.hint)
                return
            for line in outcome.problems or outcome.changes:
                self.stderr.write(f"  - {line}")
            if outcome.publish_changes:
                self.stderr.write(_("If you publish now, followers will see these changes:"))
                for line in outcome.publish_changes:
                    self.stderr.write(f"  - {line}")
            if outcome.code == "drift":
                self.stderr.write(
                    _(
                        "To replace exactly this live menu, run again with --if-live %(fingerprint)s "
                        "(or --confirm-drift to replace whatever is live)."
                    )
                    % {"fingerprint": outcome.fingerprint}
                )
            detail = f" ({outcome.message})" if outcome.message and not outcome.problems else ""
            raise CommandError(
                _("Not published [%(code)s]%(detail)s: %(hint)s")
                % {"code": outcome.code, "detail": detail, "hint": outcome.hint}
            )

    def _check_content(self, menu: Menu, publisher, allow_missing: bool) -> None:
        """The review's content check, before anything is sent: a chosen material or article gone
        refuses the publish unless allowed; one the platform could not say about is a warning."""
        if not can_publish(publisher, menu.account):
            return  # publish_menu refuses, with the reason; no platform call for someone refused
        try:
            tree = parse_menu(menu.tree)
        except MenuParseError:
            return  # publish_menu says why it is not a menu
        found = check_content(menu.account, tree)
        for line in found.warnings:
            self.stderr.write(_("warning: %(line)s") % {"line": line})
        if found.missing and not allow_missing:
            raise CommandError(
                ngettext(
                    "Not published [content]: %(count)d chosen item is no longer on the account. Choose "
                    "another one, or run again with --allow-missing-content to publish it anyway.",
                    "Not published [content]: %(count)d chosen items are no longer on the account. Choose "
                    "others, or run again with --allow-missing-content to publish them anyway.",
                    len(found.missing),
                )
                % {"count": len(found.missing)}
            )
