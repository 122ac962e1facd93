"""An account's set of menus: the default one and, where the platform has them, conditional menus.

A conditional draft (Menu.match_rule not empty) is published through the same claim → pending →
call → record path as the default menu (publishing.py), as one Publication: the platform has no
edit call, so the new menu is added and then the live one with the same rule is deleted. A failure
between the two is recorded and said. Drift, the review and the history compare a conditional draft
with the live conditional menu of the same rule. The platform is asked through its `conditional`
(platforms/matching.py); nothing here names one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account
from menueditor import draft_titles, publishing
from menueditor.diff import describe_changes, live_fingerprint, same_menu
from menueditor.models import Menu, Publication
from menueditor.platforms import PLATFORMS, get_platform
from menueditor.platforms.matching import DEFAULT_RULE, LiveSet, MatchRule, Tag
from menueditor.platforms.transport import PlatformError
from menueditor.tree import MenuParseError, MenuTree, decode_json

logger = logging.getLogger("menueditor.conditional")

# Tags change rarely; tags/get is spared for this long unless someone asks for a refresh.
TAGS_CACHE_SECONDS = 6 * 3600


def support(account: Account):
    """The platform's conditional-menu support, or None when it has the default menu only."""
    return get_platform(account.platform).conditional


def rule_of(menu: Menu) -> MatchRule:
    """The rule a draft targets (the default rule for the default menu or a platform without any)."""
    found = support(menu.account)
    if found is None or not menu.match_rule:
        return DEFAULT_RULE
    return found.read_rule(menu.match_rule)


def is_conditional(menu: Menu) -> bool:
    return not rule_of(menu).is_default


def payload_text_of(menu: Menu, tree: MenuTree) -> str:
    """What publishing the draft sends: the create call's menu, or for a conditional draft the add
    call's whole body with its match rule (what menu_export prints and the editor's export saves)."""
    platform = get_platform(menu.account.platform)
    if menu.match_rule and platform.conditional is not None:
        return platform.conditional.payload_text(tree, rule_of(menu))
    return platform.payload_text(tree)


@dataclass
class ImportedMenu:
    """A menu read from a file or a paste, with the rule the add call's body carries."""

    tree: MenuTree
    rule: MatchRule | None  # None: the text carries no rule (a draft keeps its own)
    left_out: list[str] = field(default_factory=list)  # top-level keys this platform has no use for


def read_import(platform, data) -> ImportedMenu:
    """JSON text (or decoded JSON) as a menu and, on a platform with conditional menus, the rule its
    add call's body carries: the one reader of menu_import and the editor's Import. MenuParseError
    when it is not a menu or its rule is one the platform refuses (kind "rule_refused")."""
    decoded = decode_json(data)
    if platform.conditional is None:
        tree = platform.parse(decoded)
        # A rule pasted into an account that has none is said, not silently lost.
        keys = decoded if isinstance(decoded, dict) else {}
        # Only the rule fields of the platforms that have conditional menus: not an answer's errcode.
        rule_keys = {p.conditional.rule_key for p in PLATFORMS.values() if p.conditional is not None}
        extra = sorted(str(k) for k in keys if k in rule_keys)
        return ImportedMenu(tree, None, extra)
    tree, rule = platform.conditional.read_payload(decoded)
    if rule.is_default:
        return ImportedMenu(tree, None)
    if not rule.still_matches:
        fields = ", ".join(k for k, _v in rule.refused)
        raise MenuParseError(
            f"the rule uses {fields}, which the platform no longer matches on", "rule_refused", fields=fields
        )
    return ImportedMenu(tree, rule)


# -- tags, cached per account ---------------------------------------------------------------------------


@dataclass
class TagList:
    tags: list[Tag]
    refreshed_at: datetime | None
    outcome: publishing.Outcome | None = None  # set when the platform could not be asked

    @property
    def by_id(self) -> dict[str, Tag]:
        return {tag.id: tag for tag in self.tags}


def _tags_key(account: Account) -> str:
    return f"conditional-tags:{account.pk}"


def account_tags(account: Account, *, refresh: bool = False) -> TagList:
    """The account's user tags (names, follower counts), from the cache unless refresh is asked."""
    if support(account) is None:
        return TagList([], None)
    cached = None if refresh else cache.get(_tags_key(account))
    if cached is not None:
        return TagList(*cached)
    client = publishing.client_for(account)
    try:
        tags = support(account).calls(client).tags()
    except PlatformError as error:
        return TagList([], None, publishing.Outcome(False, error.code, error.message, error.hint))
    finally:
        client.close()
    now = timezone.now()
    cache.set(_tags_key(account), (tags, now), TAGS_CACHE_SECONDS)
    return TagList(tags, now)


