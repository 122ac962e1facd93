"""Re-encrypt every stored secret with the newest key, so that older keys can be dropped."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models.functions import Cast

from accounts.crypto import EncryptedTextField, rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every secret with the first key of FIELD_ENCRYPTION_KEYS. Put a new key in front, "
        "run this, then remove the old keys."
    )

    def handle(self, *args, **options):
        rows = secrets = 0
        try:
            with transaction.atomic():
                for model in apps.get_models():
                    fields = [
                        f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
                    ]
                    if not fields:
                        continue
                    # Read the ciphertext as plain text: rotating needs no plaintext in memory.
                    raw = {f"raw_{name}": Cast(name, models.TextField()) for name in fields}
                    queryset = model._base_manager.select_for_update().order_by("pk")
                    for row in queryset.values("pk", **raw):
                        changes = {
                            name: models.Value(rotate(row[f"raw_{name}"]), output_field=models.TextField())
                            for name in fields
                            if row[f"raw_{name}"]
                        }
                        if changes:
                            model._base_manager.filter(pk=row["pk"]).update(**changes)
                            rows += 1
                            secrets += len(changes)
        except ImproperlyConfigured as exc:
            raise CommandError(f"{exc} Nothing was changed.") from exc
        self.stdout.write(
            f"Re-encrypted {secrets} secret(s) in {rows} row(s) with the newest key. "
            "Older keys can now be removed from FIELD_ENCRYPTION_KEYS."
        )
