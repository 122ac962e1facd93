"""What every platform client shares: a requests session with timeouts, the failure type, redaction.

Platform knowledge (paths, error codes, hints) stays in the platform modules; this module only turns
network trouble (timeouts, refused connections, HTTP errors, bodies that are not JSON) into a
PlatformError with a plain-language hint, and keeps tokens and secrets out of logs.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from django.conf import settings
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter

from menueditor.logredact import redact

logger = logging.getLogger("menueditor.platforms")

# Credentials never reach a log line: every handler of settings.LOGGING masks them
# (menueditor/logredact.py), whichever logger wrote the line; urllib3's request lines included.
# redact() masks the texts kept from a call (error messages, excerpts) the same way.


class PlatformError(Exception):
    """A call that did not succeed: the platform's code (or a transport code), its text, our hint."""

    def __init__(self, code: str, message: str, hint: str, *, unanswered: bool = False) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.hint = hint
        # The request may have reached the platform and taken effect without its answer arriving.
        self.unanswered = unanswered


def deadline() -> float:
    """Seconds one platform call may take in all (connect, send, the whole answer): PLATFORM_TIMEOUT."""
    return max(0.05, float(settings.PLATFORM_TIMEOUT))


class _CallWatch:
    """The connection a call is using, so a timer can cut it off when the deadline passes."""

    def __init__(self) -> None:
        self.connection: Any = None
        self.expired = False

    def cut(self) -> None:
        self.expired = True
        sock = getattr(self.connection, "sock", None)
        if sock is not None:
            # Wakes the recv() the calling thread is blocked in; a trickling answer cannot hold it longer.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


_watched = threading.local()


class _WatchedConnectionMixin:
    def request(self, *args: Any, **kwargs: Any) -> Any:
        watch = getattr(_watched, "watch", None)
        if watch is not None:
            watch.connection = self
        return super().request(*args, **kwargs)  # type: ignore[misc]


class _HTTPConnection(_WatchedConnectionMixin, urllib3.connection.HTTPConnection):
    pass


class _HTTPSConnection(_WatchedConnectionMixin, urllib3.connection.HTTPSConnection):
    pass


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


_POOLS = {"http": _HTTPPool, "https": _HTTPSPool}


