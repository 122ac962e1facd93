"""The error code in a platform's reply, read strictly: a plain integer, or an unknown code.

Platforms send their codes as numbers, some also as strings of digits. Whatever else
arrives (``1e999``, which JSON reads as infinity, ``"Infinity"``, ``"²"``, which str.isdigit()
accepts and int() refuses, floats, integers of hundreds of digits, booleans, objects) is not a code
this app knows: it gets the unknown-code hint, and shows as it came, cut short, so that the person
can report it. Such a value is written as JSON (a string keeps its quotes), so it can never be
mistaken for a code of the tables or for one of transport.py's own ("timeout", "not_json").
"""

from __future__ import annotations

import json
import re
from typing import Any

# Platform codes have at most 6 digits, and may be negative (-1 is a "busy" of one platform).
_PLAIN_CODE = re.compile(r"-?[0-9]{1,12}")
SHOWN_LENGTH = 32  # Publication.code holds 32 characters


def read_code(raw: Any) -> str | None:
    """The code as the text of a plain integer ("40001", "-1"), or None when `raw` is not one."""
    if isinstance(raw, bool):  # True == 1 to Python, not to a platform
        return None
    if isinstance(raw, int):
        if raw.bit_length() > 40:
            return None
        text = str(raw)
    elif isinstance(raw, str):
        text = raw.strip()
    else:
        return None
    if not _PLAIN_CODE.fullmatch(text):  # ASCII digits only: "²" and "٣" are digits to Python
        return None
    return str(int(text))


def shown_code(raw: Any) -> str:
    """An odd code as the person sees it: its JSON text, at most SHOWN_LENGTH characters."""
    try:
        text = json.dumps(raw, ensure_ascii=False)
    except (ValueError, TypeError, RecursionError):  # an integer past Python's digit limit, ...
        text = type(raw).__name__
    text = storable_text(text)
    if len(text) > SHOWN_LENGTH:
        text = text[: SHOWN_LENGTH - 1] + "…"
    return text


def storable_text(value: Any) -> str:
    """A platform's text (errmsg, error) as the database can keep it: NUL and lone surrogates,
    which PostgreSQL refuses, written out as \\u escapes; anything but a string as its JSON."""
    if value is None:
        return ""
    if not isinstance(value, str):
        try:
            value = json.dumps(value, ensure_ascii=False)
        except (ValueError, TypeError, RecursionError):
            value = type(value).__name__
    return value.replace("\x00", "\\u0000").encode("utf-8", "backslashreplace").decode("utf-8")
