"""Conditional menus (menueditor/conditional.py): publish = add then delete the old one, drift by rule,
the checks before sending, the live set, delete, pull and trymatch, against the simulator."""

from __future__ import annotations

import json
import time

import pytest

from menueditor import conditional
from menueditor.models import Publication
from menueditor.publishing import delete_live_menu, preview_publish, publish_menu
from simulator import DEFAULT_APPID

from .conftest import paths

pytestmark = pytest.mark.django_db

VIP = {"tag_id": "100"}
VIP_MENU = {"button": [{"type": "view", "name": "会员专享", "url": "https://vip.example.com/"}]}


@pytest.fixture
def tagged(simulator):
    simulator.add_wechat_tag("100", "VIP会员")
    simulator.tag_follower("o-vip", "100")
    simulator.tag_follower("o-plain")
    return simulator


@pytest.fixture
def vip_draft(wechat_account, factories, publisher):
    menu = factories.menu(wechat_account, title="VIP", tree=VIP_MENU, user=publisher)
    menu.match_rule = VIP
    menu.save()
    return menu


def test_a_conditional_draft_needs_the_default_menu_first(tagged, vip_draft, publisher):
    outcome = publish_menu(vip_draft, publisher)
    assert not outcome.ok
    assert outcome.code == "65303"
    assert "publish a default menu" in outcome.hint
    assert "/cgi-bin/menu/addconditional" not in paths(tagged)
    assert not Publication.objects.exists()


def test_publish_adds_the_menu_with_its_rule_and_records_one_publication(
    tagged, wechat_menu, vip_draft, publisher
):
    assert publish_menu(wechat_menu, publisher).ok
    outcome = publish_menu(vip_draft, publisher)
    assert outcome.ok, outcome
    [live] = tagged.wechat_conditional_menus
    assert live["matchrule"] == VIP and live["button"] == VIP_MENU["button"]
    publication = Publication.objects.get(menu=vip_draft)
    assert publication.outcome == Publication.Outcome.SUCCESS
    assert publication.match_rule == '{"tag_id":"100"}'
    sent = tagged.requests_to("/cgi-bin/menu/addconditional")[0].body
    assert publication.payload.encode("utf-8") == sent
    assert json.loads(sent) == {**VIP_MENU, "matchrule": VIP}
    # The default menu's drift check ignores the conditional entry: publishing it again is no drift.
    assert publish_menu(wechat_menu, publisher).ok


def test_publishing_again_replaces_the_old_menu_of_the_same_rule(tagged, wechat_menu, vip_draft, publisher):
    assert publish_menu(wechat_menu, publisher).ok
    assert publish_menu(vip_draft, publisher).ok
    first = tagged.wechat_conditional_menus[0]["menuid"]
    vip_draft.tree = {"button": [{"type": "click", "name": "新会员", "key": "NEW"}]}
    vip_draft.save()
    outcome = publish_menu(vip_draft, publisher)
    assert outcome.ok, outcome
    [live] = tagged.wechat_conditional_menus
    assert live["button"][0]["name"] == "新会员" and live["menuid"] != first
    deleted = tagged.requests_to("/cgi-bin/menu/delconditional")
    assert [json.loads(r.body) for r in deleted] == [{"menuid": str(first)}]
    assert Publication.objects.filter(menu=vip_draft).count() == 2


def test_a_failed_delete_after_the_add_is_recorded_and_explained(tagged, wechat_menu, vip_draft, publisher):
    assert publish_menu(wechat_menu, publisher).ok
    assert publish_menu(vip_draft, publisher).ok
    old = tagged.wechat_conditional_menus[0]["menuid"]
    vip_draft.tree = {"button": [{"type": "click", "name": "新会员", "key": "NEW"}]}
    vip_draft.save()
    tagged.add_fault("/cgi-bin/menu/delconditional", errcode=45009)
    outcome = publish_menu(vip_draft, publisher)
    assert not outcome.ok
    assert outcome.code == "45009"
    assert "the new menu was added" in outcome.hint.lower()
    assert f"menuid {old}" in outcome.hint and "both are live" in outcome.hint
    assert len(tagged.wechat_conditional_menus) == 2
    publication = Publication.objects.filter(menu=vip_draft).first()
    assert publication.code == "45009" and publication.hint == outcome.hint


def test_a_conditional_menu_changed_elsewhere_is_drift(tagged, wechat_menu, vip_draft, publisher):
    assert publish_menu(wechat_menu, publisher).ok
    assert publish_menu(vip_draft, publisher).ok
    with tagged.lock:
        tagged.wechat.apps[DEFAULT_APPID].conditional[0]["button"][0]["name"] = "别处改的"
    outcome = publish_menu(vip_draft, publisher)
    assert outcome.code == "drift"
    assert any("别处改的" in change for change in outcome.changes)
    # The menus for the two phones: what was published for the rule, and its live menu now.
    assert outcome.drift_base.buttons[0].name != "别处改的"
    assert outcome.live_tree.buttons[0].name == "别处改的"
    assert outcome.draft_tree is not None and outcome.publish_changes
    assert publish_menu(vip_draft, publisher, confirm_drift=True).ok


