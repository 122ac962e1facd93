"""What this app last knew to be live on an account, without asking the platform.

The last successful publish, pull or delete recorded here is the live menu as far as the app knows
(a change made in the platform's console is only seen by the next pull or publish). Pages use it to
mark the draft and the history entry that match it, on every page load and with no platform call.
"""

from __future__ import annotations

from accounts.models import Account
from menueditor.diff import live_fingerprint
from menueditor.models import Menu, Publication
from menueditor.platforms import get_platform
from menueditor.tree import MenuParseError, MenuTree, parse_menu

LIVE_ACTIONS = (Publication.Action.PUBLISH, Publication.Action.PULL, Publication.Action.DELETE)


def last_known(account: Account) -> Publication | None:
    """The newest successful action that set or read the live menu, or None when none was recorded."""
    return (
        Publication.objects.filter(
            account=account, outcome=Publication.Outcome.SUCCESS, action__in=LIVE_ACTIONS
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def publication_tree(publication: Publication) -> MenuTree | None:
    """The menu a publication left live (None after a delete or when the record is unreadable)."""
    if not publication.payload.strip():
        return None
    try:
        return publication.tree()
    except (MenuParseError, ValueError, KeyError, TypeError):
        return None


def known_fingerprint(account: Account) -> tuple[Publication | None, str]:
    """The last known live action and the live menu's fingerprint; "" when nothing (or an empty
    menu) is known to be live, so that no draft is marked live."""
    last = last_known(account)
    if last is None:
        return None, ""
    tree = publication_tree(last)
    if tree is None or not tree.buttons:
        return last, ""
    return last, live_fingerprint(tree)


def draft_fingerprint(menu: Menu) -> str:
    """The fingerprint of the menu publishing this draft would send (fields left over from a type
    switch are not sent); "" when it is unreadable or empty."""
    rules = get_platform(menu.account.platform)
    try:
        tree = parse_menu(rules.payload(rules.parse(menu.tree)))
    except (MenuParseError, ValueError, KeyError, TypeError):
        return ""
    return live_fingerprint(tree) if tree.buttons else ""
