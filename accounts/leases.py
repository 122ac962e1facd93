"""Leases: one holder per account and purpose at a time, without a row lock held across the network.

A claim is one conditional UPDATE (free or expired -> mine), which SQLite and PostgreSQL both run
atomically, so two workers can never both believe they hold a lease. A holder that dies frees it
when it expires; the caller picks an expiry longer than the work can take.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import Lease

Purpose = Lease.Purpose


@dataclass(frozen=True)
class Claim:
    """A lease held: pass it back to release()."""

    account_id: int
    purpose: str
    holder: str


@dataclass(frozen=True)
class Holder:
    """Who holds a lease now, as people read it."""

    name: str
    started_at: datetime | None


def _ensure_row(account_id: int, purpose: str) -> None:
    if Lease.objects.filter(account_id=account_id, purpose=purpose).exists():
        return
    try:
        with transaction.atomic():
            Lease.objects.create(account_id=account_id, purpose=purpose)
    except IntegrityError:
        pass  # another worker created it first: the row is there, which is all we need


def claim(account_id: int, purpose: str, *, holder_name: str, seconds: float) -> Claim | None:
    """The lease if it was free (or its holder's time ran out); None while someone else holds it."""
    _ensure_row(account_id, purpose)
    holder = uuid.uuid4().hex
    now = timezone.now()
    taken = (
        Lease.objects.filter(account_id=account_id, purpose=purpose)
        .filter(Q(holder="") | Q(expires_at__isnull=True) | Q(expires_at__lte=now))
        .update(
            holder=holder,
            holder_name=holder_name[:150],
            started_at=now,
            expires_at=now + timedelta(seconds=seconds),
        )
    )
    return Claim(account_id, purpose, holder) if taken else None


def release(lease: Claim) -> None:
    """Give the lease back; a no-op when it expired and someone else holds it now."""
    Lease.objects.filter(account_id=lease.account_id, purpose=lease.purpose, holder=lease.holder).update(
        holder="", holder_name="", started_at=None, expires_at=None
    )


def current_holder(account_id: int, purpose: str) -> Holder | None:
    """Who holds the lease now (None when it is free or expired)."""
    row = (
        Lease.objects.filter(account_id=account_id, purpose=purpose, expires_at__gt=timezone.now())
        .exclude(holder="")
        .values_list("holder_name", "started_at")
        .first()
    )
    return Holder(row[0], row[1]) if row else None
