"""WeChat's conditional (personalised) menus: match rules, tags, the live set, and their calls.

Sources: platforms.md, "Conditional (personalised) menus" and "User tags" (the addconditional,
delconditional, trymatch, menu/get and tags/get pages). Only tag_id and client_platform_type are
still matched on; sex, region and language are refused (65320) and old menus with them stop matching.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from menueditor.tree import MenuParseError, MenuTree, parse_menu

from ..matching import LiveConditionalMenu, LiveSet, MatchRule, SendCheck, Tag
from .hints import WECHAT_HINTS, _limits
from .rules import WECHAT

TAG = "tag_id"
OS = "client_platform_type"
# menu/get still names the tag "group_id" (the old user groups).
TAG_READ_BACK = "group_id"
PRIVACY_FIELDS = ("sex", "country", "province", "city", "language")
OS_CHOICES: tuple[tuple[str, Any], ...] = (("1", _("iOS")), ("2", _("Android")), ("3", _("other systems")))


def _text(value: Any) -> str:
    # Ids come back as strings or numbers: one form, the string.
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def hosts_of(tree: MenuTree) -> list[str]:
    """The domains a menu links to (web pages and mini programs' fallback pages), in order."""
    found: list[str] = []
    for button in tree.buttons:
        for leaf in button.children if button.is_parent else [button]:
            for name in WECHAT.url_fields:
                try:
                    host = urlsplit(leaf.value(name)).hostname
                except ValueError:
                    host = None
                if host and host not in found:
                    found.append(host)
    return found


class WeChatConditional:
    """The ConditionalSupport of WeChat (menueditor/platforms/matching.py)."""

    os_choices = OS_CHOICES
    rule_key = "matchrule"  # where the add call's body carries the rule
    user_id_label = _("Follower's openid or WeChat ID")
    max_domains = WECHAT.max_conditional_domains

    # -- rules -------------------------------------------------------------------------------------
    def rule_from_form(self, tag_id: str, os: str) -> MatchRule:
        return MatchRule.of({TAG: tag_id, OS: os})

    def tag_of(self, rule: MatchRule) -> str:
        return rule.get(TAG)

    def os_of(self, rule: MatchRule) -> str:
        return rule.get(OS)

    def read_rule(self, data: Any) -> MatchRule:
        """A matchrule as menu/get, an import or a stored draft has it (group_id read as the tag)."""
        if not isinstance(data, dict):
            return MatchRule()
        tag = _text(data.get(TAG)) or _text(data.get(TAG_READ_BACK))
        refused = {name: _text(data.get(name)) for name in PRIVACY_FIELDS}
        return MatchRule.of({TAG: tag, OS: _text(data.get(OS))}, refused)

    def describe(self, rule: MatchRule, tags: dict[str, Tag] | None) -> str:
        """Who sees a menu of this rule, in words (tags None: not read, named by id)."""
        if rule.is_default:
            return gettext("All followers without a conditional menu of their own (the default menu)")
        if not rule.still_matches:
            fields = ", ".join(f"{k}={v}" for k, v in rule.refused)
            return gettext(
                "No longer matching anyone: WeChat stopped matching on sex, region and language (%(fields)s)"
            ) % {"fields": fields}
        tag_id, os = rule.get(TAG), rule.get(OS)
        systems = dict(OS_CHOICES)
        if tag_id:
            tag = tags.get(tag_id) if tags is not None else None
            if tags is None:  # the tags were not read: the id is all there is
                who = gettext("Followers with tag %(id)s") % {"id": tag_id}
            elif tag is None:
                who = gettext("Followers with tag %(id)s (not among the account's tags now)") % {"id": tag_id}
            else:
                who = ngettext(
                    "Followers tagged “%(name)s” (%(count)d follower)",
                    "Followers tagged “%(name)s” (%(count)d followers)",
                    tag.count,
                ) % {"name": tag.name, "count": tag.count}
        else:
            who = gettext("All followers")
        if os:
            return gettext("%(who)s, on %(system)s") % {"who": who, "system": systems.get(os, os)}
        return who

    # -- bodies ------------------------------------------------------------------------------------
    def payload(self, tree: MenuTree, rule: MatchRule) -> dict[str, Any]:
        return {**WECHAT.payload(tree), "matchrule": rule.to_json()}

    def payload_text(self, tree: MenuTree, rule: MatchRule) -> str:
        """addconditional's exact body text: UTF-8, no \\u escapes (what menu_export prints)."""
        return json.dumps(self.payload(tree, rule), ensure_ascii=False)

    def read_payload(self, data: Any) -> tuple[MenuTree, MatchRule]:
        """An addconditional body (or a plain menu, whose rule is the default's). MenuParseError, also
        for a matchrule that is not an object or names nothing."""
        tree = WECHAT.parse(data)
        if isinstance(data, str | bytes):
            try:
                data = json.loads(data)
            except ValueError as exc:  # parse() read it, so this does not happen
                raise MenuParseError(str(exc)) from exc
        if not isinstance(data, dict) or self.rule_key not in data:
            return tree, MatchRule()
        rule = data[self.rule_key]
        if not isinstance(rule, dict):
            raise MenuParseError('"matchrule" must be an object', "rule_not_object")
        found = self.read_rule(rule)
        if found.is_default:
            raise MenuParseError(
                '"matchrule" is empty: give a tag_id, a client_platform_type or both', "rule_empty"
            )
        return tree, found

    # -- what WeChat would refuse, checked before sending ------------------------------------------
    def check_before_send(self, live: LiveSet, tree: MenuTree, rule: MatchRule) -> list[SendCheck]:
        checks: list[SendCheck] = []
        if rule.is_default:
            return checks
        if not rule.still_matches:
            checks.append(SendCheck("65320", str(WECHAT_HINTS["65320"])))
        if live.default is None or not live.default.buttons:
            checks.append(SendCheck("65303", str(WECHAT_HINTS["65303"])))
        # The menus live after this publish: every other rule's, and this one.
        domains = [h for item in live.conditional if item.rule != rule for h in hosts_of(item.tree)]
        domains = list(dict.fromkeys([*domains, *hosts_of(tree)]))
        if len(domains) > self.max_domains:
            checks.append(
                SendCheck(
                    "65316",
                    gettext(
                        "Conditional menus may link to at most %(limit)d domains between them; with this "
                        "menu they would link to %(count)d: %(domains)s. Use fewer domains."
                    )
                    % {"limit": _limits()["domains"], "count": len(domains), "domains": ", ".join(domains)},
                )
            )
        return checks

    # -- reading menu/get --------------------------------------------------------------------------
    def read_live_set(self, data: dict[str, Any]) -> LiveSet:
        """menu/get with its conditionalmenu list; MenuParseError when a menu is not a menu."""
        raw = json.dumps(data, ensure_ascii=False)
        menu = data.get("menu") if isinstance(data.get("menu"), dict) else {}
        default = parse_menu({"button": menu["button"]}) if menu.get("button") else None
        items = data.get("conditionalmenu")
        conditional = []
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            rule = self.read_rule(item.get("matchrule"))
            if rule.is_default:  # a rule WeChat reports without fields matches nobody we can name
                rule = MatchRule.of({}, {"matchrule": json.dumps(item.get("matchrule"), ensure_ascii=False)})
            conditional.append(
                LiveConditionalMenu(
                    menuid=_text(item.get("menuid")),
                    rule=rule,
                    tree=parse_menu({"button": item.get("button") or []}),
                )
            )
        return LiveSet(default, conditional, raw)

    def calls(self, client) -> WeChatConditionalCalls:
        return WeChatConditionalCalls(client, self)


class WeChatConditionalCalls:
    """addconditional, delconditional, trymatch, tags/get and menu/get for one account's client."""

    def __init__(self, client, support: WeChatConditional) -> None:
        self.client = client
        self.support = support

    def tags(self) -> list[Tag]:
        data = self.client._call("GET", "/cgi-bin/tags/get")
        found = []
        for item in data.get("tags") or []:
            if isinstance(item, dict) and _text(item.get("id")):
                try:
                    count = int(item.get("count") or 0)
                except (TypeError, ValueError, OverflowError):
                    count = 0
                found.append(Tag(_text(item.get("id")), str(item.get("name", "")), count))
        return found

    def live_set(self) -> LiveSet:
        from ..transport import PlatformError

        try:
            data = self.client._call("GET", "/cgi-bin/menu/get")
        except PlatformError as error:
            if error.code != "46003":  # no API menu: an empty set
                raise
            return LiveSet(None, [], "")
        return self.support.read_live_set(data)

    def add(self, tree: MenuTree, rule: MatchRule) -> tuple[str, str]:
        text = self.support.payload_text(tree, rule)
        data = self.client._call("POST", "/cgi-bin/menu/addconditional", text.encode("utf-8"))
        return text, _text(data.get("menuid"))

    def delete(self, menuid: str) -> None:
        body = json.dumps({"menuid": menuid}).encode("utf-8")
        self.client._call("POST", "/cgi-bin/menu/delconditional", body)

    def try_match(self, user_id: str) -> MenuTree | None:
        body = json.dumps({"user_id": user_id}, ensure_ascii=False).encode("utf-8")
        data = self.client._call("POST", "/cgi-bin/menu/trymatch", body)
        buttons = data.get("button")
        if not buttons and isinstance(data.get("menu"), dict):
            buttons = data["menu"].get("button")
        return parse_menu({"button": buttons}) if buttons else None


CONDITIONAL = WeChatConditional()
