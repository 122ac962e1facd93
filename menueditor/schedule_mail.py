"""The mail that tells whoever scheduled a publish what became of it: published, held or failed.

Sent through Django's email framework (the console unless EMAIL_BACKEND says SMTP, see
.env.example), in the language the person scheduled in. A mail that cannot be sent is logged; it
never changes what happened to the menu.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from menueditor.models import ScheduledPublish

logger = logging.getLogger("menueditor.scheduling")

State = ScheduledPublish.State


def _subject(schedule: ScheduledPublish, title: str) -> str:
    names = {"title": title, "account": schedule.account.name}
    if schedule.state == State.PUBLISHED:
        return _("Published as scheduled: “%(title)s” on %(account)s") % names
    if schedule.state == State.HELD:
        return _("Held, not published: “%(title)s” on %(account)s") % names
    return _("Not published: “%(title)s” on %(account)s") % names


def _body(schedule: ScheduledPublish, title: str) -> str:
    from menueditor.scheduling import shown_time

    account = schedule.account
    who = schedule.created_by.get_username() if schedule.created_by else _("someone")
    lines = [
        _("The publish of “%(title)s” to %(account)s, scheduled by %(who)s for %(when)s:")
        % {"title": title, "account": account.name, "who": who, "when": shown_time(account, schedule.run_at)},
        "",
    ]
    publication = schedule.publication
    if schedule.state == State.PUBLISHED:
        lines.append(_("It went live."))
    elif schedule.state == State.HELD:
        lines.append(
            _(
                "It was held: the live menu had been changed since the publish was scheduled, so "
                "nothing was sent and those changes are still live. What changed:"
            )
        )
        if publication is not None and publication.message:
            lines += [f"  - {change}" for change in publication.message.split("; ")]
    else:
        lines.append(_("It was not published."))
    if schedule.hint:
        lines += ["", schedule.hint]
    if (
        schedule.state == State.FAILED
        and publication is not None
        and (publication.code or publication.message)
    ):
        lines.append(
            _("The platform said: %(said)s")
            % {"said": " ".join(p for p in (publication.code, publication.message[:300]) if p)}
        )
    revert = ScheduledPublish.objects.filter(revert_of=schedule).select_related("menu").first()
    if revert is not None:
        names = {
            "title": revert.menu.title if revert.menu else _("(deleted draft)"),
            "when": shown_time(account, revert.run_at),
        }
        lines.append("")
        if revert.state == State.SCHEDULED:
            lines.append(_("It switches back to “%(title)s” at %(when)s.") % names)
        elif revert.state == State.CANCELLED:
            lines.append(_("The switch back to “%(title)s” at %(when)s is cancelled.") % names)
    lines += ["", _("The account's history in the menu editor shows every attempt.")]
    return "\n".join(lines)


def tell_scheduler(schedule: ScheduledPublish) -> bool:
    """Mail whoever scheduled it; False when there is nobody to tell or the mail failed."""
    person = schedule.created_by
    address = person.email if person is not None else ""
    if not address:
        logger.info("scheduled publish %s: %s, nobody to mail", schedule.pk, schedule.state)
        return False
    with translation.override(schedule.language or settings.LANGUAGE_CODE):
        title = schedule.menu.title if schedule.menu else _("(deleted draft)")
        subject, body = _subject(schedule, title), _body(schedule, title)
    try:
        send_mail(subject, body, None, [address])
    except Exception:  # SMTP trouble of any kind: the schedule's outcome stands regardless
        logger.exception("scheduled publish %s: the mail to %s failed", schedule.pk, address)
        return False
    return True
