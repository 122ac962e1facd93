"""The forms of the account page's draft actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from menueditor.draft_titles import TITLE_MAX_LENGTH


class DraftTitleForm(forms.Form):
    title = forms.CharField(label=_("New title"), max_length=TITLE_MAX_LENGTH, strip=True)

    def clean_title(self) -> str:
        title = self.cleaned_data["title"]
        if any(ord(char) < 32 for char in title):
            raise forms.ValidationError(_("A title cannot hold line breaks or control characters."))
        return title
