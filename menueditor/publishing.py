"""Everything done to a live menu: publish, preview, pull, delete, restore, and the record of it.

publish_menu() is the one way to publish, for the editor, the command line and the admin alike:
check permission, validate, claim the account (a lease, so one action on its live menu at a time),
compare with the live menu (drift, or the fingerprint the person confirmed), write the Publication
as pending with its payload, call the platform with no transaction open, record the outcome, and
return an Outcome with a plain-language hint. A pending record left by a crash is resolved by the
next action that reads the live menu. Platform trouble never raises: it comes back as a failed
Outcome, and the draft is never touched.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import leases
from accounts.models import Account
from accounts.tokens import AccountTokenStore
from menueditor import draft_titles, live_state
from menueditor.diff import describe_changes, live_fingerprint, same_menu
from menueditor.models import Menu, Publication
from menueditor.platforms import get_platform
from menueditor.platforms.base import LiveMenu
from menueditor.platforms.transport import PlatformError, deadline
from menueditor.tree import MenuParseError, MenuTree

logger = logging.getLogger("menueditor.publishing")

PUBLISH_PERMISSION = "menueditor.publish_menu"
EDIT_PERMISSION = "menueditor.change_menu"


@dataclass
class Outcome:
    """What happened, in the platform's words (code, message) and ours (hint)."""

    ok: bool
    code: str  # "ok", a platform code, or timeout / connection / http_NNN / not_json / invalid / drift
    message: str = ""  # the platform's text as it came (or the problems, for "invalid")
    hint: str = ""  # what to do, in plain language, translated
    publication: Publication | None = None
    when_visible: str = ""  # success only: when phones show the change
    problems: list[str] = field(default_factory=list)  # "invalid": each problem with its position
    changes: list[str] = field(default_factory=list)  # "drift": how the live menu changed elsewhere
    fingerprint: str = ""  # "drift": the live menu now, for a confirmation against exactly that menu
    publish_changes: list[str] = field(default_factory=list)  # "drift": what publishing now would change
    pending: bool = False  # the platform did not answer: recorded as unknown until it is checked
    # "drift" after a review: the menus compared, for the two phones (live now, and what was last
    # published here when it drifted; the draft that would replace it).
    live_tree: MenuTree | None = None
    drift_base: MenuTree | None = None
    draft_tree: MenuTree | None = None
    console_replies: dict[tuple[int, ...], str] = field(default_factory=dict)  # "drift": lost by publishing


@dataclass
class PublishPreview:
    live_tree: MenuTree | None
    changes: list[str]  # live menu -> this draft
    drift: bool  # the live menu was changed elsewhere since this app last published or read it
    drift_changes: list[str]
    outcome: Outcome | None = None  # set when the live menu could not be read
    unconvertible: list[str] = field(default_factory=list)
    fingerprint: str = ""  # of the live menu shown: a publish confirms against exactly this menu
    drift_base: MenuTree | None = None  # drift: what this app last knew to be live
    console_replies: dict[tuple[int, ...], str] = field(default_factory=dict)  # lost by publishing
    draft_tree: MenuTree | None = None  # the draft compared with the live menu


@dataclass
class PullResult:
    menu: Menu | None
    outcome: Outcome
    unconvertible: list[str] = field(default_factory=list)


# -- permissions ---------------------------------------------------------------------------------------


def _assigned(user, account: Account) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return Account.objects.for_user(user).filter(pk=account.pk).exists()


def can_edit(user, account: Account) -> bool:
    """Superusers, or staff assigned to the account who hold menueditor.change_menu."""
    return _assigned(user, account) and user.has_perm(EDIT_PERMISSION)


def can_publish(user, account: Account) -> bool:
    """Superusers, or staff assigned to the account who hold menueditor.publish_menu."""
    return _assigned(user, account) and user.has_perm(PUBLISH_PERMISSION)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _unapproved(menu: Menu) -> Outcome | None:
    """On accounts that publish only approved drafts, the refusal of one whose revision nobody else
    approved (menueditor/reviews.py holds the rule); None when it may go out."""
    from menueditor.reviews import approval_problem  # reviews builds on this module

    code, hint = approval_problem(menu)
    return Outcome(False, code, "", hint) if code else None


