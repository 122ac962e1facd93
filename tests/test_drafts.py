"""The editor's one-query draft loading answers as Menu.objects.for_user and User.has_perm do.

The query is compiled once per kind of user and then run for everyone of that kind, so every check
here loads drafts for many users one after the other. The suite runs on SQLite and on PostgreSQL;
test_the_same_holds_under_another_user_model runs this file again with a swapped AUTH_USER_MODEL.
"""

import inspect
import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from menueditor import drafts
from menueditor.drafts import load_draft
from menueditor.models import Menu
from menueditor.publishing import EDIT_PERMISSION, PUBLISH_PERMISSION

ROUTES = ("none", "member", "group", "both")
GRANTS = ("none", "user", "group")
ROOT = Path(__file__).resolve().parent.parent
_people = itertools.count(1)


def _perm(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="menueditor", codename=codename)


def _new_user(*, staff=True, active=True, superuser=False, name=""):
    """A user of whatever AUTH_USER_MODEL is (the swapped one signs in by e-mail)."""
    model = get_user_model()
    login = f"{name or 'person'}{next(_people)}@example.com"
    return model._default_manager.create_user(
        **{model.USERNAME_FIELD: login},
        password="pw-for-tests-123",
        is_staff=staff or superuser,
        is_superuser=superuser,
        is_active=active,
    )


def _person(account, *, route, edit, publish, **flags):
    user = _new_user(**flags)
    team = Group.objects.create(name=f"team of {user.get_username()}")
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
    return get_user_model().objects.get(pk=user.pk)  # fresh: no permission cache


def _expected(user, menu):
    reachable = Menu.objects.for_user(user).filter(pk=menu.pk).exists()
    return reachable, user.has_perm(EDIT_PERMISSION), user.has_perm(PUBLISH_PERMISSION)


def _kinds():
    cases = [
        dict(route=route, edit=edit, publish=publish)
        for route, edit, publish in itertools.product(ROUTES, GRANTS, GRANTS)
    ]
    return [
        *cases,
        dict(route="member", edit="user", publish="group", active=False),
        dict(route="member", edit="user", publish="user", staff=False),
        dict(route="none", edit="none", publish="none", superuser=True),
        dict(route="none", edit="none", publish="none", superuser=True, active=False),
    ]


@pytest.mark.django_db
def test_every_kind_of_user_gets_what_for_user_and_has_perm_say(factories):
    account = factories.account()
    other_account = factories.account()
    menu = factories.menu(account)
    elsewhere = factories.menu(other_account)
    # Two users of each kind, the kinds interleaved: each one is served SQL compiled for another.
    people = [(case, _person(account, **case)) for _ in range(2) for case in _kinds()]
    assert len(people) == 80
    for case, user in people:
        for draft_of in (menu, elsewhere):
            draft = load_draft(user, draft_of.pk)
            reachable, may_edit, may_publish = _expected(user, draft_of)
            assert (draft is not None) == reachable, (case, draft_of.title)
            if draft is not None:
                assert draft.menu.pk == draft_of.pk
                assert (draft.may_edit, draft.may_publish) == (may_edit, may_publish), case


@pytest.mark.django_db
def test_someone_elses_grants_and_assignments_do_not_leak(factories):
    account = factories.account()
    menu = factories.menu(account)
    colleague = _person(account, route="both", edit="group", publish="user")
    stranger = _new_user()
    assert load_draft(stranger, menu.pk) is None
    stranger.groups.add(Group.objects.create(name="empty team"))
    assert load_draft(stranger, menu.pk) is None
    account.members.add(stranger)
    draft = load_draft(get_user_model().objects.get(pk=stranger.pk), menu.pk)
    assert draft is not None and not draft.may_edit and not draft.may_publish
    assert load_draft(colleague, menu.pk).may_publish


@pytest.mark.django_db
def test_signed_out_missing_and_impossible_drafts_give_nothing(factories):
    user = _new_user(superuser=True)
    menu = factories.menu(factories.account())
    assert load_draft(AnonymousUser(), menu.pk) is None
    with CaptureQueriesContext(connection) as queries:
        assert load_draft(user, 10**9) is None
        assert load_draft(user, 2**63) is None  # past any id column: as the ORM, no row (no error)
        assert load_draft(user, -1) is None
    assert len(queries) == 2
    assert load_draft(user, menu.pk).menu == menu


