"""The account page: its drafts with rename, duplicate, archive and delete, and the live badge."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from menueditor.models import Menu, Publication, ScheduledPublish
from menueditor.publishing import publish_menu
from tests.views.conftest import client_for

pytestmark = pytest.mark.django_db

OTHER = {"button": [{"type": "click", "name": "Other", "key": "OTHER"}]}


def page_of(user, slug="coffee") -> str:
    response = client_for(user).get(reverse("account_page", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def row_of(page: str, menu: Menu) -> str:
    start = page.index(f'id="draft-{menu.pk}"')
    return page[start : page.index("</tr>", start)]


def test_home_links_each_account_to_its_page(team):
    page = client_for(team.editor).get(reverse("home")).content.decode()
    assert f'href="{reverse("account_page", args=["coffee"])}"' in page


def test_account_page_lists_the_accounts_drafts_only(team, factories):
    factories.menu(team.a, title="Spring campaign", user=team.publisher)
    factories.menu(team.b, title="Secret tea plans")
    page = page_of(team.editor)
    assert "Spring campaign" in page
    assert "Secret tea plans" not in page


def test_another_teams_account_page_does_not_exist(team):
    response = client_for(team.editor).get(reverse("account_page", args=["tea"]))
    assert response.status_code == 404


def test_rename_changes_the_title_and_the_revision(team, factories):
    menu = factories.menu(team.a, title="Old name")
    response = client_for(team.editor).post(reverse("draft_rename", args=[menu.pk]), {"title": " Spring "})
    assert response.status_code == 302
    menu.refresh_from_db()
    assert menu.title == "Spring"
    assert menu.revision == 2  # an editor still open on the old title reports a conflict
    assert "Spring" in page_of(team.editor)


def test_an_empty_title_is_refused_beside_the_field(team, factories):
    menu = factories.menu(team.a, title="Old name")
    response = client_for(team.editor).post(reverse("draft_rename", args=[menu.pk]), {"title": "  "})
    assert response.status_code == 400
    row = row_of(response.content.decode(), menu)
    assert "This field is required." in row
    assert '<details class="rename" open>' in row
    menu.refresh_from_db()
    assert menu.title == "Old name"


def test_a_viewer_may_not_rename(team, factories):
    viewer = factories.user(perms=("view_menu",))
    team.a.members.add(viewer)
    menu = factories.menu(team.a, title="Old name")
    response = client_for(viewer).post(reverse("draft_rename", args=[menu.pk]), {"title": "New"})
    assert response.status_code == 403
    assert reverse("draft_rename", args=[menu.pk]) not in page_of(viewer)


def test_duplicate_makes_a_copy_titled_so(team, factories):
    menu = factories.menu(team.a, title="Spring")
    client_for(team.editor).post(reverse("draft_duplicate", args=[menu.pk]))
    copy = Menu.objects.exclude(pk=menu.pk).get()
    assert copy.title == "Copy of Spring"
    assert copy.tree == menu.tree
    assert copy.account == team.a


def test_archive_hides_the_draft_and_restore_brings_it_back(team, factories):
    menu = factories.menu(team.a, title="Old campaign")
    client = client_for(team.editor)
    client.post(reverse("draft_archive", args=[menu.pk]), follow=True)  # the message is shown
    page = page_of(team.editor)
    drafts, archived = page.split('id="archived-title"')
    assert "Old campaign" not in drafts
    assert "Old campaign" in archived
    assert "Old campaign" not in client.get(reverse("home")).content.decode()
    client.post(reverse("draft_unarchive", args=[menu.pk]))
    page = page_of(team.editor)
    assert 'id="archived-title"' not in page
    assert "Old campaign" in page


def test_delete_asks_first_then_deletes_a_draft_nothing_points_at(team, factories):
    menu = factories.menu(team.a, title="Scratch")
    client = client_for(team.editor)
    confirm = client.get(reverse("draft_delete", args=[menu.pk]))
    assert "removed for good" in confirm.content.decode()
    assert Menu.objects.filter(pk=menu.pk).exists()
    client.post(reverse("draft_delete", args=[menu.pk]))
    assert not Menu.objects.filter(pk=menu.pk).exists()


def test_delete_of_a_published_draft_archives_it_and_keeps_the_history(team, factories):
    menu = factories.menu(team.a, title="Went live")
    assert publish_menu(menu, team.publisher).ok
    client = client_for(team.editor)
    assert (
        "archived instead of deleted" in client.get(reverse("draft_delete", args=[menu.pk])).content.decode()
    )
    response = client.post(reverse("draft_delete", args=[menu.pk]))
    menu.refresh_from_db()
    assert menu.archived_at is not None
    assert Publication.objects.get(action="publish").menu == menu
    assert "archived instead of deleted" in " ".join(messages_of(response))


def test_a_draft_scheduled_to_publish_is_neither_archived_nor_deleted(team, factories):
    from django.utils import timezone

    menu = factories.menu(team.a, title="Double 11")
    ScheduledPublish.objects.create(
        account=team.a, menu=menu, run_at=timezone.now(), created_by=team.publisher
    )
    client = client_for(team.editor)
    response = client.post(reverse("draft_archive", args=[menu.pk]))
    assert "cancel or move that scheduled publish first" in " ".join(messages_of(response))
    client.post(reverse("draft_delete", args=[menu.pk]))
    menu.refresh_from_db()
    assert menu.archived_at is None


def test_an_editor_without_the_delete_permission_cannot_delete(team, factories):
    editor = factories.user(perms=("view_menu", "change_menu"))
    team.a.members.add(editor)
    menu = factories.menu(team.a, title="Keep")
    assert client_for(editor).post(reverse("draft_delete", args=[menu.pk])).status_code == 403
    assert reverse("draft_delete", args=[menu.pk]) not in page_of(editor)
    assert Menu.objects.filter(pk=menu.pk).exists()


def test_the_live_badge_marks_the_draft_equal_to_the_live_menu_and_moves_after_a_publish(team, factories):
    first = factories.menu(team.a, title="First")
    second = factories.menu(team.a, title="Second", tree=OTHER)
    page = page_of(team.editor)
    assert "live-badge" not in page  # nothing known to be live yet
    assert publish_menu(first, team.publisher).ok
    page = page_of(team.editor)
    assert "live-badge" in row_of(page, first)
    assert "live-badge" not in row_of(page, second)
    assert publish_menu(second, team.publisher, confirm_drift=True).ok
    page = page_of(team.editor)
    assert "live-badge" not in row_of(page, first)
    assert "live-badge" in row_of(page, second)


def test_the_live_badge_compares_menus_not_their_spelling(team, factories):
    spaced = {"button": [{"name": "Other", "key": "OTHER", "type": "click", "sub_button": []}]}
    first = factories.menu(team.a, title="First", tree=OTHER)
    same = factories.menu(team.a, title="Same menu", tree=spaced)
    assert publish_menu(first, team.publisher).ok
    assert "live-badge" in row_of(page_of(team.editor), same)


def test_after_a_delete_of_the_live_menu_no_draft_is_live(team, factories):
    from menueditor.publishing import delete_live_menu

    menu = factories.menu(team.a, title="First")
    assert publish_menu(menu, team.publisher).ok
    assert delete_live_menu(team.a, team.publisher).ok
    assert "live-badge" not in page_of(team.editor)


def test_the_page_reads_no_platform(team, factories):
    menu = factories.menu(team.a, title="First")
    assert publish_menu(menu, team.publisher).ok
    calls = len(team.sim.requests)
    assert calls  # the publish did reach the simulator
    page_of(team.editor)
    assert len(team.sim.requests) == calls


def test_an_editor_is_told_why_there_is_no_publish_button(team):
    assert "Publishing needs the Menu publishers group; ask an admin." in page_of(team.editor)
    assert "Publishing needs the Menu publishers group" not in page_of(team.publisher)


def test_the_editor_says_why_an_editor_has_no_publish_button(team, factories):
    menu = factories.menu(team.a, title="Spring")
    url = reverse("menu_edit", args=[menu.pk])
    page = client_for(team.editor).get(url).content.decode()
    assert "Publishing needs the Menu publishers group; ask an admin." in page
    assert 'id="publish-button"' not in page
    page = client_for(team.publisher).get(url).content.decode()
    assert "Publishing needs the Menu publishers group" not in page
    assert 'id="publish-button"' in page


def test_with_approval_on_an_editor_submits_instead_and_is_not_told_to_ask(team, factories):
    team.a.needs_approval = True
    team.a.save()
    menu = factories.menu(team.a, title="Spring")
    page = client_for(team.editor).get(reverse("menu_edit", args=[menu.pk])).content.decode()
    assert "Publishing needs the Menu publishers group" not in page


def test_an_archived_draft_is_not_offered_as_a_switch_back(team, factories):
    from menueditor.schedule_forms import ScheduleForm

    campaign = factories.menu(team.a, title="Double 11")
    everyday = factories.menu(team.a, title="Everyday")
    old = factories.menu(team.a, title="Old")
    client_for(team.editor).post(reverse("draft_archive", args=[old.pk]))
    offered = set(ScheduleForm(menu=campaign).fields["revert_menu"].queryset)
    assert offered == {everyday}


def test_an_archived_draft_says_so_in_its_editor(team, factories):
    menu = factories.menu(team.a, title="Old campaign")
    url = reverse("menu_edit", args=[menu.pk])
    assert ">Archived<" not in client_for(team.editor).get(url).content.decode()
    client_for(team.editor).post(reverse("draft_archive", args=[menu.pk]))
    assert ">Archived<" in client_for(team.editor).get(url).content.decode()
