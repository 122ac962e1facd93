"""List the drafts waiting for review: id, account, draft, revision, submitter, when, note.

A submission whose draft was saved since is taken out of review first, as the home page does
(reviews.waiting_by_account), so the list holds only what a publisher can still approve.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Account
from menueditor.management.menu_cli import add_language_argument
from menueditor.models import Review
from menueditor.reviews import waiting_by_account
from menueditor.scheduling import account_zone, in_account_time


def describe(review: Review, account: Account) -> str:
    """One line; the submission time in the account's zone, the note on the same line."""
    local = in_account_time(account, review.submitted_at)
    who = review.submitted_by.get_username() if review.submitted_by else _("someone")
    line = _("#%(id)d  %(account)s  “%(title)s” (draft %(menu)d, revision %(rev)d)  by %(who)s  %(when)s") % {
        "id": review.pk,
        "account": account.slug,
        "title": review.title,
        "menu": review.menu_id,
        "rev": review.revision,
        "who": who,
        "when": f"{local:%Y-%m-%d %H:%M} {account_zone(account).key}",
    }
    note = " ".join(review.note.split())
    return f"{line}  {note}" if note else line


class Command(BaseCommand):
    help = (
        "List the drafts waiting for review, oldest first: submission id, account, draft, revision, "
        "submitter, when (the account's time) and the note. Approve or send them back on the review "
        "page (/reviews/ID/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--account", metavar="SLUG", help="only this account")
        add_language_argument(parser)

    def handle(self, *args, language: str, account: str | None = None, **options):
        with translation.override(language):
            accounts = Account.objects.order_by("slug")
            if account:
                accounts = accounts.filter(slug=account)
                if not accounts.exists():
                    raise CommandError(_("no account has the slug “%(slug)s”") % {"slug": account})
            accounts = list(accounts)
            waiting = waiting_by_account(accounts)
            lines = [describe(review, a) for a in accounts for review in waiting[a.pk]]
            self.stdout.write("\n".join(lines) if lines else _("Nothing is waiting for review."))
