"""Review and approval (menueditor/reviews.py): submit, send back, approve now or at a time, the
revision an approval names, the second person, and two publishers approving at once.

Everything runs against the simulator over HTTP and through the real task queue and its worker.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from menueditor import reviews
from menueditor.models import Menu, Publication, Review, ScheduledPublish
from menueditor.publishing import preview_publish, publish_menu
from menueditor.reviews import ReviewError
from menueditor.scheduling import ScheduleError, cancel_schedule, schedule_publish
from tests.concurrency.together import run_together
from tests.scheduling.conftest import CAMPAIGN_MENU, CREATE, run_worker, soon, the_time_comes

pytestmark = pytest.mark.django_db(transaction=True)

State = Review.State


def _with_mail(user, address):
    user.email = address
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def editor(factories):
    return _with_mail(factories.user(username="editor", perms=("change_menu",)), "editor@example.com")


@pytest.fixture
def publisher(factories):
    return _with_mail(
        factories.user(username="publisher", perms=("change_menu", "publish_menu")), "publisher@example.com"
    )


@pytest.fixture
def second_publisher(factories):
    return factories.user(username="publisher2", perms=("change_menu", "publish_menu"))


@pytest.fixture
def account(simulator, factories, editor, publisher, second_publisher):
    return factories.account(
        platform="wechat",
        api_base=simulator.url,
        members=(editor, publisher, second_publisher),
        needs_approval=True,
    )


@pytest.fixture
def draft(account, factories, editor) -> Menu:
    return factories.menu(account, tree=CAMPAIGN_MENU, title="Double 11", user=editor)


def fingerprint(menu: Menu, user) -> str:
    return preview_publish(menu, user).fingerprint


def save(menu: Menu, user, name: str) -> None:
    """What the editor's save does: a new tree, the next revision."""
    menu.refresh_from_db()
    menu.tree = {"button": [{"type": "click", "name": name, "key": "K1"}]}
    menu.revision += 1
    menu.updated_by = user
    menu.save()


def test_an_editor_submits_and_a_publisher_approves_and_publishes_now(simulator, draft, editor, publisher):
    review = reviews.submit(draft, editor, "For Double 11", revision=draft.revision)
    assert (review.state, review.revision, review.note) == (State.SUBMITTED, 1, "For Double 11")
    assert [r.pk for r in reviews.waiting_by_account([draft.account])[draft.account.pk]] == [review.pk]

    approval = reviews.approve(review, publisher, live_fingerprint=fingerprint(draft, publisher))

    assert approval.outcome.ok
    assert simulator.wechat_menu == CAMPAIGN_MENU
    review.refresh_from_db()
    assert (review.state, review.decided_by, review.publication.outcome) == (
        State.APPROVED,
        publisher,
        "success",
    )
    assert reviews.waiting_by_account([draft.account])[draft.account.pk] == []
    assert [m.to for m in mail.outbox] == [["editor@example.com"]]
    assert "Approved" in mail.outbox[0].subject and "It went live." in mail.outbox[0].body
    kinds = [s.kind for s in reviews.account_steps(draft.account)]
    assert kinds == ["published", "approved", "submitted"]


def test_an_editor_cannot_publish_or_approve_and_approval_off_means_nothing_to_submit(
    draft, editor, publisher, factories, simulator
):
    with pytest.raises(PermissionDenied):
        publish_menu(draft, editor)
    review = reviews.submit(draft, editor)
    with pytest.raises(PermissionDenied):
        reviews.approve(review, editor)
    other = factories.account(platform="wechat", api_base=simulator.url, members=(editor,))
    with pytest.raises(ReviewError, match="without review"):
        reviews.submit(factories.menu(other, user=editor), editor)


def test_sent_back_with_a_comment_then_fixed_and_resubmitted(draft, editor, publisher):
    first = reviews.submit(draft, editor, "first try")
    with pytest.raises(ReviewError, match="what to change"):
        reviews.send_back(first, publisher, "  ")
    reviews.send_back(first, publisher, "The coupon button needs a better name")
    first.refresh_from_db()
    assert (first.state, first.comment, first.decided_by) == (
        State.SENT_BACK,
        "The coupon button needs a better name",
        publisher,
    )
    assert reviews.latest_for(draft).comment == "The coupon button needs a better name"
    assert mail.outbox[-1].to == ["editor@example.com"]
    assert "The coupon button needs a better name" in mail.outbox[-1].body
    with pytest.raises(ReviewError, match="no longer waiting"):
        reviews.approve(first, publisher)

    save(draft, editor, "Coupons")
    second = reviews.submit(draft, editor, "renamed")
    assert (second.revision, second.state) == (2, State.SUBMITTED)