def cached_tags(account: Account) -> TagList | None:
    """The account's tags if they were read lately, else None: for pages that make no platform call."""
    cached = cache.get(_tags_key(account)) if support(account) is not None else None
    return TagList(*cached) if cached is not None else None


def describe_rule(account: Account, rule: MatchRule, tags: TagList | None = None) -> str:
    """Who sees a menu of this rule, in words (the tag's name and follower count when known)."""
    found = support(account)
    if found is None:
        return ""
    return found.describe(rule, (tags or account_tags(account)).by_id)


def rule_problems(menu: Menu) -> list[str]:
    """What is wrong with a conditional draft's rule (nothing for the default menu)."""
    rule = rule_of(menu)
    if rule.is_default:
        if menu.match_rule and support(menu.account) is not None:  # stored, but names no follower
            return [_("This draft's rule names no followers: choose a tag, a phone system or both.")]
        return []
    if not rule.still_matches:
        return [
            _(
                "This rule matches nobody any more (the platform no longer matches on sex, region or "
                "language): choose a follower tag instead."
            )
        ]
    return []


# -- the live set ---------------------------------------------------------------------------------------


@dataclass
class LiveSetResult:
    live: LiveSet | None
    outcome: publishing.Outcome | None = None  # set when the live set could not be read
    tags: TagList = field(default_factory=lambda: TagList([], None))


def read_live_set(account: Account, user) -> LiveSetResult:
    """Every live menu of the account (read-only: no lease, nothing recorded)."""
    publishing._require(
        publishing.can_edit(user, account) or publishing.can_publish(user, account),
        _("You may not work on this account."),
    )
    client = publishing.client_for(account)
    try:
        live = _live_set(account, client)
    except PlatformError as error:
        return LiveSetResult(None, publishing.Outcome(False, error.code, error.message, error.hint))
    finally:
        client.close()
    return LiveSetResult(live, None, account_tags(account))


def _live_set(account: Account, client) -> LiveSet:
    try:
        return support(account).calls(client).live_set()
    except MenuParseError as exc:
        raise publishing._unreadable(exc) from exc


# -- drift and interrupted publishes of one rule -----------------------------------------------------------


def _rule_history(account: Account, rule: MatchRule):
    """Successful entries that set what is live for this rule: its own, and deletes of the default menu
    (which delete every conditional menu)."""
    return Publication.objects.filter(account=account, outcome=Publication.Outcome.SUCCESS).filter(
        Q(match_rule=rule.key) | Q(match_rule="", action=Publication.Action.DELETE)
    )


def _baseline(account: Account, rule: MatchRule) -> tuple[bool, MenuTree | None]:
    last = _rule_history(account, rule).order_by("-created_at", "-pk").first()
    if last is None:
        return False, None
    try:
        return True, last.tree()
    except (MenuParseError, ValueError):
        return False, None


def _drift(account: Account, rule: MatchRule, live_tree: MenuTree | None) -> tuple[bool, list[str]]:
    known, base = _baseline(account, rule)
    live_is_empty = live_tree is None or not live_tree.buttons
    if not known:
        if live_is_empty:
            return False, []
        return True, [
            _(
                "A live conditional menu for this rule exists that was not published from this app; "
                "publishing replaces it."
            )
        ]
    if same_menu(base, live_tree):
        return False, []
    if live_is_empty:
        return True, [_("the live conditional menu for this rule was deleted outside this app")]
    return True, describe_changes(base, live_tree)


def _compared(
    account: Account, rule: MatchRule, live_tree: MenuTree | None, tree: MenuTree, drifted: bool
) -> dict[str, MenuTree | None]:
    """The menus a drift refusal carries for the two phones (views/compare.py)."""
    base = _baseline(account, rule)[1] if drifted else None
    return {"live_tree": live_tree, "drift_base": base, "draft_tree": tree}


