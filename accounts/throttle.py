"""Failed sign-in throttling: after 5 failures in 15 minutes for one username from one address,
refuse further attempts (even with the right password) for 15 minutes.

Failures are rows in the database (SignInFailure), so every worker process sees the same count.
The check sits in an authentication backend, so the admin's sign-in page is covered too; the
sign-in form asks `lockout_remaining` first to show a clear message instead of "wrong password".
Keyed by username and address together: a stranger cannot lock a colleague out from elsewhere.
"""

from __future__ import annotations

import logging
import math
from datetime import timedelta

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from .models import SignInFailure

log = logging.getLogger(__name__)

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)


def client_address(request: HttpRequest | None) -> str | None:
    """The peer address; X-Forwarded-For is not trusted because any client can write it."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _normal(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


def lockout_remaining(username: str | None, address: str | None) -> timedelta | None:
    """How long this username+address stays locked out, or None when it may try."""
    now = timezone.now()
    # A lockout ends LOCKOUT after the failure that reached the threshold, so only failures
    # from the last WINDOW + LOCKOUT can matter.
    times = list(
        SignInFailure.objects.filter(
            username=_normal(username), address=address, created_at__gte=now - WINDOW - LOCKOUT
        )
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    until = None
    for i in range(MAX_FAILURES - 1, len(times)):
        if times[i] - times[i - MAX_FAILURES + 1] <= WINDOW:
            until = times[i] + LOCKOUT
    if until is not None and until > now:
        return until - now
    return None


def minutes_left(remaining: timedelta) -> int:
    return max(1, math.ceil(remaining.total_seconds() / 60))


def record_failure(username: str | None, address: str | None) -> None:
    username = _normal(username)
    now = timezone.now()
    # Keep the table small: rows older than anything lockout_remaining reads are dead.
    SignInFailure.objects.filter(username=username, created_at__lt=now - WINDOW - LOCKOUT).delete()
    SignInFailure.objects.create(username=username, address=address, created_at=now)
    if lockout_remaining(username, address):
        log.warning("sign-in locked for %r from %s after repeated failures", username, address)


def clear_failures(username: str | None, address: str | None) -> None:
    SignInFailure.objects.filter(username=_normal(username), address=address).delete()


class ThrottledModelBackend(ModelBackend):
    """Django's model backend, refusing a locked-out username+address before checking the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get("username")
        address = client_address(request)
        if lockout_remaining(username, address):
            # PermissionDenied stops authenticate() from asking any other backend.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            if username and password is not None:
                record_failure(username, address)
        else:
            clear_failures(username, address)
        return user
