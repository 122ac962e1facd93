"""Two accounts, A (WeChat) and B (Weibo), both on the simulator, and one person in each role."""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from menueditor.models import Publication, Review, ScheduledPublish
from menueditor.tasks import run_scheduled_publish
from tests.security.urlmap import World

EDIT = ("view_menu", "add_menu", "change_menu", "delete_menu", "view_publication")
PUBLISH = (*EDIT, "publish_menu")

# Valid on both platforms: names within Weibo's byte limits, only click and view buttons.
BOTH_PLATFORMS_MENU = {
    "button": [
        {"type": "click", "name": "今日歌曲", "key": "V1001_TODAY_MUSIC"},
        {
            "name": "菜单",
            "sub_button": [
                {"type": "view", "name": "搜索", "url": "http://www.soso.com/"},
                {"type": "click", "name": "赞一下我们", "key": "V1001_GOOD"},
            ],
        },
    ]
}


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def world(db, simulator, factories):
    """Accounts A and B with a draft and a publication each, and the people of the access matrix."""
    editor = factories.user(username="editor_a", perms=EDIT)
    publisher = factories.user(username="publisher_a", perms=PUBLISH)
    # Holds every menu permission but is assigned to no account: the assignment is the only barrier.
    unassigned = factories.user(username="staff_unassigned", perms=PUBLISH)
    editor_b = factories.user(username="editor_b", perms=PUBLISH)
    superuser = factories.user(username="root", superuser=True)
    a = factories.account(
        name="Coffee Club",
        slug="coffee",
        platform="wechat",
        api_base=simulator.url,
        members=(editor, publisher),
    )
    b = factories.account(
        name="Tea House", slug="tea", platform="weibo", api_base=simulator.url, members=(editor_b,)
    )
    menu_a = factories.menu(a, title="Coffee spring draft", tree=BOTH_PLATFORMS_MENU, user=publisher)
    menu_b = factories.menu(b, title="Tea spring draft", tree=BOTH_PLATFORMS_MENU, user=editor_b)
    payload = json.dumps(BOTH_PLATFORMS_MENU, ensure_ascii=False)
    pub_a = Publication.objects.create(
        account=a, menu=menu_a, payload=payload, user=publisher, outcome="success", code="0"
    )
    pub_b = Publication.objects.create(
        account=b, menu=menu_b, payload=payload, user=editor_b, outcome="success", code="ok"
    )
    # A publish scheduled on each account, for the schedule pages (straight in the table: no queue).
    for account, menu, who in ((a, menu_a, publisher), (b, menu_b, editor_b)):
        schedule = ScheduledPublish.objects.create(
            account=account, menu=menu, created_by=who, run_at=timezone.now() + timedelta(days=1)
        )
    run_scheduled_publish.using(run_after=schedule.run_at).enqueue(schedule.pk)  # the queue's admin
    # A draft waiting for review on each account, for the review pages; A publishes after approval.
    a.needs_approval = True
    a.save(update_fields=["needs_approval"])
    for account, menu, who in ((a, menu_a, editor), (b, menu_b, editor_b)):
        Review.objects.create(
            account=account, menu=menu, title=menu.title, revision=menu.revision, submitted_by=who
        )
    # A failed sign-in, so the admin's pages of failed sign-ins (django-axes) have a record to show.
    Client().post(reverse("login"), {"username": "someone", "password": "wrong"}, REMOTE_ADDR="10.0.0.77")
    return SimpleNamespace(
        sim=simulator,
        a=a,
        b=b,
        menu_a=menu_a,
        menu_b=menu_b,
        pub_a=pub_a,
        pub_b=pub_b,
        users={
            "anonymous": None,
            "unassigned": unassigned,
            "editor": editor,
            "publisher": publisher,
            "superuser": superuser,
        },
        editor_b=editor_b,
        map=World(a=a, b=b, menu_a=menu_a, menu_b=menu_b, pub_a=pub_a, pub_b=pub_b, anyone=editor),
    )
