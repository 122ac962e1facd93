"""The submitter's mails (menueditor/review_mail.py): held and failed scheduled approvals, the
language the draft was submitted in, and nobody to tell."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from menueditor import reviews
from menueditor.models import ScheduledPublish
from menueditor.review_mail import tell_submitter
from tests.scheduling.conftest import CAMPAIGN_MENU, CREATE, run_worker, soon, the_time_comes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(factories):
    editor = factories.user(username="editor", perms=("change_menu",))
    editor.email = "editor@example.com"
    editor.save()
    publisher = factories.user(username="publisher", perms=("change_menu", "publish_menu"))
    return editor, publisher


@pytest.fixture
def draft(simulator, factories, people):
    account = factories.account(api_base=simulator.url, members=people, needs_approval=True, name="Coffee")
    return factories.menu(account, tree=CAMPAIGN_MENU, title="Double 11", user=people[0])


def test_a_held_approval_tells_the_submitter_what_happened(simulator, draft, people):
    editor, publisher = people
    review = reviews.submit(draft, editor, "for the campaign")
    schedule = reviews.approve(review, publisher, run_at=soon(60)).schedule
    simulator.wechat_menu = {
        "button": [{"type": "click", "name": "Console", "key": "C"}]
    }  # changed meanwhile

    the_time_comes(schedule)
    run_worker()

    schedule.refresh_from_db()
    assert schedule.state == ScheduledPublish.State.HELD
    assert simulator.requests_to(CREATE) == []
    held = [m for m in mail.outbox if m.to == ["editor@example.com"] and m.subject.startswith("Held")]
    assert len(held) == 1 and "Double 11" in held[0].subject and "nothing was sent" in held[0].body
    assert next(s.kind for s in reviews.account_steps(draft.account)) == "held"


def test_the_mail_is_written_in_the_language_the_draft_was_submitted_in(draft, people):
    editor, publisher = people
    with translation.override("zh-hans"):
        review = reviews.submit(draft, editor)
    reviews.send_back(review, publisher, "请改名")
    assert review.language == "zh-hans"  # the mail is written under it (translated once the catalogue has it)
    assert "请改名" in mail.outbox[-1].body


def test_nobody_to_tell_is_not_an_error(draft, people):
    editor = people[0]
    editor.email = ""
    editor.save()
    review = reviews.submit(draft, editor)
    assert tell_submitter(review, "sent_back") is False
    assert mail.outbox == []
