"""What the page tests share: two accounts on the simulator and the people around them."""

from types import SimpleNamespace

import pytest
from django.test import Client

EDIT = ("view_menu", "add_menu", "change_menu", "delete_menu", "view_publication")
PUBLISH = (*EDIT, "publish_menu")


@pytest.fixture
def team(factories, simulator):
    """Account A (WeChat, on the simulator) with an editor and a publisher; B with its own publisher."""
    editor = factories.user(username="editor_a", perms=EDIT)
    publisher = factories.user(username="publisher_a", perms=PUBLISH)
    outsider = factories.user(username="publisher_b", perms=PUBLISH)
    a = factories.account(
        name="Coffee Club", slug="coffee", members=(editor, publisher), api_base=simulator.url
    )
    b = factories.account(name="Tea House", slug="tea", members=(outsider,), api_base=simulator.url)
    return SimpleNamespace(editor=editor, publisher=publisher, outsider=outsider, a=a, b=b, sim=simulator)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
