"""The admin: the publication history is read-only; publishing from the admin obeys the same rules."""

from __future__ import annotations

import pytest
from django.urls import reverse

from menueditor.models import Menu, Publication
from menueditor.publishing import publish_menu

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:menueditor_publication_changelist"
MENUS = "admin:menueditor_menu_changelist"


@pytest.fixture
def publisher(factories):
    return factories.user(perms=("change_menu", "view_menu", "publish_menu", "view_publication"))


@pytest.fixture
def account(simulator, factories, publisher):
    return factories.account(api_base=simulator.url, members=(publisher,))


@pytest.fixture
def published(account, factories, publisher) -> Publication:
    outcome = publish_menu(factories.menu(account, title="Live one"), publisher)
    assert outcome.ok
    return outcome.publication


def test_the_history_is_listed_and_cannot_be_added_changed_or_deleted(client, factories, published):
    client.force_login(factories.user(superuser=True))

    listing = client.get(reverse(CHANGELIST))
    assert listing.status_code == 200
    assert published.account.name in listing.text
    assert "Add publication" not in listing.text

    assert client.get(reverse("admin:menueditor_publication_add")).status_code == 403
    detail = client.get(reverse("admin:menueditor_publication_change", args=[published.pk]))
    assert detail.status_code == 200
    assert "V1001_TODAY_MUSIC" in detail.text  # the payload, shown
    assert 'name="_save"' not in detail.text
    edit = client.post(
        reverse("admin:menueditor_publication_change", args=[published.pk]), {"code": "forged"}
    )
    assert edit.status_code == 403
    assert (
        client.post(
            reverse("admin:menueditor_publication_delete", args=[published.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    published.refresh_from_db()
    assert published.code == "0"
    assert Publication.objects.count() == 1


def test_staff_see_only_the_history_of_their_accounts(client, factories, simulator, published):
    other_account = factories.account(api_base=simulator.url, name="Elsewhere Co")
    admin = factories.user(superuser=True)
    # Same simulated AppID as the first account: confirm replacing its menu.
    hidden = publish_menu(factories.menu(other_account), admin, confirm_drift=True).publication
    viewer = factories.user(perms=("view_publication",))
    published.account.members.add(viewer)
    client.force_login(viewer)

    listing = client.get(reverse(CHANGELIST))
    assert listing.status_code == 200
    assert published.account.name in listing.text
    assert "Elsewhere Co" not in listing.text
    response = client.get(reverse("admin:menueditor_publication_change", args=[hidden.pk]))
    assert response.status_code == 302  # "does not exist" for them


def test_a_publisher_publishes_from_the_admin(client, simulator, account, factories, publisher):
    menu = factories.menu(account, title="From admin")
    client.force_login(publisher)

    response = client.post(
        reverse(MENUS), {"action": "publish_selected", "_selected_action": [menu.pk]}, follow=True
    )

    assert response.status_code == 200
    assert "within about 5 minutes" in response.text
    assert simulator.wechat_menu == menu.tree
    assert Publication.objects.get().user == publisher


def test_the_admin_shows_the_hint_of_a_failure(client, simulator, account, factories, publisher):
    menu = factories.menu(account)
    simulator.create_quota = 0
    client.force_login(publisher)
    response = client.post(
        reverse(MENUS), {"action": "publish_selected", "_selected_action": [menu.pk]}, follow=True
    )
    assert "resets tomorrow" in response.text
    assert "45009" in response.text


def test_without_the_publish_permission_the_admin_does_not_publish(client, simulator, account, factories):
    editor = factories.user(perms=("change_menu", "view_menu"))
    account.members.add(editor)
    menu = factories.menu(account)
    client.force_login(editor)

    listing = client.get(reverse(MENUS))
    assert listing.status_code == 200
    assert "publish_selected" not in listing.text
    client.post(reverse(MENUS), {"action": "publish_selected", "_selected_action": [menu.pk]}, follow=True)

    assert simulator.requests == []
    assert not Publication.objects.exists()


def test_a_publisher_not_assigned_to_the_account_cannot_publish_from_the_admin(client, simulator, factories):
    stranger = factories.user(perms=("change_menu", "view_menu", "publish_menu"))
    account = factories.account(api_base=simulator.url)
    menu = factories.menu(account)
    client.force_login(stranger)

    client.post(reverse(MENUS), {"action": "publish_selected", "_selected_action": [menu.pk]}, follow=True)
    assert client.get(reverse("admin:menueditor_menu_change", args=[menu.pk])).status_code == 302

    assert simulator.requests == []
    assert not Publication.objects.exists()


def test_a_past_payload_is_restored_from_the_admin(client, factories, publisher, published):
    client.force_login(publisher)
    response = client.post(
        reverse(CHANGELIST), {"action": "restore_selected", "_selected_action": [published.pk]}, follow=True
    )
    assert "New draft" in response.text
    restored = Menu.objects.exclude(pk=published.menu_id).get()
    assert restored.tree == published.menu.tree


def test_the_menu_admin_refuses_text_that_is_not_a_menu_and_counts_revisions(client, account, factories):
    admin = factories.user(superuser=True)
    menu = factories.menu(account)
    client.force_login(admin)
    url = reverse("admin:menueditor_menu_change", args=[menu.pk])

    refused = client.post(url, {"account": account.pk, "title": "T", "tree": '{"nope": 1}'})
    assert refused.status_code == 200
    assert "This is not a menu" in refused.text
    assert "expected a JSON object" not in refused.text  # not the parser's English

    tree = '{"button": [{"type": "click", "name": "新", "key": "NEW"}]}'
    assert client.post(url, {"account": account.pk, "title": "T", "tree": tree}).status_code == 302
    menu.refresh_from_db()
    assert (menu.revision, menu.updated_by, menu.tree["button"][0]["key"]) == (2, admin, "NEW")
