"""Scheduled publishing: a draft published at a set time, and optionally switched back later.

schedule_publish() remembers the live menu's fingerprint and enqueues a task of Django's tasks
framework for the time (menueditor/tasks.py; django-tasks-db keeps the queue in the same database
and `manage.py db_worker` runs it). The task calls run_schedule(), which publishes through
publishing.publish_menu(), with the same checks as a person's click, and only while the live menu
is still the one remembered (if_live): a live menu changed since is *held* (recorded in the
history with the differences, nothing sent), never overwritten. Trouble the platform calls passing
(its retry_later_codes, a timeout, a refused connection, HTTP 5xx) is tried again a bounded number
of times; another publish running on the account is waited for. Cancel and move are conditional
UPDATEs on the state, so a worker that has already started wins cleanly. Whoever scheduled is told
by mail (menueditor/schedule_mail.py).

Every attempt runs under a watch: the claim enqueues the next task for after the attempt's longest
possible run, so a worker killed mid-publish is noticed by another one, which settles the pending
Publication by the live menu (publishing.settle_interrupted) before deciding anything.
"""

from __future__ import annotations

import logging
import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Account
from menueditor import publishing
from menueditor.diff import live_fingerprint
from menueditor.models import Menu, Publication, ScheduledPublish
from menueditor.platforms import get_platform
from menueditor.tree import MenuParseError

logger = logging.getLogger("menueditor.scheduling")

State = ScheduledPublish.State
# Transport trouble worth another try (menueditor/platforms/transport.py's codes); token_busy: the
# worker refreshing the account's token took too long (platforms/token_refresh.py).
PASSING_TRANSPORT_CODES = frozenset({"timeout", "connection", "token_busy"})


class ScheduleError(Exception):
    """A schedule that cannot be made, moved or cancelled; the message says why, translated."""


# -- time ----------------------------------------------------------------------------------------------


def account_zone(account: Account) -> zoneinfo.ZoneInfo:
    """The time zone an account's times are entered and shown in: its own (set in the admin,
    Asia/Shanghai by default), else settings.TIME_ZONE."""
    return zoneinfo.ZoneInfo(getattr(account, "time_zone", "") or settings.TIME_ZONE)


def from_account_time(account: Account, naive: datetime) -> datetime:
    """A wall-clock time in the account's zone, as an aware datetime (stored in UTC)."""
    if timezone.is_aware(naive):
        return naive
    return timezone.make_aware(naive, account_zone(account))


def in_account_time(account: Account, moment: datetime) -> datetime:
    return timezone.localtime(moment, account_zone(account))


def shown_time(account: Account, moment: datetime) -> str:
    """A time as people of the account read it: its local date and time, and the zone's name."""
    local = in_account_time(account, moment)
    return f"{date_format(local, 'SHORT_DATETIME_FORMAT')} ({account_zone(account).key})"


# -- making, moving, cancelling --------------------------------------------------------------------------


def _enqueue(schedule_id: int, when: datetime) -> str:
    """Queue the task for this schedule at `when`; its id. Call inside the transaction that records it."""
    from menueditor.tasks import run_scheduled_publish  # the task module imports this one

    return str(run_scheduled_publish.using(run_after=when).enqueue(schedule_id).id)


def _draft_problems(menu: Menu) -> list[str]:
    rules = get_platform(menu.account.platform)
    try:
        tree = rules.parse(menu.tree)
    except MenuParseError as exc:
        return [str(exc)]
    return [p.text() for p in rules.errors(tree)]


def _check_draft(menu: Menu) -> None:
    if _draft_problems(menu):
        raise ScheduleError(
            _("The draft “%(title)s” has problems the platform would refuse: fix them first.")
            % {"title": menu.title}
        )


def _check_future(when: datetime) -> None:
    if when <= timezone.now():
        raise ScheduleError(_("Pick a time in the future."))