def resolve_interrupted(account: Account, live: LiveSet) -> int:
    """Settle conditional publishes and deletes left pending or unknown, by the live set (under the lease)."""
    stale = list(
        Publication.objects.filter(
            account=account,
            outcome__in=[Publication.Outcome.PENDING, Publication.Outcome.UNKNOWN],
            action__in=[Publication.Action.PUBLISH, Publication.Action.DELETE],
        )
        .exclude(match_rule="")
        .order_by("-created_at", "-pk")
    )
    settled: set[str] = set()
    for publication in stale:
        rule = MatchRule.from_key(publication.match_rule)
        live_tree = live.tree_for(rule)
        if publication.action == Publication.Action.DELETE:
            went = live_tree is None
        else:
            try:
                went = same_menu(publication.tree(), live_tree)
            except (MenuParseError, ValueError):
                went = False
        if went and publication.match_rule not in settled:
            settled.add(publication.match_rule)
            publishing._finish(
                publication,
                Publication.Outcome.SUCCESS,
                code="ok",
                message=publication.message,
                hint=_(
                    "Confirmed afterwards: the platform's answer never arrived, but the live menus "
                    "read later show that this went through."
                ),
            )
        else:
            publishing._finish(
                publication,
                Publication.Outcome.FAILURE,
                code=publication.code or "interrupted",
                message=publication.message,
                hint=_(
                    "Not confirmed: the platform's answer never arrived, and the live menus read later "
                    "do not show this. Treat it as not published."
                ),
            )
    return len(stale)


def settle_interrupted(account: Account, client) -> int:
    """publishing.settle_interrupted's part for conditional menus (under its lease): read the live set,
    settle by it; 0 when none is waiting."""
    waiting = (
        Publication.objects.filter(
            account=account, outcome__in=[Publication.Outcome.PENDING, Publication.Outcome.UNKNOWN]
        )
        .exclude(match_rule="")
        .exists()
    )
    return resolve_interrupted(account, _live_set(account, client)) if waiting else 0


# -- publishing a conditional draft ---------------------------------------------------------------------


def _checks_outcome(checks) -> publishing.Outcome:
    lines = [f"{c.code}: {c.message}" for c in checks]
    return publishing.Outcome(
        False,
        checks[0].code,
        "; ".join(lines),
        _("The platform would refuse this conditional menu; nothing was sent. %(why)s")
        % {"why": " ".join(c.message for c in checks)},
        problems=lines,
    )


def publish_conditional(
    menu: Menu, user, *, confirm_drift: bool = False, if_live: str | None = None
) -> publishing.Outcome:
    """publish_menu for a conditional draft: add it, then delete the live menu of the same rule."""
    account = menu.account
    publishing._require(
        publishing.can_publish(user, account), _("You may not publish menus on this account.")
    )
    tree, problems = publishing._parse_draft(menu)
    problems += rule_problems(menu)
    if problems:
        return publishing._invalid(problems)
    refused = publishing._unapproved(menu)  # accounts that publish only approved drafts
    if refused is not None:
        return refused
    conditional = support(account)
    rule = rule_of(menu)
    payload = conditional.payload_text(tree, rule)
    action = Publication.Action.PUBLISH
    with publishing._claimed(account, user) as claim:
        if claim is None:
            return publishing._busy(account)
        client = publishing.client_for(account)
        calls = conditional.calls(client)
        try:
            try:
                live = _live_set(account, client)
            except PlatformError as error:
                return publishing._failure(
                    account, error, action=action, user=user, menu=menu, payload=payload, match_rule=rule.key
                )
            resolve_interrupted(account, live)
            live_tree = live.tree_for(rule)
            if if_live is not None and not confirm_drift:
                if live_fingerprint(live_tree) != if_live:
                    drifted, changes = _drift(account, rule, live_tree)
                    changes = changes or [
                        _("the live menu was published again (from this app) after your review")
                    ]
                    return publishing._drift_outcome(
                        changes,
                        live_fingerprint(live_tree),
                        publish_changes=describe_changes(live_tree, tree),
                        **_compared(account, rule, live_tree, tree, drifted),
                    )
            elif not confirm_drift:
                drifted, changes = _drift(account, rule, live_tree)
                if drifted:
                    return publishing._drift_outcome(
                        changes,
                        live_fingerprint(live_tree),
                        publish_changes=describe_changes(live_tree, tree),
                        **_compared(account, rule, live_tree, tree, drifted),
                    )
            checks = conditional.check_before_send(live, tree, rule)
            if checks:
                return _checks_outcome(checks)
            replaced = live.for_rule(rule)
            # Committed before the call: whatever happens next, the history shows this publish.
            pending = publishing._record(
                account,
                action=action,
                outcome=Publication.Outcome.PENDING,
                user=user,
                match_rule=rule.key,
                menu=menu,
                payload=payload,
            )
            try:
                sent, menuid = calls.add(tree, rule)
            except PlatformError as error:
                return publishing._finish_failure(pending, error)
            if sent != payload:
                Publication.objects.filter(pk=pending.pk).update(payload=sent)
            for old in replaced:
                try:
                    calls.delete(old.menuid)
                except PlatformError as error:
                    return _old_kept(pending, error, menuid, old.menuid)
            hint = str(client.published_hint)
            message = _("menuid %(new)s added") % {"new": menuid}
            if replaced:
                message += "; " + _("replaced %(old)s") % {"old": ", ".join(o.menuid for o in replaced)}
            publication = publishing._finish(
                pending, Publication.Outcome.SUCCESS, code="ok", message=message, hint=hint
            )
        finally:
            client.close()
    logger.info("published conditional menu %s on %s (%s)", menu.pk, account.slug, rule.key)
    return publishing.Outcome(True, "ok", message, hint, publication, str(client.when_visible))


