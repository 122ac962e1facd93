"""menu_validate, menu_import and menu_export, through call_command and as real processes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from menueditor.models import Menu
from menueditor.parse_messages import explain
from menueditor.platforms import get_platform
from menueditor.tree import MenuParseError, parse_menu

EXAMPLES = Path(__file__).parent.parent / "platforms" / "examples"
WECHAT_OK = EXAMPLES / "wechat_5_1_click_and_view.json"
WECHAT_SEVEN = EXAMPLES / "wechat_5_2_other_button_types.json"
WEIBO_EXAMPLE = EXAMPLES / "weibo_menu_create.json"
WARN_ONLY = {"button": [{"type": "click", "name": "获取优惠券", "key": "k"}]}
WEIBO_OK = {
    "button": [
        {"type": "click", "name": "优惠券", "key": "get_groupon"},
        {
            "name": "菜单",
            "sub_button": [{"type": "view", "name": "网上4S店", "url": "http://apps.weibo.com/x"}],
        },
    ]
}


def run(name: str, *args: str, stdin: bytes | None = None, monkeypatch=None) -> tuple[str, str]:
    """call_command, answering (stdout, stderr); standard input is replaced when given."""
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path: Path, data, name: str = "menu.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


# -- menu_validate ------------------------------------------------------------------------------------


def test_validate_a_valid_menu_says_so():
    out, _err = run("menu_validate", "--platform", "wechat", str(WECHAT_OK))
    assert out.strip() == "The menu is valid for WeChat."


def test_validate_reads_the_shapes_the_platform_reads(tmp_path):
    # WeChat's get_current_selfmenu_info answer wraps sub-button lists in {"list": [...]}.
    console = {
        "is_menu_open": 1,
        "selfmenu_info": {
            "button": [
                {
                    "name": "菜单",
                    "sub_button": {"list": [{"type": "view", "name": "搜索", "url": "https://a.b/"}]},
                }
            ]
        },
    }
    out, _err = run("menu_validate", "--platform", "wechat", write(tmp_path, console))
    assert out.strip() == "The menu is valid for WeChat."
    with pytest.raises(CommandError, match="is not a menu"):
        run("menu_validate", "--platform", "weibo", write(tmp_path, console))


def test_validate_prints_warnings_and_still_passes(tmp_path):
    out, _err = run("menu_validate", "--platform", "wechat", write(tmp_path, WARN_ONLY))
    lines = out.splitlines()
    assert lines[0].startswith("warning: button 1: name:")
    assert "获取优惠..." in lines[0]
    assert lines[-1] == "The menu is valid for WeChat, with 0 errors, 1 warning."


def test_validate_an_invalid_menu_prints_every_problem_one_a_line():
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"not valid for WeChat: 3 errors, 1 warning") as info:
        call_command("menu_validate", "--platform", "wechat", str(WECHAT_SEVEN), stdout=out)
    assert info.value.returncode == 1
    assert out.getvalue().splitlines() == [
        "error: button: a menu needs 1 to 3 top-level buttons; found 7 (WeChat error 40016)",
        "warning: button 5: type: Legacy type: news materials are no longer accepted; "
        "prefer “Open published article”.",
        "error: button 6: name: the name is 24 bytes; at most 16 bytes are allowed here (WeChat error 40018)",
        "error: button 7: name: the name is 24 bytes; at most 16 bytes are allowed here (WeChat error 40018)",
    ]


def test_validate_names_sub_buttons_and_fields(tmp_path):
    data = {"button": [{"name": "菜单", "sub_button": [{"type": "view", "name": "A", "url": "x" * 300}]}]}
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("menu_validate", "--platform", "weibo", write(tmp_path, data), stdout=out)
    assert out.getvalue().splitlines() == [
        "error: button 1, sub-button 1: url: Web address is 300 bytes; at most 256 bytes are allowed"
    ]


def test_validate_reads_each_platform_by_its_own_rules():
    # Weibo counts bytes as GB18030 does: its own example's 查询客服电话 is 12/16 bytes there (18 in
    # UTF-8), so the example passes; only the phone's display width gives warnings.
    out, _err = run("menu_validate", "--platform", "weibo", str(WEIBO_EXAMPLE))
    assert out.strip().splitlines()[-1] == "The menu is valid for Weibo, with 0 errors, 2 warnings."
    with pytest.raises(CommandError, match="not valid for WeChat: 1 error, 1 warning"):
        run("menu_validate", "--platform", "wechat", str(WEIBO_EXAMPLE))  # 18/16 bytes in UTF-8
    with pytest.raises(CommandError, match="not valid for Weibo"):
        run("menu_validate", "--platform", "weibo", str(WECHAT_OK))


def test_validate_accepts_wechat_menu_get_answer(tmp_path):
    answer = {"menu": {**json.loads(WECHAT_OK.read_text()), "menuid": 208396938}}
    out, _err = run("menu_validate", "--platform", "wechat", write(tmp_path, answer))
    assert out.strip() == "The menu is valid for WeChat."


def test_validate_reads_standard_input(monkeypatch):
    out, _err = run(
        "menu_validate",
        "--platform",
        "weibo",
        "-",
        stdin=json.dumps(WEIBO_OK).encode(),
        monkeypatch=monkeypatch,
    )
    assert out.strip() == "The menu is valid for Weibo."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", r"^menu\.json: This is not JSON: line 1, column 2\. Probably a name is not in double quotes"),
        ("[]", r'^menu\.json: This is not a menu: it is JSON, but a menu is an object with a "button" list'),
        (
            '{"button": [{"name": true}]}',
            r"^menu\.json: This is not a menu: button 1 \(name\): expected text\.$",
        ),
        ("", r"^menu\.json: This is not JSON: line 1, column 1\. Probably a value is missing"),
    ],
)
def test_validate_bad_json_is_one_clear_line(tmp_path, monkeypatch, content, message):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, content)
    with pytest.raises(CommandError, match=message) as info:
        run("menu_validate", "--platform", "wechat", "menu.json")
    assert "\n" not in str(info.value)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_import_of_broken_json_says_the_editors_sentence_without_the_parsers_english(
    factories, tmp_path, monkeypatch, language
):
    """The same sentence as the editor's Import (parse_messages.explain), in the chosen language."""
    factories.account(slug="shop")
    monkeypatch.chdir(tmp_path)
    write(tmp_path, '{"button": [\n  {"name": "a"}\n  {"name": "b"}]}')
    with pytest.raises(CommandError) as info:
        run("menu_import", "--account", "shop", "--language", language, "menu.json")
    with translation.override(language):
        with pytest.raises(MenuParseError) as parsed:
            parse_menu('{"button": [\n  {"name": "a"}\n  {"name": "b"}]}')
        assert str(info.value).endswith(explain(parsed.value))
    assert str(info.value).startswith("menu.json")
    for english in ("Expecting", "delimiter", "not valid JSON"):
        assert english not in str(info.value)
    if language == "en":
        assert str(info.value) == (
            "menu.json: This is not JSON: line 3, column 3. Probably a comma is missing between two items."
        )
    assert not Menu.objects.exists()


