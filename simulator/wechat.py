"""The WeChat side: access tokens and the menu calls of platforms.md, with the platform's error codes.

Every answer is HTTP 200 with JSON; failures are {"errcode": N, "errmsg": "... rid: ..."}. State is
kept per AppID; the caller (the Simulator) holds its lock around every method here.
"""

from __future__ import annotations

import copy
import json
import re
import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .exchange import WECHAT_JSON, RecordedRequest, Reply
from .rules import (
    Refusal,
    check_wechat_conditional_domains,
    check_wechat_matchrule,
    check_wechat_menu,
    has_unicode_escape,
)
from .state import SharedState
from .wechat_conditional import domains_refusal, follower, rule_matches, tags_get
from .wechat_content import WeChatContentSide

DEFAULT_APPID = "wx0123456789abcdef"
DEFAULT_SECRET = "demo-app-secret"

# The texts WeChat sends with each code (a " rid: ..." suffix is added to every one).
ERRMSG: dict[int, str] = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40007: "invalid media_id",
    40013: "invalid appid",
    40014: "invalid access_token",
    40016: "invalid button size",
    40017: "invalid button type",
    40018: "invalid button name size",
    40019: "invalid button key size",
    40020: "invalid button url size",
    40022: "invalid sub button level",
    40023: "invalid sub button size",
    40024: "invalid sub button type",
    40025: "invalid sub button name size",
    40026: "invalid sub button key size",
    40027: "invalid sub button url size",
    40033: "invalid charset. please check your request, if include \\uxxxx will create fail!",
    40054: "invalid sub button url domain",
    40055: "invalid button url domain",
    40119: "invalid use button type",
    40120: "invalid use sub button type",
    40125: "invalid appsecret",
    40165: "invalid weapp pagepath",
    40166: "invalid weapp appid",
    40243: "AppSecret is frozen",
    41001: "access_token missing",
    41002: "appid missing",
    41004: "appsecret missing",
    42001: "access_token expired",
    43002: "require POST method",
    44002: "empty post data",
    45009: "reach max api daily quota limit",
    45011: "api minute-quota reach limit  mustslower  retry next minute",
    45064: "no permission to use weapp in menu",
    46003: "menu no exist",
    47001: "data format error",
    48001: "api unauthorized",
    50002: "user limited",
    61004: "access clientip is not registered",
    61007: "api is unauthorized to component",
    65301: "no such conditional menu",
    65302: "no such user",
    65303: "there is no selfmenu, please create selfmenu first",
    65304: "match rule empty",
    65316: "too many url domains in menu",
    65320: "matchrule on sex, region or language is not supported",
}

# Issued tokens look like real ones: a short numeric prefix, then URL-safe characters.
_TOKEN_ALPHABET = string.ascii_letters + string.digits + "_-"
_WELL_FORMED_TOKEN = re.compile(r"[A-Za-z0-9_\-]{32,512}\Z")
STABLE_TOKEN_LENGTH = 157
CLASSIC_TOKEN_LENGTH = 136
# stable_token hands back the same token until this close to its expiry; classic tokens overlap this long.
RENEW_MARGIN = 300
CLASSIC_OVERLAP = 300
FORCE_REFRESH_INTERVAL = 30


def new_token(length: int) -> str:
    prefix = f"{secrets.randbelow(90) + 10}_"
    return prefix + "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(length - len(prefix)))


def rid() -> str:
    return "-".join(secrets.token_hex(4) for _ in range(3))


def ip_whitelist_message(ip: str) -> str:
    ipv6 = ip if ":" in ip else f"::ffff:{ip}"
    return f"invalid ip {ip} ipv6 {ipv6}, not in whitelist"


def wechat_error(code: int, errmsg: str | None = None, *, client_ip: str = "127.0.0.1") -> Reply:
    if errmsg is None:
        text = ip_whitelist_message(client_ip) if code == 40164 else ERRMSG.get(code, "unknown error")
        errmsg = f"{text} rid: {rid()}"
    return Reply.json({"errcode": code, "errmsg": errmsg})