def schedule_publish(
    menu: Menu,
    user,
    run_at: datetime,
    *,
    revert_menu: Menu | None = None,
    revert_at: datetime | None = None,
    approval=None,
) -> ScheduledPublish:
    """Schedule the draft for run_at (aware, or wall-clock in the account's zone); PermissionDenied
    for people who may not publish; ScheduleError (translated) when the times or drafts do not fit.

    With revert_menu and revert_at, that draft is published back at revert_at (a campaign), only
    while the live menu is still what the first publish put there. approval: the Review this publish
    carries out (menueditor/reviews.py); the task then publishes only that revision of the draft.
    """
    account = menu.account
    if not publishing.can_publish(user, account):
        raise PermissionDenied(_("You may not publish menus on this account."))
    from menueditor import reviews  # reviews builds on this module

    code, hint = reviews.approval_problem(menu, approval)
    if code:
        raise ScheduleError(hint)
    run_at = from_account_time(account, run_at)
    _check_future(run_at)
    if (revert_menu is None) != (revert_at is None):
        raise ScheduleError(_("To switch back, pick both the draft and the time."))
    if revert_menu is not None and revert_at is not None:
        if revert_menu.account_id != account.pk:
            raise ScheduleError(_("The draft to switch back to must belong to the same account."))
        revert_at = from_account_time(account, revert_at)
        if revert_at <= run_at:
            raise ScheduleError(_("Switch back after the publish, not before it."))
        if revert_menu.pk == menu.pk:
            raise ScheduleError(_("Switch back to another draft, not to the one being published."))
        _check_draft(revert_menu)
    _check_draft(menu)
    # Read now, outside any transaction: the live menu the person schedules against.
    preview = publishing.preview_publish(menu, user)
    if preview.outcome is not None:
        raise ScheduleError(
            _("The live menu could not be read, so nothing was scheduled: %(hint)s")
            % {"hint": preview.outcome.hint}
        )
    if revert_menu is not None:
        refused = reviews.switch_back_problem(revert_menu, preview.fingerprint)
        if refused:
            raise ScheduleError(refused)
    language = translation.get_language() or settings.LANGUAGE_CODE
    with transaction.atomic():
        schedule = ScheduledPublish.objects.create(
            account=account,
            menu=menu,
            created_by=user,
            run_at=run_at,
            expected_live=preview.fingerprint,
            language=language,
        )
        schedule.task_id = _enqueue(schedule.pk, run_at)
        schedule.save(update_fields=["task_id"])
        if approval is not None:  # linked before the task can run, and only once
            linked = (
                type(approval)
                .objects.filter(pk=approval.pk, schedule_id=approval.schedule_id)
                .update(schedule=schedule)
            )
            if not linked:  # someone scheduled this approval meanwhile: this schedule is undone
                raise ScheduleError(_("Someone else scheduled this approval a moment ago."))
        if revert_menu is not None:
            revert = ScheduledPublish.objects.create(
                account=account,
                menu=revert_menu,
                revert_of=schedule,
                created_by=user,
                run_at=revert_at,
                language=language,
            )  # its expected live menu is the campaign's, known once that is published
            revert.task_id = _enqueue(revert.pk, revert_at)
            revert.save(update_fields=["task_id"])
            if approval is not None or reviews.second_person_required(account):
                # The campaign's approval covers the switch back: only this revision of it goes out.
                reviews.cover_switch_back(revert, user, menu)
    logger.info("scheduled menu %s on %s for %s", menu.pk, account.slug, run_at.isoformat())
    return schedule


def _require_publisher(schedule: ScheduledPublish, user, check_permission: bool) -> None:
    if check_permission and not publishing.can_publish(user, schedule.account):
        raise PermissionDenied(_("You may not publish menus on this account."))


def _not_open(schedule: ScheduledPublish) -> ScheduleError:
    schedule.refresh_from_db()
    return ScheduleError(
        _("This publish is %(state)s: it can no longer be cancelled or moved.")
        % {"state": schedule.get_state_display().lower()}
    )


def cancel_schedule(schedule: ScheduledPublish, user, *, check_permission: bool = True) -> None:
    """Cancel it (and a switch back that depends on it) unless it has started; ScheduleError if so."""
    _require_publisher(schedule, user, check_permission)
    by = user if user is not None and user.is_authenticated else None
    now = timezone.now()
    hint = _("Cancelled by %(who)s.") % {"who": by.get_username() if by else _("the command line")}
    with transaction.atomic():
        # The same condition a worker's claim has: whichever comes first wins, the other sees it.
        cancelled = ScheduledPublish.objects.filter(pk=schedule.pk, state=State.SCHEDULED).update(
            state=State.CANCELLED, cancelled_by=by, finished_at=now, code="cancelled", hint=hint
        )
        if cancelled:
            ScheduledPublish.objects.filter(revert_of=schedule, state=State.SCHEDULED).update(
                state=State.CANCELLED, cancelled_by=by, finished_at=now, code="cancelled", hint=hint
            )
    if not cancelled:
        raise _not_open(schedule)
    schedule.refresh_from_db()
    logger.info("cancelled scheduled publish %s on %s", schedule.pk, schedule.account.slug)


