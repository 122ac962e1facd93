"""The Simplified Chinese interface: a complete, compiled catalogue, and pages that follow the browser.

The catalogue is read with a small .po reader below (no polib). Tests that need GNU gettext (the
catalogue matches the source) skip where it is missing; everything else needs only Python.
"""

from __future__ import annotations

import ast
import gettext as gnu_gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from menueditor import publishing
from menueditor.platforms import get_platform
from menueditor.tree import parse_menu

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale"
PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# What the refresh command in docs/translations.md leaves out (makemessages also skips hidden paths).
NOT_SOURCE = {".venv", "staticfiles", "bench", "tests", "locale"}

# -- a small .po reader -------------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # {0: text}, or one text per plural form
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None


def _unquote(literal: str) -> str:
    body = literal.strip()
    if len(body) < 2 or body[0] != '"' or body[-1] != '"':
        raise ValueError(f"not a quoted string: {literal!r}")
    out, chars = [], iter(body[1:-1])
    for char in chars:
        if char == "\\":
            nxt = next(chars, "")
            out.append(_ESCAPES.get(nxt, "\\" + nxt))
        else:
            out.append(char)
    return "".join(out)


def parse_po(text: str) -> list[Entry]:
    """Every entry of a .po text, the header included, in file order."""
    entries: list[Entry] = []
    current, target = Entry(), None  # target: the field continuation lines extend

    def flush() -> None:
        nonlocal current, target
        if target is not None:
            entries.append(current)
        current, target = Entry(), None

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            current.obsolete = True
            line = line[2:].strip()
            if not line:
                continue
        elif line.startswith("#"):
            if target is not None:  # a comment after an entry begins the next one
                flush()
            if line.startswith("#,"):
                current.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"line {number}: a string without a keyword")
            _extend(current, target, _unquote(line))
            continue
        match = _KEYWORD.match(line)
        if not match:
            raise ValueError(f"line {number}: cannot read {raw!r}")
        keyword, index, literal = match.groups()
        if keyword in ("msgctxt", "msgid") and current.msgstr:
            flush()
        target = ("msgstr", int(index or 0)) if keyword.startswith("msgstr") else (keyword, 0)
        _extend(current, target, _unquote(literal), first=True)
    flush()
    return entries


def _extend(entry: Entry, target: tuple[str, int], text: str, first: bool = False) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = ("" if first else entry.msgstr[index]) + text
    else:
        setattr(entry, name, ("" if first else getattr(entry, name)) + text)


def messages(path: Path = PO) -> list[Entry]:
    """The live entries of a catalogue: no header, no obsolete (#~) entries."""
    return [e for e in parse_po(path.read_text(encoding="utf-8")) if not e.is_header and not e.obsolete]


def header(path: Path = PO) -> dict[str, str]:
    entry = next(e for e in parse_po(path.read_text(encoding="utf-8")) if e.is_header)
    pairs = (line.partition(":") for line in entry.msgstr[0].splitlines())
    return {key.strip(): value.strip() for key, sep, value in pairs if sep}