def _old_kept(pending: Publication, error: PlatformError, new: str, old: str) -> publishing.Outcome:
    """The new menu is live, the old one for the rule too: recorded as published, said as a failure."""
    hint = _(
        "The new menu was added (menuid %(new)s), the old one for this rule (menuid %(old)s) could not be "
        "deleted: both are live until the old one is deleted. Followers this rule matches see the new "
        "one (the platform tries the newest first). Delete menuid %(old)s in the account's live menus. "
        "%(why)s"
    ) % {"new": new, "old": old, "why": error.hint}
    message = f"{error.code} {error.message}".strip()
    # Published: the new menu is what followers of the rule see; the code says what went wrong after.
    publication = publishing._finish(
        pending, Publication.Outcome.SUCCESS, code=error.code, message=message, hint=hint
    )
    logger.warning("conditional publish on %s left old menu %s: %s", pending.account.slug, old, error.code)
    return publishing.Outcome(False, error.code, error.message, hint, publication)


@dataclass
class ConditionalPreview(publishing.PublishPreview):
    """The review of a conditional draft: also who sees it, and what the platform would refuse."""

    who: str = ""
    checks: list = field(default_factory=list)  # SendCheck: refused before sending, with the code


def preview_conditional(menu: Menu, user) -> ConditionalPreview:
    """preview_publish for a conditional draft: against the live conditional menu of the same rule."""
    account = menu.account
    publishing._require(
        publishing.can_edit(user, account) or publishing.can_publish(user, account),
        _("You may not work on this account."),
    )
    tree, _problems = publishing._parse_draft(menu)
    rule = rule_of(menu)
    client = publishing.client_for(account)
    try:
        live = _live_set(account, client)
    except PlatformError as error:
        return ConditionalPreview(
            None, [], False, [], publishing.Outcome(False, error.code, error.message, error.hint)
        )
    finally:
        client.close()
    live_tree = live.tree_for(rule)
    drifted, drift_changes = _drift(account, rule, live_tree)
    changes = describe_changes(live_tree, tree) if tree is not None else []
    checks = support(account).check_before_send(live, tree, rule) if tree is not None else []
    preview = ConditionalPreview(
        live_tree,
        changes,
        drifted,
        drift_changes,
        fingerprint=live_fingerprint(live_tree),
        who=describe_rule(account, rule),
        checks=checks,
    )
    # What the review's side-by-side comparison reads (set as attributes: the default menu's preview
    # names them too).
    preview.draft_tree = tree
    preview.drift_base = _baseline(account, rule)[1] if drifted else None
    return preview


# -- the live set's own actions -----------------------------------------------------------------------


def _find(live: LiveSet, menuid: str):
    return next((item for item in live.conditional if item.menuid == str(menuid)), None)


