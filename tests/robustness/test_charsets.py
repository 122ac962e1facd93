"""Requests in a character set other than UTF-8: a 400 with a reason, and the draft as it was.

The bodies go through Django's own request parsing (the test client's WSGI request, or the WSGI
application itself), so what is tested is what Django really does with such charsets; the tests
marked "Django alone" pin down that behaviour, which is why menueditor/charset.py exists.
"""

from __future__ import annotations

import codecs
import io
import json
from urllib.parse import urlencode

import pytest
from django.core.exceptions import BadRequest
from django.core.handlers.wsgi import WSGIRequest
from django.test import Client, RequestFactory
from django.urls import reverse

from menueditor.charset import refused_charset, utf8_only
from menueditor.forms import tree_to_post_data
from menueditor.models import Menu
from menueditor.tree import parse_menu

pytestmark = pytest.mark.django_db

REFUSED = ("utf-16", "utf-7", "rot13", "x-no-such-charset", "latin-1", "utf-32", "base64", "")
URLENCODED = "application/x-www-form-urlencoded"
BOUNDARY = "----menueditor-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


@pytest.fixture
def editor(factories):
    user = factories.user(perms=("change_menu", "publish_menu"))
    account = factories.account(members=(user,))
    menu = factories.menu(account, title="Spring", user=user)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client, menu


def form_fields(menu: Menu, title: str = "Summer café") -> dict[str, str]:
    return tree_to_post_data(parse_menu(menu.tree), title=title, revision=str(menu.revision))


def encode(text: str, charset: str) -> bytes:
    """The text as a client claiming this charset would send it (UTF-8 when it is no text codec)."""
    try:
        return text.encode(charset)
    except (LookupError, UnicodeError):
        return text.encode("utf-8")


def urlencoded_body(fields: dict[str, str], charset: str) -> bytes:
    try:
        codecs.lookup(charset).incrementalencoder
        return urlencode(fields, encoding=charset).encode("ascii")
    except (LookupError, UnicodeError, TypeError):
        return urlencode(fields).encode("ascii")


def multipart_body(fields: dict[str, str], charset: str) -> bytes:
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode("ascii")
            + encode(value, charset)
            + b"\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode("ascii")


def stored(menu: Menu) -> tuple:
    menu = Menu.objects.get(pk=menu.pk)
    return (menu.title, json.dumps(menu.tree, sort_keys=True), menu.revision, menu.updated_at)


@pytest.mark.parametrize("charset", REFUSED)
@pytest.mark.parametrize("kind", ["urlencoded", "multipart"])
def test_a_form_in_another_charset_is_refused_and_nothing_is_saved(editor, kind, charset):
    client, menu = editor
    before = stored(menu)
    fields = form_fields(menu)
    if kind == "urlencoded":
        body, content_type = urlencoded_body(fields, charset), f"{URLENCODED}; charset={charset}"
    else:
        body, content_type = multipart_body(fields, charset), f"{MULTIPART}; charset={charset}"
    response = client.generic("POST", reverse("menu_save", args=[menu.pk]), body, content_type=content_type)
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    assert stored(menu) == before


@pytest.mark.parametrize("name", ["menu_preview", "menu_import", "menu_structure", "menu_publish"])
def test_every_form_endpoint_refuses_it(editor, name):
    client, menu = editor
    body = urlencode(form_fields(menu)).encode("ascii")
    response = client.generic(
        "POST", reverse(name, args=[menu.pk]), body, content_type=f"{URLENCODED}; charset=utf-16"
    )
    assert response.status_code == 400


def test_the_reason_is_said_in_the_persons_language(editor):
    client, menu = editor
    response = client.generic(
        "POST",
        reverse("menu_save", args=[menu.pk]),
        b"title=x",
        content_type=f"{MULTIPART}; charset=utf-7",
        headers={"accept-language": "zh-hans"},
    )
    assert response.status_code == 400
    assert "utf-7" in response.content.decode()
    assert response["Content-Type"] == "text/plain; charset=utf-8"


@pytest.mark.parametrize("charset", [None, "utf-8", "UTF-8"])
@pytest.mark.parametrize("kind", ["urlencoded", "multipart"])
def test_utf8_forms_are_read_and_saved(editor, kind, charset):
    client, menu = editor
    fields = form_fields(menu, title="Summer café 夏")
    suffix = f"; charset={charset}" if charset else ""
    if kind == "urlencoded":
        body, content_type = urlencoded_body(fields, "utf-8"), URLENCODED + suffix
    else:
        body, content_type = multipart_body(fields, "utf-8"), MULTIPART + suffix
    response = client.generic("POST", reverse("menu_save", args=[menu.pk]), body, content_type=content_type)
    assert response.status_code == 302
    assert Menu.objects.get(pk=menu.pk).title == "Summer café 夏"


