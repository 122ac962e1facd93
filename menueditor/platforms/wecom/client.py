"""WeCom over HTTP: the application's access token (shared, refreshed by one worker) and its menu calls.

A token is valid for one application only: it is fetched with the corp ID and that application's
secret, kept in the account's TokenStore, and every menu call names the application's agent ID.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

import requests
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from menueditor.tree import MenuTree

from ..base import LiveMenu, TokenStore
from ..token_refresh import call_with_token, obtain_token, token_call
from ..transport import PlatformError, logger, new_session, send, unknown_code_hint
from .hints import TOKEN_ERRORS, TOKEN_MARGIN_SECONDS, WHEN_VISIBLE, error_from, is_reply
from .live import NO_MENU, no_menu, read_menu_get
from .rules import WECOM

# gettoken answers with at most this lifetime (platforms.md: 7200 s).
MAX_TOKEN_SECONDS = 7200


def _not_configured(detail: str) -> PlatformError:
    return PlatformError(
        "not_configured",
        detail,
        gettext("Enter the corp ID, the application's agent ID and its secret in the account settings."),
    )


class WeComTokens:
    """The application's access token from gettoken, kept in a TokenStore; one refresh at a time."""

    def __init__(self, account, session: requests.Session, store: TokenStore) -> None:
        self.account = account
        self.session = session
        self.store = store

    def current(self) -> str:
        """A token believed valid: the stored one, or a fresh one (fetched by one worker at a time)."""
        stored = self.store.load()
        if stored is not None and stored.expires_at > timezone.now():
            return stored.token
        return obtain_token(self.store, self._fetch, margin_seconds=TOKEN_MARGIN_SECONDS)

    def renew(self, rejected: str) -> str:
        """A token other than the one WeCom just refused (another worker's, or a new one)."""
        return obtain_token(self.store, self._fetch, margin_seconds=TOKEN_MARGIN_SECONDS, rejected=rejected)

    def fetch_now(self) -> str:
        """A token fetched after this call began, whatever the store holds (the connection test)."""
        return obtain_token(self.store, self._fetch, margin_seconds=TOKEN_MARGIN_SECONDS, always=True)

    def _fetch(self) -> tuple[str, int]:
        corp_id = self.account.app_id
        secret = self.account.app_secret
        if not corp_id or not secret:
            raise _not_configured("corp ID or secret missing")
        query = urlencode({"corpid": corp_id, "corpsecret": secret})
        url = f"{self.account.effective_api_base}/cgi-bin/gettoken?{query}"
        data = send(self.session, "GET", url, is_reply=is_reply)
        error = error_from(data)
        if error is not None:
            raise error
        token = data.get("access_token")
        if not isinstance(token, str) or not token:
            raise PlatformError(
                "no_token", "reply without access_token", unknown_code_hint("no_token", str(sorted(data)))
            )
        try:
            expires_in = max(1, min(int(data.get("expires_in", MAX_TOKEN_SECONDS)), MAX_TOKEN_SECONDS))
        except (TypeError, ValueError, OverflowError):  # OverflowError: 1e999 is read as infinity
            expires_in = MAX_TOKEN_SECONDS
        logger.info("WeCom token fetched for account %s", self.account.slug)
        return token, expires_in


class WeComClient:
    """WeCom's menu calls for one application. Raises PlatformError; the caller turns it into an outcome."""

    rules = WECOM
    when_visible = WHEN_VISIBLE
    # platforms.md says when WeChat and Weibo clients fetch the menu again; for WeCom nothing is known.
    published_hint = _(
        "Published. WeCom documents no delay, but its apps may keep showing the old menu until members "
        "open the application's chat again. No need to publish again."
    )
    deleted_hint = _(
        "The live menu was deleted. WeCom's apps may keep showing it until members open the "
        "application's chat again. Publish a draft to put a menu back."
    )

    def __init__(self, account, token_store: TokenStore, session: requests.Session | None = None) -> None:
        self.account = account
        self.session = session or new_session()
        self.tokens = WeComTokens(account, self.session, token_store)

    def close(self) -> None:
        self.session.close()

    def _agent_id(self) -> str:
        agent_id = getattr(self.account, "agent_id", None)
        if agent_id in (None, ""):
            raise _not_configured("agent ID missing")
        return str(agent_id)

    def _request(self, method: str, path: str, token: str, body: bytes | None) -> dict[str, Any]:
        url = (
            f"{self.account.effective_api_base}{path}"
            f"?access_token={quote(token, safe='')}&agentid={quote(self._agent_id(), safe='')}"
        )
        headers = {"Content-Type": "application/json; charset=utf-8"} if body is not None else {}
        data = send(self.session, method, url, data=body, headers=headers, is_reply=is_reply)
        error = error_from(data)
        if error is not None:
            raise error
        return data

    def _call(self, method: str, path: str, body: bytes | None = None) -> dict[str, Any]:
        self._agent_id()  # before any token call: nothing to do without it
        return call_with_token(
            self.tokens.current,
            lambda rejected: self.tokens.renew(rejected=rejected),
            lambda token: self._request(method, path, token, body),
            refused=lambda error: error.code in TOKEN_ERRORS,
        )

    def publish(self, tree: MenuTree) -> tuple[str, str, str]:
        """menu/create with the exact bytes menu_export prints: (text sent, errcode, errmsg)."""
        data = self._call("POST", "/cgi-bin/menu/create", self.rules.payload_bytes(tree))
        return self.rules.payload_text(tree), str(data.get("errcode", 0)), str(data.get("errmsg", ""))

    def read_live(self) -> LiveMenu:
        """The application's menu from menu/get; 46003 means it has none."""
        try:
            return read_menu_get(self._call("GET", "/cgi-bin/menu/get"))
        except PlatformError as error:
            if error.code != NO_MENU:
                raise
            return no_menu(error.message)

    def delete(self) -> None:
        self._call("GET", "/cgi-bin/menu/delete")

    def check(self) -> str:
        """Fetch a token and read the menu; a line saying what was found."""
        self._agent_id()
        token_call(self.tokens.fetch_now)
        live = self.read_live()
        if live.tree is None:
            return gettext("Connected: a token was obtained; the live menu is empty.")
        return gettext("Connected: a token was obtained; the live menu has %(count)d top-level buttons.") % {
            "count": len(live.tree.buttons)
        }