# -- helpers -------------------------------------------------------------------------------------------


def client_for(account: Account):
    """The account's platform client, keeping its token in the account's token store."""
    return get_platform(account.platform).client(account, AccountTokenStore(account))


def lease_seconds() -> float:
    """Longer than one action can take: token (and waiting for another worker's refresh, up to two
    deadlines), read and its fallback, create, a renewal and its retry; each call within deadline()."""
    return 8 * deadline() + 30


@contextmanager
def _claimed(account: Account, user) -> Iterator[leases.Claim | None]:
    """The account's live-menu lease for the block, or None when another action holds it."""
    name = user.get_username() if user is not None and user.is_authenticated else ""
    claim = leases.claim(account.pk, leases.Purpose.LIVE_MENU, holder_name=name, seconds=lease_seconds())
    try:
        yield claim
    finally:
        if claim is not None:
            leases.release(claim)


def _busy(account: Account) -> Outcome:
    holder = leases.current_holder(account.pk, leases.Purpose.LIVE_MENU)
    who = holder.name if holder and holder.name else _("the command line or a scheduled task")
    when = (
        timezone.localtime(holder.started_at).strftime("%H:%M")
        if holder and holder.started_at
        else _("a moment ago")
    )
    hint = _(
        "Another publish of this account is running, started by %(who)s at %(when)s. Nothing was "
        "sent. Wait until it has finished, then review again."
    ) % {"who": who, "when": when}
    return Outcome(False, "busy", "", hint)


def _unreadable(exc: Exception) -> PlatformError:
    return PlatformError(
        "unreadable",
        str(exc),
        _(
            "The platform sent back a menu this app cannot read. Nothing was changed; please report "
            "this with the message below."
        ),
    )


def _record(
    account, *, action, outcome, user, menu=None, payload="", code="", message="", hint="", match_rule=""
):
    """One history entry; match_rule names the conditional menu it acted on ("" for the default)."""
    return Publication.objects.create(
        account=account,
        menu=menu,
        action=action,
        payload=payload,
        user=user if user is not None and user.is_authenticated else None,
        outcome=outcome,
        code=str(code)[:32],
        message=message,
        hint=hint,
        match_rule=match_rule,
    )


def _finish(publication: Publication, outcome: str, *, code="", message="", hint="") -> Publication:
    """Record the answer on the pending Publication (one short UPDATE, committed at once)."""
    publication.outcome = outcome
    publication.code = str(code)[:32]
    publication.message = message
    publication.hint = hint
    Publication.objects.filter(pk=publication.pk).update(
        outcome=outcome, code=publication.code, message=message, hint=hint
    )
    return publication


def _finish_failure(publication: Publication, error: PlatformError) -> Outcome:
    """A call that failed after its record was written; a timeout leaves the outcome unknown."""
    unknown = error.unanswered
    outcome = Publication.Outcome.UNKNOWN if unknown else Publication.Outcome.FAILURE
    _finish(publication, outcome, code=error.code, message=error.message, hint=error.hint)
    logger.warning(
        "%s on %s %s: %s %s",
        publication.action,
        publication.account.slug,
        "outcome unknown" if unknown else "failed",
        error.code,
        error.message.replace("\n", " ")[:300],
    )
    return Outcome(False, error.code, error.message, error.hint, publication, pending=unknown)


def _failure(account, error: PlatformError, *, action, user, menu=None, payload="", match_rule="") -> Outcome:
    publication = _record(
        account,
        action=action,
        outcome=Publication.Outcome.FAILURE,
        user=user,
        menu=menu,
        payload=payload,
        code=error.code,
        message=error.message,
        hint=error.hint,
        match_rule=match_rule,
    )
    logger.warning(
        "%s on %s failed: %s %s", action, account.slug, error.code, error.message.replace("\n", " ")[:300]
    )
    return Outcome(False, error.code, error.message, error.hint, publication)


def _read_live(client) -> LiveMenu:
    try:
        return client.read_live()
    except MenuParseError as exc:
        raise _unreadable(exc) from exc