def test_a_draft_changed_after_submission_goes_back_to_draft_and_cannot_be_approved(draft, editor, publisher):
    review = reviews.submit(draft, editor)
    save(draft, editor, "Changed")
    with pytest.raises(ReviewError, match="changed after it was submitted"):
        reviews.approve(review, publisher)
    review.refresh_from_db()
    assert (review.state, review.decided_by) == (State.WITHDRAWN, editor)
    assert reviews.waiting_by_account([draft.account])[draft.account.pk] == []
    with pytest.raises(ReviewError, match="saved again"):
        reviews.submit(draft, editor, revision=1)  # the page showed revision 1


def test_one_open_submission_per_draft(draft, editor):
    reviews.submit(draft, editor)
    with pytest.raises(ReviewError, match="already waiting"):
        reviews.submit(draft, editor)


def test_publishers_publish_directly_unless_a_second_person_is_required(
    simulator, draft, editor, publisher, second_publisher
):
    assert publish_menu(draft, publisher, confirm_drift=True).ok
    assert not reviews.must_submit(publisher, draft.account) and reviews.must_submit(editor, draft.account)

    account = draft.account
    account.second_approver = True
    account.save()
    draft.refresh_from_db()
    assert reviews.must_submit(publisher, account)
    refused = publish_menu(draft, publisher, confirm_drift=True)
    assert (refused.ok, refused.code) == (False, "review")
    with pytest.raises(ScheduleError, match="approved"):
        schedule_publish(draft, publisher, soon())

    review = reviews.submit(draft, publisher, "my own")
    assert "another publisher" in reviews.decide_problem(review, publisher)
    with pytest.raises(ReviewError, match="another publisher"):
        reviews.approve(review, publisher)
    assert reviews.decide_problem(review, second_publisher) == ""
    approval = reviews.approve(
        review, second_publisher, live_fingerprint=fingerprint(draft, second_publisher)
    )
    assert approval.outcome.ok, approval.outcome.hint
    # The approved revision may go out again; a new revision may not.
    save(draft, publisher, "Later")
    draft.refresh_from_db()
    assert publish_menu(draft, publisher, confirm_drift=True).code == "changed"


def test_approved_for_a_time_the_worker_publishes_that_revision_and_tells_the_submitter(
    simulator, draft, editor, publisher
):
    review = reviews.submit(draft, editor)
    approval = reviews.approve(review, publisher, run_at=soon(60))
    schedule = approval.schedule
    assert schedule.review == Review.objects.get(pk=review.pk)
    assert schedule.created_by == publisher
    assert "scheduled to go live" in mail.outbox[-1].body

    the_time_comes(schedule)
    run_worker()

    schedule.refresh_from_db()
    assert schedule.state == ScheduledPublish.State.PUBLISHED
    assert simulator.wechat_menu == CAMPAIGN_MENU
    assert ["editor@example.com"] in [m.to for m in mail.outbox if m.subject.startswith("Published:")]
    kinds = [s.kind for s in reviews.account_steps(draft.account)]
    assert kinds == ["published", "scheduled", "approved", "submitted"]


def test_a_draft_changed_after_approval_is_not_what_goes_out(simulator, draft, editor, publisher):
    review = reviews.submit(draft, editor)
    schedule = reviews.approve(review, publisher, run_at=soon(60)).schedule
    save(draft, editor, "Not approved")

    the_time_comes(schedule)
    run_worker()

    schedule.refresh_from_db()
    assert (schedule.state, schedule.code) == (ScheduledPublish.State.FAILED, "changed")
    assert simulator.requests_to(CREATE) == []
    failed = [
        m for m in mail.outbox if m.to == ["editor@example.com"] and m.subject.startswith("Not published")
    ]
    assert failed and "changed after it was approved" in failed[0].body