OK = {"errcode": 0, "errmsg": "ok"}


@dataclass
class IssuedToken:
    appid: str
    kind: str  # "stable", "classic" or "authorizer"
    expires_at: float
    superseded_until: float | None = None  # a classic token replaced by a newer one dies then


@dataclass
class WeChatApp:
    appid: str
    secret: str
    menu: dict | None = None  # the API menu exactly as sent to menu/create
    menuid: int | None = None
    conditional: list[dict] = field(default_factory=list)  # {"button", "matchrule", "menuid"}
    console_menu: dict | None = None  # selfmenu_info of a menu built in the MP web console
    stable_token: str | None = None
    last_force_refresh: float | None = None
    daily: dict[tuple[str, int], int] = field(default_factory=dict)

    def used(self, what: str, day: int) -> int:
        return self.daily.get((what, day), 0)

    def use(self, what: str, day: int) -> None:
        self.daily[(what, day)] = self.used(what, day) + 1


class WeChat:
    name = "wechat"
    prefix = "/cgi-bin/"
    content_type = WECHAT_JSON

    def __init__(self, sim: SharedState) -> None:
        self.sim = sim
        self.apps: dict[str, WeChatApp] = {}
        self.tokens: dict[str, IssuedToken] = {}
        self._next_menuid = 0
        self.content = WeChatContentSide(self)
        self.reset()

    def reset(self) -> None:
        self.apps = {}
        self.tokens = {}
        self._next_menuid = 401_000_000
        self.content.reset()
        self.add_app(DEFAULT_APPID, DEFAULT_SECRET)

    def state(self) -> dict[str, Any]:
        return {
            appid: {
                "menu": app.menu,
                "menuid": app.menuid,
                "conditionalmenu": app.conditional,
                "console_menu": app.console_menu,
            }
            for appid, app in self.apps.items()
        }

    # --- set-up used by the Simulator -----------------------------------------------------------

    def add_app(self, appid: str, secret: str) -> WeChatApp:
        app = self.apps.get(appid)
        if app is None:
            app = self.apps[appid] = WeChatApp(appid, secret)
        app.secret = secret
        return app

    def add_authorizer_token(self, token: str, appid: str) -> None:
        self.add_app(appid, self.apps[appid].secret if appid in self.apps else secrets.token_hex(16))
        self.tokens[token] = IssuedToken(appid, "authorizer", self.sim.now() + self.sim.token_lifetime)

    def expire_tokens(self) -> None:
        now = self.sim.now()
        for token in self.tokens.values():
            token.expires_at = min(token.expires_at, now)

    def invalidate_tokens(self) -> None:
        self.tokens.clear()
        for app in self.apps.values():
            app.stable_token = None

    def set_console_menu(self, appid: str, selfmenu_info: dict | None) -> None:
        app = self.apps[appid]
        if selfmenu_info is not None and "selfmenu_info" in selfmenu_info:
            selfmenu_info = selfmenu_info["selfmenu_info"]
        app.console_menu = copy.deepcopy(selfmenu_info)
        if selfmenu_info is not None:
            # Saving a menu in the web console replaces the menu set through the API.
            app.menu, app.menuid, app.conditional = None, None, []

    def set_api_menu(self, appid: str, menu: dict | None) -> None:
        app = self.apps[appid]
        app.menu = copy.deepcopy(menu)
        app.menuid = self._new_menuid() if menu is not None else None
        if menu is None:
            app.conditional = []
        else:
            app.console_menu = None

    def _new_menuid(self) -> int:
        self._next_menuid += 1
        return self._next_menuid

    def _today(self) -> int:
        return int(self.sim.now() // 86400)

    # --- HTTP ------------------------------------------------------------------------------------

    def handle(self, req: RecordedRequest) -> Reply:
        routes: dict[str, tuple[str, Callable[[RecordedRequest], Reply]]] = {
            **self.content.routes(),  # materials, published articles, mini programs
            "/cgi-bin/stable_token": ("POST", self.stable_token),
            "/cgi-bin/token": ("GET", self.classic_token),
            "/cgi-bin/menu/create": ("POST", self.menu_create),
            "/cgi-bin/menu/get": ("GET", self.menu_get),
            "/cgi-bin/get_current_selfmenu_info": ("GET", self.selfmenu_info),
            "/cgi-bin/menu/delete": ("GET", self.menu_delete),
            "/cgi-bin/menu/addconditional": ("POST", self.add_conditional),
            "/cgi-bin/menu/delconditional": ("POST", self.del_conditional),
            "/cgi-bin/menu/trymatch": ("POST", self.try_match),
            "/cgi-bin/tags/get": ("GET", lambda r: tags_get(self, r)),
        }
        route = routes.get(req.path.rstrip("/") or req.path)
        if route is None:
            return Reply.html(404, "Not Found")
        method, handler = route
        if method == "POST" and req.method != "POST":
            return self.error(req, 43002)
        return handler(req)

    def fault_reply(self, req: RecordedRequest, code: int, errmsg: str | None) -> Reply:
        return wechat_error(code, errmsg, client_ip=req.client_ip)

    def error(self, req: RecordedRequest, code: int, errmsg: str | None = None) -> Reply:
        return wechat_error(
            code, None if errmsg is None else f"{errmsg} rid: {rid()}", client_ip=req.client_ip
        )

    def refuse(self, req: RecordedRequest, refusal: Refusal) -> Reply:
        self.sim.note_refusal(req.path, refusal.code, refusal.detail)
        return self.error(req, refusal.code, refusal.errmsg)

    # --- tokens ----------------------------------------------------------------------------------

    def _credentials(self, req: RecordedRequest, grant_type: Any, appid: Any, secret: Any) -> Any:
        """The app the credentials name, or the error Reply."""
        if grant_type != "client_credential":
            return self.error(req, 40002)
        if not appid:
            return self.error(req, 41002)
        app = self.apps.get(appid)
        if app is None:
            return self.error(req, 40013)
        if not secret:
            return self.error(req, 41004)
        if secret != app.secret:
            return self.error(req, 40125)
        whitelist = self.sim.ip_whitelist
        if whitelist is not None and req.client_ip not in whitelist:
            return self.error(req, 40164)
        return app

    def _issue(self, app: WeChatApp, kind: str, length: int) -> tuple[str, IssuedToken]:
        token = new_token(length)
        issued = IssuedToken(app.appid, kind, self.sim.now() + self.sim.token_lifetime)
        self.tokens[token] = issued
        return token, issued

    def _token_reply(self, token: str, issued: IssuedToken) -> Reply:
        self.sim.count_token_fetch()
        expires_in = max(0, round(issued.expires_at - self.sim.now()))
        return Reply.json({"access_token": token, "expires_in": expires_in})

    def stable_token(self, req: RecordedRequest) -> Reply:
        try:
            body = req.json()
        except ValueError:
            return self.error(req, 47001)
        if not isinstance(body, dict):
            return self.error(req, 47001)
        app = self._credentials(req, body.get("grant_type"), body.get("appid"), body.get("secret"))
        if isinstance(app, Reply):
            return app
        now, today = self.sim.now(), self._today()
        force = body.get("force_refresh") in (True, "true", 1)
        if force:
            if app.last_force_refresh is not None and now - app.last_force_refresh < FORCE_REFRESH_INTERVAL:
                return self.error(req, 45011)
            if app.used("force_refresh", today) >= self.sim.force_refresh_quota:
                return self.error(req, 45009)
            app.use("force_refresh", today)
            app.last_force_refresh = now
            # A forced refresh kills the old stable token at once.
            self.tokens.pop(app.stable_token or "", None)
        else:
            current = self.tokens.get(app.stable_token or "")
            if current is not None and current.expires_at - now > RENEW_MARGIN:
                return self._token_reply(app.stable_token, current)
        token, issued = self._issue(app, "stable", STABLE_TOKEN_LENGTH)
        app.stable_token = token
        return self._token_reply(token, issued)

    def classic_token(self, req: RecordedRequest) -> Reply:
        q = req.query
        app = self._credentials(req, q.get("grant_type"), q.get("appid"), q.get("secret"))
        if isinstance(app, Reply):
            return app
        now, today = self.sim.now(), self._today()
        if app.used("token", today) >= self.sim.token_quota:
            return self.error(req, 45009)
        app.use("token", today)
        # Every call replaces the previous classic tokens, which live on for a 5-minute overlap.
        for issued in self.tokens.values():
            if issued.appid == app.appid and issued.kind == "classic" and issued.superseded_until is None:
                issued.superseded_until = now + CLASSIC_OVERLAP
        token, issued = self._issue(app, "classic", CLASSIC_TOKEN_LENGTH)
        return self._token_reply(token, issued)

    def _app_for_token(self, req: RecordedRequest) -> WeChatApp | Reply:
        token = req.query.get("access_token", "")
        if not token:
            return self.error(req, 41001)
        issued = self.tokens.get(token)
        if issued is None:
            return self.error(req, 40001 if _WELL_FORMED_TOKEN.match(token) else 40014)
        now = self.sim.now()
        if issued.superseded_until is not None and now >= issued.superseded_until:
            return self.error(req, 40001)
        if now >= issued.expires_at:
            return self.error(req, 42001)
        return self.apps[issued.appid]

    def _menu_body(self, req: RecordedRequest) -> Any:
        """The parsed JSON body of a call carrying buttons, or the error Reply."""
        if not req.body:
            return self.error(req, 44002)
        try:
            text = req.body.decode("utf-8")
        except UnicodeDecodeError:
            return self.refuse(req, Refusal(40033, "the body is not UTF-8"))
        if has_unicode_escape(text):
            return self.refuse(req, Refusal(40033, "the body holds \\uXXXX escapes"))
        try:
            return json.loads(text)
        except ValueError:
            return self.refuse(req, Refusal(47001, "the body is not JSON"))

    def _plain_body(self, req: RecordedRequest) -> Any:
        if not req.body:
            return self.error(req, 44002)
        try:
            body = req.json()
        except ValueError:
            return self.error(req, 47001)
        return body if isinstance(body, dict) else self.error(req, 47001)

    # --- menus -----------------------------------------------------------------------------------

    def _check_buttons(self, body: Any) -> Refusal | None:
        return check_wechat_menu(
            body,
            linked_miniprograms=self.sim.linked_miniprograms,
            disallowed_types=self.sim.disallowed_types,
        )

    def menu_create(self, req: RecordedRequest) -> Reply:
        app = self._app_for_token(req)
        if isinstance(app, Reply):
            return app
        today = self._today()
        if app.used("menu_create", today) >= self.sim.create_quota:
            return self.error(req, 45009)
        app.use("menu_create", today)
        body = self._menu_body(req)
        if isinstance(body, Reply):
            return body
        refusal = self._check_buttons(body)
        if refusal:
            return self.refuse(req, refusal)
        self.set_api_menu(app.appid, body)
        return Reply.json(OK)

    def menu_get(self, req: RecordedRequest) -> Reply:
        app = self._app_for_token(req)
        if isinstance(app, Reply):
            return app
        if app.menu is None:
            return self.error(req, 46003)
        out: dict[str, Any] = {"menu": {"button": _as_got(app.menu.get("button")), "menuid": app.menuid}}
        if app.conditional:
            out["conditionalmenu"] = [
                {
                    "button": _as_got(item["button"]),
                    "matchrule": _as_read_back(item["matchrule"]),
                    "menuid": item["menuid"],
                }
                for item in app.conditional
            ]
        return Reply.json(out)

    def selfmenu_info(self, req: RecordedRequest) -> Reply:
        app = self._app_for_token(req)
        if isinstance(app, Reply):
            return app
        if app.console_menu is not None:
            return Reply.json({"is_menu_open": 1, "selfmenu_info": copy.deepcopy(app.console_menu)})
        if app.menu is not None:
            buttons = [_as_selfmenu(b) for b in app.menu.get("button", [])]
            return Reply.json({"is_menu_open": 1, "selfmenu_info": {"button": buttons}})
        return Reply.json({"is_menu_open": 0, "selfmenu_info": {"button": []}})

    def menu_delete(self, req: RecordedRequest) -> Reply:
        app = self._app_for_token(req)
        if isinstance(app, Reply):
            return app
        app.menu, app.menuid, app.conditional, app.console_menu = None, None, [], None
        return Reply.json(OK)

    def add_conditional(self, req: RecordedRequest) -> Reply:
        app = self._app_for_token(req)
        if isinstance(app, Reply):
            return app
        body = self._menu_body(req)
        if isinstance(body, Reply):
            return body
        if app.menu is None:
            return self.error(req, 65303)
        refusal = check_wechat_matchrule(body.get("matchrule") if isinstance(body, dict) else None)
        refusal = refusal or self._check_buttons(body) or check_wechat_conditional_domains(body["button"])
        refusal = refusal or domains_refusal(app.conditional, body["button"])
        if refusal:
            return self.refuse(req, refusal)
        menuid = self._new_menuid()
        app.conditional.append(
            {
                "button": copy.deepcopy(body["button"]),
                "matchrule": copy.deepcopy(body["matchrule"]),
                "menuid": menuid,
            }
        )
        return Reply.json({"menuid": str(menuid)})

    def del_conditional(self, req: RecordedRequest) -> Reply:
        app = self._app_for_token(req)
        if isinstance(app, Reply):
            return app
        body = self._plain_body(req)
        if isinstance(body, Reply):
            return body
        wanted = str(body.get("menuid", ""))
        for item in app.conditional:
            if str(item["menuid"]) == wanted:
                app.conditional.remove(item)
                return Reply.json(OK)
        return self.error(req, 65301)

    def try_match(self, req: RecordedRequest) -> Reply:
        app = self._app_for_token(req)
        if isinstance(app, Reply):
            return app
        body = self._plain_body(req)
        if isinstance(body, Reply):
            return body
        found = follower(self.sim.users, str(body.get("user_id", "")))
        if found is None:
            return self.error(req, 65302)
        tags, platform = found
        # The newest conditional menu that matches wins, as on the platform.
        for item in reversed(app.conditional):
            if rule_matches(item["matchrule"], tags, platform):
                return Reply.json({"button": copy.deepcopy(item["button"])})
        if app.menu is None:
            return self.error(req, 46003)
        return Reply.json({"button": copy.deepcopy(app.menu.get("button"))})


def _as_selfmenu(button: dict) -> dict:
    """A menu/create button as get_current_selfmenu_info shows it: sub_button becomes {"list": [...]}."""
    subs = button.get("sub_button")
    if subs:
        return {"name": button.get("name"), "sub_button": {"list": [_as_selfmenu(s) for s in subs]}}
    return {k: copy.deepcopy(v) for k, v in button.items() if k != "sub_button"}


def _as_got(buttons: Any) -> Any:
    """menu/get's buttons: every one, leaves included, comes back with "sub_button": [] (platforms.md)."""
    buttons = copy.deepcopy(buttons)
    for button in buttons if isinstance(buttons, list) else []:
        if isinstance(button, dict):
            button.setdefault("sub_button", [])
            for sub in button["sub_button"] if isinstance(button["sub_button"], list) else []:
                if isinstance(sub, dict):
                    sub.setdefault("sub_button", [])
    return buttons


def _as_read_back(rule: dict) -> dict:
    """menu/get names the tag rule group_id, as the platform still does."""
    out = {key: str(value) for key, value in rule.items()}  # values come back as strings
    if "tag_id" in out:
        out["group_id"] = out.pop("tag_id")
    return out
