"""The editor's ids in the template, built by menueditor/naming.py so the page and the server agree."""

from __future__ import annotations

from django import template

from menueditor import naming

register = template.Library()


@register.filter
def control_id(path: naming.Path | None, control: str) -> str:
    """{{ row.path|control_id:"up" }} is 'mv-up-0.2': the id an edit's focus names (naming.control_id)."""
    return naming.control_id(control, path)
