"""Random form posts and random JSON against the editor's endpoints.

Whatever arrives: never a server error, a message when the input is refused, and the stored draft
exactly as it was unless a save really succeeded.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from menueditor.models import Menu
from tests.robustness.strategies import any_json, as_text, form_posts, hostile_text, menu_json

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HTMX = {"HTTP_HX_REQUEST": "true"}
# Endpoints that never store anything, whatever is posted.
READ_ONLY = ("menu_preview", "menu_structure", "menu_import", "menu_publish_review")
MESSAGE_MARKS = ('class="message ', 'class="problem error"', 'class="conflict"', 'id="conflict-title"')


@pytest.fixture
def editor(factories, simulator):
    user = factories.user(username="fuzzer", perms=("change_menu", "publish_menu", "view_menu"))
    account = factories.account(members=(user,), api_base=simulator.url)
    menu = factories.menu(account, user=user)
    client = Client()
    client.force_login(user)
    return client, menu


def snapshot(menu: Menu) -> tuple:
    menu = Menu.objects.get(pk=menu.pk)
    return (json.dumps(menu.tree, sort_keys=True), menu.revision, menu.updated_at, menu.title)


def post(client: Client, name: str, menu: Menu, data, htmx: bool):
    return client.post(reverse(name, args=[menu.pk]), data, **(HTMX if htmx else {}))


def shows_a_message(response) -> bool:
    if response.status_code in (204, 302):  # went on to another page (a new draft, the editor)
        return True
    page = response.content.decode()
    return any(mark in page for mark in MESSAGE_MARKS)


@FUZZ
@given(data=st.data(), htmx=st.booleans(), name=st.sampled_from(READ_ONLY))
def test_random_posts_to_the_live_endpoints_change_nothing(editor, data, htmx, name):
    client, menu = editor
    before, drafts = snapshot(menu), Menu.objects.count()
    form = data.draw(form_posts(revision=Menu.objects.get(pk=menu.pk).revision))
    if name == "menu_import":
        form["import_text"] = data.draw(
            st.one_of(menu_json.map(as_text), hostile_text, any_json.map(as_text))
        )
    response = post(client, name, menu, form, htmx)
    assert response.status_code < 500
    assert response.status_code in (200, 400, 403)
    assert snapshot(menu) == before
    assert Menu.objects.count() == drafts


@FUZZ
@given(data=st.data(), htmx=st.booleans(), as_new=st.booleans())
def test_random_saves_either_save_or_say_why_and_keep_the_draft(editor, data, htmx, as_new):
    client, menu = editor
    before, drafts = snapshot(menu), Menu.objects.count()
    form = data.draw(form_posts(revision=Menu.objects.get(pk=menu.pk).revision))
    if as_new:
        form["as_new"] = "1"
    response = post(client, "menu_save", menu, form, htmx)
    assert response.status_code < 500
    after = snapshot(menu)
    saved_here = after != before
    saved_as_new = Menu.objects.count() == drafts + 1
    event("saved" if saved_here else "saved as new" if saved_as_new else "refused")
    if saved_here:
        # A real save: one revision further, and it said so.
        assert after[1] == before[1] + 1
        assert response.status_code in (200, 302)
        assert not saved_as_new
    elif saved_as_new:
        assert response.status_code in (204, 302)
    else:
        assert response.status_code in (200, 400, 409)
        assert shows_a_message(response), response.content.decode()[:2000]
    assert Menu.objects.count() <= drafts + 1


@FUZZ
@given(data=st.data())
def test_random_publish_posts_never_fail_and_send_nothing_unreviewed(editor, simulator, data):
    """A publish post without the reviewed revision of a saved, valid draft sends nothing."""
    client, menu = editor
    before = snapshot(menu)
    form = data.draw(form_posts())
    form.pop("reviewed_revision", None)
    response = post(client, "menu_publish", menu, form, data.draw(st.booleans()))
    assert response.status_code == 200
    assert "Not published" in response.content.decode()
    assert simulator.requests_to("/cgi-bin/menu/create") == []
    assert snapshot(menu) == before
