"""What the phone preview says besides the menu, as each platform says it (PlatformRules.greeting,
no_menu_text): {{ platform|greeting:account.name }}, {{ platform|no_menu_text }}."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from menueditor.platforms import PlatformRules, get_platform

register = template.Library()


def _rules(platform: PlatformRules | str | None) -> PlatformRules | None:
    """A platform object as it is, a platform code (account.platform) as its object, else None."""
    if isinstance(platform, PlatformRules):
        return platform
    try:
        return get_platform(str(platform))
    except KeyError:
        return None


@register.filter
def greeting(platform: PlatformRules | str | None, account_name: str) -> SafeString:
    """The account's first chat message, its name isolated (bidi), or "" where the platform has none."""
    rules = _rules(platform)
    if rules is None or not rules.greeting:
        return SafeString("")
    # The sentence and the name each escaped, the name isolated in its own <bdi>.
    before, found, after = str(rules.greeting).partition("%(name)s")
    if not found:
        return format_html("{}", before)
    return format_html("{}<bdi>{}</bdi>{}", before, account_name, after)


@register.filter
def no_menu_text(platform: PlatformRules | str | None) -> str:
    """What the phone shows instead of a menu, with the platform's word for its audience."""
    rules = _rules(platform)
    return str(rules.no_menu_text if rules is not None else PlatformRules.no_menu_text)