def _baseline(account: Account, client) -> tuple[bool, MenuTree | None]:
    """What this app last knew to be live: (known, tree). Unknown when nothing was done from here."""
    last = (
        # The default menu's own entries: a conditional menu's (match_rule set) leave it as it was.
        Publication.objects.filter(account=account, outcome=Publication.Outcome.SUCCESS, match_rule="")
        .order_by("-created_at", "-pk")
        .first()
    )
    if last is None:
        return False, None
    try:
        return True, last.tree()  # None after a delete from here: nothing should be live
    except (MenuParseError, ValueError):
        return False, None


def _drift(account: Account, client, live: LiveMenu) -> tuple[bool, list[str]]:
    known, base = _baseline(account, client)
    live_is_empty = live.tree is None or not live.tree.buttons
    if not known:
        if live_is_empty:
            return False, []
        return True, [
            _(
                "A live menu exists that was not published from this app (made in the platform's "
                "console or by another system); publishing replaces it."
            )
        ]
    if same_menu(base, live.tree):
        return False, []
    if live_is_empty:
        return True, [_("the live menu was deleted outside this app")]
    return True, describe_changes(base, live.tree, get_platform(account.platform))


def _drift_outcome(changes: list[str], fingerprint: str, **compared: Any) -> Outcome:
    """The refusal of a publish that no review confirmed; compared: the menus for the two phones
    (live_tree, drift_base, draft_tree, publish_changes, console_replies), when the caller has them."""
    return Outcome(
        False,
        "drift",
        "; ".join(changes),
        _(
            "Someone changed the live menu outside this app since it was last published or pulled "
            "here. Check the differences, then publish again and confirm to replace it, or pull the "
            "live menu into a new draft to keep those changes."
        ),
        changes=changes,
        fingerprint=fingerprint,
        **compared,
    )


def _changed_since_review(account: Account, client, live: LiveMenu, tree: MenuTree) -> Outcome:
    """The live menu is no longer the one the person confirmed: show them the new one, send nothing."""
    drifted, changes = _drift(account, client, live)
    if not drifted:
        changes = [_("the live menu was published again (from this app) after your review")]

    return Outcome(
        False,
        "drift",
        "; ".join(changes),
        _(
            "The live menu changed after you reviewed it, so nothing was sent. Check the "
            "differences again; confirm to replace this live menu, or pull it into a new draft."
        ),
        changes=changes,
        fingerprint=live_fingerprint(live.tree),
        publish_changes=describe_changes(live.tree, tree, get_platform(account.platform)),
        live_tree=live.tree,
        drift_base=_baseline(account, client)[1] if drifted else None,
        draft_tree=tree,
        console_replies=live.console_replies,
    )


def _went_live(publication: Publication, live: LiveMenu) -> bool:
    live_empty = live.tree is None or not live.tree.buttons
    if publication.action == Publication.Action.DELETE:
        return live_empty
    try:
        return same_menu(publication.tree(), live.tree)
    except (MenuParseError, ValueError):
        return False


def resolve_interrupted(account: Account, live: LiveMenu) -> int:
    """Settle publishes and deletes left pending (a crash) or unknown (no answer) by the live menu.

    Call only while holding the account's lease, so that no action it names is still running.
    The newest that the live menu shows went through; any other did not (or was replaced since).
    """
    stale = list(
        Publication.objects.filter(
            account=account,
            outcome__in=[Publication.Outcome.PENDING, Publication.Outcome.UNKNOWN],
            action__in=[Publication.Action.PUBLISH, Publication.Action.DELETE],
            match_rule="",  # conditional menus' entries are settled by conditional.resolve_interrupted
        ).order_by("-created_at", "-pk")
    )
    settled = False
    for publication in stale:
        if not settled and _went_live(publication, live):
            settled = True
            _finish(
                publication,
                Publication.Outcome.SUCCESS,
                code="ok",
                message=publication.message,
                hint=_(
                    "Confirmed afterwards: the platform's answer never arrived, but the live menu "
                    "read later shows that this went through."
                ),
            )
        else:
            _finish(
                publication,
                Publication.Outcome.FAILURE,
                code=publication.code or "interrupted",
                message=publication.message,
                hint=_(
                    "Not confirmed: the platform's answer never arrived, and the live menu read later "
                    "does not show this. Treat it as not published."
                ),
            )
    if stale:
        logger.info("settled %d interrupted action(s) on %s", len(stale), account.slug)
    return len(stale)


