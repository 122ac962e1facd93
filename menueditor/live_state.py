"""What this app last knew to be live on an account, without asking the platform.

For the default menu and for each conditional menu (by its rule's key, Publication.match_rule), the
last successful publish, pull or delete recorded here is what is live as far as the app knows (a
change made in the platform's console is only seen by the next pull or publish; deleting the default
menu deletes every conditional menu too). Pages use it to mark the drafts and the history entries
that are live now, on every page load and with no platform call.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Account
from menueditor.diff import live_fingerprint
from menueditor.models import Menu, Publication
from menueditor.platforms import get_platform
from menueditor.tree import MenuParseError, MenuTree, parse_menu

LIVE_ACTIONS = (Publication.Action.PUBLISH, Publication.Action.PULL, Publication.Action.DELETE)
# Entries read to find each menu's latest: far more than an account has conditional menus.
SCAN = 200


@dataclass(frozen=True)
class Known:
    publication: Publication  # the entry that last set or read this menu
    fingerprint: str  # of the menu it left live; "" when none (deleted, or empty)


def known_live(account: Account) -> dict[str, Known]:
    """What is live per rule key ("" the default menu), from the newest successful entries."""
    entries = Publication.objects.filter(
        account=account, outcome=Publication.Outcome.SUCCESS, action__in=LIVE_ACTIONS
    ).order_by("-created_at", "-pk")[:SCAN]
    found: dict[str, Known] = {}
    default_deleted = False
    for entry in entries:
        entry.account = account  # already loaded; reading the tree asks its platform
        key = entry.match_rule
        if key in found or (key and default_deleted):
            continue  # an older entry, or a conditional menu the default's delete removed since
        tree = publication_tree(entry)
        found[key] = Known(entry, live_fingerprint(tree) if tree is not None and tree.buttons else "")
        if not key and entry.action == Publication.Action.DELETE:
            default_deleted = True
    return found


def live_entry_ids(account: Account) -> set[int]:
    """The history entries whose menu is live now (the default's and each conditional menu's)."""
    return {known.publication.pk for known in known_live(account).values() if known.fingerprint}


def publication_tree(publication: Publication) -> MenuTree | None:
    """The menu a publication left live (None after a delete or when the record is unreadable)."""
    if not publication.payload.strip():
        return None
    try:
        return publication.tree()
    except (MenuParseError, ValueError, KeyError, TypeError):
        return None


def rule_key(menu: Menu) -> str:
    """The key of the rule a draft targets ("" for the default menu), as Publication.match_rule."""
    if not menu.match_rule:
        return ""
    from menueditor.conditional import rule_of  # conditional imports publishing, which imports this

    try:
        return rule_of(menu).key
    except (ValueError, KeyError, TypeError):
        return "?"  # an unreadable rule matches no live menu


def draft_fingerprint(menu: Menu) -> str:
    """The fingerprint of the menu publishing this draft would send (fields left over from a type
    switch are not sent); "" when it is unreadable or empty."""
    rules = get_platform(menu.account.platform)
    try:
        tree = parse_menu(rules.payload(rules.parse(menu.tree)))
    except (MenuParseError, ValueError, KeyError, TypeError):
        return ""
    return live_fingerprint(tree) if tree.buttons else ""


def is_live(menu: Menu, known: dict[str, Known]) -> bool:
    """Whether the draft holds exactly the menu live for its rule."""
    live = known.get(rule_key(menu))
    return live is not None and bool(live.fingerprint) and draft_fingerprint(menu) == live.fingerprint