def move_schedule(
    schedule: ScheduledPublish, user, run_at: datetime, *, check_permission: bool = True
) -> None:
    """Move it to run_at (aware, or wall-clock in the account's zone) unless it has started."""
    _require_publisher(schedule, user, check_permission)
    run_at = from_account_time(schedule.account, run_at)
    _check_future(run_at)
    if schedule.revert_of_id and run_at <= schedule.revert_of.run_at:
        raise ScheduleError(_("Switch back after the publish, not before it."))
    revert = ScheduledPublish.objects.filter(revert_of=schedule, state=State.SCHEDULED).first()
    if revert is not None and run_at >= revert.run_at:
        raise ScheduleError(
            _("Its switch back is at %(when)s: move that first, or pick an earlier time.")
            % {"when": shown_time(schedule.account, revert.run_at)}
        )
    with transaction.atomic():
        # A new task for the new time; the old one finds it is no longer this schedule's and stops.
        task_id = _enqueue(schedule.pk, run_at)
        moved = ScheduledPublish.objects.filter(pk=schedule.pk, state=State.SCHEDULED).update(
            run_at=run_at, task_id=task_id
        )
        if not moved:
            transaction.set_rollback(True)  # and with it the new task
    if not moved:
        raise _not_open(schedule)
    schedule.refresh_from_db()


# -- running ---------------------------------------------------------------------------------------------


def _attempt_seconds() -> float:
    """Longer than one attempt can take: settling a previous attempt and publishing, each under the
    account's lease (publishing.lease_seconds), and the mail afterwards."""
    mail = settings.MAILERS.get("default", {}).get("OPTIONS", {}).get("timeout") or 20
    return 2 * publishing.lease_seconds() + float(mail) + 30


def _claim(schedule_id: int, task_id: str) -> tuple[ScheduledPublish, datetime | None] | None:
    """Mark the schedule running if `task_id` is its task; None when it is not (moved, cancelled,
    already run). Also returns when an interrupted earlier attempt started (its worker died)."""
    now = timezone.now()
    until = now + timedelta(seconds=_attempt_seconds())
    with transaction.atomic():
        before = ScheduledPublish.objects.filter(pk=schedule_id).values("state", "started_at").first()
        if before is None:
            return None
        watch_id = _enqueue(schedule_id, until + timedelta(seconds=5))
        claimed = (
            ScheduledPublish.objects.filter(pk=schedule_id, task_id=task_id)
            .filter(Q(state=State.SCHEDULED) | Q(state=State.RUNNING, running_until__lt=now))
            .update(state=State.RUNNING, task_id=watch_id, started_at=now, running_until=until)
        )
        if not claimed:
            transaction.set_rollback(True)  # and with it the watch task
            return None
    interrupted_since = before["started_at"] if before["state"] == State.RUNNING else None
    schedule = ScheduledPublish.objects.select_related("account", "menu", "created_by", "revert_of").get(
        pk=schedule_id
    )
    return schedule, interrupted_since


def run_schedule(schedule_id: int, task_id: str) -> str:
    """The task's work: one attempt of the schedule, if `task_id` is the task it waits for.

    Returns the state it is left in ("skipped" when this task was not the one).
    """
    claimed = _claim(schedule_id, task_id)
    if claimed is None:
        return "skipped"
    schedule, interrupted_since = claimed
    if interrupted_since is not None:
        logger.warning("scheduled publish %s was interrupted; checking what it did", schedule.pk)
    with translation.override(schedule.language or settings.LANGUAGE_CODE):
        return _attempt(schedule, interrupted_since)


def _update(schedule: ScheduledPublish, **fields) -> bool:
    """Change the running schedule, only while this worker's claim is still the one that holds it."""
    changed = ScheduledPublish.objects.filter(
        pk=schedule.pk, state=State.RUNNING, task_id=schedule.task_id
    ).update(**fields)
    if changed:
        for name, value in fields.items():
            setattr(schedule, name, value)
    else:
        logger.warning("scheduled publish %s was taken over while running; leaving it", schedule.pk)
    return bool(changed)


def _again(schedule: ScheduledPublish, when: datetime, **fields) -> str:
    """Back to scheduled, with a new task at `when` (a retry or a wait)."""
    with transaction.atomic():
        task_id = _enqueue(schedule.pk, when)
        if not _update(schedule, state=State.SCHEDULED, run_at=when, task_id=task_id, **fields):
            transaction.set_rollback(True)
            return "skipped"
    return schedule.state


