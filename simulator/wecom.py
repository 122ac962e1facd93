"""The WeCom (企业微信) side: gettoken and an application's menu calls, with WeCom's error codes.

WeCom's real host (qyapi.weixin.qq.com) uses /cgi-bin/ paths as WeChat's does, so here it answers
under its own prefix: point a WeCom account's api_base at `<simulator url>/wecom`, and its calls
arrive as /wecom/cgi-bin/gettoken, /wecom/cgi-bin/menu/create and so on. Faults name those paths, or
platform="wecom".

Every answer is HTTP 200 with JSON {"errcode", "errmsg"}; errmsg ends as WeCom's does, with
", hint: [...], from ip: <caller>, more info at ...". State is kept per application (corp ID and
agent ID); a token works for the application it was fetched for only (another agent's: 301002).
The caller (the Simulator) holds its lock around every method here.
"""

from __future__ import annotations

import copy
import json
import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .exchange import WECHAT_JSON, RecordedRequest, Reply
from .rules import Refusal
from .state import SharedState
from .wecom_rules import check_wecom_menu

DEFAULT_CORPID = "ww0123456789abcdef"
DEFAULT_AGENTID = 1000002
DEFAULT_CORPSECRET = "demo-wecom-app-secret"

PREFIX = "/wecom/cgi-bin/"

# The texts WeCom sends with each code, before its ", hint: ..." suffix.
ERRMSG: dict[int, str] = {
    -1: "system busy",
    40001: "invalid credential",
    40013: "invalid corpid",
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
    40054: "invalid sub button url domain",
    40055: "invalid button url domain",
    40056: "invalid agentid",
    40165: "invalid weapp pagepath",
    40166: "invalid weapp appid",
    41001: "access_token missing",
    41002: "corpid missing",
    41004: "corpsecret missing",
    41011: "agentid missing",
    42001: "access_token expired",
    43002: "require POST method",
    44002: "empty post data",
    45009: "api freq out of limit",
    45033: "api concurrent out of limit",
    46003: "menu no exist",
    47001: "data format error",
    48002: "api forbidden",
    60011: "no privilege to access/modify contact/party/agent",
    60020: "not allow to access from your ip",
    301002: "access_token and agentid mismatch",
}

_TOKEN_ALPHABET = string.ascii_letters + string.digits + "_-"
TOKEN_LENGTH = 214  # what WeCom's tokens measure in practice; platforms.md allows up to 512


def new_token() -> str:
    return "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


def wecom_errmsg(code: int, text: str | None, client_ip: str) -> str:
    """WeCom's errmsg: the text, then the hint (a request id), the caller's IP and the lookup page."""
    hint = f"{secrets.randbelow(10**10):010d}_{secrets.token_hex(6)}"
    return (
        f"{text if text is not None else ERRMSG.get(code, 'unknown error')}, hint: [{hint}], "
        f"from ip: {client_ip}, more info at https://open.work.weixin.qq.com/devtool/query?e={code}"
    )


def wecom_error(code: int, text: str | None = None, *, client_ip: str = "127.0.0.1") -> Reply:
    return Reply.json({"errcode": code, "errmsg": wecom_errmsg(code, text, client_ip)})


OK = {"errcode": 0, "errmsg": "ok"}


@dataclass
class IssuedToken:
    corpid: str
    agentid: int
    expires_at: float


@dataclass
class WeComApp:
    corpid: str
    agentid: int
    secret: str
    menu: dict | None = None  # exactly as sent to menu/create
    token: str | None = None  # gettoken hands back the same token while it is valid
    trusted_ips: list[str] | None = None  # 企业可信IP: None trusts every caller
    daily: dict[tuple[str, int], int] = field(default_factory=dict)

    def used(self, what: str, day: int) -> int:
        return self.daily.get((what, day), 0)

    def use(self, what: str, day: int) -> None:
        self.daily[(what, day)] = self.used(what, day) + 1


