"""The admin's finish: Test connection on the account's page, the groups in the interface language,
a slug made from the name (pinyin for Chinese)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.models import Account
from accounts.slugs import slug_from_name

pytestmark = pytest.mark.django_db

NEW_SECRET = "BrandNewSecretValue98765"


@pytest.fixture
def superuser_client(client, factories):
    client.force_login(factories.user(superuser=True))
    return client


def check_url(account) -> str:
    return reverse("admin:accounts_account_test_connection", args=[account.pk])


# -- Test connection on the account's own page -------------------------------------------------------


def test_the_change_page_has_a_test_connection_button(superuser_client, factories):
    account = factories.account(name="WX")
    page = superuser_client.get(reverse("admin:accounts_account_change", args=[account.pk])).content.decode()
    assert f'action="{check_url(account)}"' in page
    assert "Test connection" in page


def test_the_button_checks_the_account_and_comes_back_to_its_page(superuser_client, factories, simulator):
    account = factories.account(name="WX", api_base=simulator.url)
    response = superuser_client.post(check_url(account), follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:accounts_account_change", args=[account.pk])
    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith("WX (") and "Connected" in message
    assert simulator.token_fetches == 1


def test_the_button_reports_the_platforms_hint(superuser_client, factories, simulator):
    account = factories.account(name="WX", api_base=simulator.url, app_secret="not-the-secret")
    response = superuser_client.post(check_url(account), follow=True)
    [message] = [str(m) for m in response.context["messages"]]
    assert "40125" in message and "The AppSecret is wrong" in message
    assert "not-the-secret" not in message


def test_the_button_is_post_only_and_for_assigned_staff_who_may_change(client, factories, simulator):
    account = factories.account(name="WX", api_base=simulator.url)
    viewer = factories.user()
    viewer.user_permissions.add(Permission.objects.get(codename="view_account"))
    account.members.add(viewer)
    client.force_login(viewer)
    page = client.get(reverse("admin:accounts_account_change", args=[account.pk])).content.decode()
    assert check_url(account) not in page
    assert client.post(check_url(account)).status_code == 403
    outsider = factories.user()
    outsider.user_permissions.add(*Permission.objects.filter(codename__in=["view_account", "change_account"]))
    client.force_login(outsider)
    assert client.post(check_url(account)).status_code == 404  # not assigned: it does not exist for them
    client.force_login(factories.user(superuser=True))
    assert client.get(check_url(account)).status_code == 405
    assert simulator.token_fetches == 0


# -- the groups in the interface language -------------------------------------------------------------


def test_the_groups_list_shows_the_apps_groups_by_their_label(superuser_client, monkeypatch):
    from accounts.group_names import LABELS

    # The labels are the translation catalogue's; a stand-in shows the page goes through them.
    monkeypatch.setitem(LABELS, "Menu editors", "菜单编辑")
    Group.objects.create(name="Shanghai team")
    response = superuser_client.get(reverse("admin:auth_group_changelist"), HTTP_ACCEPT_LANGUAGE="zh-CN")
    page = response.content.decode()
    assert "Shanghai team" in page  # a group someone named is shown as named
    assert "菜单编辑" in page and ">Menu editors<" not in page
    assert Group.objects.filter(name__in=["Menu editors", "Menu publishers"]).count() == 2  # not renamed
    change = reverse("admin:auth_group_change", args=[Group.objects.get(name="Menu editors").pk])
    assert "菜单编辑" in superuser_client.get(change).content.decode()


def test_the_user_page_and_the_account_page_label_the_groups(superuser_client, factories):
    from accounts.group_names import LABELS, group_label

    editors = Group.objects.get(name="Menu editors")
    assert group_label(editors) == str(LABELS["Menu editors"])
    user = factories.user()
    account = factories.account()
    for url in (
        reverse("admin:auth_user_change", args=[user.pk]),
        reverse("admin:accounts_account_change", args=[account.pk]),
    ):
        response = superuser_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN")
        field = response.context["adminform"].form.fields["groups"]
        assert field.label_from_instance(editors) == group_label(editors)


# -- the slug made from the name -------------------------------------------------------------------------


def test_a_chinese_name_makes_a_pinyin_slug():
    assert slug_from_name("咖啡俱乐部 上海", lambda s: False) == "kafeijulebu-shanghai"
    assert slug_from_name("星巴克 China 官方", lambda s: False) == "xingbake-china-guanfang"
    assert slug_from_name("Brand WeChat", lambda s: False) == "brand-wechat"
    assert slug_from_name("☕️", lambda s: False) == "account"


def test_a_taken_slug_is_numbered():
    taken = {"kafei", "kafei-2"}
    assert slug_from_name("咖啡", taken.__contains__) == "kafei-3"
    assert len(slug_from_name("咖" * 80, lambda s: s.endswith("a"))) <= 50


def test_the_add_form_fills_an_empty_slug_from_the_name(superuser_client, factories):
    factories.account(name="Old", slug="kafeijulebu")
    data = {"name": "咖啡俱乐部", "slug": "", "set_access_token": "tok-123", "time_zone": "Asia/Shanghai"}
    response = superuser_client.post(reverse("admin:accounts_account_add") + "?platform=weibo", data)
    assert response.status_code == 302
    assert Account.objects.get(name="咖啡俱乐部").slug == "kafeijulebu-2"


def test_a_slug_typed_by_hand_is_kept(superuser_client):
    data = {
        "name": "咖啡俱乐部",
        "slug": "coffee-cn",
        "set_access_token": "tok-123",
        "time_zone": "Asia/Shanghai",
    }
    superuser_client.post(reverse("admin:accounts_account_add") + "?platform=weibo", data)
    assert Account.objects.get().slug == "coffee-cn"
