"""Review and approval in the browser's pages: the editor's bar, the submit page, the queue on home,
the review page (approve now, for a time, send back), the second person said in place, the history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from menueditor.models import Review, ScheduledPublish
from menueditor.scheduling import in_account_time
from tests.scheduling.conftest import CAMPAIGN_MENU, CREATE
from tests.views.conftest import PUBLISH, client_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def approval(team):
    team.a.needs_approval = True
    team.a.save()
    team.editor.email = "editor@example.com"
    team.editor.save()
    return team


@pytest.fixture
def draft(approval, factories):
    return factories.menu(approval.a, tree=CAMPAIGN_MENU, title="Double 11", user=approval.editor)


def submit(team, draft, note="Please check") -> Review:
    response = client_for(team.editor).post(
        reverse("menu_submit", args=[draft.pk]), {"note": note, "revision": draft.revision}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Review.objects.get(menu=draft, state="submitted")


def editor_page(user, draft) -> str:
    return client_for(user).get(reverse("menu_edit", args=[draft.pk])).content.decode()


def test_without_approval_the_editor_shows_no_review_controls(team, factories):
    menu = factories.menu(team.a, user=team.editor)
    assert "submit-review-link" not in editor_page(team.editor, menu)
    assert client_for(team.editor).get(reverse("menu_submit", args=[menu.pk])).status_code == 403


def test_an_editor_submits_with_a_note_and_sees_it_waiting(approval, draft):
    page = editor_page(approval.editor, draft)
    assert 'id="submit-review-link"' in page and "Submit for review…" in page
    form = client_for(approval.editor).get(reverse("menu_submit", args=[draft.pk])).content.decode()
    assert "Note for the reviewer" in form and "Added “双十一”" in form  # the publish review, included

    review = submit(approval, draft, "For Double 11")
    assert review.note == "For Double 11" and review.submitted_by == approval.editor
    page = editor_page(approval.editor, draft)
    assert "Waiting for review (revision 1)" in page and "submit-review-link" not in page


def test_publishers_see_the_queue_on_home_with_a_count(approval, draft):
    review = submit(approval, draft)
    home = client_for(approval.publisher).get(reverse("home")).content.decode()
    assert "1 to review" in home and "1 draft waiting for review" in home
    assert reverse("review_page", args=[review.pk]) in home and "Please check" in home
    # Another team's publisher sees neither the queue nor the review.
    other = client_for(approval.outsider)
    assert "waiting for review" not in other.get(reverse("home")).content.decode()
    assert other.get(reverse("review_page", args=[review.pk])).status_code == 404


def test_the_review_page_shows_the_publish_review_and_approving_publishes(approval, draft):
    review = submit(approval, draft)
    publisher = client_for(approval.publisher)
    page = publisher.get(reverse("review_page", args=[review.pk])).content.decode()
    assert "Added “双十一”" in page and "Please check" in page
    assert 'name="live_fingerprint"' in page and "Approve and publish now" in page

    fingerprint = page.split('name="live_fingerprint" value="')[1].split('"')[0]
    response = publisher.post(
        reverse("review_approve", args=[review.pk]), {"when": "now", "live_fingerprint": fingerprint}
    )
    assert response.status_code == 302
    assert approval.sim.wechat_menu == CAMPAIGN_MENU
    review.refresh_from_db()
    assert (review.state, review.decided_by) == ("approved", approval.publisher)
    assert mail.outbox[-1].to == ["editor@example.com"]
    history = publisher.get(reverse("account_history", args=[approval.a.slug])).content.decode()
    assert "Review and approval" in history
    for step in ("Submitted for review", "Approved", "Published"):
        assert step in history


def test_a_live_menu_changed_since_the_review_is_not_replaced(approval, draft, factories):
    review = submit(approval, draft)
    publisher = client_for(approval.publisher)
    page = publisher.get(reverse("review_page", args=[review.pk])).content.decode()
    fingerprint = page.split('name="live_fingerprint" value="')[1].split('"')[0]
    approval.sim.wechat_menu = {"button": [{"type": "click", "name": "Console", "key": "C"}]}

    response = publisher.post(
        reverse("review_approve", args=[review.pk]), {"when": "now", "live_fingerprint": fingerprint}
    )
    assert response.status_code == 302 and response.url == reverse("review_page", args=[review.pk])
    assert approval.sim.requests_to(CREATE) == []
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("changed after you reviewed it" in t for t in texts), texts
    # Approved, not live: the page offers to publish the approved draft over the new live menu.
    page = publisher.get(reverse("review_page", args=[review.pk])).content.decode()
    assert 'id="publish-approved"' in page and "Replace the live menu" in page
    fingerprint = page.split('name="live_fingerprint" value="')[1].split('"')[0]
    publisher.post(reverse("review_publish", args=[review.pk]), {"live_fingerprint": fingerprint})
    assert approval.sim.wechat_menu == CAMPAIGN_MENU


def test_sent_back_the_editor_sees_the_comment_in_the_editor(approval, draft):
    review = submit(approval, draft)
    publisher = client_for(approval.publisher)
    empty = publisher.post(reverse("review_send_back", args=[review.pk]), {"comment": ""})
    assert empty.status_code == 400 and "Say what to change" in empty.content.decode()
    publisher.post(reverse("review_send_back", args=[review.pk]), {"comment": "Rename 领券 to 优惠券"})
    page = editor_page(approval.editor, draft)
    assert 'id="review-comment"' in page and "Rename 领券 to 优惠券" in page
    assert "Submit again…" in page


def test_approving_for_a_time_schedules_it_in_the_accounts_zone(approval, draft):
    approval.a.time_zone = "Europe/Berlin"
    approval.a.save()
    review = submit(approval, draft)
    at = in_account_time(approval.a, timezone.now() + timedelta(days=1))
    page = client_for(approval.publisher).get(reverse("review_page", args=[review.pk])).content.decode()
    assert "Europe/Berlin time" in page
    response = client_for(approval.publisher).post(
        reverse("review_approve", args=[review.pk]),
        {"when": "later", "date": f"{at:%Y-%m-%d}", "time": f"{at:%H:%M}"},
    )
    assert response.status_code == 302
    schedule = ScheduledPublish.objects.get()
    assert in_account_time(approval.a, schedule.run_at).strftime("%Y-%m-%d %H:%M") == f"{at:%Y-%m-%d %H:%M}"
    assert schedule.review.pk == review.pk
    missing = client_for(approval.publisher).post(
        reverse("review_approve", args=[submit(approval, draft_copy(draft)).pk]), {"when": "later"}
    )
    assert missing.status_code == 400


def draft_copy(draft):
    from menueditor.models import Menu

    return Menu.objects.create(
        account=draft.account, title="Copy", tree=draft.tree, updated_by=draft.updated_by
    )


def test_with_a_second_person_the_submitter_is_told_in_place(approval, draft, factories):
    approval.a.second_approver = True
    approval.a.save()
    other = factories.user(username="publisher_two", perms=PUBLISH)
    approval.a.members.add(other)
    # The publisher's editor has no publish button, but Submit for review.
    page = editor_page(approval.publisher, draft)
    assert 'id="publish-button"' not in page and 'id="submit-review-link"' in page
    assert client_for(approval.publisher).post(reverse("menu_publish", args=[draft.pk])).status_code == 403

    response = client_for(approval.publisher).post(
        reverse("menu_submit", args=[draft.pk]), {"note": "mine", "revision": draft.revision}
    )
    assert response.status_code == 302
    review = Review.objects.get(menu=draft)
    own = client_for(approval.publisher).get(reverse("review_page", args=[review.pk])).content.decode()
    assert 'id="cannot-decide"' in own and "another publisher must approve it" in own
    assert 'id="approve-now"' not in own
    refused = client_for(approval.publisher).post(
        reverse("review_approve", args=[review.pk]), {"when": "now"}
    )
    assert refused.status_code == 409
    assert Review.objects.get(pk=review.pk).state == "submitted"
    theirs = client_for(other).get(reverse("review_page", args=[review.pk])).content.decode()
    assert 'id="approve-now"' in theirs


def test_an_editor_cannot_decide_and_a_saved_draft_leaves_review(approval, draft):
    review = submit(approval, draft)
    editor = client_for(approval.editor)
    assert editor.post(reverse("review_approve", args=[review.pk]), {"when": "now"}).status_code == 403
    assert editor.post(reverse("review_send_back", args=[review.pk]), {"comment": "x"}).status_code == 403
    page = editor.get(reverse("review_page", args=[review.pk])).content.decode()
    assert "Waiting for a publisher" in page and 'id="withdraw"' in page

    draft.refresh_from_db()
    fields = {"title": "Double 11", "revision": draft.revision, "b-0-kind": "leaf", "b-0-name": "Changed"}
    fields |= {"b-0-type": "click", "b-0-key": "K"}
    response = editor.post(reverse("menu_save", args=[draft.pk]), fields, HTTP_HX_REQUEST="true")
    assert "out of review now" in response.content.decode()
    review.refresh_from_db()
    assert (review.state, review.decided_by) == ("withdrawn", approval.editor)


@pytest.mark.parametrize(
    "url_name, data",
    [
        ("review_approve", {"when": "later", "date": "2026-13-45", "time": "25:99"}),
        ("review_approve", {"when": "later", "date": "2020-01-01", "time": "00:00"}),
        ("review_approve", {"when": "now", "live_fingerprint": "x" * 500, "comment": "y" * 5000}),
        ("review_send_back", {"comment": "z" * 5000}),
        ("review_publish", {"live_fingerprint": "not-a-fingerprint"}),
        ("review_withdraw", {}),
    ],
)
def test_bad_input_to_the_review_endpoints_is_answered_in_place(approval, draft, url_name, data):
    review = submit(approval, draft)
    response = client_for(approval.publisher).post(reverse(url_name, args=[review.pk]), data)
    assert response.status_code in (302, 400, 409)
    assert approval.sim.requests_to(CREATE) == []
    if response.status_code != 302:
        assert 'class="errorlist' in response.content.decode() or "form-error" in response.content.decode()


def test_a_deleted_draft_leaves_its_review_readable_and_undecidable(approval, draft):
    review = submit(approval, draft)
    draft.delete()
    publisher = client_for(approval.publisher)
    page = publisher.get(reverse("review_page", args=[review.pk]))
    assert page.status_code == 200 and "Double 11" in page.content.decode()
    assert 'id="draft-deleted"' in page.content.decode() and 'id="approve-now"' not in page.content.decode()
    response = publisher.post(reverse("review_approve", args=[review.pk]), {"when": "now"})
    assert response.status_code == 409 and "The draft was deleted." in response.content.decode()
    assert (
        "Review and approval"
        in publisher.get(reverse("account_history", args=[approval.a.slug])).content.decode()
    )


def _later(team, **offset) -> dict:
    at = in_account_time(team.a, timezone.now() + timedelta(**offset))
    return {"date": f"{at:%Y-%m-%d}", "time": f"{at:%H:%M}"}


def _switch_back(team, menu, **offset) -> dict:
    at = _later(team, **offset)
    return {"revert_menu": menu.pk, "revert_date": at["date"], "revert_time": at["time"]}


def test_approving_for_a_time_can_switch_back_to_another_draft(approval, draft, factories):
    everyday = factories.menu(approval.a, title="Everyday", user=approval.publisher)
    elsewhere = factories.menu(approval.b, title="Tea menu")
    review = submit(approval, draft)
    publisher = client_for(approval.publisher)
    page = publisher.get(reverse("review_page", args=[review.pk])).content.decode()
    assert "Then switch back" in page and f'<option value="{everyday.pk}">Everyday</option>' in page
    assert "Tea menu" not in page

    now_with_switch_back = publisher.post(
        reverse("review_approve", args=[review.pk]),
        {"when": "now", **_switch_back(approval, everyday, days=2)},
    )
    assert now_with_switch_back.status_code == 400
    assert "A switch back goes with an approval for a time." in now_with_switch_back.content.decode()
    other_team = publisher.post(
        reverse("review_approve", args=[review.pk]),
        {"when": "later", **_later(approval, days=1), **_switch_back(approval, elsewhere, days=2)},
    )
    assert other_team.status_code == 400 and 'class="errorlist' in other_team.content.decode()
    assert approval.sim.requests_to(CREATE) == [] and ScheduledPublish.objects.count() == 0

    response = publisher.post(
        reverse("review_approve", args=[review.pk]),
        {"when": "later", **_later(approval, days=1), **_switch_back(approval, everyday, days=2)},
    )
    assert response.status_code == 302
    schedule = ScheduledPublish.objects.get(revert_of__isnull=True)
    revert = ScheduledPublish.objects.get(revert_of=schedule)
    assert (schedule.menu, revert.menu, schedule.review.pk) == (draft, everyday, review.pk)
    assert revert.review.state == "approved"  # the approval covers it
    history = publisher.get(reverse("account_history", args=[approval.a.slug])).content.decode()
    assert "Chosen as the switch back" in history


def test_a_cancelled_approval_is_scheduled_again_from_the_review_page(approval, draft):
    review = submit(approval, draft)
    publisher = client_for(approval.publisher)
    publisher.post(reverse("review_approve", args=[review.pk]), {"when": "later", **_later(approval, days=1)})
    first = ScheduledPublish.objects.get()
    page = publisher.get(reverse("review_page", args=[review.pk])).content.decode()
    assert 'id="reschedule"' not in page  # scheduled: cancel or move it on home
    publisher.post(reverse("schedule_cancel", args=[first.pk]))

    page = publisher.get(reverse("review_page", args=[review.pk])).content.decode()
    assert "Its scheduled publish was cancelled" in page
    assert 'id="reschedule"' in page and 'id="publish-approved"' in page
    url = reverse("review_reschedule", args=[review.pk])
    assert client_for(approval.editor).post(url, _later(approval, days=1)).status_code == 403
    bad = publisher.post(url, {"date": "2020-01-01", "time": "00:00"})
    assert bad.status_code == 409 and "Pick a time in the future." in bad.content.decode()
    assert publisher.post(url, {"date": "x", "time": ""}).status_code == 400

    response = publisher.post(url, _later(approval, days=1))
    assert response.status_code == 302
    again = ScheduledPublish.objects.get(state="scheduled")
    assert again.pk != first.pk and again.review.pk == review.pk
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(m.startswith("Scheduled again") for m in messages)


def test_an_approval_outdated_by_a_change_says_to_submit_again(approval, draft):
    review = submit(approval, draft)
    publisher = client_for(approval.publisher)
    publisher.post(reverse("review_approve", args=[review.pk]), {"when": "later", **_later(approval, days=1)})
    publisher.post(reverse("schedule_cancel", args=[ScheduledPublish.objects.get().pk]))
    draft.refresh_from_db()
    draft.tree = {"button": [{"type": "click", "name": "Changed", "key": "K"}]}
    draft.revision += 1
    draft.save()

    for user in (approval.publisher, approval.editor):
        page = client_for(user).get(reverse("review_page", args=[review.pk])).content.decode()
        assert 'id="approval-outdated"' in page and "Submit the draft for review again." in page
        assert 'id="reschedule"' not in page and 'id="publish-approved"' not in page
    editor_view = client_for(approval.editor).get(reverse("review_page", args=[review.pk])).content.decode()
    assert reverse("menu_submit", args=[draft.pk]) in editor_view


def _save(user, draft, name: str):
    draft.refresh_from_db()
    fields = {"title": draft.title, "revision": draft.revision, "b-0-kind": "leaf", "b-0-name": name}
    fields |= {"b-0-type": "click", "b-0-key": "K"}
    return client_for(user).post(reverse("menu_save", args=[draft.pk]), fields, HTTP_HX_REQUEST="true")


def test_a_save_answers_with_the_review_bar_as_it_is_after_the_save(approval, draft):
    submit(approval, draft)
    answer = _save(approval.editor, draft, "Changed").content.decode()
    bar = answer[answer.index('id="review-bar"') - 40 :]
    assert 'hx-swap-oob="true"' in bar[:120] and "Waiting for review" not in answer
    assert 'id="submit-review-link"' in answer and "Submit again…" in answer
    assert "This draft left review when you saved (revision 1 was submitted)" in answer
    # Saved again, out of review already: the bar is sent, with nothing more to say.
    again = _save(approval.editor, draft, "Changed twice").content.decode()
    assert 'id="review-bar" hx-swap-oob="true"' in again and "left review" not in again
    assert 'id="review-comment" role="status" hidden hx-swap-oob="true"' in again


def test_a_save_after_an_approval_for_a_time_says_that_publish_will_send_nothing(approval, draft):
    review = submit(approval, draft)
    client_for(approval.publisher).post(
        reverse("review_approve", args=[review.pk]), {"when": "later", **_later(approval, days=1)}
    )
    page = editor_page(approval.editor, draft)
    assert "saving changes now stops that publish" in page
    answer = _save(approval.editor, draft, "After approval").content.decode()
    assert "that publish will send nothing" in answer and 'id="review-comment"' in answer


def test_without_review_a_save_sends_no_review_bar(team, factories):
    menu = factories.menu(team.a, user=team.editor)
    assert "review-bar" not in _save(team.editor, menu, "Plain").content.decode()
