"""What the platform sides share with the server: the clock, the settings tests change, the logs.

The server (server.py) builds one Simulator, which is a SharedState, and hands it to every platform
side it serves (wechat.py, weibo.py, ...). The sides import only this module and exchange.py, never
the server, so a new platform is one new module and one line in server.PLATFORM_SIDES.
"""

from __future__ import annotations

import threading
import time
from typing import Any, ClassVar, Protocol

from .exchange import RecordedRequest, Reply

# The mini program of the WeChat page's own example (menu/create, 5.1) is linked by default.
DEFAULT_LINKED_MINIPROGRAMS = frozenset({"wx286b93c14bbf93aa"})


class SharedState:
    """The simulator's state every side reads: one lock, the clock, settings, refusals, counters."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.reset_shared()

    def reset_shared(self) -> None:
        """Back to the defaults: no refusals or token fetches, the real clock, default settings."""
        self._token_fetches = 0
        self.refusals: list[dict[str, Any]] = []
        self.clock_offset = 0.0
        # Settings a test may change; back to these defaults on every reset.
        self.token_lifetime = 7200
        self.create_quota = 1000
        self.token_quota = 2000
        self.force_refresh_quota = 20
        self.linked_miniprograms: set[str] = set(DEFAULT_LINKED_MINIPROGRAMS)
        self.disallowed_types: set[str] = set()
        self.users: dict[str, Any] = {}
        self.wechat_tags: dict[str, str] = {}  # WeChat user tags besides the system's: id -> name
        self.ip_whitelist: list[str] | None = None
        self.weibo_string_codes = False
        self.weibo_error_status = 400

    def now(self) -> float:
        return time.time() + self.clock_offset

    @property
    def token_fetches(self) -> int:
        """How many token calls answered with a token."""
        with self.lock:
            return self._token_fetches

    def count_token_fetch(self) -> None:
        self._token_fetches += 1

    def note_refusal(self, path: str, code: int, detail: str) -> None:
        self.refusals.append({"path": path, "code": code, "detail": detail})


class PlatformSide(Protocol):
    """One platform's API as the server serves it; the server holds its lock around every call."""

    name: ClassVar[str]  # as tests and faults name it: "wechat"
    prefix: ClassVar[str]  # the path prefix its API answers under: "/cgi-bin/"
    content_type: ClassVar[str]  # of its JSON replies

    def __init__(self, sim: SharedState) -> None: ...

    def reset(self) -> None:
        """Forget menus and tokens; keep (or add again) the default credentials."""

    def handle(self, req: RecordedRequest) -> Reply:
        """The answer to one request under `prefix`."""

    def fault_reply(self, req: RecordedRequest, code: int, errmsg: str | None) -> Reply:
        """The platform's error envelope for a fault: its code, and errmsg as given or its own text."""

    def expire_tokens(self) -> None:
        """Every token issued so far now answers the platform's expired-token code."""

    def invalidate_tokens(self) -> None:
        """Every token issued so far now answers the platform's invalid-token code."""

    def state(self) -> dict[str, Any]:
        """Its menus and accounts, for GET /_sim/state."""
