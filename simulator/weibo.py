"""The Weibo fan-service side: menu create, show and delete, with Weibo's error envelope.

Failures are {"request": path, "error_code": N, "error": "text"} sent with an HTTP error status
(400 by default, `sim.weibo_error_status`), as Weibo's API does; `error_code` comes as a string when
`sim.weibo_string_codes` is set, as some of its endpoints send it.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from .exchange import WEIBO_JSON, RecordedRequest, Reply
from .rules import check_weibo_menu
from .state import SharedState

DEFAULT_WEIBO_TOKEN = "demo-weibo-token"

ERROR_TEXT: dict[int, str] = {
    10001: "system error!",
    10002: "service unavailable!",
    10003: "remote service error",
    10004: "IP limit!",
    10006: "source paramter (appkey) is missing",
    10008: "param error, see doc for more info.",
    10016: "miss required parameter (menus) , see doc for more info.",
    10017: "parameter (menus)'s value invalid, see doc for more info.",
    10021: "HTTP method is not suported for this request!",
    21314: "Token used",
    21315: "Token expired",
    21316: "Token revoked",
    21317: "Token rejected",
    21319: "Accessor was revoked",
    21327: "expired_token",
    21332: "invalid_access_token",
    26406: "developer mode is off",
}

CREATE = "/2/messages/menu/create.json"
SHOW = "/2/messages/menu/show.json"
DELETE = "/2/messages/menu/delete.json"


@dataclass
class WeiboAccount:
    token: str
    menu: dict | None = None  # the menus JSON exactly as decoded from the form field
    expired: bool = False
    revoked: bool = False


def weibo_error(sim: SharedState, path: str, code: int, error: str | None = None) -> Reply:
    body = {
        "request": path,
        "error_code": str(code) if sim.weibo_string_codes else code,
        "error": error if error is not None else ERROR_TEXT.get(code, "error"),
    }
    return Reply.json(body, status=sim.weibo_error_status, content_type=WEIBO_JSON)


class Weibo:
    name = "weibo"
    prefix = "/2/"
    content_type = WEIBO_JSON

    def __init__(self, sim: SharedState) -> None:
        self.sim = sim
        self.accounts: dict[str, WeiboAccount] = {}
        self.reset()

    def reset(self) -> None:
        self.accounts = {}
        self.add_token(DEFAULT_WEIBO_TOKEN)

    def state(self) -> dict[str, Any]:
        return {token: {"menu": account.menu} for token, account in self.accounts.items()}

    def fault_reply(self, req: RecordedRequest, code: int, errmsg: str | None) -> Reply:
        return weibo_error(self.sim, req.path, code, errmsg)

    def add_token(self, token: str) -> WeiboAccount:
        account = self.accounts.get(token)
        if account is None:
            account = self.accounts[token] = WeiboAccount(token)
        account.expired = account.revoked = False
        return account

    def expire_tokens(self) -> None:
        for account in self.accounts.values():
            account.expired = True

    def invalidate_tokens(self) -> None:
        for account in self.accounts.values():
            account.revoked = True

    def handle(self, req: RecordedRequest) -> Reply:
        path = req.path
        if path not in (CREATE, SHOW, DELETE):
            return weibo_error(self.sim, path, 10001, "api not found")  # unknown API path
        if path == CREATE and req.method != "POST":
            return weibo_error(self.sim, path, 10021)
        params = dict(req.query)
        form = self._form(req)
        if form is None:
            return weibo_error(self.sim, path, 10008)
        params.update(form)
        account = self._account(req, params)
        if isinstance(account, Reply):
            return account
        if path == SHOW:
            menu = copy.deepcopy(account.menu) if account.menu is not None else {"button": []}
            return Reply.json({"menu": menu}, content_type=WEIBO_JSON)
        if path == DELETE:
            account.menu = None
            return Reply.json({"result": True}, content_type=WEIBO_JSON)
        menus = params.get("menus")
        if not menus:
            return weibo_error(self.sim, path, 10016)
        try:
            menu = json.loads(menus)
        except ValueError:
            self.sim.note_refusal(path, 10008, "menus is not JSON (encoded twice?)")
            return weibo_error(self.sim, path, 10008)
        problem = check_weibo_menu(menu)
        if problem:
            self.sim.note_refusal(path, 10008, problem)
            return weibo_error(self.sim, path, 10008)
        account.menu = copy.deepcopy(menu)
        return Reply.json({"result": True}, content_type=WEIBO_JSON)

    def _form(self, req: RecordedRequest) -> dict[str, str] | None:
        """The form fields of the body, decoded once; {} when the body is not a form; None if unreadable."""
        if not req.body or "application/x-www-form-urlencoded" not in req.header("Content-Type").lower():
            return {}
        try:
            text = req.body.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}

    def _account(self, req: RecordedRequest, params: dict[str, Any]) -> WeiboAccount | Reply:
        token = params.get("access_token", "")
        auth = req.header("Authorization")
        if not token and auth.lower().startswith("oauth2 "):
            token = auth[7:].strip()
        if not token:
            return weibo_error(self.sim, req.path, 10006)
        account = self.accounts.get(token)
        if account is None or account.revoked:
            return weibo_error(self.sim, req.path, 21332)
        if account.expired:
            return weibo_error(self.sim, req.path, 21327)
        return account
