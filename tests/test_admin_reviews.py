"""The admin lists reviews to look them up (by account, state, submitter, decider) and changes none."""

from __future__ import annotations

import pytest
from django.urls import reverse

from menueditor import reviews
from menueditor.models import Review

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:menueditor_review_changelist"


@pytest.fixture
def team(factories, simulator):
    editor = factories.user(username="editor_a", perms=("change_menu",))
    publisher = factories.user(username="publisher_a", perms=("change_menu", "publish_menu"))
    staff = factories.user(username="staff_a", perms=("view_review",))
    staff.is_staff = True
    staff.save()
    account = factories.account(
        name="Coffee Club", members=(editor, publisher, staff), api_base=simulator.url, needs_approval=True
    )
    other = factories.account(name="Tea House", needs_approval=True, api_base=simulator.url)
    stranger = factories.user(username="stranger_b", perms=("change_menu",))
    other.members.add(stranger)
    return editor, publisher, staff, account, other, stranger


def test_reviews_are_listed_by_account_state_and_people_and_cannot_be_edited(client, factories, team):
    editor, publisher, staff, account, other, stranger = team
    mine = reviews.submit(factories.menu(account, title="Double 11", user=editor), editor, "please")
    reviews.send_back(mine, publisher, "Rename the coupon button")
    reviews.submit(factories.menu(other, title="Tea secret", user=stranger), stranger, "theirs")
    client.force_login(staff)

    listing = client.get(reverse(CHANGELIST))
    assert listing.status_code == 200
    assert "Double 11" in listing.text and "Sent back" in listing.text
    assert "Tea secret" not in listing.text and "stranger_b" not in listing.text  # another team's
    assert "Add review" not in listing.text
    for query in ("?state__exact=sent_back", f"?submitted_by__id__exact={editor.pk}", "?q=coupon"):
        filtered = client.get(reverse(CHANGELIST) + query)
        assert filtered.status_code == 200 and "Double 11" in filtered.text, query
    assert "Double 11" not in client.get(reverse(CHANGELIST) + "?state__exact=approved").text

    url = reverse("admin:menueditor_review_change", args=[mine.pk])
    detail = client.get(url)
    assert detail.status_code == 200
    assert "Rename the coupon button" in detail.text and 'name="_save"' not in detail.text
    assert client.post(url, {"state": "approved", "comment": "forged"}).status_code == 403
    assert client.get(reverse("admin:menueditor_review_add")).status_code == 403
    delete = client.post(reverse("admin:menueditor_review_delete", args=[mine.pk]), {"post": "yes"})
    assert delete.status_code == 403
    mine.refresh_from_db()
    assert (mine.state, mine.comment) == ("sent_back", "Rename the coupon button")
    assert Review.objects.count() == 2
    theirs = Review.objects.get(title="Tea secret")
    assert client.get(reverse("admin:menueditor_review_change", args=[theirs.pk])).status_code in (302, 404)
