"""Weibo over HTTP. The stored token is the only credential: Weibo documents no lifetime and no
refresh call for it."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import requests
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from menueditor.tree import MenuTree

from ..base import LiveMenu
from ..transport import PlatformError, new_session, send, unknown_code_hint
from .hints import WHEN_VISIBLE, _error_from, is_reply
from .live import read_show
from .rules import WEIBO


class WeiboClient:
    """Weibo's menu calls for one account. Raises PlatformError; the caller turns it into an outcome."""

    rules = WEIBO
    when_visible = WHEN_VISIBLE
    # "手机端……缓存……24小时才会重新更新一次" (menu/create.json, 注意事项).
    published_hint = _(
        "Published. The change is live now, but phones keep their copy of the menu for up to 24 hours, "
        "so followers may see the old one until then. No need to publish again."
    )
    deleted_hint = _(
        "The live menu was deleted. Phones keep their copy for up to 24 hours. Publish a draft to put "
        "a menu back."
    )

    def __init__(self, account, token_store=None, session: requests.Session | None = None) -> None:
        # token_store is unused: Weibo's token is the account's own credential, never renewed here.
        self.account = account
        self.session = session or new_session()

    def close(self) -> None:
        self.session.close()

    def _url(self, path: str) -> str:
        token = self.account.access_token
        if not token:
            raise PlatformError(
                "not_configured",
                "no access token",
                gettext(
                    "Copy the access token from the fan-service developer mode page into the account "
                    "settings."
                ),
            )
        return f"{self.account.effective_api_base}{path}?access_token={quote(token, safe='')}"

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        data = send(self.session, method, self._url(path), is_reply=is_reply, **kwargs)
        error = _error_from(data)
        if error is not None:
            raise error
        return data

    def publish(self, tree: MenuTree) -> tuple[str, str, str]:
        """create.json with the menu in the form field `menus` (form-encoded once): (text, "", reply)."""
        text = self.rules.payload_text(tree)
        data = self._call("POST", "/2/messages/menu/create.json", data={"menus": text})
        if data.get("result") not in (True, "true", 1):
            raise PlatformError(
                "unexpected",
                json.dumps(data, ensure_ascii=False)[:500],
                unknown_code_hint("unexpected", json.dumps(data, ensure_ascii=False)[:200]),
            )
        return text, "", json.dumps(data, ensure_ascii=False)

    def read_live(self) -> LiveMenu:
        return read_show(self._call("GET", "/2/messages/menu/show.json"))

    def delete(self) -> None:
        self._call("POST", "/2/messages/menu/delete.json")

    def check(self) -> str:
        live = self.read_live()
        if live.tree is None:
            return gettext("Connected: the token works; the live menu is empty.")
        return gettext("Connected: the token works; the live menu has %(count)d top-level buttons.") % {
            "count": len(live.tree.buttons)
        }
