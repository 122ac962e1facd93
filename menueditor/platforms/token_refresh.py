"""Single-flight token refresh for any platform whose client fetches its own access token.

One worker claims the refresh (a lease in the TokenStore, not a row lock), fetches and saves the
token; the others wait and take the one it saved. No transaction is held while the platform answers.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext

from .base import StoredToken, TokenStore
from .transport import PlatformError, deadline, logger

# How often a waiting worker looks at the store again.
POLL_SECONDS = 0.05


def is_fresh(stored: StoredToken | None, rejected: str | None, since: datetime | None) -> bool:
    """A stored token worth using: not expired, not the one just refused, fetched after `since`."""
    if stored is None or stored.expires_at <= timezone.now() or stored.token == rejected:
        return False
    return since is None or stored.fetched_at >= since


def lifetime(expires_in: int, margin_seconds: int) -> int:
    """Seconds to keep a token the platform gave for expires_in: less a margin, at most half."""
    return expires_in - min(margin_seconds, expires_in // 2)


def obtain_token(
    store: TokenStore,
    fetch: Callable[[], tuple[str, int]],
    *,
    margin_seconds: int,
    rejected: str | None = None,
    always: bool = False,
) -> str:
    """A usable token: one another worker saved meanwhile, or one `fetch` gets (by one worker at a time).

    fetch() returns (token, expires_in) or raises PlatformError. `rejected` is a token the platform
    just refused, never handed back; `always` wants a token fetched after this call began.
    """
    since = timezone.now() if always else None
    give_up = time.monotonic() + 2 * deadline() + 1
    while True:
        stored = store.load()
        if is_fresh(stored, rejected, since):
            return stored.token
        claim = store.claim_refresh(deadline() + 5)
        if claim is not None:
            try:
                stored = store.load()
                if is_fresh(stored, rejected, since):
                    return stored.token  # the previous holder saved it just before we claimed
                token, expires_in = fetch()
                return store.save(token, lifetime(expires_in, margin_seconds)).token
            finally:
                store.release_refresh(claim)
        if time.monotonic() > give_up:
            raise PlatformError(
                "token_busy",
                "another worker's token refresh did not finish",
                gettext(
                    "Another request of this account is fetching an access token and has not "
                    "finished. Try again in a moment."
                ),
            )
        time.sleep(POLL_SECONDS)


def token_call(get: Callable[[], str]) -> str:
    """A token from `get`; its failure is never 'unanswered': a token call changes no menu."""
    try:
        return get()
    except PlatformError as error:
        error.unanswered = False
        raise


def call_with_token(
    current: Callable[[], str],
    renew: Callable[[str], str],
    request: Callable[[str], dict],
    *,
    refused: Callable[[PlatformError], bool],
) -> dict:
    """request(token) with the current token; when the platform refuses that token, renew it once
    and retry once, never more: a second refusal is reported with its hint."""
    token = token_call(current)
    try:
        return request(token)
    except PlatformError as error:
        if not refused(error):
            raise
        logger.info("the platform refused the token (%s): refreshing once", error.code)
        return request(token_call(lambda: renew(token)))