def test_a_page_asked_for_with_another_charset_is_refused_too(editor):
    client, menu = editor
    response = client.get(
        reverse("menu_edit", args=[menu.pk]), headers={"content-type": "text/plain; charset=utf-16"}
    )
    assert response.status_code == 400


# -- Django alone ---------------------------------------------------------------------------------


def django_reads(body: bytes, content_type: str) -> WSGIRequest:
    """The request as Django itself builds and parses it, with no middleware in front."""
    return RequestFactory().generic("POST", "/menus/1/save/", body, content_type=content_type)


def test_django_alone_reads_a_multipart_form_in_utf16_or_utf7_as_other_text():
    """No error: the names and values simply become characters nobody typed."""
    fields = {"title": "Summer", "b-0-name": "A+B"}
    utf16 = django_reads(multipart_body(fields, "utf-8"), f"{MULTIPART}; charset=utf-16")
    assert utf16.POST and "title" not in utf16.POST
    utf7 = django_reads(multipart_body(fields, "utf-8"), f"{MULTIPART}; charset=utf-7")
    assert utf7.POST["title"] == "Summer"
    assert utf7.POST["b-0-name"] != "A+B"


def test_django_alone_reads_a_form_in_an_unknown_charset_as_utf8():
    request = django_reads(b"title=Summer", f"{URLENCODED}; charset=x-nonsense")
    assert request.POST["title"] == "Summer"  # as if no charset had been named


def test_django_alone_refuses_a_urlencoded_form_in_a_known_charset():
    request = django_reads(b"title=Summer", f"{URLENCODED}; charset=utf-16")
    with pytest.raises(BadRequest):
        request.POST


def test_django_alone_crashes_on_a_multipart_form_in_rot13():
    request = django_reads(multipart_body({"title": "Summer"}, "utf-8"), f"{MULTIPART}; charset=rot13")
    with pytest.raises(LookupError):
        request.POST


def test_django_alone_cannot_even_build_a_rot13_request_with_a_query_string():
    """The failure happens in WSGIRequest(), before any middleware: only the WSGI wrapper helps."""
    environ = RequestFactory()._base_environ(
        PATH_INFO="/menus/1/", QUERY_STRING="open=%31", CONTENT_TYPE="text/plain; charset=rot13"
    )
    with pytest.raises(LookupError):
        WSGIRequest(environ)


# -- the WSGI application ---------------------------------------------------------------------------


def call_wsgi(application, **environ_overrides) -> tuple[str, bytes]:
    environ = RequestFactory()._base_environ(**environ_overrides)
    environ["wsgi.input"] = io.BytesIO(b"")
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"] = status

    body = b"".join(application(environ, start_response))
    return seen["status"], body


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain; charset=rot13",
        f"{URLENCODED}; charset=utf-16",
        f"{MULTIPART}; charset=hex",
        "text/plain; charset*=x-unknown''abc",  # RFC 2231: Django raises while building the request
        "text/plain; x=" + "a" * 20000,  # longer than Django parses
    ],
)
def test_the_wsgi_application_answers_400_before_django_builds_the_request(content_type):
    import menueditor.wsgi

    status, body = call_wsgi(
        menueditor.wsgi.application, PATH_INFO="/menus/1/", QUERY_STRING="open=%31", CONTENT_TYPE=content_type
    )
    assert status.startswith("400")
    assert b"UTF-8" in body


def test_the_wsgi_wrapper_passes_utf8_requests_on():
    def inner(environ, start_response):
        start_response("200 OK", [])
        return [b"inner"]

    for content_type in ("", URLENCODED, f"{URLENCODED}; charset=utf-8", "text/plain; charset=UTF8"):
        assert call_wsgi(utf8_only(inner), CONTENT_TYPE=content_type) == ("200 OK", b"inner")


def test_the_rule():
    assert refused_charset("") is None
    assert refused_charset("application/json") is None
    assert refused_charset("text/plain; charset=utf_8") is None
    assert refused_charset('text/plain; charset="UTF-8"') is None
    assert refused_charset("text/plain; charset=us-ascii") == "us-ascii"
    assert refused_charset("text/plain; charset=rot13") == "rot13"