def _has_interrupted(account: Account) -> bool:
    return Publication.objects.filter(
        account=account, outcome__in=[Publication.Outcome.PENDING, Publication.Outcome.UNKNOWN]
    ).exists()


def _invalid(problems: list[str]) -> Outcome:
    return Outcome(
        False,
        "invalid",
        "; ".join(problems),
        _("The menu has problems the platform would refuse; nothing was sent. Fix them in the editor."),
        problems=problems,
    )


def _parse_draft(menu: Menu) -> tuple[MenuTree | None, list[str]]:
    rules = get_platform(menu.account.platform)
    try:
        tree = rules.parse(menu.tree)
    except MenuParseError as exc:
        return None, [str(exc)]
    return tree, [p.text() for p in rules.errors(tree)]


# -- the services --------------------------------------------------------------------------------------


def publish_menu(menu: Menu, user, *, confirm_drift: bool = False, if_live: str | None = None) -> Outcome:
    """Publish the draft to its account's live menu. PermissionDenied when the user may not.

    if_live: the fingerprint of the live menu the person reviewed; the publish goes ahead only while
    the live menu is still exactly that one (compare-and-swap). confirm_drift: replace whatever is
    live, for scripts. Neither: refuse when the live menu was changed outside this app (drift).
    """
    if menu.match_rule:  # a conditional menu: added, then the one it replaces deleted
        from menueditor import conditional

        return conditional.publish_conditional(menu, user, confirm_drift=confirm_drift, if_live=if_live)
    account = menu.account
    _require(can_publish(user, account), _("You may not publish menus on this account."))
    tree, problems = _parse_draft(menu)
    if problems:
        return _invalid(problems)
    rules = get_platform(account.platform)
    payload = rules.payload_text(tree)
    action = Publication.Action.PUBLISH
    refused = _unapproved(menu)
    if refused is not None:
        return refused
    with _claimed(account, user) as claim:
        if claim is None:
            return _busy(account)
        client = client_for(account)
        try:
            try:
                if not confirm_drift or _has_interrupted(account):
                    live = _read_live(client)
                    resolve_interrupted(account, live)
                    if if_live is not None and not confirm_drift:
                        if live_fingerprint(live.tree) != if_live:
                            return _changed_since_review(account, client, live, tree)
                    elif not confirm_drift:
                        drifted, changes = _drift(account, client, live)
                        if drifted:
                            return _drift_outcome(
                                changes,
                                live_fingerprint(live.tree),
                                live_tree=live.tree,
                                drift_base=_baseline(account, client)[1],
                                draft_tree=tree,
                                publish_changes=describe_changes(live.tree, tree, rules),
                                console_replies=live.console_replies,
                            )
            except PlatformError as error:
                return _failure(account, error, action=action, user=user, menu=menu, payload=payload)
            # Committed before the call: whatever happens next, the history shows this publish.
            pending = _record(
                account,
                action=action,
                outcome=Publication.Outcome.PENDING,
                user=user,
                menu=menu,
                payload=payload,
            )
            try:
                sent, code, message = client.publish(tree)
            except PlatformError as error:
                return _finish_failure(pending, error)
            hint = str(client.published_hint)
            if sent != payload:
                Publication.objects.filter(pk=pending.pk).update(payload=sent)
            publication = _finish(pending, Publication.Outcome.SUCCESS, code=code, message=message, hint=hint)
        finally:
            client.close()
    logger.info("published menu %s on %s", menu.pk, account.slug)
    return Outcome(True, "ok", message, hint, publication, str(client.when_visible))