class _DeadlineAdapter(HTTPAdapter):
    """requests' adapter whose connections can be cut off by the call's deadline timer."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = dict(_POOLS)
        return manager


def new_session() -> requests.Session:
    session = requests.Session()
    # Intranet deployments reach the platforms through whatever proxy the environment names.
    session.headers["User-Agent"] = "menueditor/1.0"
    adapter = _DeadlineAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _timed_out(url: str, seconds: float, detail: str, *, unanswered: bool = True) -> PlatformError:
    return PlatformError(
        "timeout",
        redact(detail),
        _(
            "%(host)s did not answer within %(seconds)s seconds. Try again in a moment. "
            "If this was a publish, the menu may or may not have changed: the history shows it as "
            "unknown until this app has read the live menu again."
        )
        % {"host": _host(url), "seconds": f"{seconds:g}"},
        unanswered=unanswered,
    )


def send(
    session: requests.Session,
    method: str,
    url: str,
    *,
    is_reply: Callable[[dict[str, Any]], bool] | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """Make one HTTP call and return the decoded JSON object; PlatformError for any transport trouble.

    An answer with an HTTP error status is the platform's own reply only when `is_reply` (the
    platform client's) says its JSON body is one: some platforms send their errors so; any other
    error status is a transport failure. The whole call (connect, send, every byte of the answer)
    ends by deadline(): a timer cuts the connection off, because requests' own timeouts restart
    with every byte a trickling server sends.
    """
    response = _exchange(session, method, url, **kwargs)
    data = _json_object(response.content)
    _check_status(response, url, data, is_reply)
    if data is None:
        excerpt = response.content[:200].decode("utf-8", errors="replace")
        raise PlatformError(
            "not_json",
            redact(excerpt),
            _(
                "%(host)s answered with something that is not a platform reply (often a proxy or "
                "login page in between). Check the account's API address and the network, then "
                "try again."
            )
            % {"host": _host(url)},
        )
    return data


def send_for_file(
    session: requests.Session,
    method: str,
    url: str,
    *,
    is_reply: Callable[[dict[str, Any]], bool] | None = None,
    **kwargs: Any,
) -> dict[str, Any] | tuple[bytes, str]:
    """One HTTP call whose answer may be a file (an image's bytes): the decoded JSON object when
    the body is one (a reply, often an error), else (the bytes, their Content-Type)."""
    response = _exchange(session, method, url, **kwargs)
    data = _json_object(response.content)
    _check_status(response, url, data, is_reply)
    if data is not None:
        return data
    return response.content, response.headers.get("Content-Type", "")


def _check_status(response, url: str, data: dict[str, Any] | None, is_reply) -> None:
    """An HTTP error status is a transport failure unless its body is the platform's own reply."""
    if 200 <= response.status_code < 300:
        return
    if data is not None and is_reply is not None and is_reply(data):
        return
    raise PlatformError(
        f"http_{response.status_code}",
        redact(f"HTTP {response.status_code} {response.reason or ''}".strip()),
        _(
            "%(host)s answered with an HTTP error (%(status)s) instead of a reply: the platform "
            "or a proxy in between is having trouble. Try again in a few minutes."
        )
        % {"host": _host(url), "status": response.status_code},
    )


def _exchange(session: requests.Session, method: str, url: str, **kwargs: Any) -> requests.Response:
    """The call itself, within deadline(); PlatformError for timeouts and connection trouble."""
    safe_url = redact(url)
    limit = deadline()
    watch = _CallWatch()
    timer = threading.Timer(limit, watch.cut)
    timer.daemon = True
    _watched.watch = watch
    timer.start()
    try:
        response = session.request(
            method, url, timeout=(min(5.0, limit), limit), allow_redirects=False, **kwargs
        )
    except requests.Timeout as exc:
        logger.warning("%s %s: timed out", method, safe_url)
        sent = not isinstance(exc, requests.ConnectTimeout)
        raise _timed_out(url, limit, str(exc), unanswered=sent) from exc
    except requests.RequestException as exc:
        if watch.expired:
            logger.warning("%s %s: no complete answer within %ss", method, safe_url, f"{limit:g}")
            raise _timed_out(url, limit, f"no complete answer within {limit:g} s") from exc
        if isinstance(exc, requests.ConnectionError):
            logger.warning("%s %s: connection failed", method, safe_url)
            raise PlatformError(
                "connection",
                redact(str(exc)),
                _(
                    "Could not reach %(host)s. Check that this server can reach the platform "
                    "(network, firewall, proxy) and that the account's API address is right."
                )
                % {"host": _host(url)},
            ) from exc
        logger.warning("%s %s: request failed: %s", method, safe_url, type(exc).__name__)
        raise PlatformError(
            "connection",
            redact(str(exc)),
            _("The request to %(host)s could not be made. Check the account's API address.")
            % {"host": _host(url)},
        ) from exc
    finally:
        timer.cancel()
        _watched.watch = None
    logger.debug("%s %s -> HTTP %s", method, safe_url, response.status_code)
    return response


def _json_object(content: bytes) -> dict[str, Any] | None:
    """The body as a JSON object, or None. JSON is UTF-8 whatever the Content-Type claims."""
    try:
        data = json.loads(content.decode("utf-8-sig", errors="replace"))
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def unknown_code_hint(code: str, message: str) -> str:
    """Any code without an entry in the platform's table: show it as it came."""
    return _(
        "The platform answered with code %(code)s: “%(message)s”. This app has no advice for this "
        "code; look it up on the platform's documentation or contact its support."
    ) % {"code": code, "message": message}