def test_validate_an_unreadable_file_is_one_clear_line(tmp_path):
    with pytest.raises(CommandError, match=r"^cannot read .*missing\.json: No such file or directory$"):
        run("menu_validate", "--platform", "wechat", str(tmp_path / "missing.json"))
    with pytest.raises(CommandError, match=r"^cannot read .*: Is a directory$"):
        run("menu_validate", "--platform", "wechat", str(tmp_path))


def test_validate_refuses_an_unknown_platform():
    with pytest.raises(CommandError, match="invalid choice"):
        run("menu_validate", "--platform", "alipay", str(WECHAT_OK))


def test_validate_speaks_the_chosen_language(tmp_path):
    """Wording arrives with the translation pass; the lines keep their shape in Chinese."""
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "menu_validate", "--platform", "wechat", "--language", "zh-hans", str(WECHAT_SEVEN), stdout=out
        )
    lines = out.getvalue().splitlines()
    assert len(lines) == 4
    assert "40016" in lines[0] and "7" in lines[0]
    assert "40018" in lines[2] and "24" in lines[2] and "16" in lines[2]


def test_validate_default_language_is_the_setting():
    assert settings.LANGUAGE_CODE == "en"
    out, _err = run("menu_validate", "--platform", "wechat", str(WECHAT_OK))
    assert "valid" in out


# -- menu_import ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_creates_a_draft_and_prints_its_id(factories):
    account = factories.account(slug="shop")
    out, _err = run("menu_import", "--account", "shop", "--title", "Spring", str(WECHAT_OK))
    menu = Menu.objects.get()
    assert out.strip() == str(menu.pk)
    assert (menu.account, menu.title, menu.revision) == (account, "Spring", 1)
    assert menu.tree == json.loads(WECHAT_OK.read_text())


@pytest.mark.django_db
def test_import_title_defaults_to_the_file_name(factories, tmp_path):
    factories.account(slug="shop", platform="weibo")
    run("menu_import", "--account", "shop", write(tmp_path, WEIBO_OK, "spring-campaign.json"))
    assert Menu.objects.get().title == "Imported from spring-campaign.json"


