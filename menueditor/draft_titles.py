"""Titles that say where a draft came from: a pull, a restore, a copy, a conflict.

Every place that creates a draft for the user (not one they name themselves) takes its title here,
so the account page's list reads as a story rather than a column of timestamps.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Account
from menueditor.models import Menu
from menueditor.platforms import get_platform

TITLE_MAX_LENGTH = Menu._meta.get_field("title").max_length


def _fit(title: str) -> str:
    return title[:TITLE_MAX_LENGTH]


def _when(moment: datetime | None = None) -> str:
    # The language's own day of the month ("December 2", "12月2日") and a 24-hour time.
    moment = timezone.localtime(moment or timezone.now())
    return f"{date_format(moment, 'MONTH_DAY_FORMAT')} {date_format(moment, 'H:i')}"


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "MONTH_DAY_FORMAT")


def pulled(account: Account, moment: datetime | None = None) -> str:
    """ "Pulled from WeChat, 2 Dec 10:31": the platform's own name, the time of the pull."""
    platform = get_platform(account.platform).label
    return _fit(_("Pulled from %(platform)s, %(when)s") % {"platform": platform, "when": _when(moment)})


def pulled_for(account: Account, who: str, moment: datetime | None = None) -> str:
    """A conditional menu's pull: "Pulled from WeChat for VIP members, December 2 10:31"."""
    platform = get_platform(account.platform).label
    return _fit(
        _("Pulled from %(platform)s for %(who)s, %(when)s")
        % {"platform": platform, "who": who, "when": _when(moment)}
    )


def restored(action: str, moment: datetime) -> str:
    """ "Restored from the publication of 28 Nov" (or from the pull of ...)."""
    if action == "pull":
        return _fit(_("Restored from the pull of %(day)s") % {"day": _day(moment)})
    return _fit(_("Restored from the publication of %(day)s") % {"day": _day(moment)})


def copy_of(title: str) -> str:
    return _fit(_("Copy of %(title)s") % {"title": title})


def conflict_copy(title: str, moment: datetime | None = None) -> str:
    """The user's own edits, kept as a draft of their own when someone else saved first."""
    return _fit(
        _("Your edits kept after a conflict, %(when)s: %(title)s") % {"when": _when(moment), "title": title}
    )
