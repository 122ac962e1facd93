"""Small factories shared by the tests: users with roles, accounts, drafts."""

from __future__ import annotations

import itertools

import pytest
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.management import create_contenttypes

from accounts.models import Account
from menueditor.models import Menu

_seq = itertools.count(1)

SAMPLE_MENU = {
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


def make_user(
    *,
    username: str | None = None,
    staff: bool = True,
    superuser: bool = False,
    perms: tuple[str, ...] = (),
    password: str = "pw-for-tests-123",
) -> User:
    """perms are codenames of menueditor permissions, e.g. ("change_menu", "publish_menu")."""
    user = User.objects.create_user(
        username=username or f"user{next(_seq)}",
        password=password,
        is_staff=staff or superuser,
        is_superuser=superuser,
    )
    if perms:
        user.user_permissions.add(*_menu_permissions(perms))
    return user


def _menu_permissions(codenames: tuple[str, ...]) -> list[Permission]:
    found = list(Permission.objects.filter(content_type__app_label="menueditor", codename__in=codenames))
    if len(found) < len(set(codenames)):
        # The flush after a serialized_rollback test skips post_migrate, which makes permissions.
        config = apps.get_app_config("menueditor")
        create_contenttypes(config, verbosity=0)
        create_permissions(config, verbosity=0)
        found = list(Permission.objects.filter(content_type__app_label="menueditor", codename__in=codenames))
    return found


def make_account(*, platform: str = "wechat", members: tuple[User, ...] = (), **fields) -> Account:
    n = next(_seq)
    defaults = {
        "name": f"Account {n}",
        "slug": f"account-{n}",
        "platform": platform,
    }
    if platform == "wechat":
        defaults |= {"app_id": "wx0123456789abcdef", "app_secret": "demo-app-secret"}
    elif platform == "wecom":  # the simulator's default WeCom application
        defaults |= {
            "app_id": "ww0123456789abcdef",
            "agent_id": 1000002,
            "app_secret": "demo-wecom-app-secret",
        }
    else:
        defaults |= {"access_token": "demo-weibo-token"}
    account = Account.objects.create(**(defaults | fields))
    account.members.add(*members)
    return account


def make_menu(account: Account, *, tree: dict | None = None, title: str = "Draft", user=None) -> Menu:
    return Menu.objects.create(account=account, title=title, tree=tree or SAMPLE_MENU, updated_by=user)


@pytest.fixture
def factories():
    """Access to the factories from a test: factories.user(...), factories.account(...)."""

    class _F:
        user = staticmethod(make_user)
        account = staticmethod(make_account)
        menu = staticmethod(make_menu)
        sample_menu = SAMPLE_MENU

    return _F
