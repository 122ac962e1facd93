"""The account's side of a platform client's token: CachedToken rows and a refresh lease.

It implements menueditor.platforms.base.TokenStore, so platform code never touches these models.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from menueditor.platforms.base import StoredToken

from . import leases
from .models import Account, CachedToken


class AccountTokenStore:
    def __init__(self, account: Account) -> None:
        self.account = account

    def load(self) -> StoredToken | None:
        cached = CachedToken.objects.filter(account_id=self.account.pk).first()
        if cached is None or not cached.token or cached.expires_at is None or cached.fetched_at is None:
            return None
        # A token fetched before the account's credentials were last edited may belong to an old AppID.
        updated_at = Account.objects.filter(pk=self.account.pk).values_list("updated_at", flat=True).first()
        if updated_at is not None and cached.fetched_at < updated_at:
            return None
        return StoredToken(cached.token, cached.expires_at, cached.fetched_at)

    def save(self, token: str, expires_in: int) -> StoredToken:
        now = timezone.now()
        expires_at = now + timedelta(seconds=expires_in)
        with transaction.atomic():
            cached, _created = CachedToken.objects.get_or_create(account_id=self.account.pk)
            cached.token = token
            cached.fetched_at = now
            cached.expires_at = expires_at
            cached.fetch_count += 1
            cached.save()
        return StoredToken(token, expires_at, now)

    def claim_refresh(self, seconds: float) -> leases.Claim | None:
        return leases.claim(
            self.account.pk, leases.Purpose.TOKEN, holder_name="token refresh", seconds=seconds
        )

    def release_refresh(self, claim: object) -> None:
        assert isinstance(claim, leases.Claim)
        leases.release(claim)
