"""CSRF: every request that can change something needs the token; reading changes nothing.

The URLs come from the resolver, so an endpoint added later is covered too. The people sending
the requests may do everything (a superuser), so a 403 can only come from the missing token.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Account
from menueditor.models import Menu, Publication
from tests.security.conftest import client_for
from tests.security.test_access_matrix import PLATFORM_WRITES, READ_ONLY_ADMIN, form_post, post_data
from tests.security.urlmap import targets

pytestmark = pytest.mark.django_db

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
# Publication records are read-only, so an account with history cannot be deleted in the admin.
REFUSED_BY_DESIGN = {
    *READ_ONLY_ADMIN,
    "admin:menueditor_publication_change",
    "admin:menueditor_review_change",
    "admin:django_tasks_database_dbtaskresult_change",
    "admin:accounts_account_delete",
    "menu_submit",  # for those who publish by review; superusers publish directly
}


def _send(client: Client, method: str, url: str, data=None, **extra):
    return getattr(client, method.lower())(url, data or {}, **extra)


def _token(client: Client) -> str:
    client.get(reverse("login") if "_auth_user_id" not in client.session else reverse("home"))
    return client.cookies["csrftoken"].value


@pytest.mark.parametrize("role", ["superuser", "publisher", "anonymous"])
def test_every_unsafe_request_without_the_token_is_refused(world, role):
    wrong = []
    for target in targets(world.map):
        for method in UNSAFE:
            client = client_for(world.users[role], enforce_csrf_checks=True)
            response = _send(
                client, method, target.url, post_data(target, world) if method == "POST" else None
            )
            if response.status_code != 403:
                wrong.append(f"{method} {target}: {response.status_code}")
    assert not wrong, "accepted without a CSRF token:\n" + "\n".join(wrong)
    assert Menu.objects.count() == 2 and Publication.objects.count() == 2
    assert [r.path for r in world.sim.requests if r.path in PLATFORM_WRITES] == []


def test_a_wrong_token_is_refused_too(world):
    client = client_for(world.users["superuser"], enforce_csrf_checks=True)
    _token(client)
    for name in ("menu_save", "menu_publish"):
        url = reverse(name, args=[world.menu_a.pk])
        data = form_post(name, "A", world)
        response = client.post(url, data | {"csrfmiddlewaretoken": "x" * 64})
        assert response.status_code == 403
        response = client.post(url, data, HTTP_X_CSRFTOKEN="y" * 32, HTTP_HX_REQUEST="true")
        assert response.status_code == 403


def test_with_the_token_the_same_requests_go_through(world):
    """The refusals above come from the missing token: with it, no POST is refused as forgery."""
    refused = []
    # Deleting comes last: with the token, the admin's delete pages do delete.
    for target in sorted(targets(world.map), key=lambda t: t.route.name.endswith("_delete")):
        if target.route.name in REFUSED_BY_DESIGN:
            continue  # refused (403) whatever the token
        client = client_for(world.users["superuser"], enforce_csrf_checks=True)
        token = _token(client)
        data = post_data(target, world) | {"csrfmiddlewaretoken": token}
        response = client.post(target.url, data)
        if response.status_code == 403:
            refused.append(str(target))
    assert not refused, "refused even with the token:\n" + "\n".join(refused)


def test_htmx_requests_carry_the_token_in_a_header(world):
    """The pages put the token in hx-headers, and the endpoints accept it there."""
    client = client_for(world.users["publisher"], enforce_csrf_checks=True)
    page = client.get(reverse("menu_edit", args=[world.menu_a.pk])).content.decode()
    token = client.cookies["csrftoken"].value
    assert 'hx-headers=\'{"X-CSRFToken": "' in page
    data = form_post("menu_preview", "A", world)
    url = reverse("menu_preview", args=[world.menu_a.pk])
    assert client.post(url, data, HTTP_HX_REQUEST="true").status_code == 403
    assert client.post(url, data, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token).status_code == 200


def test_sign_in_needs_the_token(world):
    client = Client(enforce_csrf_checks=True)
    form = {"username": "root", "password": "pw-for-tests-123"}
    for url in (reverse("login"), reverse("admin:login")):
        assert client.post(url, form).status_code == 403
        assert "_auth_user_id" not in client.session


def _state(world) -> tuple:
    return (
        sorted(Menu.objects.values_list("pk", "revision", "updated_at", "title")),
        sorted(Publication.objects.values_list("pk", "outcome")),
        sorted(Account.objects.values_list("pk", "updated_at", "name")),
    )


@pytest.mark.parametrize("role", ["superuser", "publisher"])
def test_reading_any_page_changes_nothing(world, role):
    """GET is safe: no page changes a draft, a record, an account or a live menu by being read."""
    before = _state(world)
    for target in targets(world.map):
        client_for(world.users[role]).get(target.url)
    assert _state(world) == before
    assert [r.path for r in world.sim.requests if r.path in PLATFORM_WRITES] == []