@pytest.mark.django_db
def test_import_from_standard_input_with_warnings_creates_the_draft(factories, monkeypatch):
    factories.account(slug="shop")
    out, err = run(
        "menu_import", "--account", "shop", "-", stdin=json.dumps(WARN_ONLY).encode(), monkeypatch=monkeypatch
    )
    menu = Menu.objects.get()
    assert out.strip() == str(menu.pk)
    assert err.startswith("warning: button 1: name:")
    assert menu.title == "Imported from standard input"


@pytest.mark.django_db
def test_import_accepts_menu_get_answer_and_stores_the_button_shape(factories, tmp_path):
    factories.account(slug="shop")
    answer = {"menu": {**WARN_ONLY, "menuid": 1}}
    run("menu_import", "--account", "shop", write(tmp_path, answer))
    assert Menu.objects.get().tree == WARN_ONLY


@pytest.mark.django_db
def test_import_an_invalid_menu_creates_nothing_and_lists_the_problems(factories):
    factories.account(slug="shop")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing imported: the menu is not valid for WeChat: 3 errors"):
        call_command("menu_import", "--account", "shop", str(WECHAT_SEVEN), stdout=io.StringIO(), stderr=err)
    assert not Menu.objects.exists()
    assert [line.split(":")[0] for line in err.getvalue().splitlines()] == [
        "error",
        "warning",
        "error",
        "error",
    ]


@pytest.mark.django_db
def test_import_checks_the_account_s_own_platform(factories):
    factories.account(slug="weibo-shop", platform="weibo")
    with pytest.raises(CommandError, match="not valid for Weibo"):
        run("menu_import", "--account", "weibo-shop", str(WECHAT_OK))
    assert not Menu.objects.exists()


@pytest.mark.django_db
def test_import_unreadable_json_creates_nothing(factories, tmp_path):
    factories.account(slug="shop")
    with pytest.raises(
        CommandError, match=r": This is not JSON: line 1, column 13\. Probably a value is missing"
    ) as info:
        run("menu_import", "--account", "shop", write(tmp_path, '{"button": ['))
    assert "Expecting" not in str(info.value)
    with pytest.raises(CommandError, match="cannot read"):
        run("menu_import", "--account", "shop", str(tmp_path / "nope.json"))
    assert not Menu.objects.exists()


@pytest.mark.django_db
def test_import_to_an_unknown_account_says_so(factories):
    factories.account(slug="shop")
    with pytest.raises(CommandError, match="no account has the slug “shap”"):
        run("menu_import", "--account", "shap", str(WECHAT_OK))
    assert not Menu.objects.exists()


@pytest.mark.django_db
def test_import_refuses_a_title_too_long(factories):
    factories.account(slug="shop")
    with pytest.raises(CommandError, match="the title is 101 characters; at most 100"):
        run("menu_import", "--account", "shop", "--title", "T" * 101, str(WECHAT_OK))
    assert not Menu.objects.exists()


# -- menu_export ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("platform", "source"), [("wechat", WECHAT_OK), ("weibo", WEIBO_OK)])
def test_export_prints_exactly_the_payload_publishing_sends(factories, platform, source):
    tree = json.loads(source.read_text()) if isinstance(source, Path) else source
    menu = factories.menu(factories.account(platform=platform), tree=tree)
    out, _err = run("menu_export", str(menu.pk))
    assert out == get_platform(platform).payload_text(parse_menu(tree))
    assert json.loads(out) == tree
    assert "\\u" not in out


@pytest.mark.django_db
def test_export_leaves_out_what_the_platform_is_not_sent(factories):
    tree = {"button": [{"type": "view", "name": "A", "url": "https://a.example/", "key": "stale"}]}
    menu = factories.menu(factories.account(), tree=tree)
    out, _err = run("menu_export", str(menu.pk))
    assert json.loads(out) == {"button": [{"type": "view", "name": "A", "url": "https://a.example/"}]}


@pytest.mark.django_db
def test_export_of_an_imported_menu_gives_the_menu_back(factories):
    factories.account(slug="shop")
    menu_id, _err = run("menu_import", "--account", "shop", str(WECHAT_OK))
    out, _err = run("menu_export", menu_id.strip())
    assert json.loads(out) == json.loads(WECHAT_OK.read_text())


@pytest.mark.django_db
def test_export_refuses_a_draft_the_platform_would_refuse_unless_asked(factories):
    tree = json.loads(WECHAT_SEVEN.read_text())
    menu = factories.menu(factories.account(), tree=tree)
    err = io.StringIO()
    with pytest.raises(CommandError, match="Publishing would refuse this draft for WeChat: 3 errors"):
        call_command("menu_export", str(menu.pk), stdout=io.StringIO(), stderr=err)
    assert len(err.getvalue().splitlines()) == 4
    out, _err = run("menu_export", "--ignore-errors", str(menu.pk))
    assert out == get_platform("wechat").payload_text(parse_menu(tree))