class WeCom:
    name = "wecom"
    prefix = PREFIX
    content_type = WECHAT_JSON

    def __init__(self, sim: SharedState) -> None:
        self.sim = sim
        self.apps: dict[tuple[str, int], WeComApp] = {}
        self.tokens: dict[str, IssuedToken] = {}
        self.reset()

    def reset(self) -> None:
        self.apps = {}
        self.tokens = {}
        self.add_app(DEFAULT_CORPID, DEFAULT_AGENTID, DEFAULT_CORPSECRET)

    def state(self) -> dict[str, Any]:
        return {
            f"{corpid}/{agentid}": {"menu": app.menu, "trusted_ips": app.trusted_ips}
            for (corpid, agentid), app in self.apps.items()
        }

    # --- set-up used by tests ------------------------------------------------------------------

    def add_app(self, corpid: str, agentid: int, secret: str) -> WeComApp:
        """An application of a company (another agent of the same corp, or of another corp)."""
        app = self.apps.get((corpid, agentid))
        if app is None:
            app = self.apps[(corpid, agentid)] = WeComApp(corpid, agentid, secret)
        app.secret = secret
        return app

    def app(self, corpid: str = DEFAULT_CORPID, agentid: int = DEFAULT_AGENTID) -> WeComApp:
        return self.apps[(corpid, agentid)]

    def menu_for(self, corpid: str = DEFAULT_CORPID, agentid: int = DEFAULT_AGENTID) -> dict | None:
        """The application's live menu exactly as it was sent (None when none is set)."""
        app = self.apps.get((corpid, agentid))
        return copy.deepcopy(app.menu) if app else None

    def set_menu(
        self, menu: dict | None, corpid: str = DEFAULT_CORPID, agentid: int = DEFAULT_AGENTID
    ) -> None:
        """Set the live menu as if someone published it elsewhere (drift)."""
        self.apps[(corpid, agentid)].menu = copy.deepcopy(menu)

    def set_trusted_ips(
        self, ips: list[str] | None, corpid: str = DEFAULT_CORPID, agentid: int = DEFAULT_AGENTID
    ) -> None:
        """With a list, the application's menu calls from any other IP fail with 60020."""
        self.apps[(corpid, agentid)].trusted_ips = list(ips) if ips is not None else None

    def expire_tokens(self) -> None:
        now = self.sim.now()
        for token in self.tokens.values():
            token.expires_at = min(token.expires_at, now)

    def invalidate_tokens(self) -> None:
        self.tokens.clear()
        for app in self.apps.values():
            app.token = None

    def _today(self) -> int:
        return int(self.sim.now() // 86400)

    # --- HTTP ------------------------------------------------------------------------------------

    def handle(self, req: RecordedRequest) -> Reply:
        routes: dict[str, tuple[str, Callable[[RecordedRequest], Reply]]] = {
            "gettoken": ("GET", self.gettoken),
            "menu/create": ("POST", self.menu_create),
            "menu/get": ("GET", self.menu_get),
            "menu/delete": ("GET", self.menu_delete),
        }
        route = routes.get(req.path[len(PREFIX) :].rstrip("/"))
        if route is None:
            return Reply.html(404, "Not Found")
        method, handler = route
        if method == "POST" and req.method != "POST":
            return self.error(req, 43002)
        return handler(req)

    def fault_reply(self, req: RecordedRequest, code: int, errmsg: str | None) -> Reply:
        return Reply.json({"errcode": code, "errmsg": errmsg or wecom_errmsg(code, None, req.client_ip)})

    def error(self, req: RecordedRequest, code: int) -> Reply:
        return wecom_error(code, client_ip=req.client_ip)

    def refuse(self, req: RecordedRequest, refusal: Refusal) -> Reply:
        self.sim.note_refusal(req.path, refusal.code, refusal.detail)
        return wecom_error(refusal.code, refusal.errmsg, client_ip=req.client_ip)

    # --- tokens ----------------------------------------------------------------------------------

    def gettoken(self, req: RecordedRequest) -> Reply:
        corpid, secret = req.query.get("corpid", ""), req.query.get("corpsecret", "")
        if not corpid:
            return self.error(req, 41002)
        apps = [app for (corp, _agent), app in self.apps.items() if corp == corpid]
        if not apps:
            return self.error(req, 40013)
        if not secret:
            return self.error(req, 41004)
        # The secret says which application the token is for: each application has its own.
        app = next((a for a in apps if a.secret == secret), None)
        if app is None:
            return self.error(req, 40001)
        now, today = self.sim.now(), self._today()
        # "calling gettoken too often is limited": every call counts, a repeated one too.
        if app.used("gettoken", today) >= self.sim.token_quota:
            return self.error(req, 45009)
        app.use("gettoken", today)
        current = self.tokens.get(app.token or "")
        if current is None or current.expires_at <= now:
            app.token = new_token()
            current = self.tokens[app.token] = IssuedToken(
                app.corpid, app.agentid, now + self.sim.token_lifetime
            )
        self.sim.count_token_fetch()
        expires_in = max(0, round(current.expires_at - now))
        return Reply.json({"errcode": 0, "errmsg": "ok", "access_token": app.token, "expires_in": expires_in})

    def _app_for(self, req: RecordedRequest) -> WeComApp | Reply:
        """The application the token and agentid name together, or the error Reply."""
        token = req.query.get("access_token", "")
        if not token:
            return self.error(req, 41001)
        issued = self.tokens.get(token)
        if issued is None:
            return self.error(req, 40014)
        if self.sim.now() >= issued.expires_at:
            return self.error(req, 42001)
        raw_agent = req.query.get("agentid", "")
        if not raw_agent:
            return self.error(req, 41011)
        agentid = int(raw_agent) if raw_agent.isascii() and raw_agent.isdigit() else None
        if agentid is None or (issued.corpid, agentid) not in self.apps:
            return self.error(req, 40056)
        if agentid != issued.agentid:
            return self.error(req, 301002)  # a token of another application of the company
        app = self.apps[(issued.corpid, agentid)]
        if app.trusted_ips is not None and req.client_ip not in app.trusted_ips:
            return self.error(req, 60020)
        return app

    # --- menus -----------------------------------------------------------------------------------

    def menu_create(self, req: RecordedRequest) -> Reply:
        app = self._app_for(req)
        if isinstance(app, Reply):
            return app
        if not req.body:
            return self.error(req, 44002)
        try:
            body = json.loads(req.body.decode("utf-8"))
        except ValueError:  # UnicodeDecodeError is a ValueError
            return self.refuse(
                req, Refusal(47001, "the body is not UTF-8 JSON", "Warning: wrong json format.")
            )
        refusal = check_wecom_menu(body)
        if refusal:
            return self.refuse(req, refusal)
        app.menu = copy.deepcopy(body)
        return Reply.json(OK)

    def menu_get(self, req: RecordedRequest) -> Reply:
        app = self._app_for(req)
        if isinstance(app, Reply):
            return app
        if app.menu is None:
            return self.error(req, 46003)
        return Reply.json({**OK, "button": copy.deepcopy(app.menu.get("button"))})

    def menu_delete(self, req: RecordedRequest) -> Reply:
        app = self._app_for(req)
        if isinstance(app, Reply):
            return app
        app.menu = None
        return Reply.json(OK)
