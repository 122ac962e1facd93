"""Two editors saving one draft from the same revision at the same moment (SQLite and PostgreSQL).

Each editor is a thread with its own test client and database connection, released together by a
barrier. To make a lost update possible at all, every save waits in Menu's pre_save until all the
others have reached it too, or for a second: with the row lock (on SQLite, the IMMEDIATE write
lock) only one save gets there at a time, without it they would all write revision 2.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse

from menueditor.forms import tree_to_post_data
from menueditor.models import Menu
from menueditor.tree import parse_menu

from .together import run_together

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HTMX = {"HTTP_HX_REQUEST": "true"}


def conflict_note(html: str) -> str:
    """The sentence of the conflict box that says who saved and when."""
    start = html.find('<section class="conflict"')
    return " ".join(html[start : html.find("</section>", start)].split()) if start >= 0 else ""


@contextmanager
def saves_meet_before_writing(count: int, wait: float = 1.0):
    """Hold each Menu save until `count` saves are waiting, or `wait` seconds have passed."""
    arrived = threading.Semaphore(0)
    lock = threading.Lock()
    state = {"n": 0}
    everyone = threading.Event()

    def hold(sender, instance, **kwargs):
        if instance.pk is None:
            return  # a new draft ("keep mine"), not the race
        with lock:
            state["n"] += 1
            if state["n"] >= count:
                everyone.set()
        arrived.release()
        everyone.wait(wait)

    pre_save.connect(hold, sender=Menu, weak=False)
    try:
        yield state
    finally:
        pre_save.disconnect(hold, sender=Menu)


@pytest.fixture
def team(factories):
    names = ["hanmeimei", "lilei", "wangfang", "zhaolei"]
    users = [factories.user(username=name, perms=("change_menu",)) for name in names]
    account = factories.account(members=tuple(users))
    menu = factories.menu(account, title="Spring menu", user=users[0])
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    return users, account, menu, clients


def edits_of(menu: Menu, i: int) -> dict[str, str]:
    """What editor i posts: the draft as loaded (revision 1) with their own name for button 1."""
    data = tree_to_post_data(parse_menu(menu.tree), title=menu.title, revision=str(menu.revision))
    data["b-0-name"] = f"改动{i}"
    return data


def test_two_saves_from_one_revision_one_wins_the_other_is_told_and_keeps_their_edits(team):
    users, account, menu, clients = team
    url = reverse("menu_save", args=[menu.pk])
    posts = [edits_of(menu, i) for i in range(2)]

    with saves_meet_before_writing(2) as met:
        responses = run_together(lambda i: clients[i].post(url, posts[i]), 2)

    assert all(not isinstance(r, Exception) for r in responses), responses
    assert sorted(r.status_code for r in responses) == [302, 409]
    assert met["n"] == 1  # only the winner reached the write
    winner = next(i for i, r in enumerate(responses) if r.status_code == 302)
    loser = 1 - winner
    menu.refresh_from_db()
    assert menu.revision == 2
    assert menu.tree["button"][0]["name"] == f"改动{winner}"
    assert menu.updated_by == users[winner]

    # The loser is told who saved and when, and sees their own edits still in the form.
    html = responses[loser].content.decode()
    assert f"{users[winner].username} saved revision 2 at" in conflict_note(html), conflict_note(html)
    assert f'value="改动{loser}"' in html
    assert "Keep mine as a new draft" in html

    # Keeping them as a new draft loses nothing and leaves the winner's draft alone.
    response = clients[loser].post(url, posts[loser] | {"as_new": "1"})
    assert response.status_code == 302
    copy = Menu.objects.exclude(pk=menu.pk).get(account=account)
    assert copy.tree["button"][0]["name"] == f"改动{loser}"
    assert copy.updated_by == users[loser]
    menu.refresh_from_db()
    assert (menu.revision, menu.tree["button"][0]["name"]) == (2, f"改动{winner}")


def test_four_editors_saving_through_htmx_exactly_one_wins(team):
    users, _account, menu, clients = team
    url = reverse("menu_save", args=[menu.pk])
    posts = [edits_of(menu, i) for i in range(4)]

    with saves_meet_before_writing(4) as met:
        responses = run_together(lambda i: clients[i].post(url, posts[i], **HTMX), 4)

    assert all(not isinstance(r, Exception) for r in responses), responses
    assert [r.status_code for r in responses] == [200] * 4
    saved = [i for i, r in enumerate(responses) if r.get("HX-Trigger") == "editor-saved"]
    assert len(saved) == 1 and met["n"] == 1
    winner = saved[0]
    menu.refresh_from_db()
    assert (menu.revision, menu.tree["button"][0]["name"]) == (2, f"改动{winner}")
    for i, response in enumerate(responses):
        if i == winner:
            continue
        html = response.content.decode()
        assert f"{users[winner].username} saved revision 2 at" in conflict_note(html), conflict_note(html)
        assert "Keep mine as a new draft" in html
        # The fields being edited are not swapped: the loser's typing stays on the screen.
        assert 'name="b-0-name"' not in html