def test_a_cancelled_approved_schedule_is_a_step_of_the_history(draft, editor, publisher):
    review = reviews.submit(draft, editor)
    schedule = reviews.approve(review, publisher, run_at=soon(600)).schedule
    cancel_schedule(schedule, publisher)
    kinds = [(s.kind, s.who) for s in reviews.account_steps(draft.account)]
    assert kinds == [
        ("cancelled", "publisher"),
        ("scheduled", "publisher"),
        ("approved", "publisher"),
        ("submitted", "editor"),
    ]


def test_a_time_in_the_past_leaves_the_submission_waiting(draft, editor, publisher):
    review = reviews.submit(draft, editor)
    with pytest.raises(ReviewError, match="future"):
        reviews.approve(review, publisher, run_at=timezone.now())
    review.refresh_from_db()
    assert review.state == State.SUBMITTED


def test_two_publishers_approving_at_once_make_one_approval_and_one_publish(
    simulator, draft, editor, publisher, second_publisher
):
    review = reviews.submit(draft, editor)
    live = fingerprint(draft, publisher)
    people = [publisher, second_publisher]

    def approve(i: int):
        return reviews.approve(Review.objects.get(pk=review.pk), people[i], live_fingerprint=live)

    results = run_together(approve, 2)

    won = [r for r in results if isinstance(r, reviews.Approval)]
    lost = [r for r in results if isinstance(r, ReviewError)]
    assert (len(won), len(lost)) == (1, 1), results
    assert won[0].outcome.ok
    assert "no longer waiting" in str(lost[0])
    assert len(simulator.requests_to(CREATE)) == 1
    assert Publication.objects.filter(action="publish", outcome="success").count() == 1
    review.refresh_from_db()
    assert review.state == State.APPROVED


def test_sending_back_and_approving_at_once_decide_once(draft, editor, publisher, second_publisher):
    review = reviews.submit(draft, editor)

    def decide(i: int):
        fresh = Review.objects.get(pk=review.pk)
        if i == 0:
            return reviews.send_back(fresh, publisher, "no")
        return reviews.approve(fresh, second_publisher, run_at=soon(600))

    results = run_together(decide, 2)
    assert sum(isinstance(r, ReviewError) for r in results) == 1, results
    review.refresh_from_db()
    assert review.state in (State.SENT_BACK, State.APPROVED)
    assert ScheduledPublish.objects.count() == (1 if review.state == State.APPROVED else 0)


def test_time_zone_names_are_checked(factories):
    from django.core.exceptions import ValidationError

    from accounts.models import validate_time_zone

    validate_time_zone("Europe/Berlin")
    for bad in ("Mars/Olympus", "", "../etc/passwd"):
        with pytest.raises(ValidationError):
            validate_time_zone(bad)


def test_schedules_use_the_accounts_time_zone(draft, publisher):
    from datetime import datetime

    from menueditor.scheduling import from_account_time

    account = draft.account
    assert account.time_zone == "Asia/Shanghai"
    account.time_zone = "Europe/Berlin"
    at = from_account_time(account, datetime(2030, 1, 1, 0, 0))
    assert at.utcoffset().total_seconds() == 3600


def test_the_command_line_follows_the_same_rule(simulator, draft, editor, publisher, second_publisher):
    from django.core.management import CommandError, call_command

    account = draft.account
    account.second_approver = True
    account.save()
    with pytest.raises(CommandError, match=r"\[review\].*submit the draft for review"):
        call_command("menu_publish", str(draft.pk), "--user", "publisher", "--confirm-drift")
    with pytest.raises(CommandError, match="approved"):
        call_command("menu_schedule", str(draft.pk), "--user", "publisher", "--at", "2099-11-11 00:00")
    assert simulator.requests_to(CREATE) == []
    review = reviews.submit(draft, editor)
    reviews.approve(review, second_publisher, run_at=soon(600))
    call_command(
        "menu_publish", str(draft.pk), "--user", "publisher", "--confirm-drift"
    )  # approved: goes out
    assert simulator.wechat_menu == CAMPAIGN_MENU


# -- a campaign's switch back, approved with it ------------------------------------------------------

EVERYDAY_MENU = {"button": [{"type": "click", "name": "日常", "key": "EVERYDAY"}]}


