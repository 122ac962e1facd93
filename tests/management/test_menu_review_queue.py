"""manage.py menu_review_queue: what waits for review, one line each, per account or all."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from menueditor import reviews

pytestmark = pytest.mark.django_db


def queue(*args: str) -> list[str]:
    out = StringIO()
    call_command("menu_review_queue", *args, stdout=out)
    return out.getvalue().strip().splitlines()


@pytest.fixture
def team(factories, simulator):
    editor = factories.user(username="xiaowang", perms=("change_menu",))
    publisher = factories.user(username="laoli", perms=("change_menu", "publish_menu"))
    coffee = factories.account(
        slug="coffee", members=(editor, publisher), api_base=simulator.url, needs_approval=True
    )
    tea = factories.account(slug="tea", members=(editor,), api_base=simulator.url, needs_approval=True)
    return editor, publisher, coffee, tea


def test_the_queue_lists_what_waits_with_its_note_and_time(team, factories):
    editor, publisher, coffee, tea = team
    assert queue() == ["Nothing is waiting for review."]
    double = factories.menu(coffee, title="Double 11", user=editor)
    first = reviews.submit(double, editor, "Goes live at\nmidnight")
    second = reviews.submit(factories.menu(tea, title="Tea week", user=editor), editor)
    decided = reviews.submit(factories.menu(coffee, title="Sent back", user=editor), editor)
    reviews.send_back(decided, publisher, "no")

    lines = queue()
    assert len(lines) == 2
    assert lines[0].startswith(
        f"#{first.pk}  coffee  “Double 11” (draft {double.pk}, revision 1)  by xiaowang  "
    )
    assert "Asia/Shanghai" in lines[0] and lines[0].endswith("Goes live at midnight")
    assert lines[1].startswith(f"#{second.pk}  tea  “Tea week”")
    assert queue("--account", "tea") == [lines[1]]


def test_a_draft_saved_since_its_submission_is_not_listed(team, factories):
    editor, _publisher, coffee, _tea = team
    menu = factories.menu(coffee, title="Double 11", user=editor)
    review = reviews.submit(menu, editor)
    menu.revision += 1
    menu.save()
    assert queue("--account", "coffee") == ["Nothing is waiting for review."]
    review.refresh_from_db()
    assert review.state == "withdrawn"


def test_an_unknown_account_is_one_line_and_the_language_is_taken(team):
    with pytest.raises(CommandError, match="no account has the slug “nope”"):
        queue("--account", "nope")
    assert queue("--language", "zh-hans") != []
