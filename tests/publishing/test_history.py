"""History: every publish, pull and delete is recorded per account; past payloads come back as drafts."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied

from menueditor.models import Menu, Publication
from menueditor.publishing import delete_live_menu, publish_menu, pull_menu, restore_publication

pytestmark = pytest.mark.django_db

SECOND = {"button": [{"type": "view", "name": "新品", "url": "https://example.com/new"}]}


def test_every_action_is_recorded_per_account(simulator, wechat_account, weibo_account, factories, publisher):
    publish_menu(factories.menu(wechat_account), publisher)
    pull_menu(wechat_account, publisher)
    delete_live_menu(wechat_account, publisher)
    publish_menu(factories.menu(weibo_account), publisher)

    history = list(Publication.objects.filter(account=wechat_account).values_list("action", "outcome"))
    assert history == [("delete", "success"), ("pull", "success"), ("publish", "success")]
    assert Publication.objects.filter(account=weibo_account).count() == 1


def test_a_past_publish_is_restored_into_a_new_draft_and_published_again(
    simulator, wechat_account, factories, publisher
):
    first = factories.menu(wechat_account, title="First")
    assert publish_menu(first, publisher).ok
    first_publication = Publication.objects.get()
    first.tree = SECOND  # the draft moves on
    first.save()
    assert publish_menu(first, publisher).ok
    assert simulator.wechat_menu == SECOND

    restored = restore_publication(first_publication, publisher)

    assert restored.pk != first.pk
    assert restored.account == wechat_account
    assert restored.tree == json.loads(first_publication.payload)
    assert restored.updated_by == publisher
    assert "Restored" in restored.title
    assert Menu.objects.get(pk=first.pk).tree == SECOND  # the other draft is untouched
    assert publish_menu(restored, publisher).ok
    assert simulator.wechat_menu == json.loads(first_publication.payload)


def test_a_failed_publish_can_be_restored_too(simulator, wechat_menu, publisher):
    simulator.create_quota = 0
    publish_menu(wechat_menu, publisher)
    failed = Publication.objects.get()
    assert restore_publication(failed, publisher).tree == wechat_menu.tree


def test_a_pull_is_restored_from_what_was_received(simulator, wechat_account, publisher):
    simulator.wechat_menu = SECOND
    pull_menu(wechat_account, publisher)
    restored = restore_publication(Publication.objects.get(), publisher)
    assert restored.tree == SECOND


def test_a_delete_holds_no_menu(simulator, wechat_account, publisher):
    delete_live_menu(wechat_account, publisher)
    with pytest.raises(ValueError, match="no menu"):
        restore_publication(Publication.objects.get(), publisher)


def test_restoring_needs_the_edit_permission(simulator, wechat_menu, publisher, factories):
    publish_menu(wechat_menu, publisher)
    outsider = factories.user(perms=("change_menu",))
    with pytest.raises(PermissionDenied):
        restore_publication(Publication.objects.get(), outsider)


def test_delete_is_recorded_and_needs_the_publish_permission(simulator, wechat_menu, publisher, factories):
    assert publish_menu(wechat_menu, publisher).ok
    editor = factories.user(perms=("change_menu",))
    wechat_menu.account.members.add(editor)
    with pytest.raises(PermissionDenied):
        delete_live_menu(wechat_menu.account, editor)
    assert simulator.wechat_menu is not None

    outcome = delete_live_menu(wechat_menu.account, publisher)

    assert outcome.ok
    assert outcome.when_visible == "within about 5 minutes"
    assert simulator.wechat_menu is None
    assert "/cgi-bin/menu/delete" in [r.path for r in simulator.requests]
    deleted = Publication.objects.first()
    assert (deleted.action, deleted.outcome, deleted.user, deleted.payload) == (
        "delete",
        "success",
        publisher,
        "",
    )


def test_a_failed_delete_is_recorded_with_its_hint(simulator, wechat_account, publisher):
    simulator.add_fault("/cgi-bin/menu/delete", errcode=-1)
    outcome = delete_live_menu(wechat_account, publisher)
    assert (outcome.ok, outcome.code) == (False, "-1")
    assert Publication.objects.get().hint == outcome.hint
