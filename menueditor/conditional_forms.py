"""The forms of conditional menus: which followers a draft is for, and "what does this follower see?"."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from menueditor.platforms.matching import MatchRule, Tag

# Follower ids are URL-safe (an openid is 28 characters, an account ID 6-20): letters, digits, _ and -.
_USER_ID = re.compile(r"[A-Za-z0-9_\-]{1,64}")


class MatchRuleForm(forms.Form):
    """A tag and/or a phone system; both empty: the default menu (every other follower)."""

    tag_id = forms.ChoiceField(label=_("Follower tag"), required=False)
    os = forms.ChoiceField(label=_("Phone system"), required=False)

    def __init__(self, *args, tags: list[Tag], os_choices, current: MatchRule, support, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.support = support
        choices = [("", _("any tag"))]
        choices += [
            (
                t.id,
                ngettext("%(name)s (%(count)d follower)", "%(name)s (%(count)d followers)", t.count)
                % {"name": t.name, "count": t.count},
            )
            for t in tags
        ]
        current_tag = support.tag_of(current)
        if current_tag and current_tag not in {t.id for t in tags}:
            # A tag deleted since (or not read): kept selectable, so saving the form keeps the rule.
            choices.append(
                (current_tag, _("tag %(id)s (not among the account's tags now)") % {"id": current_tag})
            )
        self.fields["tag_id"].choices = choices
        self.fields["os"].choices = [("", _("any system")), *os_choices]
        if not self.is_bound:
            self.initial = {"tag_id": current_tag, "os": support.os_of(current)}

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors:
            data["rule"] = self.support.rule_from_form(data.get("tag_id", ""), data.get("os", ""))
        return data


class TryMatchForm(forms.Form):
    """A follower to try the live menus for; the label is the platform's (what its ids are called)."""

    user_id = forms.CharField(
        label=_("Follower"),
        max_length=64,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, support, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user_id"].label = support.user_id_label

    def clean_user_id(self) -> str:
        value = self.cleaned_data["user_id"]
        if not _USER_ID.fullmatch(value):
            raise ValidationError(
                _("A follower's id has letters, digits, “_” and “-” only, and no spaces."),
                code="invalid",
            )
        return value