# printf-style placeholders as Python formats them (%(name)s, %d, %%) and str.format ones ({}, {name}).
_PERCENT = re.compile(r"%(?:\((\w+)\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?([diouxXeEfFgGcrsa%])")
_BRACES = re.compile(r"(?<!\{)\{(\w*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


def placeholders(text: str) -> list[str]:
    found = [f"%({name}){kind}" if name else f"%{kind}" for name, kind in _PERCENT.findall(text)]
    return sorted(p for p in found if p != "%%") + sorted("{" + n + "}" for n in _BRACES.findall(text))


# -- the catalogue ------------------------------------------------------------------------------------


def test_the_po_reader_reads_what_gettext_writes():
    text = (
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid "%(n)d item"\nmsgid_plural "%(n)d items"\n'
        'msgstr[0] "%(n)d 项"\n\n'
        '#, fuzzy\nmsgid ""\n"Say \\"hi\\"\\n"\n"twice"\nmsgstr "说\\u"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "没了"\n'
    )
    head, plural, fuzzy, gone = parse_po(text)
    assert head.is_header and head.msgstr[0] == "Language: zh_Hans\n"
    assert (plural.msgid, plural.msgid_plural, plural.msgstr) == (
        "%(n)d item",
        "%(n)d items",
        {0: "%(n)d 项"},
    )
    assert "python-format" in plural.flags
    assert fuzzy.msgid == 'Say "hi"\ntwice' and "fuzzy" in fuzzy.flags and fuzzy.msgstr[0] == "说\\u"
    assert gone.obsolete and gone.msgid == "Gone"
    assert placeholders("%(n)d of %(total)s, 100%% {} {name}") == ["%(n)d", "%(total)s", "{name}", "{}"]


def test_catalogue_is_simplified_chinese_with_one_plural_form():
    fields = header()
    assert fields["Language"] == "zh_Hans"
    assert fields["Plural-Forms"] == "nplurals=1; plural=0;"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert len(messages()) > 400  # the whole interface, not a sample


def test_every_message_is_translated_and_none_is_fuzzy():
    untranslated = [e.msgid for e in messages() if not e.msgstr or not all(e.msgstr.values())]
    fuzzy = [e.msgid for e in messages() if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_plural_messages_have_exactly_the_one_chinese_form():
    plurals = [e for e in messages() if e.msgid_plural is not None]
    assert plurals, "the interface has counted messages (errors, warnings, minutes)"
    assert [e.msgid for e in plurals if sorted(e.msgstr) != [0]] == []


def test_translations_keep_every_placeholder():
    wrong = []
    for entry in messages():
        # Chinese uses one form for every count, so it carries the plural's placeholders (e.g. %(n)d).
        source = entry.msgid_plural if entry.msgid_plural is not None else entry.msgid
        for text in entry.msgstr.values():
            if placeholders(text) != placeholders(source):
                wrong.append((entry.msgid, placeholders(source), placeholders(text)))
    assert wrong == []


def test_translations_are_chinese():
    # A message copied over untranslated would still pass the checks above.
    same = {e.msgid for e in messages() if e.msgstr[0] == e.msgid}
    # Names and codes the platforms print as they are.
    assert same <= {"AppSecret", "AppID"}
    # Chinese characters or full-width punctuation, e.g. "%(when)s（%(who)s）".
    chinese = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    assert [e.msgid for e in messages() if e.msgid not in same and not chinese.search(e.msgstr[0])] == []


def test_the_compiled_catalogue_holds_what_the_po_says():
    """The committed .mo is not older than the .po: every message reads back as the .po has it."""
    with MO.open("rb") as fp:
        compiled = gnu_gettext.GNUTranslations(fp)
    stale = []
    for entry in messages():
        if entry.msgid_plural is not None:
            got = [compiled.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
            want = [entry.msgstr[0]] * 2
        else:
            got, want = compiled.gettext(entry.msgid), entry.msgstr[0]
        if got != want:
            stale.append(entry.msgid)
    assert stale == [], "run compilemessages (docs/translations.md)"


def test_django_finds_the_catalogue_for_zh_hans():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "zh-hans"]
    assert LOCALE in [Path(p) for p in settings.LOCALE_PATHS]
    missing = []
    for entry in messages():
        with translation.override("zh-hans"):
            if entry.msgid_plural is not None:
                got = translation.ngettext(entry.msgid, entry.msgid_plural, 2)
            else:
                got = translation.gettext(entry.msgid)
        if got != entry.msgstr[0]:
            missing.append(entry.msgid)
    assert missing == []
    with translation.override("en"):
        assert translation.gettext("Save draft") == "Save draft"


SOURCE_SUFFIXES = {".py", ".html", ".txt"}  # what makemessages reads for the "django" domain


def _not_read_by_makemessages(directory: str, names: list[str]) -> set[str]:
    return {
        name
        for name in names
        if name == "__pycache__"
        or name.startswith(".")
        or (Path(directory, name).is_file() and Path(name).suffix not in SOURCE_SUFFIXES)
    }


@pytest.mark.skipif(not shutil.which("xgettext") or not shutil.which("msgfmt"), reason="needs GNU gettext")
def test_catalogue_matches_the_source(tmp_path):
    """makemessages on a copy of the source finds no message the committed catalogue lacks, and no extra."""
    for path in ROOT.iterdir():
        if path.name in NOT_SOURCE or path.name.startswith("."):
            continue
        if path.is_dir():
            shutil.copytree(path, tmp_path / path.name, ignore=_not_read_by_makemessages)
        elif path.suffix in SOURCE_SUFFIXES:
            shutil.copy(path, tmp_path)
    shutil.copytree(LOCALE, tmp_path / "locale")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "menueditor.settings", "DEBUG": "true"}
    run = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    fresh = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    key = lambda e: (e.msgctxt, e.msgid, e.msgid_plural)  # noqa: E731
    committed, current = {key(e) for e in messages()}, {key(e) for e in messages(fresh)}
    assert sorted(current - committed, key=str) == [], (
        "new strings: refresh the catalogue (docs/translations.md)"
    )
    assert sorted(committed - current, key=str) == [], "strings gone from the source: refresh the catalogue"
    check = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "check.mo"), str(PO)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr


