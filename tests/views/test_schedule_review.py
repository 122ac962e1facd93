"""The schedule page shows what publishing would change as the publish review does: two phones with
the changed buttons marked, the changes in words, the drift as two phones, and the replies a
console-made live menu loses, said before the Schedule button."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from menueditor.publishing import publish_menu
from tests.views.test_review import CONSOLE, DRAFT, LIVE, _between

# transaction=True: the page reads the live menu from the platform, never inside a transaction.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def publisher(factories, simulator):
    user = factories.user(perms=("change_menu", "publish_menu"))
    account = factories.account(members=(user,), api_base=simulator.url)
    client = Client()
    client.force_login(user)
    return user, account, client


def _schedule_page(client: Client, menu) -> str:
    response = client.get(reverse("menu_schedule", args=[menu.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_schedule_page_shows_the_live_menu_and_the_draft_as_two_marked_phones(publisher, factories):
    user, account, client = publisher
    assert publish_menu(factories.menu(account, tree=LIVE, user=user), user).ok
    draft = factories.menu(account, tree=DRAFT, user=user)

    html = _schedule_page(client, draft)

    side = _between(html, 'aria-labelledby="changes-title"', "</section>")
    before = _between(side, 'class="compare-side compare-before"', "</figure>")
    after = _between(side, 'class="compare-side compare-after"', "</figure>")
    assert "Live now" in before and "After publishing" in after
    assert before.count("mark-removed") == 2 and "优惠券" in before and "拍照" in before
    assert after.count("mark-added") == 1 and "客服" in after
    changes = re.findall(r'<li class="change change-(\w+)">([^<]*)</li>', side)
    assert changes == [
        ("removed", "Removed “优惠券” (Click (send key)) from “商城” position 2"),
        ("removed", "Removed “拍照” (Take a photo) from “商城” position 3"),
        ("added", "Added “客服” (Click (send key)) at “关于” position 2"),
    ]
    assert "pic_sysphoto" not in html and "lost-replies" not in html
    assert "phone.css" in html  # the mini phones' rules


def test_a_drift_is_shown_as_two_phones_on_the_schedule_page(publisher, factories, simulator):
    user, account, client = publisher
    menu = factories.menu(account, tree=LIVE, user=user)
    assert publish_menu(menu, user).ok
    about = LIVE["button"][1]
    jobs = {"type": "view", "name": "招聘", "url": "https://example.com/jobs"}
    grown = {**about, "sub_button": [*about["sub_button"], jobs]}
    simulator.wechat_menu = {"button": [LIVE["button"][0], grown]}

    html = _schedule_page(client, menu)

    drift = _between(html, 'class="drift"', "After publishing")
    assert "Scheduling now accepts it as it is" in drift
    assert "Last published from here" in drift and "Live now" in drift
    assert "Added “招聘” (Open web page) at “关于” position 2" in drift
    assert re.search(r'mark mark-added"><span class="mini-name" title="招聘">', drift)
    # The schedule puts the draft back, which takes 招聘 out again.
    assert "Removed “招聘” (Open web page) from “关于” position 2" in html


def test_a_console_made_live_menu_lists_the_lost_replies_before_the_schedule_button(
    publisher, factories, simulator
):
    user, account, client = publisher
    simulator.set_console_menu(CONSOLE)
    draft = factories.menu(account, user=user)

    html = _schedule_page(client, draft)

    warning = re.sub(r"</?bdi>", "", _between(html, 'class="lost-replies"', "</div>"))
    assert "made in the platform's web console" in warning
    assert "“你好” (menu bar position 1): a text reply" in warning
    assert "“文章” (“更多” position 1): an article (news) reply" in warning
    assert "官网" not in warning
    assert html.index('class="lost-replies"') < html.index(">Schedule</button>")
