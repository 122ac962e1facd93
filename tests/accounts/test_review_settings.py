"""The account's review and scheduling settings in the admin: off by default, the time zone checked."""

from __future__ import annotations

import pytest

from accounts.models import Account
from tests.accounts.test_admin_platforms import ADD, row

pytestmark = pytest.mark.django_db

WECHAT = {
    "name": "X",
    "slug": "x",
    "app_id": "wx0123456789abcdef",
    "token_mode": "stable",
    "set_app_secret": "s",
}


@pytest.fixture
def superuser_client(client, factories):
    client.force_login(factories.user(username="root", superuser=True))
    return client


def test_a_new_account_publishes_without_review_in_shanghai_time(superuser_client):
    html = superuser_client.get(ADD + "?platform=wechat").content.decode()
    assert "publishing needs approval" in html.lower() and "a second person must approve" in html.lower()
    superuser_client.post(ADD + "?platform=wechat", WECHAT)
    account = Account.objects.get(slug="x")
    assert (account.needs_approval, account.second_approver, account.time_zone) == (
        False,
        False,
        "Asia/Shanghai",
    )


def test_an_unknown_time_zone_is_refused_beside_its_field(superuser_client):
    html = superuser_client.post(
        ADD + "?platform=wechat", WECHAT | {"time_zone": "Mars/Olympus"}
    ).content.decode()
    assert "not a time zone this server knows" in row(html, "time_zone")
    assert not Account.objects.exists()


def test_the_settings_are_saved_from_the_admin(superuser_client):
    data = WECHAT | {"needs_approval": "on", "second_approver": "on", "time_zone": "Europe/Berlin"}
    superuser_client.post(ADD + "?platform=wechat", data)
    account = Account.objects.get(slug="x")
    assert (account.needs_approval, account.second_approver, account.time_zone) == (
        True,
        True,
        "Europe/Berlin",
    )