@pytest.mark.django_db
def test_one_query_loads_the_draft_its_account_and_last_editor(factories):
    editor = _new_user(name="ada")
    editor.user_permissions.add(_perm("change_menu"))
    editor = get_user_model().objects.get(pk=editor.pk)
    account = factories.account(name="Spring shop", platform="weibo", members=(editor,))
    menu = factories.menu(account, title="Spring", user=editor)
    with CaptureQueriesContext(connection) as queries:
        draft = load_draft(editor, menu.pk)
        loaded = draft.menu
        seen = (
            loaded.title,
            loaded.tree,
            loaded.revision,
            loaded.created_at,
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
        menu.created_at,
        menu.updated_at,
        "Spring shop",
        account.slug,
        "weibo",
        editor.get_username(),
    )
    assert draft.may_edit and not draft.may_publish
    # What the query leaves out is still there when read (the account's credentials, to publish).
    assert loaded.account.access_token == "demo-weibo-token"


@pytest.mark.django_db
def test_the_query_is_the_orms_naming_the_tables_the_models_name(factories):
    # Run as a child of test_the_same_holds_under_another_user_model: that model, really.
    assert os.environ.get("DRAFTS_USER_MODEL", settings.AUTH_USER_MODEL) == settings.AUTH_USER_MODEL
    user_model = get_user_model()
    editor = _new_user()
    account = factories.account(members=(editor,))
    menu = factories.menu(account, user=editor)
    with CaptureQueriesContext(connection) as queries:
        assert load_draft(editor, menu.pk) is not None
    (sql,) = (query["sql"] for query in queries)
    for model in (user_model, user_model.groups.through, user_model.user_permissions.through):
        assert connection.ops.quote_name(model._meta.db_table) in sql, model
    # Nothing in the module names a table: the SQL comes from the models, whatever they are called.
    source = inspect.getsource(drafts)
    named = [
        m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.db_table in source
    ]
    assert named == []


class PublishesEverywhere(BaseBackend):
    """A backend with a rule of its own: no table can say what it grants."""

    def has_perm(self, user_obj, perm, obj=None):
        return perm == PUBLISH_PERMISSION and user_obj.get_username().startswith("publisher")


class NoGroupGrants(ModelBackend):
    """ModelBackend with its group route closed: its tables, but not its rule."""

    def _get_group_permissions(self, user_obj):
        return Permission.objects.none()


@pytest.mark.parametrize(
    "backends",
    [
        [*settings.AUTHENTICATION_BACKENDS, f"{__name__}.PublishesEverywhere"],
        [f"{__name__}.NoGroupGrants"],
    ],
    ids=["a backend of its own beside", "ModelBackend changed"],
)
@pytest.mark.django_db
def test_a_backend_with_its_own_rule_is_asked_through_has_perm(factories, backends):
    account = factories.account()
    menu = factories.menu(account)
    people = [
        _person(account, route="member", edit="group", publish="none", name="publisher"),
        _person(account, route="member", edit="user", publish="group", name="editor"),
    ]

    def answers():
        fresh = [get_user_model().objects.get(pk=user.pk) for user in people]
        return [(d.may_edit, d.may_publish) for d in (load_draft(u, menu.pk) for u in fresh)], [
            _expected(user, menu)[1:] for user in fresh
        ]

    usual, usual_expected = answers()
    assert usual == usual_expected == [(True, False), (True, True)]
    with override_settings(AUTHENTICATION_BACKENDS=backends):
        changed, changed_expected = answers()
    assert changed == changed_expected != usual
    assert answers()[0] == usual  # the configured backends again


@pytest.mark.skipif(
    settings.AUTH_USER_MODEL != "auth.User", reason="this is the run under another user model"
)
def test_the_same_holds_under_another_user_model():
    """This file's checks again with AUTH_USER_MODEL = tests.swapped_user.Person (table staff_people,
    signing in by e-mail), on the same kind of database as this run."""
    env = os.environ | {"DRAFTS_USER_MODEL": "swapped_user.Person"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "--ds", "tests.swapped_user.settings",
         "-k", "not under_another_user_model", __file__],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "7 passed" in result.stdout, result.stdout[-2000:]
