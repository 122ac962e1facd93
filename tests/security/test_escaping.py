"""Hostile names, keys, titles and URLs show escaped everywhere, and view buttons open only http(s).

Each hostile value carries a marker tag (<xss>) that must never reach a page unescaped, plus
right-to-left overrides, zero-width characters and 4-byte emoji that must arrive intact (not
dropped, not mangled into entities twice).
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils.html import escape

from menueditor import publishing
from menueditor.forms import tree_to_post_data
from menueditor.models import Publication
from menueditor.tree import parse_menu
from tests.security.conftest import PUBLISH, client_for

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
RLO, ZWSP, EMOJI = "\u202e", "\u200b", "😀"

# Within WeChat's and Weibo's limits (16 bytes top, 40 sub), so the menu can really be published.
TOP_NAME = f"<xss>{RLO}{EMOJI}"  # 5 + 3 + 4 = 12 bytes
SUB_NAME = f"\"'><xss>{ZWSP}&amp;{EMOJI}"  # 4 + 5 + 3 + 5 + 4 = 21 bytes
KEY = "\"><xss onmouseover=alert(1)>'&"
URL = "https://example.com/?q=%22%3E&x=\"><xss>'&y=" + EMOJI
TITLE = f"<script>alert('title')</script><xss>{RLO}{ZWSP}{EMOJI}"
ACCOUNT_NAME = f'<img src=x onerror=alert(1)><xss> "Tea" {RLO}{EMOJI}'

HOSTILE_MENU = {
    "button": [
        {"type": "click", "name": TOP_NAME, "key": KEY},
        {"name": f"{EMOJI}<xss>", "sub_button": [{"type": "view", "name": SUB_NAME, "url": URL}]},
    ]
}
RAW_MARKERS = ("<xss", "<script>alert", "<img src=x")  # a tag opened by user text


def unescaped(page: str) -> list[str]:
    return [m for m in RAW_MARKERS if m in page]


@pytest.fixture
def hostile(db, simulator, factories):
    publisher = factories.user(username="pub<xss>" + EMOJI, perms=PUBLISH)
    root = factories.user(username="root", superuser=True)
    account = factories.account(
        name=ACCOUNT_NAME, slug="hostile", api_base=simulator.url, members=(publisher,)
    )
    menu = factories.menu(account, title=TITLE, tree=HOSTILE_MENU, user=publisher)
    return publisher, root, account, menu


def _post(menu, tree=None, **extra):
    tree = parse_menu(tree or menu.tree)
    return tree_to_post_data(tree, title=menu.title, revision=str(menu.revision), **extra)


def test_the_hostile_menu_is_valid_and_survives_the_database(hostile):
    _publisher, _root, account, menu = hostile
    menu.refresh_from_db()
    account.refresh_from_db()
    assert menu.tree == HOSTILE_MENU and menu.title == TITLE and account.name == ACCOUNT_NAME
    from menueditor.platforms import get_platform

    for platform in ("wechat", "weibo"):
        rules = get_platform(platform)
        assert rules.errors(rules.parse(HOSTILE_MENU)) == [], platform


def test_editor_preview_problems_and_publish_panel_escape_everything(hostile, simulator):
    publisher, _root, _account, menu = hostile
    client = client_for(publisher)
    edit = reverse("menu_edit", args=[menu.pk])
    pages = {"editor": client.get(edit)}
    # A problem that quotes the hostile value back: a name far too long and a javascript: address.
    broken = json.loads(json.dumps(HOSTILE_MENU))
    broken["button"][0]["name"] = TOP_NAME * 3
    broken["button"][1]["sub_button"][0]["url"] = "javascript:alert('<xss>')"
    data = _post(menu, broken)
    for name in ("menu_preview", "menu_structure", "menu_import"):
        url = reverse(name, args=[menu.pk])
        pages[name] = client.post(url, data | {"import_text": json.dumps(broken)})
        pages[name + " htmx"] = client.post(url, data | {"import_text": json.dumps(broken)}, **HTMX)
    pages["bad import"] = client.post(
        reverse("menu_import", args=[menu.pk]), _post(menu) | {"import_text": "<xss>" + TITLE}
    )
    pages["review"] = client.post(reverse("menu_publish_review", args=[menu.pk]), _post(menu))
    pages["publish"] = client.post(
        reverse("menu_publish", args=[menu.pk]),
        _post(menu, reviewed_revision=str(menu.revision), confirm_drift="1"),
    )
    for where, response in pages.items():
        assert response.status_code in (200, 400), where
        page = response.content.decode()
        assert not unescaped(page), (where, unescaped(page))
        assert "&lt;xss&gt;" in page or "&lt;xss" in page, where  # the value is shown, escaped
    editor = pages["editor"].content.decode()
    for value in (TOP_NAME, SUB_NAME, KEY, URL, TITLE):
        assert escape(value) in editor, value  # intact: emoji, RLO and ZWSP as they were typed
    assert "&amp;amp;" in editor  # "&amp;" typed by the user shows as typed, escaped exactly once
    problems = pages["menu_preview"].content.decode()
    assert "javascript:alert(&#x27;&lt;xss&gt;&#x27;)" in problems  # quoted back in the problem, inert
    assert 'href="javascript:' not in problems
    assert simulator.wechat_menu == HOSTILE_MENU  # the publish went through, names as they were


def test_home_history_and_confirmation_pages_escape_everything(hostile, simulator):
    publisher, _root, account, menu = hostile
    assert publishing.publish_menu(menu, publisher, confirm_drift=True).ok
    assert publishing.pull_menu(account, publisher).outcome.ok
    simulator.add_fault(errcode=98765, errmsg="<xss>platform said " + RLO, platform="wechat")
    publishing.publish_menu(menu, publisher, confirm_drift=True)
    client = client_for(publisher)
    entry = Publication.objects.filter(action="publish", outcome="success").get()
    urls = [
        reverse("home"),
        reverse("account_history", args=[account.slug]),
        reverse("live_delete", args=[account.slug]),
        reverse("publication_republish", args=[entry.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert not unescaped(page), (url, unescaped(page))
        assert escape(ACCOUNT_NAME) in page, url
    history = client.get(urls[1]).content.decode()
    assert escape("<xss>platform said " + RLO) in history  # the platform's words, escaped
    home = client.get(urls[0]).content.decode()
    assert escape(TITLE) in home


def test_admin_pages_escape_everything(hostile, simulator):
    publisher, root, account, menu = hostile
    publishing.publish_menu(menu, publisher, confirm_drift=True)
    client = client_for(root)
    publication = Publication.objects.get()
    urls = [
        reverse("admin:index"),
        reverse("admin:accounts_account_changelist"),
        reverse("admin:accounts_account_change", args=[account.pk]),
        reverse("admin:accounts_account_history", args=[account.pk]),
        reverse("admin:accounts_account_delete", args=[account.pk]),
        reverse("admin:menueditor_menu_changelist"),
        reverse("admin:menueditor_menu_change", args=[menu.pk]),
        reverse("admin:menueditor_menu_history", args=[menu.pk]),
        reverse("admin:menueditor_publication_changelist"),
        reverse("admin:menueditor_publication_change", args=[publication.pk]),
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_change", args=[publisher.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert not unescaped(page), (url, unescaped(page))
    listing = client.get(reverse("admin:accounts_account_changelist")).content.decode()
    assert escape(ACCOUNT_NAME) in listing


# -- view buttons open only http and https addresses -------------------------------------------------

REFUSED_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://example.com/menu",
    "file:///etc/passwd",
    "vbscript:msgbox(1)",
    "//example.com/no-scheme",
    "http://",
    "example.com",
]


@pytest.mark.parametrize("url", REFUSED_URLS)
@pytest.mark.parametrize("platform", ["wechat", "weibo"])
def test_view_buttons_refuse_other_schemes_beside_the_field(db, simulator, factories, url, platform):
    publisher = factories.user(perms=PUBLISH)
    account = factories.account(platform=platform, api_base=simulator.url, members=(publisher,))
    tree = {"button": [{"type": "view", "name": "Open", "url": url}]}
    menu = factories.menu(account, tree=tree, user=publisher)
    client = client_for(publisher)
    response = client.post(reverse("menu_preview", args=[menu.pk]), _post(menu, tree), **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    # The message sits in the field's own problem box, and names what is wrong.
    box = page[page.index('id="prob-b-0-url"') :]
    box = box[: box.index("</div>")]
    assert 'class="problem error"' in box, box
    if "\t" not in url:  # a tab is named as the control character it is
        assert "http://" in box and "https://" in box, box
    assert 'href="' + url not in page
    outcome = publishing.publish_menu(menu, publisher, confirm_drift=True)
    assert (outcome.ok, outcome.code) == (False, "invalid")
    assert simulator.requests == []


@pytest.mark.parametrize(
    "url", ["http://example.com/a", "https://例子.example/路径?q=1", "HTTPS://EXAMPLE.COM/"]
)
def test_view_buttons_accept_http_and_https(db, simulator, factories, url):
    publisher = factories.user(perms=PUBLISH)
    account = factories.account(api_base=simulator.url, members=(publisher,))
    menu = factories.menu(
        account, tree={"button": [{"type": "view", "name": "Open", "url": url}]}, user=publisher
    )
    assert publishing.publish_menu(menu, publisher, confirm_drift=True).ok


# -- right-to-left overrides stay inside the value they came with ------------------------------------


class _BidiScan(__import__("html.parser").parser.HTMLParser):
    """Finds text with a bidi override that is not inside an isolating element (<bdi>, dir=...)."""

    # Elements the browser isolates by itself (form controls), or that are not page text.
    ISOLATED = {"bdi", "title", "textarea", "option", "select", "button", "script", "style"}
    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr", "col", "area", "base"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.leaks: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        self.stack.append(tag in self.ISOLATED or any(name == "dir" for name, _ in attrs))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if RLO in data and not any(self.stack):
            self.leaks.append(data.strip()[:60])


def test_a_right_to_left_override_cannot_reverse_the_text_around_it(hostile, simulator):
    """A U+202E in an account name or a draft title stays inside it (it used to reverse the
    breadcrumb, the phone's greeting and the headings after it)."""
    publisher, _root, account, menu = hostile
    assert publishing.publish_menu(menu, publisher, confirm_drift=True).ok
    entry = Publication.objects.get()
    client = client_for(publisher)
    leaks = []
    urls = [
        reverse("home"),
        reverse("menu_edit", args=[menu.pk]),
        reverse("account_history", args=[account.slug]),
        reverse("live_delete", args=[account.slug]),
        reverse("publication_republish", args=[entry.pk]),
    ]
    for url in urls:
        scan = _BidiScan()
        scan.feed(client.get(url).content.decode())
        leaks += [f"{url}: {text!r}" for text in scan.leaks]
    assert not leaks, "\n".join(leaks)
