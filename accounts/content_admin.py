"""The mini programs kept on an account in the admin, for platforms that list them to third
parties only (the pickers offer this list instead; menueditor/pickers.py)."""

from __future__ import annotations

from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from menueditor.platforms import PLATFORMS

from .models import MiniProgram


def keeps_mini_programs(platform_code: str | None) -> bool:
    """Whether accounts of this platform keep a list of linked mini programs here."""
    platform = PLATFORMS.get(platform_code or "")
    content = platform.content if platform is not None else None
    return content is not None and "miniprogram" in content.kept_sources


class MiniProgramFormSet(BaseInlineFormSet):
    def __init__(self, data=None, *args, **kwargs) -> None:
        prefix = kwargs.get("prefix") or self.get_default_prefix()
        if data is not None and f"{prefix}-TOTAL_FORMS" not in data:
            # A post made without the list (a script, a form from before it existed) leaves it as it is.
            data = data.copy()
            data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = "0"
        super().__init__(data, *args, **kwargs)

    def clean(self) -> None:
        """Each AppID as the account's platform writes them (its content support says why not)."""
        super().clean()
        platform = PLATFORMS.get(self.instance.platform or "")
        content = platform.content if platform is not None else None
        if content is None:
            return
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            appid = data.get("appid")
            if appid and not data.get("DELETE"):
                problem = content.check_kept_id("miniprogram", appid)
                if problem:
                    form.add_error("appid", problem)


class MiniProgramInline(admin.TabularInline):
    model = MiniProgram
    formset = MiniProgramFormSet
    fields = ["appid", "name"]
    extra = 1