@pytest.fixture
def everyday(account, factories, publisher) -> Menu:
    return factories.menu(account, tree=EVERYDAY_MENU, title="Everyday", user=publisher)


def switch_back_of(schedule: ScheduledPublish) -> ScheduledPublish:
    return ScheduledPublish.objects.select_related("review").get(revert_of=schedule)


def test_approving_a_campaign_with_a_switch_back_publishes_both_in_turn(
    simulator, draft, everyday, editor, publisher
):
    assert publish_menu(everyday, publisher, confirm_drift=True).ok
    review = reviews.submit(draft, editor, "Double 11, then back")
    schedule = reviews.approve(
        review, publisher, run_at=soon(60), revert_menu=everyday, revert_at=soon(120)
    ).schedule
    revert = switch_back_of(schedule)
    assert (revert.menu, revert.created_by) == (everyday, publisher)
    # The approval covers the switch back: an approval of its revision now, linked to it.
    assert (revert.review.state, revert.review.revision, revert.review.decided_by) == (
        State.APPROVED,
        everyday.revision,
        publisher,
    )

    the_time_comes(schedule)
    run_worker()
    assert simulator.wechat_menu == CAMPAIGN_MENU
    the_time_comes(revert)
    run_worker()

    assert ScheduledPublish.objects.get(pk=revert.pk).state == ScheduledPublish.State.PUBLISHED
    assert simulator.wechat_menu == EVERYDAY_MENU
    assert len(simulator.requests_to(CREATE)) == 3  # everyday, campaign, everyday again
    labels = [s.label for s in reviews.account_steps(draft.account)]
    assert "Chosen as the switch back" in labels
    # The editor hears about their campaign, not about the approver's switch back.
    assert not [m for m in mail.outbox if m.to == ["editor@example.com"] and "Everyday" in m.subject]


def test_a_switch_back_changed_after_the_approval_does_not_go_out(
    simulator, draft, everyday, editor, publisher
):
    review = reviews.submit(draft, editor)
    schedule = reviews.approve(
        review, publisher, run_at=soon(60), revert_menu=everyday, revert_at=soon(120)
    ).schedule
    revert = switch_back_of(schedule)
    save(everyday, editor, "Not approved")

    the_time_comes(schedule)
    run_worker()
    the_time_comes(revert)
    run_worker()

    revert.refresh_from_db()
    assert (revert.state, revert.code) == (ScheduledPublish.State.FAILED, "changed")
    assert simulator.wechat_menu == CAMPAIGN_MENU


def test_a_switch_back_needs_a_time_to_approve_for(draft, everyday, editor, publisher):
    review = reviews.submit(draft, editor)
    with pytest.raises(ReviewError, match="goes with an approval for a time"):
        reviews.approve(review, publisher, revert_menu=everyday, revert_at=soon(120))
    with pytest.raises(ReviewError, match="after the publish"):
        reviews.approve(review, publisher, run_at=soon(120), revert_menu=everyday, revert_at=soon(60))
    review.refresh_from_db()
    assert review.state == State.SUBMITTED
    assert ScheduledPublish.objects.count() == 0


def test_with_a_second_person_the_switch_back_is_the_live_menu_or_approved(
    simulator, draft, everyday, factories, editor, publisher, second_publisher
):
    assert publish_menu(everyday, publisher, confirm_drift=True).ok  # before the setting: live now
    account = draft.account
    account.second_approver = True
    account.save()
    unreviewed = factories.menu(account, tree={"button": [{"type": "click", "name": "新", "key": "N"}]})
    review = reviews.submit(draft, editor)

    with pytest.raises(ReviewError, match="neither the live menu nor approved"):
        reviews.approve(
            review, second_publisher, run_at=soon(60), revert_menu=unreviewed, revert_at=soon(120)
        )
    review.refresh_from_db()
    assert review.state == State.SUBMITTED and ScheduledPublish.objects.count() == 0

    schedule = reviews.approve(
        review, second_publisher, run_at=soon(60), revert_menu=everyday, revert_at=soon(120)
    ).schedule
    revert = switch_back_of(schedule)
    the_time_comes(schedule)
    run_worker()
    the_time_comes(revert)
    run_worker()
    revert.refresh_from_db()
    assert revert.state == ScheduledPublish.State.PUBLISHED, revert.hint
    assert simulator.wechat_menu == EVERYDAY_MENU


