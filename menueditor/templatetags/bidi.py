"""Names typed by people, isolated from the text around them (Unicode bidirectional isolation)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def isolate(value) -> SafeString:
    """The value, escaped, in <bdi>: a right-to-left override in a name cannot reverse our own words."""
    return format_html("<bdi>{}</bdi>", value)
