"""Review and approval: a draft is submitted for review, then approved (published now or at a time)
or sent back with a comment.

The rule, per account (accounts.Account, set in the admin):
- needs_approval off: nothing changes (publishers publish, editors cannot).
- needs_approval on: editors, who may not publish, submit their drafts; publishers may still publish
  directly, and approve or send back what editors submit.
- second_approver on too: nobody approves their own submission, so publishers submit their own
  drafts as well and another publisher approves them; publishing without an approval is refused.

An approval names the draft's revision. A draft saved again while it waits goes back to draft (its
submission is withdrawn), and publishing an approved draft (now, or later by the scheduled task)
goes ahead only while the draft is still at that revision: what was approved is exactly what goes
out. Approving and sending back are conditional UPDATEs on the state, so of two publishers deciding
at once one wins and the other is told; only the winner publishes. Publishing itself is the one
service (publishing.publish_menu, with the same compare-and-swap on the live menu) and scheduling is
scheduling.schedule_publish; the submitter is told by mail (menueditor/review_mail.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Account
from menueditor import publishing, scheduling
from menueditor.models import Menu, Publication, Review, ScheduledPublish
from menueditor.platforms import get_platform
from menueditor.tree import MenuParseError

logger = logging.getLogger("menueditor.reviews")

State = Review.State


class ReviewError(Exception):
    """A submission or decision that cannot be made; the message says why, translated."""


# -- the rule ------------------------------------------------------------------------------------------


def second_person_required(account: Account) -> bool:
    """Every publish needs an approval by someone other than whoever submitted the draft."""
    return bool(account.needs_approval and account.second_approver)


def must_submit(user, account: Account) -> bool:
    """Whether this user publishes on this account by submitting for review (and may do so)."""
    if not account.needs_approval or not publishing.can_edit(user, account):
        return False
    return second_person_required(account) or not publishing.can_publish(user, account)


def may_publish_directly(account: Account, may_publish: bool) -> bool:
    """The editor's publish button, given the user's publish permission: hidden under second person."""
    return may_publish and not second_person_required(account)


def approval_problem(menu: Menu, approval: Review | None = None) -> tuple[str, str]:
    """Why publishing `menu` as it is now needs (another) approval: (code, hint), or ("", "").

    Asked by publishing.publish_menu before anything is sent (the draft's approval is looked up when
    none is given) and by the scheduled task for a publish that came from an approval (given): an
    approval holds only for the revision it names.
    """
    account = menu.account
    if approval is None:
        if not second_person_required(account):
            return "", ""
        approval = (
            Review.objects.filter(menu=menu, state=State.APPROVED).order_by("-decided_at", "-pk").first()
        )
        if approval is None:
            return "review", _(
                "This account publishes only what another person approved: submit the draft for "
                "review. Nothing was sent."
            )
    if approval.state != State.APPROVED or approval.menu_id != menu.pk:
        return "review", _("This draft has not been approved for publishing. Nothing was sent.")
    if approval.revision != menu.revision:
        return "changed", _(
            "The draft was changed after it was approved (revision %(approved)d was approved, it is "
            "now at %(now)d), so nothing was sent. Submit it for review again."
        ) % {"approved": approval.revision, "now": menu.revision}
    return "", ""


def switch_back_problem(revert_menu: Menu, live_now: str) -> str:
    """Why this draft may not be a campaign's switch back; '' if it may.

    The approval of a campaign covers its switch back (a draft the approver chose). With a second
    person required, that draft must still be one nobody needs to look at again: its current
    revision approved, or holding exactly the live menu now (`live_now`, the fingerprint the
    campaign is scheduled against), which it puts back.
    """
    if not second_person_required(revert_menu.account):
        return ""
    if not approval_problem(revert_menu)[0]:
        return ""
    from menueditor.live_state import draft_fingerprint  # live_state reads publishing's records

    if live_now and draft_fingerprint(revert_menu) == live_now:
        return ""
    return _(
        "This account publishes only what another person approved: the draft to switch back to "
        "(“%(title)s”) is neither the live menu nor approved at its current revision. Submit it for "
        "review first, or pick another."
    ) % {"title": revert_menu.title}


def cover_switch_back(revert: ScheduledPublish, user, campaign: Menu) -> Review:
    """The approval of a campaign's switch back, at the revert draft's revision now: the scheduled
    switch back then publishes only that revision, as the campaign publishes only its own."""
    menu = revert.menu
    return Review.objects.create(
        account=revert.account,
        menu=menu,
        title=menu.title[:100],
        revision=menu.revision,
        submitted_by=user,
        note=_("Switch back after “%(title)s”.") % {"title": campaign.title},
        state=State.APPROVED,
        decided_by=user,
        decided_at=timezone.now(),
        comment=_("Covered by the approval of “%(title)s” (revision %(rev)d).")
        % {"title": campaign.title, "rev": campaign.revision},
        schedule=revert,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


def decide_problem(review: Review, user) -> str:
    """Why this user may not approve this submission, said in place on the review page; '' if they may."""
    if not publishing.can_publish(user, review.account):
        return _("Approving needs the permission to publish on this account.")
    if second_person_required(review.account) and review.submitted_by_id == user.pk:
        return _("You submitted this draft: another publisher must approve it (nobody approves their own).")
    return ""


# -- reading -------------------------------------------------------------------------------------------


def withdraw_changed(menus: QuerySet | list[Menu], user=None) -> int:
    """Submissions of these drafts whose draft was saved since go back to draft (withdrawn).

    Called after a save (with who saved) and before reading the queue (user None: whoever changed
    the draft last is named).
    """
    stale = list(
        Review.objects.filter(menu__in=menus, state=State.SUBMITTED)
        .exclude(revision=F("menu__revision"))
        .select_related("menu__updated_by")
        .defer("menu__tree")  # the revision and who saved it are enough; a tree can be large
    )
    count = 0
    for review in stale:
        by = user if user is not None and user.is_authenticated else review.menu.updated_by
        count += Review.objects.filter(pk=review.pk, state=State.SUBMITTED).update(
            state=State.WITHDRAWN,
            decided_by=by,
            decided_at=timezone.now(),
            comment=_("The draft was changed after it was submitted (now revision %(rev)d): back to draft.")
            % {"rev": review.menu.revision},
        )
    return count


def waiting_by_account(accounts) -> dict[int, list[Review]]:
    """What waits for review on these accounts, oldest first (the home page's queue)."""
    by_account: dict[int, list[Review]] = {a.pk: [] for a in accounts}
    open_reviews = Review.objects.filter(account__in=list(by_account), state=State.SUBMITTED)
    withdraw_changed(Menu.objects.filter(pk__in=open_reviews.values("menu")))
    waiting = (
        Review.objects.filter(account__in=list(by_account))
        .waiting()
        .select_related("submitted_by", "menu")
        .defer("menu__tree")
        .order_by("submitted_at", "pk")
    )
    for review in waiting:
        by_account[review.account_id].append(review)
    return by_account


def latest_for(menu: Menu) -> Review | None:
    """The draft's newest submission, after withdrawing it if the draft changed since."""
    withdraw_changed([menu])
    return (
        Review.objects.filter(menu=menu)
        .select_related("submitted_by", "decided_by", "schedule", "publication")
        .order_by("-submitted_at", "-pk")
        .first()
    )


# -- submitting ----------------------------------------------------------------------------------------


def _draft_problems(menu: Menu) -> list[str]:
    rules = get_platform(menu.account.platform)
    try:
        tree = rules.parse(menu.tree)
    except MenuParseError as exc:
        return [str(exc)]
    return [p.text() for p in rules.errors(tree)]


def submit(menu: Menu, user, note: str = "", *, revision: int | None = None) -> Review:
    """Submit the saved draft (at `revision`, the one the person saw) for review."""
    account = menu.account
    if not publishing.can_edit(user, account):
        raise PermissionDenied(_("You may not edit menus on this account."))
    if not account.needs_approval:
        raise ReviewError(_("This account publishes without review: there is nothing to submit."))
    menu = Menu.objects.select_related("account").get(pk=menu.pk)  # the saved draft, as it is now
    if revision is not None and menu.revision != revision:
        raise ReviewError(
            _("The draft was saved again since you opened this page: check it and submit again.")
        )
    if _draft_problems(menu):
        raise ReviewError(
            _("The draft has problems the platform would refuse: fix them in the editor first.")
        )
    withdraw_changed([menu])
    try:
        with transaction.atomic():
            review = Review.objects.create(
                account=account,
                menu=menu,
                title=menu.title[:100],
                revision=menu.revision,
                submitted_by=user,
                note=note.strip(),
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
    except IntegrityError:
        raise ReviewError(_("This draft is already waiting for review.")) from None
    logger.info("menu %s r%s submitted for review on %s", menu.pk, menu.revision, account.slug)
    return review


def withdraw(review: Review, user) -> None:
    """The submitter (or another editor) takes the draft back out of review."""
    if not publishing.can_edit(user, review.account):
        raise PermissionDenied(_("You may not edit menus on this account."))
    taken = Review.objects.filter(pk=review.pk, state=State.SUBMITTED).update(
        state=State.WITHDRAWN, decided_by=user, decided_at=timezone.now(), comment=_("Withdrawn.")
    )
    if not taken:
        raise _decided(review)
    review.refresh_from_db()


# -- deciding ------------------------------------------------------------------------------------------


def _decided(review: Review) -> ReviewError:
    review.refresh_from_db()
    who = review.decided_by.get_username() if review.decided_by else _("someone")
    return ReviewError(
        _("This submission is no longer waiting: %(state)s by %(who)s.")
        % {"state": review.get_state_display().lower(), "who": who}
    )


def _current_menu(review: Review) -> Menu:
    """The submitted draft as it is now (its account in full); ReviewError if it changed or is gone."""
    menu = Menu.objects.select_related("account").filter(pk=review.menu_id).first()
    if menu is None:
        raise ReviewError(_("The draft was deleted."))
    if menu.revision != review.revision:
        withdraw_changed([menu])
        raise ReviewError(
            _(
                "The draft was changed after it was submitted (revision %(submitted)d was submitted, "
                "it is now at %(now)d): it is back with its editors."
            )
            % {"submitted": review.revision, "now": menu.revision}
        )
    return menu


def send_back(review: Review, user, comment: str) -> None:
    """Back to the editor with a comment (shown in the editor and mailed to the submitter)."""
    if not publishing.can_publish(user, review.account):
        raise PermissionDenied(_("You may not publish menus on this account."))
    comment = comment.strip()
    if not comment:
        raise ReviewError(_("Say what to change, so that the editor knows."))
    sent = Review.objects.filter(pk=review.pk, state=State.SUBMITTED).update(
        state=State.SENT_BACK, decided_by=user, decided_at=timezone.now(), comment=comment
    )
    if not sent:
        raise _decided(review)
    review.refresh_from_db()
    logger.info("review %s sent back on %s", review.pk, review.account.slug)
    _tell(review, "sent_back")


@dataclass
class Approval:
    review: Review
    outcome: publishing.Outcome | None = None  # approved to publish now: what publishing did
    schedule: ScheduledPublish | None = None  # approved for a time


def approve(
    review: Review,
    user,
    *,
    live_fingerprint: str | None = None,
    run_at: datetime | None = None,
    comment: str = "",
    revert_menu: Menu | None = None,
    revert_at: datetime | None = None,
) -> Approval:
    """Approve the submitted revision: publish it now (confirming the live menu the approver saw), or
    schedule it for run_at (wall-clock in the account's zone, or aware), optionally switching back
    to revert_menu at revert_at (a campaign; the approval covers it, see switch_back_problem).
    ReviewError when it cannot be approved (decided already, changed, own submission, a time in the
    past); ScheduleError's message comes back as a ReviewError too."""
    account = review.account
    if not publishing.can_publish(user, account):
        raise PermissionDenied(_("You may not publish menus on this account."))
    refused = decide_problem(review, user)
    if refused:
        raise ReviewError(refused)
    menu = _current_menu(review)
    if _draft_problems(menu):
        raise ReviewError(_("The draft has problems the platform would refuse: send it back."))
    if run_at is not None:
        run_at = scheduling.from_account_time(account, run_at)
        if run_at <= timezone.now():
            raise ReviewError(_("Pick a time in the future."))
    elif revert_menu is not None:
        raise ReviewError(_("A switch back goes with an approval for a time: pick when to publish."))
    # The one decision: of two publishers approving at once, one UPDATE changes the row.
    won = Review.objects.filter(pk=review.pk, state=State.SUBMITTED, revision=menu.revision).update(
        state=State.APPROVED, decided_by=user, decided_at=timezone.now(), comment=comment.strip()
    )
    if not won:
        raise _decided(review)
    review.refresh_from_db()
    logger.info("review %s approved on %s by %s", review.pk, account.slug, user.get_username())
    if run_at is not None:
        try:
            schedule = scheduling.schedule_publish(
                menu, user, run_at, revert_menu=revert_menu, revert_at=revert_at, approval=review
            )
        except (scheduling.ScheduleError, PermissionDenied) as error:
            # Nothing is scheduled: the submission waits again, for this or another publisher.
            Review.objects.filter(pk=review.pk, state=State.APPROVED, decided_by=user).update(
                state=State.SUBMITTED, decided_by=None, decided_at=None, comment=""
            )
            review.refresh_from_db()
            raise ReviewError(str(error)) from error
        review.refresh_from_db()
        _tell(review, "approved")
        return Approval(review, schedule=schedule)
    outcome = publish_approved(review, user, live_fingerprint=live_fingerprint, menu=menu, tell=False)
    _tell(review, "approved", outcome=outcome)
    return Approval(review, outcome=outcome)


def publish_approved(
    review: Review, user, *, live_fingerprint: str | None, menu: Menu | None = None, tell: bool = True
) -> publishing.Outcome:
    """Publish the approved revision now (again, after a refusal, a hold or a failure)."""
    if review.state != State.APPROVED:
        raise ReviewError(_("This draft has not been approved for publishing."))
    if review.publication_id and review.publication.outcome == Publication.Outcome.SUCCESS:
        raise ReviewError(_("This approval was published already."))
    if review.schedule_id and review.schedule.state in (
        ScheduledPublish.State.SCHEDULED,
        ScheduledPublish.State.RUNNING,
    ):
        raise ReviewError(
            _("This approval is scheduled: cancel the scheduled publish first, or wait for it.")
        )
    menu = menu or _current_menu(review)
    # publish_menu finds the approval of this revision itself (approval_problem).
    outcome = publishing.publish_menu(menu, user, if_live=live_fingerprint or None)
    if outcome.publication is not None:
        Review.objects.filter(pk=review.pk).update(publication=outcome.publication)
        review.publication = outcome.publication
    if tell and outcome.ok:
        _tell(review, "published", outcome=outcome)
    return outcome


def open_approval(review: Review) -> bool:
    """An approval that has not gone out and is not waiting for its time: its publish was refused,
    held, failed or cancelled. It can be published now or scheduled again (same revision)."""
    if review.state != State.APPROVED or review.menu_id is None:
        return False
    if review.publication_id and review.publication.outcome == Publication.Outcome.SUCCESS:
        return False
    return not (
        review.schedule_id
        and review.schedule.state
        in (
            ScheduledPublish.State.SCHEDULED,
            ScheduledPublish.State.RUNNING,
            ScheduledPublish.State.PUBLISHED,
        )
    )


def reschedule_approved(
    review: Review,
    user,
    run_at: datetime,
    *,
    revert_menu: Menu | None = None,
    revert_at: datetime | None = None,
) -> ScheduledPublish:
    """Schedule an open approval again (its publish was held, cancelled or failed): the same revision,
    against the live menu as it is now. ReviewError when it cannot be (see approve)."""
    if not publishing.can_publish(user, review.account):
        raise PermissionDenied(_("You may not publish menus on this account."))
    refused = decide_problem(review, user)
    if refused:
        raise ReviewError(refused)
    if not open_approval(review):
        raise ReviewError(
            _("This approval is published or scheduled already: there is nothing to reschedule.")
        )
    menu = Menu.objects.select_related("account").filter(pk=review.menu_id).first()
    if menu is None:
        raise ReviewError(_("The draft was deleted."))
    code, hint = approval_problem(menu, review)
    if code:
        raise ReviewError(hint)
    try:
        schedule = scheduling.schedule_publish(
            menu, user, run_at, revert_menu=revert_menu, revert_at=revert_at, approval=review
        )
    except scheduling.ScheduleError as error:
        raise ReviewError(str(error)) from error
    review.refresh_from_db()
    logger.info("review %s rescheduled on %s by %s", review.pk, review.account.slug, user.get_username())
    _tell(review, "approved")
    return schedule


def _tell(review: Review, kind: str, **extra) -> None:
    from menueditor.review_mail import tell_submitter

    tell_submitter(review, kind, **extra)


# -- history -------------------------------------------------------------------------------------------


@dataclass
class Step:
    """One step of a review as the history shows it."""

    kind: str  # submitted, approved, sent_back, withdrawn, scheduled, cancelled, published, held, failed
    label: str
    who: str
    when: datetime
    text: str
    review: Review


def _name(user) -> str:
    return user.get_username() if user is not None else _("someone")


def steps(review: Review) -> list[Step]:
    """Every step of this review, in order: submitted, the decision, and what the approval led to."""
    schedule = review.schedule
    switch_back = schedule is not None and schedule.revert_of_id is not None  # cover_switch_back's
    found = [
        Step(
            "submitted",
            _("Chosen as the switch back") if switch_back else _("Submitted for review"),
            _name(review.submitted_by),
            review.submitted_at,
            review.note,
            review,
        )
    ]
    labels = {
        State.APPROVED: _("Approved"),
        State.SENT_BACK: _("Sent back"),
        State.WITHDRAWN: _("Back to draft"),
    }
    if review.state in labels and review.decided_at:
        found.append(
            Step(
                review.state,
                labels[review.state],
                _name(review.decided_by),
                review.decided_at,
                review.comment,
                review,
            )
        )
    if schedule is not None:
        when = scheduling.shown_time(review.account, schedule.run_at)
        found.append(
            Step(
                "scheduled",
                _("Scheduled"),
                _name(schedule.created_by),
                schedule.created_at,
                _("for %(when)s") % {"when": when},
                review,
            )
        )
        ended = {
            ScheduledPublish.State.CANCELLED: ("cancelled", _("Cancelled")),
            ScheduledPublish.State.PUBLISHED: ("published", _("Published")),
            ScheduledPublish.State.HELD: ("held", _("Held")),
            ScheduledPublish.State.FAILED: ("failed", _("Failed")),
        }
        if schedule.state in ended and schedule.finished_at:
            kind, label = ended[schedule.state]
            who = _name(schedule.cancelled_by) if kind == "cancelled" else _("the scheduled task")
            found.append(Step(kind, label, who, schedule.finished_at, schedule.hint, review))
    publication = review.publication
    if publication is not None and (schedule is None or publication.pk != schedule.publication_id):
        kinds = {
            Publication.Outcome.SUCCESS: ("published", _("Published")),
            Publication.Outcome.HELD: ("held", _("Held")),
        }
        kind, label = kinds.get(publication.outcome, ("failed", _("Not published")))
        found.append(
            Step(kind, label, _name(publication.user), publication.created_at, publication.hint, review)
        )
    return found


def account_steps(account: Account, limit: int = 30) -> list[Step]:
    """The steps of the account's latest reviews, newest first (the history page)."""
    reviews = (
        Review.objects.filter(account=account)
        .select_related(
            "submitted_by",
            "decided_by",
            "schedule__created_by",
            "schedule__cancelled_by",
            "publication__user",
        )
        .order_by("-submitted_at", "-pk")[:limit]
    )
    found = []
    for review in reviews:
        review.account = account  # already loaded; spares a query per review
        found += steps(review)
    return sorted(found, key=lambda s: s.when, reverse=True)
