"""The single-flight token refresh every self-refreshing platform client uses (platforms/token_refresh.py).

The store here is a small in-memory TokenStore (the protocol's second implementation beside
accounts.tokens.AccountTokenStore), so many threads can race without a database in between.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from menueditor.platforms.base import StoredToken
from menueditor.platforms.token_refresh import lifetime, obtain_token
from menueditor.platforms.transport import PlatformError


class MemoryStore:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stored: StoredToken | None = None
        self.holder: object | None = None
        self.saved_lifetimes: list[int] = []

    def load(self) -> StoredToken | None:
        with self.lock:
            return self.stored

    def save(self, token: str, expires_in: int) -> StoredToken:
        now = timezone.now()
        with self.lock:
            self.stored = StoredToken(token, now + timedelta(seconds=expires_in), now)
            self.saved_lifetimes.append(expires_in)
            return self.stored

    def claim_refresh(self, seconds: float) -> object | None:
        with self.lock:
            if self.holder is not None:
                return None
            self.holder = object()
            return self.holder

    def release_refresh(self, claim: object) -> None:
        with self.lock:
            assert claim is self.holder
            self.holder = None


class Platform:
    """A platform's token endpoint: slow, and counting its calls."""

    def __init__(self, seconds: float = 0.2, expires_in: int = 7200) -> None:
        self.calls = 0
        self.seconds = seconds
        self.expires_in = expires_in

    def fetch(self) -> tuple[str, int]:
        self.calls += 1
        time.sleep(self.seconds)
        return f"token-{self.calls}", self.expires_in


def test_workers_waiting_at_once_share_one_fetch():
    store, platform = MemoryStore(), Platform()
    got: list[str] = []
    workers = [
        threading.Thread(target=lambda: got.append(obtain_token(store, platform.fetch, margin_seconds=300)))
        for _ in range(8)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert platform.calls == 1
    assert got == ["token-1"] * 8
    assert store.holder is None  # the refresh was given back


def test_a_stored_token_is_used_without_a_fetch():
    store, platform = MemoryStore(), Platform(seconds=0)
    store.save("kept", 3600)

    assert obtain_token(store, platform.fetch, margin_seconds=300) == "kept"
    assert platform.calls == 0


def test_the_token_just_refused_is_never_handed_back():
    store, platform = MemoryStore(), Platform(seconds=0)
    store.save("refused", 3600)

    assert obtain_token(store, platform.fetch, margin_seconds=300, rejected="refused") == "token-1"


def test_always_fetches_even_with_a_good_token_stored():
    store, platform = MemoryStore(), Platform(seconds=0)
    store.save("kept", 3600)

    assert obtain_token(store, platform.fetch, margin_seconds=300, always=True) == "token-1"


def test_the_margin_is_taken_off_but_never_more_than_half():
    assert lifetime(7200, 300) == 6900
    assert lifetime(200, 300) == 100
    store = MemoryStore()
    obtain_token(store, Platform(seconds=0, expires_in=7200).fetch, margin_seconds=300)
    assert store.saved_lifetimes == [6900]


def test_a_failed_fetch_gives_the_refresh_back():
    store = MemoryStore()

    def refuse() -> tuple[str, int]:
        raise PlatformError("40001", "invalid secret", "enter it again")

    with pytest.raises(PlatformError):
        obtain_token(store, refuse, margin_seconds=300)
    assert store.holder is None
    assert obtain_token(store, Platform(seconds=0).fetch, margin_seconds=300) == "token-1"


def test_a_refresh_held_elsewhere_too_long_is_reported_as_busy(settings):
    settings.PLATFORM_TIMEOUT = 0.1
    store = MemoryStore()
    store.claim_refresh(60)  # another worker that never finishes
    started = time.monotonic()

    with pytest.raises(PlatformError) as caught:
        obtain_token(store, Platform(seconds=0).fetch, margin_seconds=300)

    assert caught.value.code == "token_busy"
    assert time.monotonic() - started < 3
