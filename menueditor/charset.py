"""Requests that declare a character set other than UTF-8 are refused with a 400.

Every page of this app is UTF-8 and browsers send its forms in UTF-8, so a request saying
``charset=utf-16`` (or utf-7, rot13, a name nobody knows) comes from a script or a tool. Django on
its own answers such requests unevenly (what was seen with Django 6.1, tests/robustness/test_charsets.py):

- a url-encoded form in a known charset other than UTF-8: 400 (Django refuses it itself);
- the same form in a charset Python does not know: read as UTF-8 as if nothing were said;
- a multipart form in utf-16 or utf-7: decoded in that charset, the fields turn into other text;
- ``charset=rot13`` (or base64, hex: codecs that are not text encodings): LookupError when a
  multipart form is read (a 500), and on a request with a query string already while Django builds
  the request, before any middleware, so a 500 that no middleware can turn into anything else.

So the check runs twice, with one rule: ``Utf8OnlyMiddleware`` early in MIDDLEWARE (what every
request through Django's handler meets, the test client's too), and ``utf8_only`` around the WSGI
application (menueditor/wsgi.py), which answers before Django builds the request at all. A
Content-Type header Django cannot parse (too long, an RFC 2231 charset it does not know) is
refused the same way: Django would raise while building the request.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext as _


def refused_charset(content_type: str) -> str | None:
    """Why a Content-Type header is refused (the charset it names, or the header), or None.

    Parsed as Django parses it, so the check sees exactly the charset Django would use.
    """
    try:
        _type, params = parse_header_parameters(content_type)
    except ValueError:
        return content_type[:40]
    charset = params.get("charset")
    if charset is None:
        return None
    try:
        if codecs.lookup(charset).name == "utf-8":
            return None
    except LookupError:
        pass
    return charset[:40]


def refusal_text(charset: str) -> str:
    return _(
        "This request says it is written in the “%(charset)s” character set; this app reads only "
        "UTF-8. Send it again as UTF-8 (a web browser does so by itself: reload the page)."
    ) % {"charset": charset}


class Utf8OnlyMiddleware:
    """400 for a request whose Content-Type names a character set other than UTF-8."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        charset = refused_charset(request.META.get("CONTENT_TYPE", ""))
        if charset is not None:
            return HttpResponseBadRequest(refusal_text(charset), content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def utf8_only(application: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """The WSGI application behind the same check, made before Django builds the request."""

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        charset = refused_charset(environ.get("CONTENT_TYPE", ""))
        if charset is None:
            return application(environ, start_response)
        body = refusal_text(charset).encode("utf-8")
        start_response(
            "400 Bad Request",
            [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
        )
        return [body]

    guarded.wrapped = application  # type: ignore[attr-defined]
    return guarded
