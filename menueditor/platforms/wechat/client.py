"""WeChat over HTTP: the account's access token (shared, refreshed by one worker) and the menu calls.

Tokens live in a TokenStore (the account's, encrypted), shared by every worker and process; one of
them refreshes at a time (a lease, not a row lock).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

import requests
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from menueditor.tree import MenuTree

from ..base import LiveMenu, TokenStore
from ..token_refresh import call_with_token, obtain_token
from ..transport import PlatformError, logger, new_session, send, unknown_code_hint
from .hints import TOKEN_ERRORS, TOKEN_MARGIN_SECONDS, WHEN_VISIBLE, _error_from, is_reply
from .live import convert_selfmenu_info, read_menu_get
from .rules import WECHAT


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

    def _obtain(self, *, rejected: str | None, always: bool = False) -> str:
        """Single-flight (platforms/token_refresh.py): one worker fetches, the others take its token.

        One fetch, never force_refresh: forcing kills the token of every other system on this AppID
        and is limited to 20 a day. A refusal is reported with its hint.
        """
        return obtain_token(
            self.store, self._fetch, margin_seconds=TOKEN_MARGIN_SECONDS, rejected=rejected, always=always
        )

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
            data = send(self.session, "GET", f"{base}/cgi-bin/token?{query}", is_reply=is_reply)
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
                is_reply=is_reply,
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
        data = send(self.session, method, url, data=body, headers=headers, is_reply=is_reply)
        error = _error_from(data, self.tokens.mode)
        if error is not None:
            raise error
        return data

    def _call(self, method: str, path: str, body: bytes | None = None) -> dict[str, Any]:
        return call_with_token(
            self.tokens.current,
            lambda rejected: self.tokens.renew(rejected=rejected),
            lambda token: self._request(method, path, token, body),
            # An authorizer token is the third-party platform's to renew, not ours.
            refused=lambda error: error.code in TOKEN_ERRORS and self.tokens.mode != "authorizer",
        )

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
