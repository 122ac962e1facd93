"""The forms of review and approval: submit with a note, send back with a comment, approve now or
at a time (menueditor/reviews.py does the work)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from menueditor.models import Menu
from menueditor.schedule_forms import ScheduleForm

_TEXT = {"rows": 3, "maxlength": 2000}


class SubmitForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the reviewer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=_TEXT),
        help_text=_("What changed and why, when it should go live."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label=_("What to change"),
        max_length=2000,
        widget=forms.Textarea(attrs=_TEXT),
        error_messages={"required": _("Say what to change, so that the editor knows.")},
    )


class ApproveForm(ScheduleForm):
    """Approve now (confirming the live menu reviewed) or at a date and time in the account's zone,
    optionally then switching back to another draft: the button pressed says which (when=now or
    when=later)."""

    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs=_TEXT)
    )
    live_fingerprint = forms.CharField(required=False, widget=forms.HiddenInput, max_length=128)

    def __init__(self, *args, menu: Menu | None = None, **kwargs) -> None:
        super().__init__(*args, menu=menu, **kwargs)
        self.later = self.data.get("when") == "later"
        for name in ("date", "time"):
            self.fields[name].required = self.later

    def clean(self) -> dict:
        data = super().clean()
        if not self.later and data.get("revert_menu") is not None:
            self.add_error("revert_menu", _("A switch back goes with an approval for a time."))
        return data