@pytest.mark.django_db
def test_export_of_a_missing_or_broken_draft_says_so(factories):
    with pytest.raises(CommandError, match="no menu draft has the id 999"):
        run("menu_export", "999")
    menu = factories.menu(factories.account(), tree={"button": "broken"})
    with pytest.raises(
        CommandError,
        match=r'^the stored draft: This is not a menu: it is JSON, but a menu is an object with a "button"',
    ):
        run("menu_export", str(menu.pk))
    with pytest.raises(CommandError, match="invalid int value"):
        run("menu_export", "abc")


# -- as real processes: exit codes, standard input, no tracebacks -------------------------------------

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def manage(tmp_path_factory):
    """Run manage.py in a child process against its own migrated SQLite file."""
    database = tmp_path_factory.mktemp("cli") / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "PYTHONIOENCODING": "utf-8",
    }

    def _manage(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            input=stdin,
            capture_output=True,
            timeout=120,
        )

    result = _manage("migrate", "-v", "0")
    assert result.returncode == 0, result.stderr.decode()
    return _manage


def test_process_validate_exit_codes(manage):
    ok = manage("menu_validate", "--platform", "wechat", str(WECHAT_OK))
    assert (ok.returncode, ok.stdout.decode().strip()) == (0, "The menu is valid for WeChat.")

    bad = manage("menu_validate", "--platform", "wechat", str(WECHAT_SEVEN))
    assert bad.returncode == 1
    assert len(bad.stdout.decode().splitlines()) == 4
    assert "Traceback" not in bad.stderr.decode()
    assert "not valid for WeChat" in bad.stderr.decode()


def test_process_validate_with_warnings_exits_0(manage):
    result = manage("menu_validate", "--platform", "wechat", "-", stdin=json.dumps(WARN_ONLY).encode())
    assert result.returncode == 0
    assert result.stdout.decode().startswith("warning: button 1: name:")


@pytest.mark.parametrize(
    ("stdin", "expected"),
    [
        (
            b"{not json",
            "standard input: This is not JSON: line 1, column 2. Probably a name is not in double",
        ),
        (b"\xff\xfe\xfa", "standard input: This is not UTF-8 text."),
        (b"[" * 200_000, "standard input: This is not a menu: nested deeper than a menu's two levels."),
        (
            b'{"button": [{"name": "\\ud800"}]}',
            "standard input: This is not a menu: button 1 (name): the text",
        ),
        (b"", "standard input: This is not JSON: line 1, column 1."),
    ],
)
def test_process_validate_bad_stdin_is_one_line_without_traceback(manage, stdin, expected):
    result = manage("menu_validate", "--platform", "weibo", "-", stdin=stdin)
    stderr = result.stderr.decode()
    assert result.returncode == 1
    assert "Traceback" not in stderr
    assert expected in stderr
    assert len(stderr.strip().splitlines()) == 1


def test_process_validate_missing_file(manage, tmp_path):
    result = manage("menu_validate", "--platform", "wechat", str(tmp_path / "missing.json"))
    assert result.returncode == 1
    assert result.stderr.decode().strip().endswith("missing.json: No such file or directory")
    assert "Traceback" not in result.stderr.decode()


def test_process_import_then_export_sends_exact_bytes(manage):
    created = manage(
        "shell",
        "-c",
        "from accounts.models import Account; "
        "Account.objects.get_or_create(slug='cli-shop', defaults={'name': 'Shop', 'platform': 'wechat'})",
    )
    assert created.returncode == 0, created.stderr.decode()

    imported = manage(
        "menu_import", "--account", "cli-shop", "--title", "CLI", "-", stdin=WECHAT_OK.read_bytes()
    )
    assert imported.returncode == 0, imported.stderr.decode()
    menu_id = imported.stdout.decode().strip()
    assert menu_id.isdigit()

    exported = manage("menu_export", menu_id)
    assert exported.returncode == 0, exported.stderr.decode()
    expected = get_platform("wechat").payload_bytes(parse_menu(WECHAT_OK.read_bytes()))
    assert exported.stdout == expected  # the bytes themselves: UTF-8, no \u, no trailing newline

    refused = manage("menu_import", "--account", "cli-shop", "-", stdin=WECHAT_SEVEN.read_bytes())
    assert refused.returncode == 1
    assert refused.stdout == b""
    assert "Traceback" not in refused.stderr.decode()

    unknown = manage("menu_import", "--account", "nobody", str(WECHAT_OK))
    assert unknown.returncode == 1
    assert "no account has the slug" in unknown.stderr.decode()

    missing = manage("menu_export", "424242")
    assert missing.returncode == 1
    assert "no menu draft has the id 424242" in missing.stderr.decode()
