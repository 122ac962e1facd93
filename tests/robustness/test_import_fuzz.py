"""Random files and pasted text into both doors of import: the editor and `manage.py menu_import`.

Whatever arrives: never a crash, either the menu or a message saying why not, and nothing stored
when the input is refused.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st

from menueditor.models import Menu
from menueditor.platforms import get_platform
from menueditor.tree import MenuParseError, parse_menu
from tests.robustness.strategies import as_text, file_bytes, hostile_text, menu_json
from tests.robustness.test_editor_fuzz import FUZZ, HTMX, editor, snapshot  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def expected_tree(content: bytes, platform: str):
    """What the importer should make of these bytes: a valid tree, or None when it must refuse."""
    rules = get_platform(platform)
    try:
        tree = parse_menu(content)
    except MenuParseError:
        return None
    return tree if not rules.errors(tree) else None


@FUZZ
@given(
    content=file_bytes,
    platform=st.sampled_from(["wechat", "weibo"]),
    title=st.one_of(st.none(), hostile_text),
)
def test_menu_import_creates_the_menu_or_says_why_and_creates_nothing(
    factories, tmp_path, content, platform, title
):
    account = factories.account(platform=platform)
    path = tmp_path / "menu.json"
    path.write_bytes(content)
    before = Menu.objects.count()
    out, err = io.StringIO(), io.StringIO()
    args = ["menu_import", "--account", account.slug, str(path)]
    if title is not None:
        args[1:1] = ["--title", title]
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as error:
        event("refused")
        assert str(error).strip()  # a message saying why
        assert "Traceback" not in str(error)
        assert Menu.objects.count() == before
        return
    event("imported")
    assert Menu.objects.count() == before + 1
    menu = Menu.objects.get(pk=int(out.getvalue().strip()))
    assert menu.account == account
    tree = expected_tree(content, platform)
    assert tree is not None, "an invalid menu was imported"
    assert menu.tree == tree.to_json()


def test_menu_import_over_a_real_process_exits_1_with_a_message(factories, tmp_path, transactional_db):
    """The same refusals through a real process and standard input: exit 1, one message, no traceback."""
    account = factories.account()
    env = {"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    from django.db import connection

    settings_dict = connection.settings_dict
    if settings_dict["ENGINE"].endswith("sqlite3"):
        pytest.skip("the test database is in memory; the process test runs on PostgreSQL")
    env["DATABASE_URL"] = (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD']}@{settings_dict['HOST']}:"
        f"{settings_dict['PORT']}/{settings_dict['NAME']}"
    )
    for content in (b"\xff\xfe\x00garbage", b"[" * 100_000, b'{"button": "no"}', b""):
        result = subprocess.run(
            [sys.executable, "manage.py", "menu_import", "--account", account.slug, "-"],
            cwd=ROOT,
            env=env,
            input=content,
            capture_output=True,
            timeout=60,
        )
        assert result.returncode == 1, result
        assert b"Traceback" not in result.stderr
        assert result.stderr.strip()
    assert not Menu.objects.exists()


# -- the editor's import: pasted text and uploaded files ---------------------------------------------


@FUZZ
@given(text=st.one_of(menu_json.map(as_text), hostile_text), htmx=st.booleans())
def test_pasted_json_fills_the_form_or_says_why(editor, text, htmx):  # noqa: F811
    client, menu = editor
    before = snapshot(menu)
    fields = {"title": "T", "revision": str(menu.revision), "import_text": text}
    response = client.post(reverse("menu_import", args=[menu.pk]), fields, **(HTMX if htmx else {}))
    assert response.status_code in (200, 400)
    page = response.content.decode()
    event(f"answered {response.status_code}")
    try:
        parse_menu(text)
        readable = bool(text.strip())
    except MenuParseError:
        readable = False
    if readable:
        assert "Imported" in page
    else:
        assert 'class="problem error"' in page and "Imported" not in page
    assert snapshot(menu) == before


@FUZZ
@given(content=file_bytes, htmx=st.booleans())
def test_uploaded_files_are_read_or_refused_with_a_reason(editor, content, htmx):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    client, menu = editor
    before = snapshot(menu)
    upload = SimpleUploadedFile("menu.json", content, content_type="application/json")
    response = client.post(
        reverse("menu_import", args=[menu.pk]),
        {"title": "T", "revision": str(menu.revision), "import_file": upload},
        **(HTMX if htmx else {}),
    )
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert "Imported" in page or 'class="problem error"' in page
    assert snapshot(menu) == before


def test_uploads_past_the_size_limit_are_refused_with_the_size(editor):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    client, menu = editor
    big = SimpleUploadedFile("menu.json", b" " * (300 * 1024), content_type="application/json")
    response = client.post(reverse("menu_import", args=[menu.pk]), {"import_file": big})
    assert response.status_code == 400
    assert "300 kB" in response.content.decode()


def test_deeply_nested_json_is_refused_not_a_crash(editor):  # noqa: F811
    client, menu = editor
    for text in ("[" * 100_000, '{"button": [' + '{"sub_button": [' * 3000):
        response = client.post(reverse("menu_import", args=[menu.pk]), {"import_text": text})
        assert response.status_code == 400
        assert "This is not a menu" in response.content.decode()


def test_a_file_in_another_encoding_is_named_as_such(editor):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    client, menu = editor
    content = json.dumps({"button": [{"type": "click", "name": "菜单", "key": "k"}]}).encode("utf-16")
    upload = SimpleUploadedFile("menu.json", content, content_type="application/json")
    response = client.post(reverse("menu_import", args=[menu.pk]), {"import_file": upload})
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