def _previous_attempt(schedule: ScheduledPublish, interrupted_since: datetime | None) -> Publication | None:
    """The history entry of the last attempt: the linked one, or for an attempt whose worker died
    before linking it, the entry it wrote under the account's lease after it started."""
    if interrupted_since is not None and schedule.menu is not None:
        found = (
            Publication.objects.filter(
                account=schedule.account,
                menu=schedule.menu,
                user=schedule.created_by,
                action=Publication.Action.PUBLISH,
                created_at__gte=interrupted_since,
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        if found is not None:
            _update(schedule, publication=found)
            return found
    return schedule.publication


def _is_passing(account: Account, code: str) -> bool:
    """Trouble worth trying again later: the platform's busy and rate-limit codes, transport faults."""
    return (
        code in get_platform(account.platform).retry_later_codes
        or code in PASSING_TRANSPORT_CODES
        or code.startswith("http_5")
    )


def _attempt(schedule: ScheduledPublish, interrupted_since: datetime | None) -> str:
    account, user, menu = schedule.account, schedule.created_by, schedule.menu
    if schedule.revert_of_id:
        parent = ScheduledPublish.objects.get(pk=schedule.revert_of_id)
        if parent.state in (State.SCHEDULED, State.RUNNING):
            # The campaign is late (retries): switch back only after it.
            return _again(schedule, timezone.now() + timedelta(seconds=settings.SCHEDULE_BUSY_SECONDS))
        if parent.state != State.PUBLISHED:
            return _end(
                schedule,
                State.CANCELLED,
                code="not_published",
                hint=_("The campaign was not published, so there is nothing to switch back from."),
            )
    if menu is None:
        return _end(
            schedule,
            State.FAILED,
            code="no_draft",
            hint=_("The draft was deleted before its time came; nothing was sent."),
        )
    if user is None or not publishing.can_publish(user, account):
        return _end(
            schedule,
            State.FAILED,
            code="forbidden",
            hint=_("Whoever scheduled this may no longer publish on this account; nothing was sent."),
        )
    refused = _unapproved(schedule, menu)
    if refused:
        return _end(schedule, State.FAILED, code=refused[0], hint=refused[1])

    # An earlier attempt that got no answer (or whose worker died) may have gone through.
    previous = _previous_attempt(schedule, interrupted_since)
    if previous is not None and previous.outcome in (
        Publication.Outcome.PENDING,
        Publication.Outcome.UNKNOWN,
    ):
        settled = publishing.settle_interrupted(account, user)
        if settled.code == "busy":
            return _wait(schedule, settled)
        if not settled.ok:
            # Counted as an attempt, so that a live menu that cannot be read ends the retries too.
            if not _update(schedule, attempts=schedule.attempts + 1):
                return "skipped"
            return _retry_or_fail(schedule, settled.code, settled.hint, previous)
        previous.refresh_from_db()
    if previous is not None and previous.outcome == Publication.Outcome.SUCCESS:
        return _published(schedule, previous)

    if schedule.attempts >= settings.SCHEDULE_ATTEMPTS:
        return _end(
            schedule,
            State.FAILED,
            code=schedule.code or "interrupted",
            hint=schedule.hint or _("Every attempt was interrupted; nothing was published."),
        )
    # Counted before the call, so that a worker dying mid-publish still uses up an attempt.
    if not _update(schedule, attempts=schedule.attempts + 1):
        return "skipped"
    outcome = publishing.publish_menu(menu, user, if_live=schedule.expected_live)
    if outcome.ok:
        return _published(schedule, outcome.publication)
    if outcome.code == "drift":
        return _held(schedule, menu, user, outcome)
    if outcome.code == "busy":
        return _wait(schedule, outcome)
    publication = outcome.publication
    if outcome.code == "invalid":
        # Nobody is watching a scheduled publish: the history says why nothing was sent.
        publication = Publication.objects.create(
            account=account,
            menu=menu,
            action=Publication.Action.PUBLISH,
            user=user,
            outcome=Publication.Outcome.FAILURE,
            code="invalid",
            message=outcome.message,
            hint=outcome.hint,
        )
        return _end(schedule, State.FAILED, code="invalid", hint=outcome.hint, publication=publication)
    return _retry_or_fail(schedule, outcome.code, outcome.hint, publication)


def _unapproved(schedule: ScheduledPublish, menu: Menu) -> tuple[str, str] | None:
    """A publish that carries out an approval sends only the approved revision; on accounts that
    publish only approved drafts, any other is refused too (menueditor/reviews.py)."""
    from menueditor.reviews import approval_problem

    approval = getattr(schedule, "review", None)  # the reverse side of Review.schedule
    code, hint = approval_problem(menu, approval)
    return (code, hint) if code else None


def _retry_or_fail(schedule: ScheduledPublish, code: str, hint: str, publication: Publication | None) -> str:
    if _is_passing(schedule.account, code) and schedule.attempts < settings.SCHEDULE_ATTEMPTS:
        delay = settings.SCHEDULE_RETRY_SECONDS * 2 ** max(0, schedule.attempts - 1)
        when = timezone.now() + timedelta(seconds=delay)
        logger.info("scheduled publish %s: %s, trying again at %s", schedule.pk, code, when.isoformat())
        return _again(schedule, when, code=str(code)[:32], hint=hint, publication=publication)
    return _end(schedule, State.FAILED, code=code, hint=hint, publication=publication)


def _wait(schedule: ScheduledPublish, outcome: publishing.Outcome) -> str:
    """Another publish holds the account: try again shortly, a bounded number of times."""
    if schedule.waits >= settings.SCHEDULE_BUSY_WAITS:
        return _end(schedule, State.FAILED, code="busy", hint=outcome.hint)
    when = timezone.now() + timedelta(seconds=settings.SCHEDULE_BUSY_SECONDS)
    return _again(schedule, when, waits=schedule.waits + 1)


def _published(schedule: ScheduledPublish, publication: Publication) -> str:
    # The switch back publishes only over exactly the menu this put live.
    try:
        fingerprint = live_fingerprint(publication.tree())
    except (MenuParseError, ValueError):
        fingerprint = ""
    with transaction.atomic():
        ScheduledPublish.objects.filter(revert_of=schedule, state=State.SCHEDULED).update(
            expected_live=fingerprint
        )
        state = _end(
            schedule,
            State.PUBLISHED,
            code="ok",
            hint=publication.hint,
            publication=publication,
            notify=False,
        )
    if state == State.PUBLISHED:
        _notify(schedule)
    return state


def _held(schedule: ScheduledPublish, menu: Menu, user, outcome: publishing.Outcome) -> str:
    """The live menu changed since scheduling: record what changed, send nothing, tell the scheduler."""
    changes = outcome.changes or [_("the live menu is not the one it was when this was scheduled")]
    hint = _(
        "Held: the live menu was changed after this publish was scheduled, so nothing was sent and "
        "the changes were kept. Check the differences, then publish or schedule again."
    )
    rules = get_platform(schedule.account.platform)
    try:
        payload = rules.payload_text(rules.parse(menu.tree))
    except MenuParseError:
        payload = ""
    publication = Publication.objects.create(
        account=schedule.account,
        menu=menu,
        action=Publication.Action.PUBLISH,
        payload=payload,  # what would have been sent
        user=user,
        outcome=Publication.Outcome.HELD,
        code="drift",
        message="; ".join(changes),
        hint=hint,
    )
    return _end(schedule, State.HELD, code="drift", hint=hint, publication=publication)


def _end(
    schedule: ScheduledPublish,
    state: str,
    *,
    code: str,
    hint: str,
    publication: Publication | None = None,
    notify: bool = True,
) -> str:
    fields = {"state": state, "code": str(code)[:32], "hint": hint, "finished_at": timezone.now()}
    if publication is not None:
        fields["publication"] = publication
    if not _update(schedule, **fields):
        return "skipped"
    if state != State.PUBLISHED:
        # Nothing to switch back from: the switch back is cancelled now, not at its time.
        ScheduledPublish.objects.filter(revert_of=schedule, state=State.SCHEDULED).update(
            state=State.CANCELLED,
            finished_at=timezone.now(),
            code="not_published",
            hint=_("The campaign was not published, so there is nothing to switch back from."),
        )
    logger.info("scheduled publish %s on %s: %s %s", schedule.pk, schedule.account.slug, state, code)
    if notify and state != State.CANCELLED:
        _notify(schedule)
    return state


def _notify(schedule: ScheduledPublish) -> None:
    from menueditor.review_mail import tell_submitter_of_schedule
    from menueditor.schedule_mail import tell_scheduler

    tell_scheduler(schedule)
    tell_submitter_of_schedule(schedule)  # when it carries out an approval


# -- reading ---------------------------------------------------------------------------------------------

RECENT = timedelta(days=3)


def recent_outcomes(accounts) -> list[ScheduledPublish]:
    """Schedules of these accounts that ended lately (published, held, failed): the home page's notices."""
    return list(
        ScheduledPublish.objects.filter(
            account__in=accounts,
            state__in=[State.PUBLISHED, State.HELD, State.FAILED],
            finished_at__gte=timezone.now() - RECENT,
        )
        .select_related("account", "menu", "created_by")
        .defer("menu__tree")  # titles only: a draft's tree can be large
        .order_by("-finished_at", "-pk")[:20]
    )
