"""The forms of scheduled publishing: when to publish a draft, and optionally when to switch back."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from menueditor.models import Menu

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class WhenForm(forms.Form):
    """A wall-clock time in the account's zone (the page says which); cleaned_data["run_at"]."""

    date = forms.DateField(label=_("Date"), widget=_DATE)
    time = forms.TimeField(label=_("Time"), widget=_TIME)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("date") and data.get("time"):
            data["run_at"] = datetime.combine(data["date"], data["time"])
        return data


class ScheduleForm(WhenForm):
    """When to publish, and optionally which draft to switch back to, and when (a campaign)."""

    revert_menu = forms.ModelChoiceField(
        label=_("Then switch back to"),
        queryset=Menu.objects.none(),
        required=False,
        empty_label=_("(do not switch back)"),
    )
    revert_date = forms.DateField(label=_("Switch-back date"), required=False, widget=_DATE)
    revert_time = forms.TimeField(label=_("Switch-back time"), required=False, widget=_TIME)

    def __init__(self, *args, menu: Menu | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if menu is None:  # a review whose draft was deleted: nothing to switch back from
            return
        # The account's other drafts (archived ones are put away): a switch back stays on the account.
        self.fields["revert_menu"].queryset = (
            Menu.objects.filter(account=menu.account, archived_at__isnull=True)
            .exclude(pk=menu.pk)
            .defer("tree")
            .order_by("title")
        )

    def clean(self) -> dict:
        data = super().clean()
        revert, day, hour = data.get("revert_menu"), data.get("revert_date"), data.get("revert_time")
        if revert is None and (day or hour):
            self.add_error("revert_menu", _("Pick the draft to switch back to, or clear the time."))
        elif revert is not None and not (day and hour):
            self.add_error("revert_date", _("Pick the date and time to switch back."))
        data["revert_at"] = datetime.combine(day, hour) if revert is not None and day and hour else None
        return data
