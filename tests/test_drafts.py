"""The editor's one-query draft loading answers as Menu.objects.for_user and User.has_perm do."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from menueditor.drafts import load_draft
from menueditor.models import Menu
from menueditor.publishing import EDIT_PERMISSION, PUBLISH_PERMISSION

ROUTES = ("none", "member", "group", "both")
GRANTS = ("none", "user", "group")


def _perm(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="menueditor", codename=codename)


def _person(factories, account, *, route, edit, publish, staff=True, active=True, superuser=False):
    user = factories.user(staff=staff, superuser=superuser)
    user.is_active = active
    user.save()
    team = Group.objects.create(name=f"team of {user.username}")
    user.groups.add(team)
    if route in ("member", "both"):
        account.members.add(user)
    if route in ("group", "both"):
        account.groups.add(team)
    for codename, grant in (("change_menu", edit), ("publish_menu", publish)):
        if grant == "user":
            user.user_permissions.add(_perm(codename))
        elif grant == "group":
            team.permissions.add(_perm(codename))
    return User.objects.get(pk=user.pk)  # fresh: no permission cache


def _expected(user, menu):
    reachable = Menu.objects.for_user(user).filter(pk=menu.pk).exists()
    return reachable, user.has_perm(EDIT_PERMISSION), user.has_perm(PUBLISH_PERMISSION)


@pytest.mark.django_db
def test_every_kind_of_user_gets_what_for_user_and_has_perm_say(factories):
    account = factories.account()
    other_account = factories.account()
    menu = factories.menu(account)
    factories.menu(other_account)
    cases = [
        dict(route=route, edit=edit, publish=publish)
        for route, edit, publish in itertools.product(ROUTES, GRANTS, GRANTS)
    ]
    cases += [
        dict(route="member", edit="user", publish="group", active=False),
        dict(route="member", edit="user", publish="user", staff=False),
        dict(route="none", edit="none", publish="none", superuser=True),
        dict(route="none", edit="none", publish="none", superuser=True, active=False),
    ]
    for case in cases:
        user = _person(factories, account, **case)
        draft = load_draft(user, menu.pk)
        reachable, may_edit, may_publish = _expected(user, menu)
        assert (draft is not None) == reachable, case
        if draft is not None:
            assert (draft.may_edit, draft.may_publish) == (may_edit, may_publish), case


@pytest.mark.django_db
def test_someone_elses_grants_and_assignments_do_not_leak(factories):
    account = factories.account()
    menu = factories.menu(account)
    colleague = _person(factories, account, route="both", edit="group", publish="user")
    stranger = factories.user()
    assert load_draft(stranger, menu.pk) is None
    stranger.groups.add(Group.objects.create(name="empty team"))
    assert load_draft(stranger, menu.pk) is None
    account.members.add(stranger)
    draft = load_draft(User.objects.get(pk=stranger.pk), menu.pk)
    assert draft is not None and not draft.may_edit and not draft.may_publish
    assert load_draft(colleague, menu.pk).may_publish


@pytest.mark.django_db
def test_signed_out_and_missing_drafts_give_nothing(factories):
    user = factories.user(superuser=True)
    assert load_draft(AnonymousUser(), factories.menu(factories.account()).pk) is None
    assert load_draft(user, 10**9) is None


@pytest.mark.django_db
def test_one_query_loads_the_draft_its_account_and_last_editor(factories):
    editor = factories.user(username="ada", perms=("change_menu",))
    account = factories.account(name="Spring shop", platform="weibo", members=(editor,))
    menu = factories.menu(account, title="Spring", user=editor)
    with CaptureQueriesContext(connection) as queries:
        draft = load_draft(editor, menu.pk)
        loaded = draft.menu
        seen = (
            loaded.title,
            loaded.tree,
            loaded.revision,
            loaded.updated_at,
            loaded.account.name,
            loaded.account.slug,
            loaded.account.platform,
            loaded.updated_by.get_username(),
        )
    assert len(queries) == 1
    assert seen == (
        "Spring",
        menu.tree,
        menu.revision,
        menu.updated_at,
        "Spring shop",
        account.slug,
        "weibo",
        "ada",
    )
    assert draft.may_edit and not draft.may_publish
    # What the query leaves out is still there when read (the account's credentials, to publish).
    assert loaded.account.access_token == "demo-weibo-token"