def preview_publish(menu: Menu, user) -> PublishPreview:
    """What publishing this draft would change, and whether the live menu drifted (nothing is sent)."""
    if menu.match_rule:  # compared with the live conditional menu of the same rule
        from menueditor import conditional

        return conditional.preview_conditional(menu, user)
    account = menu.account
    _require(can_edit(user, account) or can_publish(user, account), _("You may not work on this account."))
    tree, _problems = _parse_draft(menu)
    client = client_for(account)
    try:
        live = _read_live(client)
    except PlatformError as error:
        outcome = Outcome(False, error.code, error.message, error.hint)
        return PublishPreview(None, [], False, [], outcome)
    finally:
        client.close()
    drifted, drift_changes = _drift(account, client, live)
    changes = describe_changes(live.tree, tree, get_platform(account.platform)) if tree is not None else []
    return PublishPreview(
        live.tree,
        changes,
        drifted,
        drift_changes,
        None,
        live.unconvertible,
        live_fingerprint(live.tree),
        drift_base=_baseline(account, client)[1] if drifted else None,
        console_replies=live.console_replies,
        draft_tree=tree,
    )


def pull_menu(account: Account, user, *, check_permission: bool = True) -> PullResult:
    """Read the live menu into a new draft. check_permission=False only for the trusted command line."""
    if check_permission:
        _require(can_edit(user, account), _("You may not edit menus on this account."))
    # Under the lease, so that a pull never records a menu a running publish is about to replace.
    with _claimed(account, user) as claim:
        if claim is None:
            return PullResult(None, _busy(account))
        client = client_for(account)
        try:
            live = _read_live(client)
            resolve_interrupted(account, live)
        except PlatformError as error:
            return PullResult(None, _failure(account, error, action=Publication.Action.PULL, user=user))
        finally:
            client.close()
        return _record_pull(account, user, live)


def _record_pull(account: Account, user, live: LiveMenu) -> PullResult:
    if live.tree is None or not live.tree.buttons:
        hint = _("The live menu is empty: there is nothing to pull.")
        publication = _record(
            account,
            action=Publication.Action.PULL,
            outcome=Publication.Outcome.SUCCESS,
            user=user,
            payload=live.raw,
            code="empty",
            hint=hint,
        )
        return PullResult(None, Outcome(True, "empty", "", hint, publication), live.unconvertible)
    menu = Menu.objects.create(
        account=account,
        title=draft_titles.pulled(account),
        tree=live.tree.canonical().to_json(),
        updated_by=user if user is not None and user.is_authenticated else None,
    )
    if live.unconvertible:
        hint = _(
            "The live menu is now a new draft. Some buttons could not be converted and need your "
            "attention before publishing: see the list."
        )
    else:
        hint = _("The live menu is now a new draft.")
    publication = _record(
        account,
        action=Publication.Action.PULL,
        outcome=Publication.Outcome.SUCCESS,
        user=user,
        menu=menu,
        payload=live.raw,
        code="ok",
        message="; ".join(live.unconvertible),
        hint=hint,
    )
    return PullResult(menu, Outcome(True, "ok", "", hint, publication), live.unconvertible)


def delete_live_menu(account: Account, user, *, check_permission: bool = True) -> Outcome:
    """Delete the live menu (and, where the platform has them, its conditional menus). Needs the
    publish permission."""
    if check_permission:
        _require(can_publish(user, account), _("You may not change the live menu of this account."))
    action = Publication.Action.DELETE
    with _claimed(account, user) as claim:
        if claim is None:
            return _busy(account)
        client = client_for(account)
        try:
            if _has_interrupted(account):
                try:
                    resolve_interrupted(account, _read_live(client))
                except PlatformError as error:
                    return _failure(account, error, action=action, user=user)
            pending = _record(account, action=action, outcome=Publication.Outcome.PENDING, user=user)
            try:
                client.delete()
            except PlatformError as error:
                return _finish_failure(pending, error)
            hint = str(client.deleted_hint)
            publication = _finish(pending, Publication.Outcome.SUCCESS, code="ok", hint=hint)
        finally:
            client.close()
    return Outcome(True, "ok", "", hint, publication, str(client.when_visible))


