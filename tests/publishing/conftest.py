"""Accounts pointing at the simulator, people with and without the right to publish."""

from __future__ import annotations

import pytest

from menueditor.models import Menu


@pytest.fixture
def publisher(factories):
    return factories.user(username="publisher", perms=("change_menu", "publish_menu"))


@pytest.fixture
def wechat_account(simulator, factories, publisher):
    return factories.account(platform="wechat", api_base=simulator.url, members=(publisher,))


@pytest.fixture
def weibo_account(simulator, factories, publisher):
    return factories.account(platform="weibo", api_base=simulator.url, members=(publisher,))


@pytest.fixture
def wechat_menu(wechat_account, factories, publisher) -> Menu:
    return factories.menu(wechat_account, title="Spring menu", user=publisher)


@pytest.fixture
def weibo_menu(weibo_account, factories, publisher) -> Menu:
    return factories.menu(weibo_account, title="Weibo spring menu", user=publisher)


def snapshot(menu: Menu) -> tuple:
    """What a failure must leave as it was."""
    menu.refresh_from_db()
    return (menu.tree, menu.revision, menu.updated_at, menu.title)


def paths(sim) -> list[str]:
    return [r.path for r in sim.requests]
