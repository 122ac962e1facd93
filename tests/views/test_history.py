"""An account's history: entries with their own preview, restore into a draft, publish again."""

import json
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from menueditor.models import Menu, Publication
from menueditor.tree import parse_menu
from tests.views.conftest import client_for

pytestmark = pytest.mark.django_db


OLD_MENU = {
    "button": [
        {"type": "click", "name": "今日歌曲", "key": "V1001_TODAY_MUSIC"},
        {
            "name": "菜单",
            "sub_button": [
                {"type": "view", "name": "搜索", "url": "http://www.soso.com/"},
                {"type": "click", "name": "一个非常非常长的子菜单名字", "key": "V1001_GOOD"},
            ],
        },
    ]
}


def record(account, user, *, tree=OLD_MENU, action="publish", outcome="success", **fields) -> Publication:
    payload = json.dumps(tree, ensure_ascii=False) if tree is not None else ""
    return Publication.objects.create(
        account=account, user=user, action=action, outcome=outcome, payload=payload, **fields
    )


def messages_of(response) -> list[str]:
    """The messages a response set, whether it rendered a page or redirected."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_history_lists_entries_newest_first_with_previews(team):
    record(team.a, team.publisher, hint="Published.")
    record(
        team.a,
        team.publisher,
        tree={"button": [{"type": "click", "name": "新菜单", "key": "K"}]},
        outcome="failure",
        code="40018",
        message="invalid button name size",
        hint="A button name is too long.",
    )
    record(team.a, team.publisher, tree=None, action="delete")
    page = client_for(team.editor).get(reverse("account_history", args=["coffee"])).content.decode()
    deleted, failed, published = (page.index(f'id="entry-{p.pk}"') for p in Publication.objects.all())
    assert deleted < failed < published
    assert "新菜单" in page and "今日歌曲" in page
    assert "40018" in page and "A button name is too long." in page and "invalid button name size" in page
    assert "publisher_a" in page
    assert "The live menu was removed." in page


def test_history_preview_truncates_names_as_the_phone_does(team):
    record(team.a, team.publisher)
    page = client_for(team.editor).get(reverse("account_history", args=["coffee"])).content.decode()
    assert "一个非常非常长的..." in page
    assert 'title="一个非常非常长的子菜单名字"' in page


def test_history_escapes_hostile_payloads(team):
    hostile = '<img src=x onerror="alert(1)">\u202e'
    record(team.a, team.publisher, tree={"button": [{"type": "click", "name": hostile, "key": "K"}]})
    record(team.a, team.publisher, outcome="failure", message="<b>boom</b>", hint="<i>x</i>")
    page = client_for(team.editor).get(reverse("account_history", args=["coffee"])).content.decode()
    assert "<img src=x" not in page
    assert "<b>boom</b>" not in page and "&lt;b&gt;boom&lt;/b&gt;" in page


def test_history_survives_a_payload_that_is_not_a_menu(team):
    Publication.objects.create(account=team.a, action="pull", outcome="failure", payload="<html>502</html>")
    response = client_for(team.editor).get(reverse("account_history", args=["coffee"]))
    assert response.status_code == 200
    assert "No menu recorded." in response.content.decode()


def test_history_paginates_by_fifty(team):
    Publication.objects.bulk_create(
        Publication(account=team.a, action="publish", outcome="success", payload="") for _ in range(51)
    )
    client = client_for(team.editor)
    first = client.get(reverse("account_history", args=["coffee"]))
    assert first.content.decode().count('class="card entry') == 50
    second = client.get(reverse("account_history", args=["coffee"]) + "?page=2")
    assert second.content.decode().count('class="card entry') == 1
    assert client.get(reverse("account_history", args=["coffee"]) + "?page=abc").status_code == 200


def count_history_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("account_history", args=["coffee"])).status_code == 200
    return len(queries)


def test_history_query_count_does_not_grow_with_entries(team, factories):
    client = client_for(team.publisher)
    menu = factories.menu(team.a, user=team.publisher)
    record(team.a, team.publisher, menu=menu)
    record(team.a, team.publisher, menu=menu)  # with one before it: what it changed is read too
    client.get(reverse("account_history", args=["coffee"]))
    small = count_history_queries(client)
    for n in range(60):
        user = factories.user(username=f"someone{n}")
        record(team.a, user, menu=factories.menu(team.a, user=user))
    assert count_history_queries(client) == small


def test_history_buttons_follow_permissions(team):
    entry = record(team.a, team.publisher)
    restore = reverse("publication_restore", args=[entry.pk])
    again = reverse("publication_republish", args=[entry.pk])
    page = client_for(team.editor).get(reverse("account_history", args=["coffee"])).content.decode()
    assert restore in page and again not in page
    page = client_for(team.publisher).get(reverse("account_history", args=["coffee"])).content.decode()
    assert restore in page and again in page


def test_history_access_matrix(team):
    entry = record(team.a, team.publisher)
    history = reverse("account_history", args=["coffee"])
    restore = reverse("publication_restore", args=[entry.pk])
    again = reverse("publication_republish", args=[entry.pk])
    outsider = client_for(team.outsider)
    assert outsider.get(history).status_code == 404
    assert outsider.post(restore).status_code == 404
    assert outsider.post(again).status_code == 404
    assert outsider.get(again).status_code == 404
    editor = client_for(team.editor)
    assert editor.post(again).status_code == 403
    assert editor.get(again).status_code == 403
    assert editor.get(restore).status_code == 405
    assert Client().get(history).status_code == 302
    assert Client().post(restore).status_code == 302
    no_perms = Client()
    no_perms.force_login(team.a.members.create(username="nobody", is_staff=True))
    assert no_perms.post(restore).status_code == 403
    assert not Menu.objects.exists()
    assert not team.sim.requests


def test_history_posts_need_csrf(team):
    entry = record(team.a, team.publisher)
    client = Client(enforce_csrf_checks=True)
    client.force_login(team.publisher)
    assert client.post(reverse("publication_restore", args=[entry.pk])).status_code == 403
    assert client.post(reverse("publication_republish", args=[entry.pk])).status_code == 403
    assert not Menu.objects.exists()


def test_restore_makes_a_new_draft_from_the_payload(team):
    entry = record(team.a, team.publisher)
    response = client_for(team.editor).post(reverse("publication_restore", args=[entry.pk]))
    menu = Menu.objects.get()
    assert menu.account == team.a
    assert parse_menu(menu.tree).to_json() == parse_menu(OLD_MENU).to_json()
    assert response.status_code == 302
    assert response.url != reverse("account_history", args=["coffee"])


def test_restore_of_a_delete_entry_says_there_is_no_menu(team):
    entry = record(team.a, team.publisher, tree=None, action="delete")
    response = client_for(team.editor).post(reverse("publication_restore", args=[entry.pk]), follow=True)
    assert "no menu to restore" in " ".join(messages_of(response))
    assert not Menu.objects.exists()


def publish(team, tree) -> Publication:
    """Publish through the product, so the simulator and the history agree."""
    from menueditor.publishing import publish_menu

    menu = Menu.objects.create(account=team.a, title="Draft", tree=tree, updated_by=team.publisher)
    outcome = publish_menu(menu, team.publisher)
    assert outcome.ok, outcome
    return outcome.publication


NEW_MENU = {"button": [{"type": "click", "name": "新菜单", "key": "NEW"}]}


def test_publish_again_puts_the_old_menu_live_and_records_it(team):
    old = publish(team, OLD_MENU)
    publish(team, NEW_MENU)
    drafts = Menu.objects.count()
    response = client_for(team.publisher).post(reverse("publication_republish", args=[old.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("account_history", args=["coffee"])
    assert parse_menu(team.sim.wechat_menu).to_json() == parse_menu(OLD_MENU).to_json()
    newest = Publication.objects.filter(account=team.a).first()
    assert newest.pk != old.pk and newest.outcome == "success" and newest.user == team.publisher
    assert "live again" in " ".join(messages_of(response))
    assert Menu.objects.count() == drafts  # the draft that was published then still holds that menu
    assert newest.menu == old.menu


def test_publish_again_adds_one_draft_at_most_however_often_it_is_done(team):
    old = publish(team, OLD_MENU)
    Menu.objects.filter(pk=old.menu_id).update(tree=NEW_MENU)  # its draft was edited since
    publish(team, NEW_MENU)
    client = client_for(team.publisher)
    drafts = Menu.objects.count()
    for _ in range(3):
        client.post(reverse("publication_republish", args=[old.pk]))
        publish(team, NEW_MENU)
    # One restored draft holds the old menu; each "Draft" above is the helper's own publish.
    holding_old = [
        m for m in Menu.objects.all() if parse_menu(m.tree).to_json() == parse_menu(OLD_MENU).to_json()
    ]
    assert len(holding_old) == 1
    assert holding_old[0].title.startswith("Restored from the publication of")
    assert Menu.objects.count() == drafts + 1 + 3


def test_publish_again_failure_shows_the_hint_and_keeps_the_draft(team):
    old = publish(team, OLD_MENU)
    publish(team, NEW_MENU)
    drafts = Menu.objects.count()
    team.sim.add_fault("/cgi-bin/menu/create", errcode=45010, errmsg="create menu limit", times=5)
    response = client_for(team.publisher).post(reverse("publication_republish", args=[old.pk]), follow=True)
    text = " ".join(messages_of(response))
    assert "45010" in text
    assert Menu.objects.count() == drafts  # the draft that holds the old menu is still there
    assert Publication.objects.filter(account=team.a).first().outcome == "failure"
    assert parse_menu(team.sim.wechat_menu).to_json() == parse_menu(NEW_MENU).to_json()


def test_publish_again_after_a_change_elsewhere_shows_it_as_two_phones_and_asks(team):
    old = publish(team, OLD_MENU)
    team.sim.reset()  # the live menu disappears, as when someone deletes it in the platform's console
    client = client_for(team.publisher)
    response = client.post(reverse("publication_republish", args=[old.pk]))
    restored = Menu.objects.order_by("-pk").first()
    assert response.status_code == 409
    assert parse_menu(restored.tree).to_json() == parse_menu(OLD_MENU).to_json()
    assert team.sim.wechat_menu is None  # nothing was sent without confirmation
    page = response.content.decode()
    drift = page[page.index('class="drift"') : page.index("If you publish now")]
    # What happened live, as two phones: what was published here, and nothing live now.
    assert "Last published from here" in drift and "Live now" in drift
    assert 'title="今日歌曲"' in drift and "No menu: followers see only the text box." in drift
    assert "the whole menu is removed" in drift
    # And what publishing again would put back, its buttons marked as added.
    review = page[page.index("If you publish now") :]
    after = review[review.index("compare-after") : review.index("</figure>", review.index("compare-after"))]
    assert "After publishing" in after and after.count("mark mark-added") == 4  # each button of the menu
    assert "Added “今日歌曲” (Click (send key)) at menu bar position 1" in review
    assert 'href="' + reverse("menu_edit", args=[restored.pk]) in page

    # Confirming replaces exactly the live menu shown, without another draft.
    fingerprint = re.search(r'name="live_fingerprint" value="([0-9a-f]*)"', page).group(1)
    drafts = Menu.objects.count()
    response = client.post(reverse("publication_republish", args=[old.pk]), {"live_fingerprint": fingerprint})
    assert response.status_code == 302 and response.url == reverse("account_history", args=["coffee"])
    assert parse_menu(team.sim.wechat_menu).to_json() == parse_menu(OLD_MENU).to_json()
    assert Menu.objects.count() == drafts


def test_publish_again_confirmed_against_a_live_menu_that_changed_again_sends_nothing(team):
    old = publish(team, OLD_MENU)
    team.sim.reset()
    client = client_for(team.publisher)
    page = client.post(reverse("publication_republish", args=[old.pk])).content.decode()
    fingerprint = re.search(r'name="live_fingerprint" value="([0-9a-f]*)"', page).group(1)
    team.sim.wechat_menu = NEW_MENU  # someone publishes in the console meanwhile

    response = client.post(reverse("publication_republish", args=[old.pk]), {"live_fingerprint": fingerprint})

    assert response.status_code == 409
    assert team.sim.wechat_menu == NEW_MENU
    page = response.content.decode()
    assert 'title="新菜单"' in page  # the live menu the confirmation would now replace
    assert re.search(r'name="live_fingerprint" value="([0-9a-f]+)"', page).group(1) != fingerprint


def test_history_of_real_publishes_pulls_and_deletes(team):
    publish(team, OLD_MENU)
    client = client_for(team.publisher)
    client.post(reverse("menu_pull", args=["coffee"]))
    client.post(reverse("live_delete", args=["coffee"]))
    page = client.get(reverse("account_history", args=["coffee"])).content.decode()
    assert page.count('class="card entry') == 3
    # The publish and the pull each show their own preview; the delete, what it removed (a phone).
    assert page.count('title="今日歌曲"') == 3
    assert "the whole menu is removed" in page
    assert "The live menu was removed." in page


def test_publish_again_asks_first_showing_the_menu(team):
    entry = record(team.a, team.publisher)
    page = client_for(team.publisher).get(reverse("publication_republish", args=[entry.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "replaces the one followers see now" in text
    assert 'title="今日歌曲"' in text
    assert f'action="{reverse("publication_republish", args=[entry.pk])}"' in text
    # Asking read the live menu and changed nothing: no menu sent, no draft made.
    assert not team.sim.requests_to("/cgi-bin/menu/create") and not Menu.objects.exists()


def test_publish_again_asks_with_what_it_would_change_as_two_phones(team):
    old = publish(team, OLD_MENU)
    publish(team, NEW_MENU)
    client = client_for(team.publisher)

    text = client.get(reverse("publication_republish", args=[old.pk])).content.decode()

    assert "Followers will see these changes:" in text and 'class="drift"' not in text
    before = text[text.index("compare-before") : text.index("</figure>", text.index("compare-before"))]
    after = text[text.index("compare-after") : text.index("</figure>", text.index("compare-after"))]
    assert "Live now" in before and 'title="新菜单"' in before
    assert "After publishing" in after and 'title="今日歌曲"' in after
    assert "Added the sub-menu “菜单” with 2 sub-buttons" in text
    # The confirmation is against exactly the live menu shown: it publishes while that is still live.
    fingerprint = re.search(r'name="live_fingerprint" value="([0-9a-f]+)"', text).group(1)
    response = client.post(reverse("publication_republish", args=[old.pk]), {"live_fingerprint": fingerprint})
    assert response.status_code == 302
    assert parse_menu(team.sim.wechat_menu).to_json() == parse_menu(OLD_MENU).to_json()


def test_publish_again_of_a_delete_entry_is_refused_kindly(team):
    entry = record(team.a, team.publisher, tree=None, action="delete")
    response = client_for(team.publisher).get(reverse("publication_republish", args=[entry.pk]), follow=True)
    assert "no menu to publish" in " ".join(messages_of(response))
    response = client_for(team.publisher).post(reverse("publication_republish", args=[entry.pk]), follow=True)
    assert "no menu" in " ".join(messages_of(response))
    assert not Menu.objects.exists()