def test_gettext_is_imported_under_names_makemessages_knows():
    """xgettext finds _(), gettext(), ngettext()...: a call through another alias is never translated."""
    known = {"_"}
    wrong = []
    for name in ("accounts", "menueditor"):
        for path in (ROOT / name).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                    for alias in node.names:
                        if alias.asname and alias.asname not in known and "gettext" in alias.name:
                            wrong.append(f"{path.relative_to(ROOT)}: {alias.name} as {alias.asname}")
    assert wrong == []


# -- pages --------------------------------------------------------------------------------------------


class _VisibleText(HTMLParser):
    """Text nodes and the attributes people read (title, aria-label, placeholder, alt)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts += [v for k, v in attrs if k in ("title", "aria-label", "placeholder", "alt") and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    return parser.parts


def english_words(html: str, allowed: set[str]) -> set[str]:
    words = set(re.findall(r"[A-Za-z][A-Za-z_]+", " ".join(visible_text(html))))
    return words - allowed


# Words a Chinese page shows as they are: the switch to English, formats and field codes.
ALLOWED = {"English", "JSON", "json", "Key", "ID", "AppID", "AppSecret", "kB", "access_token", "media_id"}
ALLOWED |= {"article_id", "UTF", "API", "IP", "http", "https", "www", "wx"}

BAD_MENU = {
    "button": [
        {"type": "click", "name": "今日歌曲今日歌曲", "key": "K"},
        {
            "name": "菜单",
            "sub_button": [
                {"type": "view", "name": "搜索", "url": "ftp://x"},
                {"type": "media_id", "name": "素材", "media_id": ""},
            ],
        },
        {"type": "view_limited", "name": "旧", "media_id": "abc"},
    ]
}


@dataclass
class Site:
    user: object
    menu: object
    bad_menu: object
    account: object
    weibo: object

    def pages(self) -> dict[str, str]:
        return {
            "home": reverse("home"),
            "editor": reverse("menu_edit", args=[self.menu.pk]),
            "editor with problems": reverse("menu_edit", args=[self.bad_menu.pk]),
            "weibo editor": reverse("menu_edit", args=[self.weibo.menus.get().pk]),
            "history": reverse("account_history", args=[self.account.slug]),
            "delete live menu": reverse("live_delete", args=[self.account.slug]),
            "publish again": reverse(
                "publication_republish", args=[self.account.publications.filter(menu__isnull=False)[0].pk]
            ),
        }


@pytest.fixture
def site(factories, simulator) -> Site:
    user = factories.user(
        username="marketer", perms=("view_menu", "change_menu", "publish_menu", "view_publication")
    )
    account = factories.account(name="咖啡俱乐部", slug="coffee", members=(user,), api_base=simulator.url)
    weibo = factories.account(
        name="茶馆", slug="tea", platform="weibo", members=(user,), api_base=simulator.url
    )
    menu = factories.menu(account, title="春季菜单", user=user)
    bad_menu = factories.menu(account, title="有问题的草稿", tree=BAD_MENU, user=user)
    factories.menu(weibo, title="微博草稿", user=user)
    with translation.override("zh-hans"):  # the stored hint is written in the publisher's language
        assert publishing.publish_menu(menu, user).ok
    return Site(user, menu, bad_menu, account, weibo)


def client_for(user, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-CN", "zh-Hans", "zh-CN,zh;q=0.9,en;q=0.8", "zh"])
def test_sign_in_page_follows_a_chinese_browser(client, language):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "菜单编辑器" in html and "登录" in html and "用户名" in html
    assert english_words(html, ALLOWED) == set()


@pytest.mark.django_db
def test_sign_in_page_stays_english_for_an_english_browser(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="en">' in html
    assert "Sign in" in html and "登录" not in html


@pytest.mark.django_db
def test_every_page_speaks_chinese_to_a_chinese_browser(site):
    client = client_for(site.user, "zh-CN")
    data = {"marketer", "coffee", "tea", "ftp"}  # what people typed, shown as they typed it
    for name, url in site.pages().items():
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert '<html lang="zh-hans">' in html, name
        assert english_words(html, ALLOWED | data) == set(), name


@pytest.mark.django_db
def test_pages_show_the_platforms_own_chinese_words(site):
    client = client_for(site.user, "zh-CN")
    home = client.get(reverse("home")).content.decode()
    for words in (
        "新建草稿",
        "拉取线上菜单",
        "历史记录",
        "删除线上菜单",
        "最近由 marketer 于",
        "微信公众号",
        "微博",
    ):
        assert words in home
    editor = client.get(reverse("menu_edit", args=[site.menu.pk])).content.decode()
    for words in (
        "保存草稿",
        "发布…",
        "菜单 1",
        "子菜单 2.1",
        "菜单类型",
        "点击推事件",
        "跳转网页",
        "跳转小程序",
    ):
        assert words in editor
    assert "12/16 字节" in editor  # 今日歌曲 is 12 bytes, counted as WeChat counts
    assert 'value="click" selected' in editor  # the type codes stay codes
    problems = client.get(reverse("menu_edit", args=[site.bad_menu.pk])).content.decode()
    assert "名称为 24 字节，此处最多 16 字节" in problems
    assert "请先修正 3 个问题" in problems
    history = client.get(reverse("account_history", args=["coffee"])).content.decode()
    assert "咖啡俱乐部的历史记录" in history and "恢复为新草稿" in history and "再次发布" in history
    assert "已发布。手机约 5 分钟内显示新菜单" in history


@pytest.mark.django_db
def test_every_page_speaks_english_to_an_english_browser(site):
    client = client_for(site.user, "en")
    expected = {
        "home": "Start a draft",
        "editor": "Save draft",
        "editor with problems": "the name is 24 bytes; at most 16 bytes are allowed here",
        "weibo editor": "Open web page",
        "history": "Restore into a new draft",
        "delete live menu": "Delete the live menu",
        "publish again": "Publish again",
    }
    for name, url in site.pages().items():
        html = client.get(url).content.decode()
        assert '<html lang="en">' in html, name
        assert expected[name] in html, name
        # Only the data is Chinese (names, the hint the publisher got in Chinese).
        for chinese in ("保存草稿", "新建草稿", "菜单类型", "字节", "历史记录"):
            assert chinese not in html, (name, chinese)


@pytest.mark.django_db
def test_htmx_answers_speak_the_browser_language(site):
    client = client_for(site.user, "zh-CN")
    response = client.post(
        reverse("menu_publish_review", args=[site.bad_menu.pk]), {}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "未发布" in html
    assert english_words(html, ALLOWED) == set()


@pytest.mark.django_db
def test_language_switch_overrides_the_browser(site):
    client = client_for(site.user, "en-US")
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("home")})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="zh-hans">' in html and "新建草稿" in html
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html and "Start a draft" in html


@pytest.mark.django_db
def test_the_switch_offers_both_languages_in_their_own_names(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert 'value="en"' in html and ">English<" in html
    assert 'value="zh-hans"' in html and ">简体中文<" in html


@pytest.mark.django_db
def test_account_admin_form_speaks_chinese(factories):
    root = factories.user(username="root", superuser=True)
    wechat = factories.account(name="咖啡俱乐部")
    weibo = factories.account(name="茶馆", platform="weibo")
    client = client_for(root, "zh-CN")
    html = client.get(reverse("admin:accounts_account_change", args=[wechat.pk])).content.decode()
    for words in ("公众号凭据", "令牌模式", "稳定版 access_token（推荐）", "已保存的值", "已设置"):
        assert words in html, words
    assert "设置与开发 > 基本配置" in html  # the admin prints help texts unescaped
    for english in ("WeChat credentials", "Stored value", "Leave empty to keep it", "Who may work on this"):
        assert english not in html
    html = client.get(reverse("admin:accounts_account_change", args=[weibo.pk])).content.decode()
    assert "微博凭据" in html and "高级功能 > 开发模式" in html
    html = client.get(reverse("admin:accounts_account_changelist")).content.decode()
    assert "测试连接" in html and "平台账号" in html


# -- problems and the command line --------------------------------------------------------------------


def test_a_problem_speaks_the_language_asked_for():
    wechat = get_platform("wechat")
    tree = parse_menu({"button": [{"type": "click", "name": "今日歌曲今日歌曲", "key": "K"}]})
    (problem,) = wechat.validate(tree)
    with translation.override("en"):
        english, chinese = problem.text("en"), problem.text("zh-hans")
        assert translation.get_language() == "en"  # asking for Chinese does not switch the caller's language
    assert english != chinese
    assert english == "button 1: name: the name is 24 bytes; at most 16 bytes are allowed here"
    assert chinese == "菜单 1: name: 名称为 24 字节，此处最多 16 字节"
    assert problem.as_dict("zh-hans")["where"] == "菜单 1"


def test_every_platform_rule_has_chinese_words():
    """Each button type, field and hint the editor shows: Chinese under zh-hans, English under en."""
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for code in ("wechat", "weibo"):
        rules = get_platform(code)
        texts = [rules.label]
        texts += [t for b in rules.button_types.values() for t in (b.label, b.help, b.note) if str(b.note)]
        texts += [t for f in rules.fields.values() for t in (f.label, f.help) if str(t)]
        with translation.override("zh-hans"):
            assert [str(t) for t in texts if not cjk.search(str(t))] == []
        with translation.override("en"):
            assert [str(t) for t in texts if cjk.search(str(t))] == []


# -- in Chromium ----------------------------------------------------------------------------------------

OVERFLOWING = """() => [...document.querySelectorAll(
  'button, .button, .badge, .card-head, .card-title, .card-kind, .field-label, .usage, .save-status, .why,'
  + ' h1, h2, h3, h4, .crumbs, .topbar a, th, .pm-item, .pm-sub-item')]
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1
          && getComputedStyle(e).overflow === 'visible' && !e.closest('.phone, .mini-phone'))
  .map(e => e.outerHTML.slice(0, 160))"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 390])
