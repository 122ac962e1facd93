"""Mini programs kept on an account in the admin, for accounts whose pickers cannot fetch them."""

import pytest
from django.urls import reverse

from accounts.models import MiniProgram
from tests.accounts.test_admin import form_data

pytestmark = pytest.mark.django_db

PREFIX = "mini_programs"


@pytest.fixture
def superuser_client(client, factories):
    client.force_login(factories.user(superuser=True))
    return client


def change_url(account) -> str:
    return reverse("admin:accounts_account_change", args=[account.pk])


def with_rows(account, *rows: tuple[str, str]) -> dict:
    data = form_data(account, time_zone="Asia/Shanghai") | {
        f"{PREFIX}-TOTAL_FORMS": str(len(rows)),
        f"{PREFIX}-INITIAL_FORMS": "0",
    }
    for n, (appid, name) in enumerate(rows):
        data |= {f"{PREFIX}-{n}-appid": appid, f"{PREFIX}-{n}-name": name}
    return data


def test_wechat_accounts_keep_a_list_and_weibo_accounts_do_not(superuser_client, factories):
    wechat = factories.account()
    weibo = factories.account(platform="weibo")
    assert "Linked mini programs" in superuser_client.get(change_url(wechat)).content.decode()
    assert "Linked mini programs" not in superuser_client.get(change_url(weibo)).content.decode()


def test_a_mini_program_is_kept_with_its_appid_and_name(superuser_client, factories):
    account = factories.account()
    response = superuser_client.post(
        change_url(account), with_rows(account, ("wx286b93c14bbf93aa", "示例小程序"))
    )
    assert response.status_code == 302
    assert list(MiniProgram.objects.values_list("appid", "name")) == [("wx286b93c14bbf93aa", "示例小程序")]


@pytest.mark.parametrize(
    ("appid", "said"),
    [
        ("wx286B93C14BBF93AA", "must be lower case: wx286b93c14bbf93aa"),
        ("gh_1234567890ab", "“wx” and 16 lower-case letters and digits"),
    ],
)
def test_an_appid_not_as_wechat_writes_them_is_refused_beside_it(superuser_client, factories, appid, said):
    account = factories.account()
    response = superuser_client.post(change_url(account), with_rows(account, (appid, "会员中心")))
    assert response.status_code == 200
    assert said in response.content.decode()
    assert not MiniProgram.objects.exists()


def test_a_post_without_the_list_leaves_it_as_it_is(superuser_client, factories):
    account = factories.account()
    MiniProgram.objects.create(account=account, appid="wx286b93c14bbf93aa", name="示例小程序")
    data = form_data(account, time_zone="Asia/Shanghai", name="Renamed")
    assert superuser_client.post(change_url(account), data).status_code == 302
    assert MiniProgram.objects.filter(account=account).count() == 1
