"""The WeChat side's user tags and the matching of conditional menus (platforms.md, "User tags").

Tags are the account's (simulator.wechat_tags: id -> name, the system's 星标组 always there);
followers are simulator.users: user_id -> [tag ids] or {"tags": [...], "client_platform_type": "1"}.
A tag's count is the number of followers carrying it, as tags/get reports it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from .exchange import RecordedRequest, Reply
from .rules import Refusal

# Ids 0, 1 and 2 are the system's; 2 is the star group every account has.
SYSTEM_TAGS = {"2": "星标组"}
PRIVACY_FIELDS = ("sex", "country", "province", "city", "language")
MAX_CONDITIONAL_DOMAINS = 3


def follower(users: dict[str, Any], user_id: str) -> tuple[set[str], str | None] | None:
    """(tag ids, client platform type) of a follower, or None when there is no such user."""
    user = users.get(user_id)
    if user is None:
        return None
    if isinstance(user, dict):
        return {str(t) for t in user.get("tags", [])}, user.get("client_platform_type")
    return {str(t) for t in user}, None


def rule_matches(rule: dict, tags: set[str], platform: str | None) -> bool:
    """Whether a conditional menu's rule matches a follower; rules on privacy fields match nobody."""
    if any(rule.get(f) not in (None, "") for f in PRIVACY_FIELDS):
        return False
    tag = rule.get("tag_id", rule.get("group_id"))
    if tag not in (None, "") and str(tag) not in tags:
        return False
    wanted = rule.get("client_platform_type")
    return wanted in (None, "") or platform is None or str(wanted) == str(platform)


def tags_get(side, req: RecordedRequest) -> Reply:
    """GET /cgi-bin/tags/get: every tag with its follower count, no paging."""
    app = side._app_for_token(req)
    if isinstance(app, Reply):
        return app
    users = side.sim.users
    names = {**SYSTEM_TAGS, **{str(k): v for k, v in side.sim.wechat_tags.items()}}
    out = []
    for tag_id, name in names.items():
        count = sum(1 for user_id in users if tag_id in (follower(users, user_id) or (set(), None))[0])
        out.append({"id": int(tag_id) if tag_id.isdigit() else tag_id, "name": name, "count": count})
    return Reply.json({"tags": out})


def _hosts(buttons: list) -> set[str]:
    hosts = set()
    for button in buttons if isinstance(buttons, list) else []:
        for leaf in (button.get("sub_button") or [button]) if isinstance(button, dict) else []:
            url = leaf.get("url") if isinstance(leaf, dict) else None
            if isinstance(url, str):
                try:
                    host = urlsplit(url).hostname
                except ValueError:
                    host = None
                if host:
                    hosts.add(host)
    return hosts


def domains_refusal(conditional: list[dict], buttons: list) -> Refusal | None:
    """Across every conditional menu (those live and the one being added) at most 3 domains (65316)."""
    hosts = set().union(*(_hosts(item["button"]) for item in conditional), _hosts(buttons))
    if len(hosts) > MAX_CONDITIONAL_DOMAINS:
        return Refusal(
            65316, f"conditional menus would link to {len(hosts)} domains, at most {MAX_CONDITIONAL_DOMAINS}"
        )
    return None