# -- an approval whose scheduled publish did not go out ------------------------------------------------


def test_a_held_approval_is_scheduled_again_and_goes_out(simulator, draft, everyday, editor, publisher):
    review = reviews.submit(draft, editor)
    schedule = reviews.approve(review, publisher, run_at=soon(60)).schedule
    assert not reviews.open_approval(Review.objects.get(pk=review.pk))
    assert publish_menu(everyday, publisher, confirm_drift=True).ok  # the live menu changes meanwhile
    the_time_comes(schedule)
    run_worker()
    schedule.refresh_from_db()
    assert schedule.state == ScheduledPublish.State.HELD
    review.refresh_from_db()
    assert reviews.open_approval(review)

    again = reviews.reschedule_approved(review, publisher, soon(60))
    review.refresh_from_db()
    assert review.schedule == again and again.pk != schedule.pk
    the_time_comes(again)
    run_worker()
    again.refresh_from_db()
    assert again.state == ScheduledPublish.State.PUBLISHED
    assert simulator.wechat_menu == CAMPAIGN_MENU
    review.refresh_from_db()
    assert not reviews.open_approval(review)
    with pytest.raises(ReviewError, match="nothing to reschedule"):
        reviews.reschedule_approved(review, publisher, soon(60))


def test_two_publishers_scheduling_a_held_approval_again_at_once_make_one_schedule(
    draft, editor, publisher, second_publisher
):
    review = reviews.submit(draft, editor)
    cancel_schedule(reviews.approve(review, publisher, run_at=soon(600)).schedule, publisher)
    people = [publisher, second_publisher]

    def reschedule(i: int):
        return reviews.reschedule_approved(Review.objects.get(pk=review.pk), people[i], soon(120 + i))

    results = run_together(reschedule, 2)

    won = [r for r in results if isinstance(r, ScheduledPublish)]
    lost = [r for r in results if isinstance(r, ReviewError)]
    assert (len(won), len(lost)) == (1, 1), results
    review.refresh_from_db()
    assert review.schedule == won[0]
    assert ScheduledPublish.objects.filter(state=ScheduledPublish.State.SCHEDULED).count() == 1


def test_a_cancelled_approval_is_scheduled_again_unless_the_draft_changed(
    draft, editor, publisher, factories
):
    review = reviews.submit(draft, editor)
    cancel_schedule(reviews.approve(review, publisher, run_at=soon(600)).schedule, publisher)
    review.refresh_from_db()
    assert reviews.open_approval(review)
    with pytest.raises(PermissionDenied):
        reviews.reschedule_approved(review, editor, soon(60))
    with pytest.raises(ReviewError, match="future"):
        reviews.reschedule_approved(review, publisher, timezone.now())
    save(draft, editor, "Changed after approval")
    with pytest.raises(ReviewError, match="changed after it was approved"):
        reviews.reschedule_approved(review, publisher, soon(60))
    assert ScheduledPublish.objects.filter(state=ScheduledPublish.State.SCHEDULED).count() == 0


def test_the_schedule_page_follows_the_same_switch_back_rule(
    simulator, draft, everyday, factories, editor, publisher, second_publisher
):
    account = draft.account
    account.second_approver = True
    account.save()
    review = reviews.submit(draft, editor)
    assert reviews.approve(
        review, second_publisher, live_fingerprint=fingerprint(draft, second_publisher)
    ).outcome.ok
    draft.refresh_from_db()
    # The approved revision may be scheduled again, but not with a switch back nobody approved.
    with pytest.raises(ScheduleError, match="neither the live menu nor approved"):
        schedule_publish(draft, publisher, soon(60), revert_menu=everyday, revert_at=soon(120))
    assert ScheduledPublish.objects.count() == 0
    everyday_review = reviews.submit(everyday, publisher)
    reviews.approve(everyday_review, second_publisher, run_at=soon(3600))
    cancel_schedule(Review.objects.get(pk=everyday_review.pk).schedule, second_publisher)
    schedule = schedule_publish(draft, publisher, soon(60), revert_menu=everyday, revert_at=soon(120))
    assert switch_back_of(schedule).review.revision == everyday.revision