def test_the_review_compares_with_the_live_menu_of_the_same_rule(tagged, wechat_menu, vip_draft, publisher):
    assert publish_menu(wechat_menu, publisher).ok
    preview = preview_publish(vip_draft, publisher)
    assert preview.live_tree is None  # no menu for VIP yet: everything is added
    assert preview.outcome is None and not preview.drift
    assert publish_menu(vip_draft, publisher, if_live=preview.fingerprint).ok
    again = preview_publish(vip_draft, publisher)
    assert again.live_tree is not None and again.changes == []


def test_more_than_three_domains_across_conditional_menus_are_refused_before_sending(
    tagged, wechat_menu, wechat_account, factories, publisher
):
    assert publish_menu(wechat_menu, publisher).ok
    for tag, hosts in (
        ("100", ["a.example.com", "b.example.com"]),
        ("101", ["c.example.com", "d.example.com"]),
    ):
        menu = factories.menu(
            wechat_account,
            tree={"button": [{"type": "view", "name": h[:1], "url": f"https://{h}/"} for h in hosts]},
        )
        menu.match_rule = {"tag_id": tag}
        menu.save()
        outcome = publish_menu(menu, publisher)
    assert outcome.code == "65316"
    for host in ("a.example.com", "b.example.com", "c.example.com", "d.example.com"):
        assert host in outcome.hint
    assert len(tagged.requests_to("/cgi-bin/menu/addconditional")) == 1


def test_the_live_set_lists_each_rule_with_its_tag_and_legacy_rules_as_no_longer_matching(
    tagged, wechat_menu, vip_draft, wechat_account, publisher
):
    assert publish_menu(wechat_menu, publisher).ok
    assert publish_menu(vip_draft, publisher).ok
    tagged.add_legacy_conditional_menu(
        {"button": [{"type": "click", "name": "男", "key": "M"}]}, {"sex": "1"}
    )
    result = conditional.read_live_set(wechat_account, publisher)
    assert result.outcome is None
    assert result.live.default is not None
    vip, legacy = result.live.conditional
    assert (
        conditional.describe_rule(wechat_account, vip.rule, result.tags)
        == "Followers tagged “VIP会员” (1 follower)"
    )
    assert not legacy.rule.still_matches
    assert "No longer matching" in conditional.describe_rule(wechat_account, legacy.rule, result.tags)


def test_tags_are_cached_per_account_until_refreshed(tagged, wechat_account):
    first = conditional.account_tags(wechat_account, refresh=True)
    assert [t.name for t in first.tags] == ["星标组", "VIP会员"] and first.refreshed_at
    tagged.add_wechat_tag("101", "员工")
    assert [t.name for t in conditional.account_tags(wechat_account).tags] == ["星标组", "VIP会员"]
    assert len(tagged.requests_to("/cgi-bin/tags/get")) == 1
    assert "员工" in [t.name for t in conditional.account_tags(wechat_account, refresh=True).tags]


def test_a_tags_failure_comes_back_with_its_hint(tagged, wechat_account):
    tagged.add_fault("/cgi-bin/tags/get", errcode=48001)
    found = conditional.account_tags(wechat_account, refresh=True)
    assert found.tags == [] and found.outcome.code == "48001"
    assert "menu API" in found.outcome.hint


def test_delete_one_conditional_menu_and_pull_another(
    tagged, wechat_menu, vip_draft, wechat_account, publisher
):
    assert publish_menu(wechat_menu, publisher).ok
    assert publish_menu(vip_draft, publisher).ok
    menuid = str(tagged.wechat_conditional_menus[0]["menuid"])
    pulled = conditional.pull_conditional(wechat_account, publisher, menuid)
    assert pulled.outcome.ok
    assert pulled.menu.match_rule == VIP and pulled.menu.tree == VIP_MENU
    outcome = conditional.delete_conditional(wechat_account, publisher, menuid)
    assert outcome.ok, outcome
    assert tagged.wechat_conditional_menus == [] and tagged.wechat_menu is not None
    assert Publication.objects.filter(action="delete", match_rule='{"tag_id":"100"}').exists()
    again = conditional.delete_conditional(wechat_account, publisher, menuid)
    assert not again.ok and again.code == "gone"


