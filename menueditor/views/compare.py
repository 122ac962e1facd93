"""Two menus side by side as phones, the changed buttons marked, and the changes in words.

One presentation for the publish review (live → draft), the drift warning (what this app last
published → live), the save conflict (the draft you opened → the one saved since) and history
entries (the previous publication → this one): templates/menus/_compare.html draws a Comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from menueditor import live_state
from menueditor.diff import ADDED, CHANGED, MOVED, REMOVED, ButtonChange, Path, compare_menus, place
from menueditor.models import Publication
from menueditor.platforms import PlatformRules
from menueditor.tree import MAX_DRAFT_BYTES, MenuParseError, MenuTree, parse_menu

# What each mark says, beside its colour (screen readers and the legend read these).
MARK_LABELS = {
    ADDED: gettext_lazy("added"),
    REMOVED: gettext_lazy("removed"),
    CHANGED: gettext_lazy("changed"),
    MOVED: gettext_lazy("moved"),
}


@dataclass
class PreviewItem:
    """One button as the phone shows it, for a read-only preview (history, review, conflict)."""

    name: str
    shown: str
    truncated: bool
    type: str = ""
    children: list[PreviewItem] = field(default_factory=list)
    mark: str = ""  # added / removed / changed / moved, when compared with another menu

    @property
    def mark_label(self) -> str:
        return str(MARK_LABELS[self.mark]) if self.mark else ""


def preview_items(
    platform: PlatformRules, tree: MenuTree, marks: dict[Path, str] | None = None
) -> list[PreviewItem]:
    marks = marks or {}
    items = []
    for i, button in enumerate(tree.buttons):
        item = PreviewItem(
            name=button.name,
            shown=platform.display_name(button.name, 1),
            truncated=platform.is_truncated(button.name, 1),
            type="" if button.is_parent else button.type,
            mark=marks.get((i,), ""),
        )
        for j, child in enumerate(button.children or []):
            item.children.append(
                PreviewItem(
                    name=child.name,
                    shown=platform.display_name(child.name, 2),
                    truncated=platform.is_truncated(child.name, 2),
                    type=child.type,
                    mark=marks.get((i, j), ""),
                )
            )
        items.append(item)
    return items


@dataclass
class Side:
    """One phone of the pair: its caption and its buttons (the template's mini phone reads .preview)."""

    title: str
    preview: list[PreviewItem]


@dataclass
class LostReply:
    """A live button whose reply was made in the platform's web console: publishing loses it."""

    name: str
    place: str
    reply: str


@dataclass
class Comparison:
    before: Side
    after: Side
    changes: list[ButtonChange]
    summary: str = ""
    lost: list[LostReply] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return ([self.summary] if self.summary else []) + [c.text for c in self.changes]

    @property
    def marks_used(self) -> list[tuple[str, str]]:
        """(mark, label) of the marks either phone shows, for the legend."""
        used = {i.mark for side in (self.before, self.after) for b in side.preview for i in (b, *b.children)}
        return [(mark, str(label)) for mark, label in MARK_LABELS.items() if mark in used]

    def __bool__(self) -> bool:
        return bool(self.summary or self.changes)


def lost_replies(tree: MenuTree | None, replies: dict[Path, str]) -> list[LostReply]:
    """Each console-only reply of the live menu, by name and place, in menu order."""
    if tree is None:
        return []
    lost = []
    for path in sorted(replies):
        button = tree.button_at(path)
        if button is None:
            continue
        parent = tree.button_at(path[:1]) if len(path) == 2 else None
        lost.append(LostReply(button.name, place(path, parent), replies[path]))
    return lost


def compare(
    platform: PlatformRules,
    before: MenuTree | None,
    after: MenuTree | None,
    *,
    before_title: Any,
    after_title: Any,
    console_replies: dict[Path, str] | None = None,
) -> Comparison:
    """The two menus as phones with the changes marked, and the changes in words."""
    diff = compare_menus(before, after, platform, before_types=console_replies)
    old = before.canonical() if before is not None else MenuTree()
    new = after.canonical() if after is not None else MenuTree()
    return Comparison(
        Side(str(before_title), preview_items(platform, old, diff.before_marks)),
        Side(str(after_title), preview_items(platform, new, diff.after_marks)),
        diff.changes,
        diff.summary,
        lost_replies(before, console_replies or {}),
    )


def review_comparison(platform: PlatformRules, preview: Any, draft: MenuTree) -> Comparison | None:
    """The publish review's pair: the live menu now and the draft that would replace it."""
    if preview is None or getattr(preview, "outcome", None) is not None:
        return None
    return compare(
        platform,
        preview.live_tree,
        draft,
        before_title=_("Live now"),
        after_title=_("After publishing"),
        console_replies=getattr(preview, "console_replies", None) or {},
    )


def drift_comparison(platform: PlatformRules, preview: Any) -> Comparison | None:
    """The drift warning's pair: what this app last published and the live menu changed since."""
    base = getattr(preview, "drift_base", None)
    # A review's preview says whether it drifted; a publish refused for drift carries its base only.
    if preview is None or base is None or getattr(preview, "drift", True) is False:
        return None
    return compare(
        platform,
        base,
        preview.live_tree,
        before_title=_("Last published from here"),
        after_title=_("Live now"),
    )


def conflict_comparison(
    platform: PlatformRules, opened_text: str, current: Any, user: Any
) -> Comparison | None:
    """What another save changed since a page opened the draft: the menu the page posted back as it
    opened it (opened_text) against the draft saved since. None when that menu is not readable."""
    if not opened_text or len(opened_text.encode("utf-8")) > MAX_DRAFT_BYTES:
        return None
    try:
        opened, now = parse_menu(opened_text), parse_menu(current.tree)
    except MenuParseError:
        return None
    if current.updated_by_id is not None and current.updated_by_id == getattr(user, "pk", None):
        after = _("Saved by you in another tab")
    else:
        who = current.updated_by.get_username() if current.updated_by else _("someone")
        after = _("Saved by %(who)s") % {"who": who}
    return compare(platform, opened, now, before_title=_("When you opened it"), after_title=after)


# Earlier entries read to find each history entry's previous publication: a page's worth and more.
HISTORY_SCAN = 400


def _sets_rule(earlier: dict[str, Any], rule: str) -> bool:
    """Whether an earlier entry set what the followers of this rule saw: its own entries, and for a
    conditional menu also a delete of the default menu, which deletes every conditional menu."""
    if earlier["match_rule"] == rule:
        return True
    return bool(rule) and earlier["match_rule"] == "" and earlier["action"] == Publication.Action.DELETE


def mark_history(account: Any, platform: PlatformRules, entries: list[Any]) -> None:
    """For each entry of a history page, .what_changed: the Comparison with the previous successful
    entry of the same menu, for a conditional menu the same rule (None for entries that changed
    nothing live, or with nothing earlier recorded to compare with); a publish's own preview then
    shows its changed buttons marked."""
    success = Publication.Outcome.SUCCESS
    changing = (Publication.Action.PUBLISH, Publication.Action.DELETE)
    wanted = [e for e in entries if e.outcome == success and e.action in changing]
    for entry in entries:
        entry.what_changed = None
    if not wanted:
        return
    newest = max(wanted, key=lambda e: (e.created_at, e.pk))
    # Who came before whom is read without the payloads; only the previous entries' are loaded.
    earlier = list(
        Publication.objects.filter(
            account=account,
            outcome=success,
            action__in=live_state.LIVE_ACTIONS,
            created_at__lte=newest.created_at,
        )
        .values("pk", "created_at", "match_rule", "action")
        .order_by("-created_at", "-pk")[:HISTORY_SCAN]
    )
    previous_of: dict[int, int] = {}
    for entry in wanted:
        key, rule = (entry.created_at, entry.pk), getattr(entry, "match_rule", "")
        found = next(
            (e["pk"] for e in earlier if (e["created_at"], e["pk"]) < key and _sets_rule(e, rule)), None
        )
        if found is not None:
            previous_of[entry.pk] = found
    loaded = Publication.objects.in_bulk(set(previous_of.values()))
    for entry in wanted:
        previous = loaded.get(previous_of.get(entry.pk, -1))
        if previous is None:
            continue
        previous.account = account
        before = live_state.publication_tree(previous)
        after = live_state.publication_tree(entry) if entry.action == Publication.Action.PUBLISH else None
        entry.what_changed = compare(
            platform, before, after, before_title=_("Before"), after_title=_("After this publication")
        )
        if after is not None:
            entry.preview = entry.what_changed.after.preview