def settle_interrupted(account: Account, user, *, check_permission: bool = True) -> Outcome:
    """Read the live menu now and settle every pending or unknown publish and delete by it."""
    if check_permission:
        _require(can_publish(user, account), _("You may not change the live menu of this account."))
    with _claimed(account, user) as claim:
        if claim is None:
            return _busy(account)
        if not _has_interrupted(account):
            return Outcome(True, "ok", "", _("Nothing is waiting to be checked."))
        client = client_for(account)
        try:
            count = resolve_interrupted(account, _read_live(client))
            if get_platform(account.platform).conditional is not None:  # and the conditional menus'
                from menueditor import conditional

                count += conditional.settle_interrupted(account, client)
        except PlatformError as error:
            return Outcome(False, error.code, error.message, error.hint)
        finally:
            client.close()
    hint = ngettext(
        "The live menu was read and %(count)d entry of the history settled by it.",
        "The live menu was read and %(count)d entries of the history settled by it.",
        count,
    ) % {"count": count}
    return Outcome(True, "ok", "", hint)


def restore_publication(publication: Publication, user) -> Menu:
    """A new draft holding a past payload (published or pulled). ValueError when it holds no menu."""
    account = publication.account
    _require(can_edit(user, account), _("You may not edit menus on this account."))
    try:
        tree = publication.tree()
    except (MenuParseError, ValueError):
        tree = None
    if tree is None or not tree.buttons:
        raise ValueError(_("This record holds no menu to restore."))
    return Menu.objects.create(
        account=account,
        title=draft_titles.restored(publication.action, publication.created_at),
        tree=tree.canonical().to_json(),
        # A conditional menu's entry restores into a draft for the same followers (its rule's key is
        # the rule as JSON).
        match_rule=json.loads(publication.match_rule) if publication.match_rule else {},
        updated_by=user,
    )


def draft_holding(publication: Publication, user) -> Menu:
    """A draft holding this record's menu, for publishing it again: its own draft when it still
    holds that menu, else another of the account's drafts with the same menu, else a new restored
    one. So publishing the same past menu again and again does not add a draft each time.
    ValueError when the record holds no menu."""
    account = publication.account
    _require(can_edit(user, account), _("You may not edit menus on this account."))
    try:
        tree = publication.tree()
    except (MenuParseError, ValueError):
        tree = None
    if tree is None or not tree.buttons:
        raise ValueError(_("This record holds no menu to restore."))
    wanted = live_fingerprint(tree)
    drafts = account.menus.filter(archived_at__isnull=True).order_by("-updated_at", "-pk")
    own = [m for m in drafts if m.pk == publication.menu_id]
    for menu in [*own, *drafts]:
        # The same menu for the same followers (a conditional menu's rule is part of what is sent).
        same_rule = live_state.rule_key(menu) == publication.match_rule
        if same_rule and live_state.draft_fingerprint(menu) == wanted:
            return menu
    return restore_publication(publication, user)


def preview_republish(publication: Publication, user) -> PublishPreview:
    """What publishing this record's menu again would change, as preview_publish says it for a
    draft (nothing is sent and no draft is made). ValueError when the record holds no menu."""
    try:
        tree = publication.tree()
    except (MenuParseError, ValueError):
        tree = None
    if tree is None or not tree.buttons:
        raise ValueError(_("This record holds no menu to restore."))
    # An unsaved draft of that menu for the same followers: what draft_holding publishes.
    rule = json.loads(publication.match_rule) if publication.match_rule else {}
    unsaved = Menu(account=publication.account, tree=tree.canonical().to_json(), match_rule=rule)
    return preview_publish(unsaved, user)


def check_connection(account: Account) -> Outcome:
    """The admin's "test connection": the client's check() (a token, where there is one, and the
    live menu)."""
    client = client_for(account)
    try:
        message = client.check()
    except MenuParseError as exc:
        error = _unreadable(exc)
        return Outcome(False, error.code, error.message, error.hint)
    except PlatformError as error:
        return Outcome(False, error.code, error.message, error.hint)
    finally:
        client.close()
    return Outcome(True, "ok", message, message)
