"""Path converters: ``<id:pk>`` matches only ids the database can hold.

Django's ``<int:pk>`` matches any run of digits, so ``/menus/9223372036854775808/`` reached the
database with a number past a signed 64-bit integer: SQLite's driver raised OverflowError (a 500)
where PostgreSQL simply found nothing. Ids are BigAutoField (DEFAULT_AUTO_FIELD): 1 to 2**63 - 1.
A longer number does not match the route at all, so it is a 404 like any id that names nothing.
"""

from __future__ import annotations

from django.urls import register_converter

MAX_ID = 2**63 - 1  # the largest signed 64-bit integer: SQLite's INTEGER, PostgreSQL's bigint


class IdConverter:
    """A database id: digits (at most 19, no sign) whose value fits in a signed 64-bit integer."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("id past a signed 64-bit integer")  # no match: 404
        return number

    def to_url(self, value: int | str) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