def delete_conditional(account: Account, user, menuid: str) -> publishing.Outcome:
    """Delete one live conditional menu (the default and the others stay). Needs the publish permission."""
    publishing._require(
        publishing.can_publish(user, account), _("You may not change the live menu of this account.")
    )
    conditional = support(account)
    if conditional is None:
        raise PermissionDenied(_("This account has no conditional menus."))
    action = Publication.Action.DELETE
    with publishing._claimed(account, user) as claim:
        if claim is None:
            return publishing._busy(account)
        client = publishing.client_for(account)
        try:
            try:
                live = _live_set(account, client)
            except PlatformError as error:
                return publishing.Outcome(False, error.code, error.message, error.hint)
            resolve_interrupted(account, live)
            item = _find(live, menuid)
            if item is None:
                return publishing.Outcome(
                    False, "gone", "", _("That conditional menu is no longer live: it was deleted already.")
                )
            pending = publishing._record(
                account,
                action=action,
                outcome=Publication.Outcome.PENDING,
                user=user,
                match_rule=item.rule.key,
                payload=conditional.payload_text(item.tree, item.rule),
                message=f"menuid {item.menuid}",
            )
            try:
                conditional.calls(client).delete(item.menuid)
            except PlatformError as error:
                return publishing._finish_failure(pending, error)
            hint = _(
                "The conditional menu was deleted. Followers it matched see the default menu within %(when)s."
            ) % {"when": client.when_visible}
            publication = publishing._finish(
                pending, Publication.Outcome.SUCCESS, code="ok", message=pending.message, hint=hint
            )
        finally:
            client.close()
    return publishing.Outcome(True, "ok", "", hint, publication, str(client.when_visible))


def pull_conditional(account: Account, user, menuid: str) -> publishing.PullResult:
    """A live conditional menu into a new draft of its rule."""
    publishing._require(publishing.can_edit(user, account), _("You may not edit menus on this account."))
    conditional = support(account)
    client = publishing.client_for(account)
    try:
        live = _live_set(account, client)
    except PlatformError as error:
        return publishing.PullResult(None, publishing.Outcome(False, error.code, error.message, error.hint))
    finally:
        client.close()
    item = _find(live, menuid)
    if item is None:
        return publishing.PullResult(
            None, publishing.Outcome(False, "gone", "", _("That conditional menu is no longer live."))
        )
    menu = Menu.objects.create(
        account=account,
        title=draft_titles.pulled_for(account, describe_rule(account, item.rule)),
        tree=item.tree.canonical().to_json(),
        match_rule=item.rule.to_json(),
        updated_by=user if user is not None and user.is_authenticated else None,
    )
    hint = _("The live conditional menu is now a new draft for the same followers.")
    publication = publishing._record(
        account,
        action=Publication.Action.PULL,
        outcome=Publication.Outcome.SUCCESS,
        user=user,
        match_rule=item.rule.key,
        menu=menu,
        payload=conditional.payload_text(item.tree, item.rule),
        code="ok",
        hint=hint,
    )
    return publishing.PullResult(menu, publishing.Outcome(True, "ok", "", hint, publication))


# -- what does this follower see? -----------------------------------------------------------------------


@dataclass
class TryMatch:
    tree: MenuTree | None
    matched: str  # which menu of the set it is, in words
    menuid: str = ""  # the conditional menu's id, "" for the default
    outcome: publishing.Outcome | None = None  # set when the platform refused


def try_match(account: Account, user, user_id: str, *, check_permission: bool = True) -> TryMatch:
    """The menu the platform shows this follower (an openid or account ID), and which rule matched.
    check_permission=False only for the trusted command line."""
    if check_permission:
        publishing._require(
            publishing.can_edit(user, account) or publishing.can_publish(user, account),
            _("You may not work on this account."),
        )
    conditional = support(account)
    client = publishing.client_for(account)
    try:
        tree = conditional.calls(client).try_match(user_id)
        live = _live_set(account, client)
    except PlatformError as error:
        return TryMatch(None, "", outcome=publishing.Outcome(False, error.code, error.message, error.hint))
    except MenuParseError as exc:
        error = publishing._unreadable(exc)
        return TryMatch(None, "", outcome=publishing.Outcome(False, error.code, error.message, error.hint))
    finally:
        client.close()
    tags = account_tags(account)
    # The platform tries conditional menus newest first: the first equal one is the one that matched.
    for item in reversed(live.conditional):
        if item.rule.still_matches and same_menu(item.tree, tree):
            return TryMatch(tree, describe_rule(account, item.rule, tags), item.menuid)
    if same_menu(live.default, tree):
        return TryMatch(tree, describe_rule(account, DEFAULT_RULE, tags))
    return TryMatch(tree, _("a menu that is not in the live set read just now (it changed meanwhile)"))
