"""What is live now, marked from the record alone: the history's entries and the drafts' badges,
for the default menu and for each conditional menu."""

import json

import pytest
from django.urls import reverse

from menueditor.models import Menu, Publication
from menueditor.publishing import delete_live_menu, publish_menu
from tests.views.conftest import client_for

pytestmark = pytest.mark.django_db

A = {"button": [{"type": "click", "name": "A", "key": "A"}]}
B = {"button": [{"type": "click", "name": "B", "key": "B"}]}
VIP = {"tag_id": "100"}
VIP_KEY = json.dumps(VIP, separators=(",", ":"), sort_keys=True)


def history_of(user) -> str:
    return client_for(user).get(reverse("account_history", args=["coffee"])).content.decode()


def entry_of(page: str, publication: Publication) -> str:
    start = page.index(f'id="entry-{publication.pk}"')
    end = page.find('id="entry-', start + 10)
    return page[start : end if end > 0 else len(page)]


def test_the_history_marks_the_publication_that_is_live_now(team, factories):
    first = publish_menu(factories.menu(team.a, tree=A), team.publisher).publication
    second = publish_menu(factories.menu(team.a, tree=B), team.publisher, confirm_drift=True).publication
    page = history_of(team.editor)
    assert "Live now" in entry_of(page, second)
    assert "Live now" not in entry_of(page, first)
    assert page.count("Live now") == 1


def test_a_failed_publish_leaves_the_mark_where_it_was(team, factories):
    live = publish_menu(factories.menu(team.a, tree=A), team.publisher).publication
    team.sim.add_fault("/cgi-bin/menu/create", errcode=45010, errmsg="create menu limit", times=5)
    failed = publish_menu(factories.menu(team.a, tree=B), team.publisher, confirm_drift=True).publication
    assert failed.outcome == "failure"
    page = history_of(team.editor)
    assert "Live now" in entry_of(page, live)
    assert "Live now" not in entry_of(page, failed)


def test_a_pull_is_what_is_live_and_a_delete_leaves_nothing_marked(team, factories):
    publish_menu(factories.menu(team.a, tree=A), team.publisher)
    client_for(team.editor).post(reverse("menu_pull", args=["coffee"]))
    pull = Publication.objects.get(action="pull")
    assert "Live now" in entry_of(history_of(team.editor), pull)
    assert delete_live_menu(team.a, team.publisher).ok
    assert "Live now" not in history_of(team.editor)


def test_a_conditional_menu_is_marked_beside_the_default_and_badges_its_own_drafts(team, factories):
    default = publish_menu(factories.menu(team.a, tree=A), team.publisher).publication
    vip = Publication.objects.create(
        account=team.a, action="publish", outcome="success", payload=json.dumps(B), match_rule=VIP_KEY
    )
    page = history_of(team.editor)
    assert "Live now" in entry_of(page, default) and "Live now" in entry_of(page, vip)
    # A draft of B for everyone is not live (B is live for the VIP tag only); a VIP draft of B is.
    everyone_b = Menu.objects.create(account=team.a, title="B for all", tree=B)
    vip_b = Menu.objects.create(account=team.a, title="B for VIPs", tree=B, match_rule=VIP)
    page = client_for(team.editor).get(reverse("account_page", args=["coffee"])).content.decode()

    def row(menu):
        start = page.index(f'id="draft-{menu.pk}"')
        return page[start : page.index("</tr>", start)]

    assert "live-badge" not in row(everyone_b)
    assert "live-badge" in row(vip_b)
    # Deleting the default menu deletes every conditional menu with it.
    assert delete_live_menu(team.a, team.publisher).ok
    assert "Live now" not in history_of(team.editor)


def test_publishing_a_conditional_entry_again_reuses_a_draft_for_the_same_followers(team):
    from menueditor.publishing import draft_holding

    entry = Publication.objects.create(
        account=team.a, action="publish", outcome="success", payload=json.dumps(B), match_rule=VIP_KEY
    )
    for_all = Menu.objects.create(account=team.a, title="B for all", tree=B)
    held = draft_holding(entry, team.publisher)
    assert held != for_all
    assert held.match_rule == VIP
    assert draft_holding(entry, team.publisher) == held


def test_the_history_tells_an_editor_why_there_is_no_publish_again(team, factories):
    publish_menu(factories.menu(team.a, tree=A), team.publisher)
    page = history_of(team.editor)
    assert "Publishing needs the Menu publishers group; ask an admin." in page
    assert "Publish again" not in page
    assert "Publishing needs the Menu publishers group" not in history_of(team.publisher)
    assert f'href="{reverse("account_page", args=["coffee"])}"' in page  # back to the account's page
