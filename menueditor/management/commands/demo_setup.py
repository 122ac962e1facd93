"""Set up a demo account of every platform, pointing at the platform simulator (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Account, CachedToken
from menueditor.models import Menu
from menueditor.platforms import PLATFORMS

DEFAULT_SIMULATOR_URL = "http://127.0.0.1:8900"
SAMPLE_TITLE = "Sample menu"


def _demos() -> str:
    return ", ".join(f"“{demo.name}” ({demo.slug})" for p in PLATFORMS.values() if (demo := p.demo()))


class Command(BaseCommand):
    help = (
        f"Create or update the demo accounts {_demos()} with the simulator's credentials and a sample "
        "draft each. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--simulator-url",
            default=DEFAULT_SIMULATOR_URL,
            help=f"where the simulator listens (default {DEFAULT_SIMULATOR_URL})",
        )

    @transaction.atomic
    def handle(self, *args, simulator_url: str, **options):
        base = simulator_url.rstrip("/")
        for code, platform in PLATFORMS.items():
            demo = platform.demo()
            if demo is None:
                continue
            account = self._account(
                demo.slug, name=demo.name, platform=code, api_base=base + demo.path, **demo.credentials
            )
            _menu, created = Menu.objects.get_or_create(
                account=account, title=SAMPLE_TITLE, defaults={"tree": demo.sample}
            )
            self.stdout.write(
                _("%(account)s at %(url)s; sample draft %(state)s")
                % {
                    "account": account,
                    "url": account.api_base,
                    "state": _("created") if created else _("kept as it is"),
                }
            )

    def _account(self, slug: str, **fields) -> Account:
        account = Account.objects.filter(slug=slug).first()
        if account is None:
            return Account.objects.create(slug=slug, **fields)
        changed = any(getattr(account, k) != v for k, v in fields.items())
        if changed:
            for key, value in fields.items():
                setattr(account, key, value)
            account.save()
            # A token from another simulator run is worthless.
            CachedToken.objects.filter(account=account).delete()
        return account
