"""Who may work on which account, and the permission groups the migrations create."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from accounts.models import Account


@pytest.fixture
def two_accounts(factories):
    return factories.account(name="A"), factories.account(name="B", platform="weibo")


@pytest.mark.django_db
class TestForUser:
    def test_superuser_works_on_every_account(self, factories, two_accounts):
        user = factories.user(superuser=True)
        assert set(Account.objects.for_user(user)) == set(two_accounts)

    def test_staff_work_on_accounts_assigned_directly(self, factories, two_accounts):
        user = factories.user()
        two_accounts[0].members.add(user)
        assert list(Account.objects.for_user(user)) == [two_accounts[0]]

    def test_staff_work_on_accounts_assigned_through_a_group(self, factories, two_accounts):
        user = factories.user()
        team = Group.objects.create(name="Weibo team")
        user.groups.add(team)
        two_accounts[1].groups.add(team)
        assert list(Account.objects.for_user(user)) == [two_accounts[1]]

    def test_assigned_both_ways_counts_once(self, factories, two_accounts):
        user = factories.user()
        team = Group.objects.create(name="Team")
        user.groups.add(team)
        other = factories.user()
        other.groups.add(team)
        account = two_accounts[0]
        account.members.add(user, other)
        account.groups.add(team)
        queryset = Account.objects.for_user(user)
        assert queryset.count() == 1
        assert list(queryset) == [account]

    def test_unassigned_staff_work_on_nothing(self, factories, two_accounts):
        assert not Account.objects.for_user(factories.user()).exists()

    def test_someone_elses_assignment_does_not_leak(self, factories, two_accounts):
        user, other = factories.user(), factories.user()
        two_accounts[0].members.add(other)
        assert not Account.objects.for_user(user).exists()

    def test_non_staff_work_on_nothing_even_when_assigned(self, factories, two_accounts):
        user = factories.user(staff=False)
        two_accounts[0].members.add(user)
        assert not Account.objects.for_user(user).exists()

    def test_inactive_users_work_on_nothing(self, factories, two_accounts):
        staff = factories.user()
        two_accounts[0].members.add(staff)
        admin = factories.user(superuser=True)
        for user in (staff, admin):
            user.is_active = False
            user.save()
            assert not Account.objects.for_user(user).exists()

    def test_anonymous_works_on_nothing(self, two_accounts):
        assert not Account.objects.for_user(AnonymousUser()).exists()

    def test_result_can_be_narrowed_further(self, factories, two_accounts):
        user = factories.user()
        for account in two_accounts:
            account.members.add(user)
        assert list(Account.objects.for_user(user).filter(platform="weibo")) == [two_accounts[1]]


EDITOR = {
    "menueditor.view_menu",
    "menueditor.add_menu",
    "menueditor.change_menu",
    "menueditor.delete_menu",
    "menueditor.view_publication",
}


@pytest.mark.django_db
class TestDefaultGroups:
    def group_perms(self, name: str) -> set[str]:
        group = Group.objects.get(name=name)
        return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}

    def test_menu_editors_edit_but_do_not_publish(self):
        assert self.group_perms("Menu editors") == EDITOR

    def test_menu_publishers_also_publish(self):
        assert self.group_perms("Menu publishers") == EDITOR | {"menueditor.publish_menu"}

    def test_membership_grants_the_permissions(self, factories):
        editor, publisher = factories.user(), factories.user()
        editor.groups.add(Group.objects.get(name="Menu editors"))
        publisher.groups.add(Group.objects.get(name="Menu publishers"))
        assert editor.has_perm("menueditor.change_menu")
        assert not editor.has_perm("menueditor.publish_menu")
        assert publisher.has_perm("menueditor.publish_menu")
