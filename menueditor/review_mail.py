"""The mails that tell whoever submitted a draft for review what became of it: sent back (with the
comment), approved (published now, or scheduled), and for an approval carried out later, published,
held or failed.

Sent like schedule_mail's, through Django's email framework (the console unless EMAIL_BACKEND says
SMTP, see .env.example), in the language the person submitted in. A mail that cannot be sent is
logged; it never changes what happened to the draft or the menu.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from menueditor.models import Review, ScheduledPublish

logger = logging.getLogger("menueditor.reviews")


def _subject(review: Review, kind: str) -> str:
    names = {"title": review.title, "account": review.account.name}
    subjects = {
        "sent_back": _("Sent back: “%(title)s” on %(account)s"),
        "approved": _("Approved: “%(title)s” on %(account)s"),
        "published": _("Published: “%(title)s” on %(account)s"),
        "held": _("Held, not published: “%(title)s” on %(account)s"),
    }
    return subjects.get(kind, _("Not published: “%(title)s” on %(account)s")) % names


def _body(review: Review, kind: str, outcome=None) -> str:
    from menueditor.scheduling import shown_time

    account = review.account
    who = review.decided_by.get_username() if review.decided_by else _("someone")
    lines = [
        _("Your draft “%(title)s” (revision %(rev)d) for %(account)s, submitted for review:")
        % {"title": review.title, "rev": review.revision, "account": account.name},
        "",
    ]
    schedule = review.schedule
    if kind == "sent_back":
        lines += [_("%(who)s sent it back:") % {"who": who}, "", review.comment, ""]
        lines.append(_("Change it in the editor and submit it again."))
    elif kind == "approved":
        lines.append(_("%(who)s approved it.") % {"who": who})
        if review.comment:
            lines += ["", review.comment]
        if schedule is not None:
            lines.append(
                _("It is scheduled to go live at %(when)s.") % {"when": shown_time(account, schedule.run_at)}
            )
        elif outcome is not None and outcome.ok:
            lines.append(_("It went live."))
        elif outcome is not None:
            lines += [_("It was not published yet:"), outcome.hint]
    elif kind == "published":
        lines.append(_("It went live."))
    elif kind == "held":
        lines.append(
            _(
                "The scheduled publish was held: the live menu had been changed since, so nothing was "
                "sent. A publisher can check the differences and publish it again from the review."
            )
        )
    else:
        lines.append(_("It was not published."))
        if schedule is not None and schedule.hint:
            lines.append(schedule.hint)
    lines += ["", _("The account's history in the menu editor shows every step.")]
    return "\n".join(lines)


def tell_submitter(review: Review, kind: str, *, outcome=None) -> bool:
    """Mail whoever submitted; kind: sent_back, approved, published, held or failed. False when
    there is nobody to tell or the mail failed."""
    person = review.submitted_by
    address = person.email if person is not None else ""
    if not address:
        logger.info("review %s: %s, nobody to mail", review.pk, kind)
        return False
    with translation.override(review.language or settings.LANGUAGE_CODE):
        subject, body = _subject(review, kind), _body(review, kind, outcome)
    try:
        send_mail(subject, body, None, [address])
    except Exception:  # SMTP trouble of any kind: the review's outcome stands regardless
        logger.exception("review %s: the mail to %s failed", review.pk, address)
        return False
    return True


def tell_submitter_of_schedule(schedule: ScheduledPublish) -> bool:
    """After a scheduled publish that carries out an approval ended: tell the submitter too (not for
    a campaign's switch back: its approval is the approver's own, told as its scheduler)."""
    if schedule.revert_of_id:
        return False
    review = (
        Review.objects.filter(schedule=schedule)
        .select_related("account", "submitted_by", "decided_by")
        .first()
    )
    if review is None:
        return False
    kinds = {
        ScheduledPublish.State.PUBLISHED: "published",
        ScheduledPublish.State.HELD: "held",
        ScheduledPublish.State.FAILED: "failed",
    }
    if schedule.state not in kinds:
        return False
    review.schedule = schedule
    return tell_submitter(review, kinds[schedule.state])