def test_deleting_the_default_menu_counts_as_deleting_the_conditional_ones(
    tagged, wechat_menu, vip_draft, publisher
):
    assert publish_menu(wechat_menu, publisher).ok
    assert publish_menu(vip_draft, publisher).ok
    assert delete_live_menu(wechat_menu.account, publisher).ok
    assert publish_menu(wechat_menu, publisher).ok
    # Not drift: this app deleted the VIP menu along with the default one.
    assert publish_menu(vip_draft, publisher).ok


def test_trymatch_says_which_rule_matched(tagged, wechat_menu, vip_draft, wechat_account, publisher):
    assert publish_menu(wechat_menu, publisher).ok
    assert publish_menu(vip_draft, publisher).ok
    vip = conditional.try_match(wechat_account, publisher, "o-vip")
    assert vip.tree.buttons[0].name == "会员专享"
    assert vip.matched == "Followers tagged “VIP会员” (1 follower)" and vip.menuid
    plain = conditional.try_match(wechat_account, publisher, "o-plain")
    assert plain.tree.buttons[0].name == "今日歌曲" and plain.menuid == ""
    assert "default menu" in plain.matched
    nobody = conditional.try_match(wechat_account, publisher, "nobody")
    assert nobody.outcome.code == "65302" and "openid" in nobody.outcome.hint


def test_an_unanswered_conditional_publish_is_settled_by_the_live_set(
    tagged, wechat_menu, vip_draft, publisher, settings
):
    assert publish_menu(wechat_menu, publisher).ok
    settings.PLATFORM_TIMEOUT = 0.5
    tagged.add_fault("/cgi-bin/menu/addconditional", delay=1.0)
    outcome = publish_menu(vip_draft, publisher)
    assert outcome.pending
    assert Publication.objects.get(menu=vip_draft).outcome == Publication.Outcome.UNKNOWN
    deadline = time.monotonic() + 5
    while not tagged.wechat_conditional_menus and time.monotonic() < deadline:
        time.sleep(0.05)  # the delayed add goes through on the platform after the app gave up
    assert publish_menu(vip_draft, publisher).ok
    first, _second = Publication.objects.filter(menu=vip_draft).order_by("pk")
    assert first.outcome == Publication.Outcome.SUCCESS and "Confirmed afterwards" in first.hint
    assert len(tagged.wechat_conditional_menus) == 1


def test_an_account_that_publishes_only_approved_drafts_holds_conditional_ones_too(
    tagged, wechat_menu, vip_draft, wechat_account, publisher
):
    assert publish_menu(wechat_menu, publisher).ok
    wechat_account.needs_approval = True
    wechat_account.second_approver = True
    wechat_account.save()
    vip_draft.refresh_from_db()
    outcome = publish_menu(vip_draft, publisher)
    assert not outcome.ok and outcome.code == "review"
    assert not tagged.requests_to("/cgi-bin/menu/addconditional")


def test_check_the_live_menu_now_settles_conditional_entries_too(tagged, wechat_menu, vip_draft, publisher):
    from menueditor.publishing import settle_interrupted

    assert publish_menu(wechat_menu, publisher).ok
    assert publish_menu(vip_draft, publisher).ok
    # Two publishes a crash left pending: the first shows live now, the second never went out.
    payload = Publication.objects.get(menu=vip_draft).payload
    rule = '{"tag_id":"100"}'
    went = Publication.objects.create(
        account=vip_draft.account, menu=vip_draft, payload=payload, outcome="pending", match_rule=rule
    )
    lost = Publication.objects.create(
        account=vip_draft.account,
        menu=vip_draft,
        payload=json.dumps(
            {"button": [{"type": "click", "name": "没发出", "key": "X"}], "matchrule": {"tag_id": "100"}},
            ensure_ascii=False,
        ),
        outcome="pending",
        match_rule=rule,
    )
    outcome = settle_interrupted(vip_draft.account, publisher)
    assert outcome.ok and "2 entries" in outcome.hint
    went.refresh_from_db()
    lost.refresh_from_db()
    assert (went.outcome, lost.outcome) == ("success", "failure")


def test_a_mini_program_not_linked_is_refused_by_addconditional_with_its_hint(
    tagged, wechat_menu, wechat_account, factories, publisher
):
    assert publish_menu(wechat_menu, publisher).ok
    mini = {"type": "miniprogram", "name": "小程序", "appid": "wx0000000000000abc",
            "pagepath": "pages/index/index", "url": "https://vip.example.com/"}  # fmt: skip
    menu = factories.menu(wechat_account, title="VIP mini", tree={"button": [mini]}, user=publisher)
    menu.match_rule = VIP
    menu.save()
    outcome = publish_menu(menu, publisher)
    assert not outcome.ok and outcome.code == "45064"
    assert "link it in the MP console" in outcome.hint
    assert tagged.wechat_conditional_menus == []
    failed = Publication.objects.get(menu=menu)
    assert failed.outcome == Publication.Outcome.FAILURE and failed.code == "45064"
