"""Settle publishes and deletes whose answer never came, by reading the live menu (for cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Account
from menueditor.management.menu_cli import add_language_argument
from menueditor.models import Publication
from menueditor.publishing import settle_interrupted


class Command(BaseCommand):
    help = (
        "Read the live menu of each account (or of --account SLUG) whose history holds a publish or "
        "delete still pending or unknown, and settle those entries by it. Exit 1 when one could not."
    )

    def add_arguments(self, parser):
        parser.add_argument("--account", metavar="SLUG", help="only this account")
        add_language_argument(parser)

    def handle(self, *args, account: str | None, language: str, **options):
        with translation.override(language):
            waiting = Publication.objects.filter(
                outcome__in=[Publication.Outcome.PENDING, Publication.Outcome.UNKNOWN]
            ).values("account")
            accounts = Account.objects.filter(pk__in=waiting)
            if account:
                if not Account.objects.filter(slug=account).exists():
                    raise CommandError(_("no account has the slug %(slug)s") % {"slug": account})
                accounts = accounts.filter(slug=account)
            failed = []
            for each in accounts.order_by("slug"):
                outcome = settle_interrupted(each, None, check_permission=False)
                self.stdout.write(f"{each.slug}: {outcome.hint}")
                if not outcome.ok:
                    failed.append(each.slug)
            if failed:
                raise CommandError(_("could not settle: %(slugs)s") % {"slugs": ", ".join(failed)})
