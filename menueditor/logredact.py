"""Keeps tokens and secrets out of every log line, whichever logger wrote it.

`RedactingFilter` sits on the handlers of settings.LOGGING, not on particular loggers, so a record
of any logger that reaches a handler (django.request, menueditor.*, accounts.*, urllib3, axes,
gunicorn's error log) is rewritten first: its message, its traceback and its stack.

Two things are masked with ***:

- the value after a credential's name, in the forms URLs, JSON, Python reprs and platform messages
  use: access_token=..., access_token: ..., "access_token":"...", 'secret': '...', appsecret=...,
  authorizer_access_token, component_appsecret, refresh tokens, "Bearer ...";
- every secret this process has encrypted or decrypted (accounts.crypto calls `remember`): an
  account's AppSecret and tokens, a cached access token. A platform that echoes one back in its
  errmsg, bare, is masked too.

`redact()` is also what the platform clients use on texts they keep (error messages, excerpts).
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from urllib.parse import quote

MASK = "***"

# A credential's name: access_token and its kin, anything ending in "secret", a password; at the
# start of a word, or after an URL-encoded & ? , or quote (a URL inside another URL's query).
_START = r"(?:(?<![A-Za-z0-9_])|(?<=%26)|(?<=%3[Ff])|(?<=%2[Cc])|(?<=%22)|(?<=%27))"
_KEY = _START + r"(?:(?:[A-Za-z0-9]+_)*(?:access_token|refresh_token|ticket)|[A-Za-z0-9_]*secret|password)"
# What joins a name to its value: = (also URL-encoded), or : with the quotes of JSON and reprs,
# escaped quotes included (JSON inside a JSON string).
_JOIN = r"""(?:\\*["'])?\s*(?:=|%3[Dd]|:)\s*(?:\\*["'])?"""
# The value runs to the first character that ends a value in those forms.
_VALUE = r"""[^\s"'\\&,;)}\]<>]+"""
_NAMED = re.compile(rf"(?P<head>(?:{_KEY}){_JOIN})(?P<value>{_VALUE})", re.IGNORECASE)
_BEARER = re.compile(r"(?P<head>\b(?:Bearer|OAuth2)\s+)(?P<value>[^\s\"',;]+)", re.IGNORECASE)

# Shorter values would mask ordinary words; real AppSecrets and tokens are 32 characters or more.
MIN_SECRET_LENGTH = 8
# The secrets of a few dozen accounts and their rotating tokens fit many times over.
MAX_REMEMBERED = 1024

_lock = threading.Lock()
_remembered: OrderedDict[str, None] = OrderedDict()
_longest_first: tuple[str, ...] = ()


def remember(value: object) -> None:
    """Mask this secret wherever it appears in a log line from now on (it and its URL-encoded form)."""
    global _longest_first
    if not isinstance(value, str) or len(value.strip()) < MIN_SECRET_LENGTH:
        return
    forms = {value, value.strip(), quote(value, safe=""), quote(value.strip(), safe="")}
    with _lock:
        changed = False
        for form in forms:
            if form in _remembered:
                _remembered.move_to_end(form)
            else:
                _remembered[form] = None
                changed = True
        while len(_remembered) > MAX_REMEMBERED:
            _remembered.popitem(last=False)
            changed = True
        if changed:
            _longest_first = tuple(sorted(_remembered, key=len, reverse=True))


def forget_all() -> None:
    """Drop every remembered secret (tests)."""
    global _longest_first
    with _lock:
        _remembered.clear()
        _longest_first = ()


def redact(text: str) -> str:
    """The text with every credential value replaced by ***."""
    if not text:
        return text
    for secret in _longest_first:
        if secret in text:
            text = text.replace(secret, MASK)
    text = _NAMED.sub(lambda m: m["head"] + MASK, text)
    return _BEARER.sub(lambda m: m["head"] + MASK, text)


_formatter = logging.Formatter()


class RedactingFilter(logging.Filter):
    """A handler filter: rewrites the record in place, so every later handler gets it masked too.

    The message is formatted and masked (its arguments go); a traceback is formatted into exc_text,
    masked, and exc_info dropped, so that no handler can format the raw exception again.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_menueditor_redacted", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # bad arguments: logging would print them raw in its error report
            message = f"{record.msg} {record.args!r}"
            record.msg, record.args = message, None
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info:
            if not record.exc_text:
                record.exc_text = _formatter.formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        record._menueditor_redacted = True
        return True
