"""The editor's draft, with what the signed-in user may do with it, in one query.

Every keystroke in the editor is a request that starts here. The query is the ORM's: drafts whose
account passes ``accounts.models.reachable_by`` (the condition ``Account.objects.for_user`` filters
by), annotated with ``has_perm``'s answer for editing and publishing as EXISTS on the permission
relations ModelBackend reads (asked of ``has_perm`` itself when a backend with a rule of its own is
configured). Building and compiling it costs the ORM about 4 ms and running it 0.05 ms, so each
process compiles it once per kind of user (how far the account rule reaches them, superuser or
not) with stand-in ids, and every request runs that SQL with its own user's and draft's ids in
their places. ``tests/test_drafts.py`` checks it against ``Menu.objects.for_user`` and
``User.has_perm`` for every kind of user, on SQLite and PostgreSQL, and under another user model.
"""

from __future__ import annotations

import copy
import threading
import weakref
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_backends, get_user_model
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.contrib.auth.models import Group, Permission, PermissionsMixin
from django.db import connections, router
from django.db.models import Exists, F, OuterRef, QuerySet, Value
from django.db.models.sql.compiler import SQLCompiler

from accounts.models import Account, Reach, group_ids, reach, reachable_by
from menueditor.models import Menu
from menueditor.publishing import EDIT_PERMISSION, PUBLISH_PERMISSION

# Two pairs of ids no row is expected to have (inside every integer column's range, or the ORM would
# drop the condition): compiled with each pair, the SQL must be the same and its parameters differ
# exactly where the user and the draft are.
STAND_INS = ((2_000_000_011, 2_000_000_029), (2_000_000_039, 2_000_000_051))

# The account's and the last editor's fields the editor reads; others load when read.
ACCOUNT_FIELDS = ("name", "slug", "platform", "needs_approval", "second_approver")


@dataclass
class Draft:
    menu: Menu  # .account has its name, slug and platform loaded; .updated_by its USERNAME_FIELD
    # publishing.can_edit's and can_publish's permissions (user.has_perm); being assigned to the
    # account is already given, or the draft would not have been found.
    may_edit: bool
    may_publish: bool


class CompiledDraftQuery:
    """The ORM's SQL for one kind of user, where the user's and the draft's ids go in it, and what
    each column of its row is (the select list the ORM compiled it with)."""

    def __init__(
        self,
        compiler: SQLCompiler,
        sql: str,
        params: tuple[Any, ...],
        user_slots: tuple[int, ...],
        draft_slot: int,
        permissions_in_sql: bool,
    ) -> None:
        self.sql, self.params = sql, params
        self.user_slots, self.draft_slot = user_slots, draft_slot
        # False: has_perm asks a backend whose rule is not ModelBackend's tables, so it is asked.
        self.permissions_in_sql = permissions_in_sql
        info = compiler.klass_info
        self.expressions = tuple(column[0] for column in compiler.select)
        fields = info["select_fields"]
        self.menu_columns = slice(fields[0], fields[-1] + 1)
        self.menu_attnames = [column.target.attname for column in self.expressions[self.menu_columns]]
        self.annotation_columns = dict(compiler.annotation_col_map)
        # Each connection's converters (JSON, datetimes on SQLite...), as the ORM applies them.
        self._converters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def params_for(self, user_id: Any, draft_id: Any) -> list[Any]:
        params = list(self.params)
        for slot in self.user_slots:
            params[slot] = user_id
        params[self.draft_slot] = draft_id
        return params

    def fetch(self, connection, user_id: Any, draft_id: Any) -> tuple[Menu, dict[str, Any]] | None:
        """The draft as the ORM would load it (converters applied), and the annotations' values."""
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params_for(user_id, draft_id))
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for position, converters, expression in self.converters(connection):
            for converter in converters:
                row[position] = converter(row[position], expression, connection)
        menu = Menu.from_db(connection.alias, self.menu_attnames, row[self.menu_columns])
        return menu, {name: row[position] for name, position in self.annotation_columns.items()}

    def converters(self, connection) -> list[tuple[int, list, Any]]:
        found = self._converters.get(connection)
        if found is None:
            found = []
            for position, expression in enumerate(self.expressions):
                converters = connection.ops.get_db_converters(expression)
                converters += expression.get_db_converters(connection)
                if converters:
                    found.append((position, converters, expression))
            with _compiled_lock:
                self._converters[connection] = found
        return found


_compiled: dict[tuple, CompiledDraftQuery] = {}
_compiled_lock = threading.Lock()


def load_draft(user, pk: int) -> Draft | None:
    """The draft if this user may reach its account (as ``Menu.objects.for_user``), else None."""
    verdict = reach(user)
    if verdict is Reach.NONE:
        return None  # for_user's none(): no query
    alias = router.db_for_read(Menu)
    connection = connections[alias]
    low, high = connection.ops.integer_field_range(Menu._meta.pk.get_internal_type())
    if (low is not None and pk < low) or (high is not None and pk > high):
        return None  # as the ORM answers an id past the column's range
    query = compiled_query(user, verdict, alias)
    user_id = get_user_model()._meta.pk.get_db_prep_value(user.pk, connection)
    found = query.fetch(connection, user_id, Menu._meta.pk.get_db_prep_value(pk, connection))
    if found is None:
        return None
    menu, values = found
    # The account and the last editor as .only() would load them: other fields load when read.
    account_values = [values[f"account_{name}"] for name in ACCOUNT_FIELDS]
    menu.account = Account.from_db(alias, ["id", *ACCOUNT_FIELDS], [menu.account_id, *account_values])
    if menu.updated_by_id is not None:
        user_model = get_user_model()
        menu.updated_by = user_model.from_db(
            alias, ["id", user_model.USERNAME_FIELD], [menu.updated_by_id, values["updated_by_name"]]
        )
    if query.permissions_in_sql:
        return Draft(menu=menu, may_edit=bool(values["may_edit"]), may_publish=bool(values["may_publish"]))
    return Draft(
        menu=menu, may_edit=user.has_perm(EDIT_PERMISSION), may_publish=user.has_perm(PUBLISH_PERMISSION)
    )


