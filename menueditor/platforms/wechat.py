"""WeChat Official Accounts: menu rules, payload, and (below) the HTTP client and error table.

Sources: ../shared/reference/platforms.md and the menu/create page
(https://developers.weixin.qq.com/doc/offiaccount/Custom_Menus/Creating_Custom-Defined_Menu.html).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import requests
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from menueditor.tree import MenuTree, parse_menu

from .base import ERROR, ButtonType, FieldSpec, PlatformRules, Problem, StoredToken, TokenStore, describe_path
from .codes import read_code, shown_code, storable_text
from .transport import PlatformError, deadline, logger, new_session, send, unknown_code_hint

_KEY_HELP = _("Pushes an event carrying this key to your server.")
_CLIENT_NOTE = _("Needs WeChat 5.4 or later; older clients do nothing.")


# Every mini program AppID is "wx" and 16 hexadecimal digits, lower case (the page's own: wx286b93c14bbf93aa).
_MINIPROGRAM_APPID = re.compile(r"wx[0-9a-f]{16}")


class WeChatRules(PlatformRules):
    code = "wechat"
    label = _("WeChat")
    max_buttons = 3
    max_sub_buttons = 5
    # The current page's limits: 16 bytes top level, 60 bytes sub level (older pages said 40).
    name_limits = {1: 16, 2: 60}
    # About 4 CJK characters top level and 8 sub level before "..." (menu/create, 注意事项).
    display_widths = {1: 8, 2: 16}
    # key 128 and url 1024 bytes are WeChat's; the page gives no figure for the other fields, so
    # theirs are our own ceilings, well above any real AppID (18), media_id or article_id (~64).
    fields = {
        "key": FieldSpec("key", _("Key"), 128, _("Sent to your server when the button is tapped.")),
        "url": FieldSpec("url", _("Web address"), 1024, _("The page the button opens.")),
        "appid": FieldSpec("appid", _("Mini program AppID"), 32, _("Lower case, starts with wx.")),
        "pagepath": FieldSpec("pagepath", _("Mini program page"), 1024, _("For example pages/index/index.")),
        "media_id": FieldSpec("media_id", _("Media ID"), 128, _("A permanent material's media_id.")),
        "article_id": FieldSpec("article_id", _("Article ID"), 128, _("A published article's article_id.")),
    }
    button_types = {
        t.code: t
        for t in (
            ButtonType("click", _("Click (send key)"), ("key",), _KEY_HELP),
            ButtonType("view", _("Open web page"), ("url",), _("Opens the web page in WeChat.")),
            ButtonType(
                "miniprogram",
                _("Open mini program"),
                ("appid", "pagepath", "url"),
                _("Opens a page of a mini program linked to this account; old clients open the web address."),
            ),
            ButtonType(
                "scancode_push",
                _("Scan code"),
                ("key",),
                format_lazy(
                    "{} {}",
                    _("Opens the scanner, shows the result and sends it to your server."),
                    _CLIENT_NOTE,
                ),
            ),
            ButtonType(
                "scancode_waitmsg",
                _("Scan code, wait for reply"),
                ("key",),
                format_lazy(
                    "{} {}",
                    _("Opens the scanner, sends the result and shows “receiving message”."),
                    _CLIENT_NOTE,
                ),
            ),
            ButtonType(
                "pic_sysphoto",
                _("Take a photo"),
                ("key",),
                format_lazy("{} {}", _("Opens the camera and sends the photo to your server."), _CLIENT_NOTE),
            ),
            ButtonType(
                "pic_photo_or_album",
                _("Photo or album"),
                ("key",),
                format_lazy(
                    "{} {}", _("Lets the follower take a photo or pick one from the album."), _CLIENT_NOTE
                ),
            ),
            ButtonType(
                "pic_weixin",
                _("WeChat album"),
                ("key",),
                format_lazy("{} {}", _("Opens the WeChat album and sends the chosen photos."), _CLIENT_NOTE),
            ),
            ButtonType(
                "location_select",
                _("Send location"),
                ("key",),
                format_lazy(
                    "{} {}", _("Opens the location picker and sends the chosen place."), _CLIENT_NOTE
                ),
            ),
            ButtonType(
                "media_id",
                _("Send material"),
                ("media_id",),
                _("Sends a permanent image, voice or video material to the follower."),
            ),
            ButtonType(
                "view_limited",
                _("Open material (legacy)"),
                ("media_id",),
                _("Opens a permanent material."),
                _("Legacy type: news materials are no longer accepted; prefer “Open published article”."),
            ),
            ButtonType(
                "article_id",
                _("Send published article"),
                ("article_id",),
                _("Sends a published article to the follower as a card."),
            ),
            ButtonType(
                "article_view_limited",
                _("Open published article"),
                ("article_id",),
                _("Opens a published article."),
            ),
        )
    }
    # Which WeChat error code each rule answers with; the second item is the level (1 top, 2 sub).
    error_codes = {
        ("count", 1): "40016",
        ("count", 2): "40023",
        ("type", 1): "40017",
        ("type", 2): "40024",
        ("name", 1): "40018",
        ("name", 2): "40025",
        ("key", 1): "40019",
        ("key", 2): "40026",
        ("url", 1): "40020",
        ("url", 2): "40027",
        # "invalid button url domain" / "invalid sub button url domain": also what a malformed URL gets.
        ("url_format", 1): "40055",
        ("url_format", 2): "40054",
        ("depth", 2): "40022",
    }

    def _check_leaf(self, button, path, level) -> list[Problem]:
        problems = super()._check_leaf(button, path, level)
        appid = button.value("appid")
        if button.type != "miniprogram" or any(p.field == "appid" for p in problems):
            return problems
        if appid != appid.lower() and _MINIPROGRAM_APPID.fullmatch(appid.lower()):
            problems.append(
                self._problem(
                    path,
                    "appid",
                    _("the mini program AppID must be lower case: %(fixed)s"),
                    "appid",
                    level,
                    severity=ERROR,
                    found=appid,
                    fixed=appid.lower(),
                )
            )
        elif not _MINIPROGRAM_APPID.fullmatch(appid):
            problems.append(
                self._problem(
                    path,
                    "appid",
                    _("a mini program AppID is “wx” and 16 lower-case letters and digits; found “%(found)s”"),
                    "appid",
                    level,
                    severity=ERROR,
                    found=appid,
                )
            )
        return problems

    def payload_bytes(self, tree: MenuTree) -> bytes:
        """The body of menu/create: UTF-8 JSON without \\u escapes (WeChat refuses them: 40033)."""
        return self.payload_text(tree).encode("utf-8")


WECHAT = WeChatRules()


# -- HTTP client and error table ---------------------------------------------------------------------
# Everything below talks to WeChat over HTTP. Tokens live in a TokenStore (the account's, encrypted),
# shared by every worker and process; one of them refreshes at a time (a lease, not a row lock).

# The token was refused: invalid (40001), superseded (40014) or expired (42001).
TOKEN_ERRORS = frozenset({"40001", "40014", "42001"})
# stable_token hands back the same token until 5 minutes before expiry: renew no later than that.
TOKEN_MARGIN_SECONDS = 300
WHEN_VISIBLE = _("within about 5 minutes")

WECHAT_HINTS: dict[str, Any] = {
    "-1": _("WeChat is busy. Try again in a moment."),
    "40013": _("The AppID is wrong: fix it in the account settings."),
    "40125": _(
        "The AppSecret is wrong: enter it again in the account settings (reset it in the MP console "
        "if it was lost)."
    ),
    "40164": _(
        "WeChat refused this server's IP address %(ip)s: add it to the IP whitelist in the MP console "
        "(设置与开发 > 基本配置). The change takes a few minutes."
    ),
    "40243": _("The AppSecret is frozen: unfreeze it in the MP console."),
    "40016": _("Wrong number of buttons: a menu has 1 to 3 top-level buttons."),
    "40023": _("Wrong number of sub-buttons: a button that opens a sub-menu has 1 to 5 of them."),
    "40017": _(
        "WeChat does not accept a button type used here: use one of the types the editor offers; "
        "a button with sub-buttons carries no type."
    ),
    "40018": _("A top-level button name is too long: at most 16 bytes (5 Chinese characters)."),
    "40025": _("A sub-button name is too long: at most 60 bytes (20 Chinese characters)."),
    "40019": _("A button's key is missing or too long: 1 to 128 bytes."),
    "40020": _("A button's web address is missing or too long: 1 to 1024 bytes."),
    "40022": _("The menu has more than two levels: sub-buttons cannot have sub-buttons."),
    "40033": _(
        "WeChat found \\u escapes in what this app sent. This is a bug of this app: please report it."
    ),
    "40054": _(
        "A web address uses a domain this account may not link to: use a domain the account may link to."
    ),
    "40119": _(
        "This account may not use one of the button types in the menu: remove it, or verify the account."
    ),
    "45009": _(
        "Today's quota for this call is used up. It resets tomorrow; the MP console can reset quotas "
        "up to 10 times a month."
    ),
    "45011": _("Too many calls in a minute: wait a minute and try again."),
    "45064": _("A mini program in the menu is not linked to this account: link it in the MP console first."),
    "46003": _(
        "No menu has been set through the API: the live menu is empty or was set in the MP web console."
    ),
    "48001": _(
        "This account may not use the menu API: unverified subscription accounts cannot use it. "
        "Verify the account in the MP console."
    ),
    "50002": _("The account is restricted: resolve the restriction in the MP console."),
    "61004": _(
        "This server's IP address is not on the third-party platform's whitelist: fix it on the "
        "third-party platform."
    ),
    "61007": _(
        "The third-party platform is not authorised to manage this account's menu: grant it on the "
        "third-party platform."
    ),
    "65301": _("No conditional menu has that menuid: it may have been deleted already."),
    "65302": _("No follower matches that user: check the openid or WeChat ID."),
    "65303": _("A conditional menu needs a default menu first: publish a default menu, then try again."),
    "65316": _("The menu links to too many different domains (at most 3): use fewer domains."),
    "65317": _("A web address in the menu is not valid: correct it."),
    "65320": _(
        "WeChat no longer accepts conditional menus by sex, region or language: match on a follower tag."
    ),
}
# Codes that share one explanation (top level / sub level, or two names for one fault).
for _same, _as in {
    "40024": "40017",
    "40026": "40019",
    "40027": "40020",
    "47002": "40033",
    "40055": "40054",
    "40120": "40119",
}.items():
    WECHAT_HINTS[_same] = WECHAT_HINTS[_as]

_TOKEN_REFUSED_HINT = _(
    "WeChat refused the access token even after this app fetched a new one and tried again. Another "
    "system is probably fetching tokens from /cgi-bin/token for the same AppID (switch it to "
    "stable_token, or let one system own the token), or the AppSecret was changed: enter the current "
    "one in the account settings."
)
_AUTHORIZER_REFUSED_HINT = _(
    "WeChat refused the third-party authorizer access token (invalid or expired). The third-party "
    "platform must refresh it; then paste the new token into the account settings."
)
_CONDITIONAL_HINT = _(
    "WeChat refused the conditional menu (code %(code)s: “%(message)s”): correct it as the message says."
)
_IP_PATTERN = re.compile(r"invalid ip\s+([0-9A-Fa-f:.]+)", re.IGNORECASE)


def wechat_hint(code: str, message: str, *, token_mode: str = "") -> str:
    """Plain-language advice for a WeChat error code, in the active language."""
    if code in TOKEN_ERRORS:
        return str(_AUTHORIZER_REFUSED_HINT if token_mode == "authorizer" else _TOKEN_REFUSED_HINT)
    if code == "40164":
        match = _IP_PATTERN.search(message or "")
        ip = match.group(1).rstrip(".,") if match else gettext("named in the message")
        return str(WECHAT_HINTS[code]) % {"ip": ip}
    if code in WECHAT_HINTS:
        return str(WECHAT_HINTS[code])
    if code.isdigit() and 65301 <= int(code) <= 65320:
        return str(_CONDITIONAL_HINT) % {"code": code, "message": message}
    return unknown_code_hint(code, message)


def _error_from(data: dict[str, Any], token_mode: str = "") -> PlatformError | None:
    """The error a WeChat reply carries, or None. Branch on errcode only: errmsg has a request id.

    No errcode (or null) and 0 are success; any value that is not a plain integer (1e999, "²", a
    float, an object) is an unknown code, never taken for success (platforms/codes.py).
    """
    errcode = data.get("errcode")
    if errcode is None:
        return None
    code = read_code(errcode)
    if code == "0":
        return None
    message = storable_text(data.get("errmsg", ""))
    if code is None:
        code = shown_code(errcode)
        return PlatformError(code, message, unknown_code_hint(code, message))
    return PlatformError(code, message, wechat_hint(code, message, token_mode=token_mode))


@dataclass
class LiveMenu:
    """The menu on the platform now: None when there is none; what could not be converted is listed."""

    tree: MenuTree | None
    raw: str = ""  # the reply body the menu came from (no token in it)
    unconvertible: list[str] = field(default_factory=list)


# Reply types of menus built in the MP web console: fixed replies the API cannot express.
CONSOLE_REPLY_TYPES: dict[str, Any] = {
    "text": _("a text reply"),
    "img": _("an image reply"),
    "voice": _("a voice reply"),
    "video": _("a video reply"),
    "news": _("an article (news) reply"),
}


def _place(path: tuple[int, ...], name: str) -> str:
    return f"{describe_path(path)} “{name}”"


def _convert_console_button(data: dict[str, Any], path: tuple[int, ...], notes: list[str]) -> dict[str, Any]:
    """A get_current_selfmenu_info button in menu/create shape; console replies become untyped slots."""
    if not isinstance(data, dict):
        return {"name": ""}
    name = str(data.get("name", ""))
    subs = data.get("sub_button")
    if isinstance(subs, dict):
        subs = subs.get("list", [])
    if isinstance(subs, list) and (subs or not data.get("type")):
        return {
            "name": name,
            "sub_button": [_convert_console_button(s, (*path, j), notes) for j, s in enumerate(subs)],
        }
    kind = str(data.get("type", ""))
    if kind in CONSOLE_REPLY_TYPES:
        notes.append(
            gettext(
                "%(place)s sends %(reply)s set up in the MP web console; the API cannot send fixed "
                "replies, so the button was kept without a type: choose what it does."
            )
            % {"place": _place(path, name), "reply": CONSOLE_REPLY_TYPES[kind]}
        )
        return {"name": name}
    return {k: v for k, v in data.items() if k not in ("sub_button", "value", "news_info")}


def convert_selfmenu_info(data: dict[str, Any]) -> LiveMenu:
    """Read a get_current_selfmenu_info reply: its lists are wrapped in {"list": [...]}."""
    raw = json.dumps(data, ensure_ascii=False)
    info = data.get("selfmenu_info") or {}
    buttons = info.get("button") if isinstance(info, dict) else None
    if not data.get("is_menu_open") or not buttons:
        return LiveMenu(None, raw)
    notes: list[str] = []
    converted = [_convert_console_button(b, (i,), notes) for i, b in enumerate(buttons)]
    return LiveMenu(parse_menu({"button": converted}), raw, notes)


def read_menu_get(data: dict[str, Any]) -> LiveMenu:
    """Read a menu/get reply (the default menu; conditional menus are listed, not pulled)."""
    raw = json.dumps(data, ensure_ascii=False)
    menu = data.get("menu") if isinstance(data.get("menu"), dict) else {}
    notes: list[str] = []
    conditional = data.get("conditionalmenu")
    if isinstance(conditional, list) and conditional:
        notes.append(
            gettext(
                "The account also has %(count)d conditional menu(s) for tagged followers; they were "
                "not pulled and stay as they are."
            )
            % {"count": len(conditional)}
        )
    if not menu.get("button"):
        return LiveMenu(None, raw, notes)
    return LiveMenu(parse_menu({"button": menu["button"]}), raw, notes)


def read_live_text(raw: str) -> LiveMenu:
    """Read back a reply stored in a Publication (menu/get or get_current_selfmenu_info)."""
    data = json.loads(raw) if raw else {}
    if not isinstance(data, dict):
        return LiveMenu(None, raw)
    if "selfmenu_info" in data or "is_menu_open" in data:
        return convert_selfmenu_info(data)
    if "menu" in data:
        return read_menu_get(data)
    return LiveMenu(parse_menu(data) if data.get("button") else None, raw)


class WeChatTokens:
    """The account's access token, kept in a TokenStore shared by every worker; one refresh at a time."""

    def __init__(self, account, session: requests.Session, store: TokenStore) -> None:
        self.account = account
        self.session = session
        self.store = store

    @property
    def mode(self) -> str:
        return self.account.token_mode or "stable"

    def current(self) -> str:
        """A token believed valid: the stored one, or a fresh one (fetched by one worker at a time)."""
        if self.mode == "authorizer":
            return self._authorizer_token()
        stored = self.store.load()
        if stored is not None and stored.expires_at > timezone.now():
            return stored.token
        return self._obtain(rejected=None)

    def renew(self, rejected: str) -> str:
        """A token other than the one the platform just refused (another worker's, or a new one)."""
        if self.mode == "authorizer":
            return self._authorizer_token()
        return self._obtain(rejected=rejected)

    def fetch_now(self) -> str:
        """Fetch a token from WeChat whatever the store holds (the admin's connection test)."""
        if self.mode == "authorizer":
            return self._authorizer_token()
        return self._obtain(rejected=None, always=True)

    def _authorizer_token(self) -> str:
        # A third-party platform refreshes the authorizer token itself; we only use it.
        if not self.account.access_token:
            raise PlatformError(
                "not_configured",
                "no authorizer access token",
                gettext("Paste the third-party authorizer access token into the account settings."),
            )
        return self.account.access_token

    def _fresh(self, stored: StoredToken | None, rejected: str | None, since) -> bool:
        if stored is None or stored.expires_at <= timezone.now() or stored.token == rejected:
            return False
        return since is None or stored.fetched_at >= since

    def _obtain(self, *, rejected: str | None, always: bool = False) -> str:
        """Single-flight: claim the refresh, or wait for the worker that holds it and take its token.

        No transaction or row lock is held while WeChat answers; the claim is a lease that expires.
        """
        started = timezone.now()
        since = started if always else None
        give_up = time.monotonic() + 2 * deadline() + 1
        while True:
            if self._fresh(self.store.load(), rejected, since):
                return self.store.load().token
            claim = self.store.claim_refresh(deadline() + 5)
            if claim is not None:
                try:
                    stored = self.store.load()
                    if self._fresh(stored, rejected, since):
                        return stored.token  # the previous holder stored it just before we claimed
                    # One fetch, never force_refresh: forcing kills the token of every other system on
                    # this AppID and is limited to 20 a day. A refusal is reported with its hint.
                    token, expires_in = self._fetch()
                    lifetime = expires_in - min(TOKEN_MARGIN_SECONDS, expires_in // 2)
                    return self.store.save(token, lifetime).token
                finally:
                    self.store.release_refresh(claim)
            if time.monotonic() > give_up:
                raise PlatformError(
                    "token_busy",
                    "another worker's token refresh did not finish",
                    gettext(
                        "Another request of this account is fetching an access token and has not "
                        "finished. Try again in a moment."
                    ),
                )
            time.sleep(0.05)

    def _fetch(self) -> tuple[str, int]:
        if not self.account.app_id or not self.account.app_secret:
            raise PlatformError(
                "not_configured",
                "AppID or AppSecret missing",
                gettext("Enter the AppID and the AppSecret in the account settings."),
            )
        base = self.account.effective_api_base
        if self.mode == "classic":
            query = urlencode(
                {
                    "grant_type": "client_credential",
                    "appid": self.account.app_id,
                    "secret": self.account.app_secret,
                }
            )
            data = send(self.session, "GET", f"{base}/cgi-bin/token?{query}")
        else:
            body = {
                "grant_type": "client_credential",
                "appid": self.account.app_id,
                "secret": self.account.app_secret,
                "force_refresh": False,
            }
            data = send(
                self.session,
                "POST",
                f"{base}/cgi-bin/stable_token",
                data=json.dumps(body).encode("utf-8"),
                headers={"Content-Type": "application/json; charset=utf-8"},
            )
        error = _error_from(data, self.mode)
        if error is not None:
            raise error
        token = data.get("access_token")
        if not isinstance(token, str) or not token:
            raise PlatformError(
                "no_token", "reply without access_token", unknown_code_hint("no_token", str(sorted(data)))
            )
        try:
            expires_in = max(1, min(int(data.get("expires_in", 7200)), 7200))
        except (TypeError, ValueError, OverflowError):  # OverflowError: 1e999 is read as infinity
            expires_in = 7200
        logger.info("WeChat token fetched for account %s (%s mode)", self.account.slug, self.mode)
        return token, expires_in


class WeChatClient:
    """WeChat's menu calls for one account. Raises PlatformError; the caller turns it into an outcome."""

    rules = WECHAT
    when_visible = WHEN_VISIBLE
    # Clients fetch the menu again when the chat is opened and their copy is over 5 minutes old.
    published_hint = _(
        "Published. Phones show the new menu within about 5 minutes: WeChat fetches it again when a "
        "follower opens the chat and the last fetch is over 5 minutes old. No need to publish again."
    )
    deleted_hint = _(
        "The live menu was deleted. Phones stop showing it within about 5 minutes. Publish a draft "
        "to put a menu back."
    )

    def __init__(self, account, token_store: TokenStore, session: requests.Session | None = None) -> None:
        self.account = account
        self.session = session or new_session()
        self.tokens = WeChatTokens(account, self.session, token_store)

    def close(self) -> None:
        self.session.close()

    def _request(self, method: str, path: str, token: str, body: bytes | None) -> dict[str, Any]:
        url = f"{self.account.effective_api_base}{path}?access_token={quote(token, safe='')}"
        headers = {"Content-Type": "application/json; charset=utf-8"} if body is not None else {}
        data = send(self.session, method, url, data=body, headers=headers)
        error = _error_from(data, self.tokens.mode)
        if error is not None:
            raise error
        return data

    def _call(self, method: str, path: str, body: bytes | None = None) -> dict[str, Any]:
        token = self._token(self.tokens.current)
        try:
            return self._request(method, path, token, body)
        except PlatformError as error:
            if error.code not in TOKEN_ERRORS or self.tokens.mode == "authorizer":
                raise
            # Refresh once and retry once, never more: a second refusal is reported with its hint.
            logger.info("WeChat refused the token (%s) for %s: refreshing", error.code, self.account.slug)
            renewed = self._token(lambda: self.tokens.renew(rejected=token))
            return self._request(method, path, renewed, body)

    @staticmethod
    def _token(get) -> str:
        try:
            return get()
        except PlatformError as error:
            error.unanswered = False  # a token call changes no menu, whatever became of it
            raise

    def publish(self, tree: MenuTree) -> tuple[str, str, str]:
        """menu/create with the exact bytes menu_export prints: (text sent, errcode, errmsg)."""
        data = self._call("POST", "/cgi-bin/menu/create", self.rules.payload_bytes(tree))
        return self.rules.payload_text(tree), str(data.get("errcode", 0)), str(data.get("errmsg", ""))

    def read_live(self) -> LiveMenu:
        """The default menu from menu/get; when none was set through the API, the console's menu."""
        try:
            return read_menu_get(self._call("GET", "/cgi-bin/menu/get"))
        except PlatformError as error:
            if error.code != "46003":
                raise
        return convert_selfmenu_info(self._call("GET", "/cgi-bin/get_current_selfmenu_info"))

    def delete(self) -> None:
        self._call("GET", "/cgi-bin/menu/delete")

    def check(self) -> str:
        """Fetch a token and read the menu; a line saying what was found."""
        self.tokens.fetch_now()
        live = self.read_live()
        if live.tree is None:
            return gettext("Connected: a token was obtained; the live menu is empty.")
        return gettext("Connected: a token was obtained; the live menu has %(count)d top-level buttons.") % {
            "count": len(live.tree.buttons)
        }

    @staticmethod
    def read_stored(raw: str) -> LiveMenu:
        return read_live_text(raw)
