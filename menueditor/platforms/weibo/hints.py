"""Weibo's error codes in plain language, and reading the error a reply carries."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ..codes import read_code, shown_code, storable_text
from ..transport import PlatformError, unknown_code_hint

WHEN_VISIBLE = _("up to 24 hours")

_RETRY_LATER = _("Weibo is having trouble. Try again later.")
_NEW_TOKEN = _(
    "Weibo no longer accepts the access token (missing, expired, revoked or invalid): copy a new token "
    "from the fan-service developer mode page and paste it into the account settings."
)
_BAD_PARAMETER = _(
    "Weibo refused a parameter of the request. This is a bug of this app, or a menu the editor's "
    "checks should have caught: please report it with the message below."
)
WEIBO_HINTS: dict[str, Any] = {
    "10001": _RETRY_LATER,
    "10002": _RETRY_LATER,
    "10003": _RETRY_LATER,
    "10004": _(
        "Weibo does not accept calls from this server's IP address: check the server's outgoing IP "
        "address against the app's settings on Weibo."
    ),
    "10006": _NEW_TOKEN,
    "21314": _NEW_TOKEN,
    "21315": _NEW_TOKEN,
    "21316": _NEW_TOKEN,
    "21317": _NEW_TOKEN,
    "21327": _NEW_TOKEN,
    "21332": _NEW_TOKEN,
    "21319": _(
        "The Weibo account withdrew this app's authorisation: its owner must authorise the app key "
        "again, then copy the new token into the account settings."
    ),
    "10008": _BAD_PARAMETER,
    "10016": _BAD_PARAMETER,
    "10017": _BAD_PARAMETER,
    "26406": _(
        "Developer mode is off for this Weibo account: its owner turns it on again in the fan-service "
        "settings."
    ),
}


def weibo_hint(code: str, message: str) -> str:
    """Plain-language advice for a Weibo error code, in the active language."""
    if code in WEIBO_HINTS:
        return str(WEIBO_HINTS[code])
    return unknown_code_hint(code, message)


def is_reply(data: dict[str, Any]) -> bool:
    """Whether a JSON body sent with an HTTP error status is Weibo's own reply: Weibo answers its
    errors with HTTP 400 or 403 and {"error_code": ..., "error": ...}."""
    return "error_code" in data or "error" in data


def _error_from(data: dict[str, Any]) -> PlatformError | None:
    """The error a Weibo reply carries, or None; error_code comes as a number or a string.

    A value that is not a plain integer (1e999, "Infinity", "²", a float, an object) is an unknown
    code (platforms/codes.py); a reply with an error but no code says "unknown".
    """
    if "error_code" not in data and "error" not in data:
        return None
    raw = data.get("error_code")
    message = storable_text(data.get("error", ""))
    if raw is None or raw == "":
        return PlatformError("unknown", message, unknown_code_hint("unknown", message))
    code = read_code(raw)
    if code is None:
        code = shown_code(raw)
        return PlatformError(code, message, unknown_code_hint(code, message))
    return PlatformError(code, message, weibo_hint(code, message))