def test_chinese_pages_fit_in_chromium(browser, live_server, browser_user, simulator, width, tmp_path):
    from tests.plugins.browser import BROWSER_PASSWORD
    from tests.plugins.factories import make_account, make_menu

    account = make_account(members=(browser_user,), name="咖啡俱乐部", api_base=simulator.url)
    menu = make_menu(account, title="春季菜单", user=browser_user)
    bad = make_menu(account, tree=BAD_MENU, title="有问题的草稿", user=browser_user)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(live_server.url + reverse("login"))
        assert page.locator("h1").inner_text() == "登录"
        page.fill("input[name=username]", browser_user.username)
        page.fill("input[name=password]", BROWSER_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(live_server.url + reverse("home"))
        target = ROOT / "docs" / "screenshots" if os.environ.get("SCREENSHOTS") else tmp_path
        target.mkdir(parents=True, exist_ok=True)
        suffix = "" if width > 1000 else "-phone"
        for name, url in (
            ("home", reverse("home")),
            ("editor", reverse("menu_edit", args=[menu.pk])),
            ("problems", reverse("menu_edit", args=[bad.pk])),
            ("history", reverse("account_history", args=[account.slug])),
        ):
            page.goto(live_server.url + url)
            assert page.locator("html").get_attribute("lang") == "zh-hans"
            assert page.evaluate("document.documentElement.scrollWidth") <= width, name
            assert page.evaluate(OVERFLOWING) == [], name
            if name in ("home", "editor"):
                page.screenshot(path=str(target / f"{name}-zh{suffix}.png"), full_page=True)
        page.goto(live_server.url + reverse("menu_edit", args=[menu.pk]))
        assert page.locator("#save-button").inner_text() == "保存草稿"
        assert page.locator("#problems-title").inner_text().strip() == "微信可接受此菜单"
    finally:
        context.close()