def compiled_query(user, verdict: Reach, alias: str) -> CompiledDraftQuery:
    """The compiled query for users like this one, compiled on first use in this process."""
    # Everything the account rule and has_perm branch on; the rest of the user is a parameter.
    key = (alias, user.__class__, verdict, bool(user.is_active), bool(user.is_superuser))
    key += tuple(settings.AUTHENTICATION_BACKENDS)
    query = _compiled.get(key)
    if query is None:
        query = _compile(user, alias)
        with _compiled_lock:
            _compiled[key] = query
    return query


def draft_queryset(user, pk: Any, permissions_in_sql: bool) -> QuerySet:
    """The editor's draft through the ORM: the account rule, has_perm (when it is ModelBackend's
    tables), the account's and the last editor's names."""
    username = get_user_model().USERNAME_FIELD
    names = {f"account_{f}": F(f"account__{f}") for f in ACCOUNT_FIELDS}
    names["updated_by_name"] = F(f"updated_by__{username}")
    menus = Menu.objects.filter(reachable_by(user, account="account"), pk=pk).annotate(**names)
    if permissions_in_sql:
        menus = menus.annotate(
            may_edit=held_permission(user, EDIT_PERMISSION),
            may_publish=held_permission(user, PUBLISH_PERMISSION),
        )
    return menus.order_by()


def held_permission(user, perm: str) -> Exists | Value:
    """``user.has_perm(perm)`` as a condition of the query, by ModelBackend's rule: an active
    superuser holds every permission; other active users those given to them or to one of their
    groups (the relations ModelBackend reads: user_permissions, groups, Group.permissions)."""
    if user.is_active and user.is_superuser:
        return Value(True)
    if not user.is_active or user.is_anonymous:
        return Value(False)
    app_label, codename = perm.split(".", 1)
    # On the link tables alone: ModelBackend's querysets as subqueries (joins through groups and
    # content types) made PostgreSQL plan each keystroke's query ~0.6 ms longer.
    mine = user._meta.get_field("user_permissions")
    direct = mine.remote_field.through.objects.filter(
        **{mine.m2m_reverse_field_name(): OuterRef("pk"), mine.m2m_field_name(): user}
    )
    via_group = Group.permissions.through.objects.filter(permission=OuterRef("pk"), group__in=group_ids(user))
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return Exists(permission.filter(Exists(direct) | Exists(via_group)))


# What decides a permission in ModelBackend: a subclass overriding any of these has a rule of its own.
_DECIDING = ("has_perm", "get_all_permissions", "get_user_permissions", "get_group_permissions")
_MODEL_BACKEND_RULE = (*_DECIDING, "_get_permissions", "_get_user_permissions", "_get_group_permissions")


def permissions_are_tables() -> bool:
    """Whether has_perm is ModelBackend's rule on the permission tables and nothing else (other
    backends grant nothing: axes' has no has_perm at all)."""
    if get_user_model().has_perm is not PermissionsMixin.has_perm:
        return False
    for backend in get_backends():
        kind = type(backend)
        if isinstance(backend, ModelBackend):
            if any(getattr(kind, name) is not getattr(ModelBackend, name) for name in _MODEL_BACKEND_RULE):
                return False
        elif hasattr(backend, "has_perm") and not (
            isinstance(backend, BaseBackend)
            and all(getattr(kind, name) is getattr(BaseBackend, name) for name in _DECIDING)
        ):
            return False
    return True


def _compile(user, alias: str) -> CompiledDraftQuery:
    permissions_in_sql = permissions_are_tables()
    connection = connections[alias]
    user_pk, draft_pk = get_user_model()._meta.pk, Menu._meta.pk
    compiled = []
    for user_id, draft_id in STAND_INS:
        stand_in = copy.copy(user)  # the same flags, a stand-in id
        stand_in.pk = user_pk.to_python(user_id)
        compiler = draft_queryset(
            stand_in, draft_pk.to_python(draft_id), permissions_in_sql
        ).query.get_compiler(alias)
        sql, params = compiler.as_sql()
        ids = (
            user_pk.get_db_prep_value(stand_in.pk, connection),
            draft_pk.get_db_prep_value(draft_pk.to_python(draft_id), connection),
        )
        compiled.append((sql, tuple(params), ids, compiler))
    (sql, params, (user_id, draft_id), compiler), (other_sql, other_params, _, _) = compiled
    changed = {i for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b}
    user_slots = tuple(i for i, value in enumerate(params) if value == user_id)
    draft_slots = [i for i, value in enumerate(params) if value == draft_id]
    if sql != other_sql or len(draft_slots) != 1 or changed != {*user_slots, *draft_slots}:
        raise RuntimeError("The draft query does not take the user's and the draft's ids as parameters.")
    return CompiledDraftQuery(compiler, sql, params, user_slots, draft_slots[0], permissions_in_sql)
