"""Which followers a draft is for, in the editor (a form and a line under the phone), and whether an
account has conditional menus at all: drawn from the draft, so the editor's views need not change."""

from __future__ import annotations

from typing import Any

from django import template

from menueditor import conditional
from menueditor.conditional_forms import MatchRuleForm
from menueditor.platforms.matching import MatchRule

register = template.Library()


@register.filter
def has_conditional_menus(account) -> bool:
    return conditional.support(account) is not None


@register.inclusion_tag("menus/_match_rule.html", takes_context=True)
def match_rule_panel(context, menu) -> dict[str, Any]:
    """The rule form (a tag, a phone system) and what is wrong with the rule, for accounts that have them."""
    support = conditional.support(menu.account)
    if support is None:
        return {"show": False}
    tags = conditional.account_tags(menu.account)
    rule = conditional.rule_of(menu)
    form = MatchRuleForm(tags=tags.tags, os_choices=support.os_choices, current=rule, support=support)
    return {
        "show": True,
        "menu": menu,
        "account": menu.account,
        "form": form,
        "tags": tags,
        "who": conditional.describe_rule(menu.account, rule, tags),
        "is_conditional": not rule.is_default,
        "problems": conditional.rule_problems(menu),
        "may_edit": context.get("may_edit", False),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.filter
def publication_audience(publication) -> str:
    """Who the conditional menu a history entry acted on was for ("" for the default menu's entries)."""
    if not publication.match_rule or conditional.support(publication.account) is None:
        return ""
    return conditional.describe_rule(publication.account, MatchRule.from_key(publication.match_rule))


@register.filter
def draft_audience(menu) -> str:
    """Who a conditional draft is for, for lists ("" for the default menu); never asks the platform."""
    if not menu.match_rule or conditional.support(menu.account) is None:
        return ""
    support = conditional.support(menu.account)
    tags = conditional.cached_tags(menu.account)
    return support.describe(conditional.rule_of(menu), tags.by_id if tags is not None else None)


@register.simple_tag
def menu_audience(menu) -> str:
    """Who sees this draft once published, in words ("" on platforms with the default menu only)."""
    if conditional.support(menu.account) is None:
        return ""
    return conditional.describe_rule(menu.account, conditional.rule_of(menu))
