"""The account admin: secrets are write-only, per-platform forms, staff see only their accounts."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import Account, CachedToken

APP_SECRET = "TopSecretAppSecret0123456789abcd"
AUTH_TOKEN = "TopSecretAuthorizerToken42"
WEIBO_TOKEN = "TopSecretWeiboToken2.00abc"
NEW_SECRET = "BrandNewSecretValue98765"
SECRETS = (APP_SECRET, AUTH_TOKEN, WEIBO_TOKEN, NEW_SECRET, "TopSecretCachedToken")


def change_url(account):
    return reverse("admin:accounts_account_change", args=[account.pk])


def add_url(platform: str) -> str:
    """The add page once a platform is chosen (its first step asks which)."""
    return reverse("admin:accounts_account_add") + f"?platform={platform}"


def assert_no_secret(response):
    assert response.status_code == 200
    html = response.content.decode()
    for secret in SECRETS:
        assert secret not in html


@pytest.fixture
def superuser_client(client, factories):
    client.force_login(factories.user(superuser=True))
    return client


@pytest.fixture
def wechat(factories):
    return factories.account(name="Brand WeChat", app_secret=APP_SECRET, access_token=AUTH_TOKEN)


@pytest.fixture
def weibo(factories):
    return factories.account(name="Brand Weibo", platform="weibo", access_token=WEIBO_TOKEN)


def form_data(account: Account, **changes) -> dict:
    data = {
        "name": account.name,
        "slug": account.slug,
        "app_id": account.app_id,
        "token_mode": account.token_mode,
        "api_base": account.api_base,
        "set_app_secret": "",
        "set_access_token": "",
        "members": [u.pk for u in account.members.all()],
        "groups": [g.pk for g in account.groups.all()],
    }
    return data | changes


@pytest.mark.django_db
class TestSecretsNeverShown:
    def test_no_page_shows_a_secret(self, superuser_client, wechat, weibo):
        CachedToken.objects.create(account=wechat, token="TopSecretCachedToken")  # listed on delete
        for account in (wechat, weibo):
            pk = account.pk
            pages = [
                reverse("admin:accounts_account_changelist"),
                reverse("admin:accounts_account_changelist") + "?q=Brand",
                reverse("admin:accounts_account_add"),
                add_url(account.platform),
                change_url(account),
                reverse("admin:accounts_account_history", args=[pk]),
                reverse("admin:accounts_account_delete", args=[pk]),
            ]
            for url in pages:
                assert_no_secret(superuser_client.get(url))

    def test_change_form_says_whether_each_secret_is_set(self, superuser_client, factories):
        account = factories.account(app_secret=APP_SECRET, access_token="")
        html = superuser_client.get(change_url(account)).content.decode()
        assert html.count("Stored value:") == 2
        assert "<strong>set</strong>" in html
        assert "<strong>not set</strong>" in html
        assert 'type="password" name="set_app_secret"' in html
        assert 'name="set_app_secret_clear"' in html  # a set secret can be cleared
        assert 'name="set_access_token_clear"' not in html  # nothing to clear

    def test_rejected_form_does_not_echo_the_typed_secret(self, superuser_client, wechat):
        response = superuser_client.post(
            change_url(wechat), form_data(wechat, app_id="wx-bad", set_app_secret=NEW_SECRET)
        )
        html = response.content.decode()
        assert "hexadecimal" in html
        assert "type it again" in html  # the user learns the typed value was not kept
        assert_no_secret(response)
        wechat.refresh_from_db()
        assert wechat.app_secret == APP_SECRET  # nothing saved

    def test_history_after_a_change_names_the_field_not_the_value(self, superuser_client, wechat):
        superuser_client.post(change_url(wechat), form_data(wechat, set_app_secret=NEW_SECRET))
        entry = LogEntry.objects.get(object_id=str(wechat.pk))
        assert "AppSecret" in entry.get_change_message()
        assert_no_secret(superuser_client.get(reverse("admin:accounts_account_history", args=[wechat.pk])))


@pytest.mark.django_db
class TestReplaceKeepClear:
    def test_empty_input_keeps_the_secret(self, superuser_client, wechat):
        response = superuser_client.post(change_url(wechat), form_data(wechat, name="Renamed"))
        assert response.status_code == 302
        wechat.refresh_from_db()
        assert (wechat.name, wechat.app_secret, wechat.access_token) == ("Renamed", APP_SECRET, AUTH_TOKEN)

    def test_typed_value_replaces_the_secret(self, superuser_client, wechat):
        response = superuser_client.post(
            change_url(wechat), form_data(wechat, set_app_secret=f"  {NEW_SECRET} ")
        )
        assert response.status_code == 302
        wechat.refresh_from_db()
        assert wechat.app_secret == NEW_SECRET
        assert wechat.access_token == AUTH_TOKEN

    def test_clear_removes_a_secret_the_mode_does_not_need(self, superuser_client, wechat):
        response = superuser_client.post(change_url(wechat), form_data(wechat, set_access_token_clear="on"))
        assert response.status_code == 302
        wechat.refresh_from_db()
        assert wechat.access_token == ""
        assert wechat.app_secret == APP_SECRET

    def test_clearing_a_needed_secret_is_refused_beside_the_field(self, superuser_client, wechat):
        response = superuser_client.post(change_url(wechat), form_data(wechat, set_app_secret_clear="on"))
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert "AppSecret" in errors["set_app_secret"][0]
        wechat.refresh_from_db()
        assert wechat.app_secret == APP_SECRET

    def test_new_value_and_clear_together_is_refused(self, superuser_client, wechat):
        response = superuser_client.post(
            change_url(wechat), form_data(wechat, set_app_secret=NEW_SECRET, set_app_secret_clear="on")
        )
        assert "set_app_secret" in response.context["adminform"].form.errors
        assert_no_secret(response)

    def test_switching_to_authorizer_mode_lets_the_secret_go(self, superuser_client, wechat):
        data = form_data(wechat, token_mode="authorizer", set_app_secret_clear="on")
        assert superuser_client.post(change_url(wechat), data).status_code == 302
        wechat.refresh_from_db()
        assert (wechat.token_mode, wechat.app_secret, wechat.access_token) == ("authorizer", "", AUTH_TOKEN)


@pytest.mark.django_db
class TestPerPlatformForms:
    def test_weibo_form_asks_only_for_the_token(self, superuser_client, weibo):
        form = superuser_client.get(change_url(weibo)).context["adminform"].form
        assert "set_access_token" in form.fields
        assert not {"app_id", "token_mode", "set_app_secret"} & set(form.fields)
        assert "Developer mode" in form.fields["set_access_token"].help_text

    def test_wechat_form_explains_the_token_is_for_authorizer_mode(self, superuser_client, wechat):
        form = superuser_client.get(change_url(wechat)).context["adminform"].form
        assert {"app_id", "token_mode", "set_app_secret", "set_access_token"} <= set(form.fields)
        assert "authorizer" in form.fields["set_access_token"].help_text

    def test_platform_cannot_change_after_creation(self, superuser_client, weibo):
        data = form_data(weibo, platform="wechat", app_id="wx0123456789abcdef", set_app_secret=NEW_SECRET)
        superuser_client.post(change_url(weibo), data)
        weibo.refresh_from_db()
        assert weibo.platform == "weibo"
        assert weibo.app_secret == ""

    def test_add_wechat_account(self, superuser_client):
        data = {
            "name": "New WeChat",
            "slug": "new-wechat",
            "app_id": "WX00112233445566FF",
            "token_mode": "stable",
            "set_app_secret": NEW_SECRET,
            "set_access_token": "",
            "api_base": "",
        }
        response = superuser_client.post(add_url("wechat"), data)
        assert response.status_code == 302
        account = Account.objects.get(slug="new-wechat")
        assert (account.app_id, account.app_secret, account.access_token) == (
            "wx00112233445566ff",
            NEW_SECRET,
            "",
        )

    def test_add_weibo_account(self, superuser_client):
        data = {
            "name": "New Weibo",
            "slug": "new-weibo",
            "set_access_token": WEIBO_TOKEN,
            "api_base": "http://127.0.0.1:8900",
        }
        assert superuser_client.post(add_url("weibo"), data).status_code == 302
        account = Account.objects.get(slug="new-weibo")
        assert (account.access_token, account.effective_api_base) == (WEIBO_TOKEN, "http://127.0.0.1:8900")

    def test_add_shows_each_problem_beside_its_field(self, superuser_client):
        data = {"name": "X", "slug": "x", "app_id": "", "token_mode": "stable"}
        response = superuser_client.post(add_url("wechat"), data)
        errors = response.context["adminform"].form.errors
        assert set(errors) == {"app_id", "set_app_secret"}
        assert not Account.objects.exists()


def test_cached_tokens_are_not_in_the_admin():
    assert not admin.site.is_registered(CachedToken)
    assert admin.site.is_registered(Account)


@pytest.mark.django_db
class TestStaffSeeOnlyTheirAccounts:
    @pytest.fixture
    def staff(self, client, factories):
        user = factories.user()
        user.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label="accounts",
                codename__in=["view_account", "change_account", "add_account"],
            )
        )
        client.force_login(user)
        return user

    def test_changelist_lists_assigned_accounts_only(self, client, staff, factories):
        mine = factories.account(name="Mine", members=(staff,), app_secret=APP_SECRET)
        factories.account(name="Theirs")
        response = client.get(reverse("admin:accounts_account_changelist"))
        assert list(response.context["cl"].result_list) == [mine]
        assert_no_secret(response)

    def test_unassigned_account_cannot_be_opened_by_id(self, client, staff, factories):
        theirs = factories.account(name="Theirs", app_secret=APP_SECRET)
        response = client.get(change_url(theirs))
        assert response.status_code == 302  # the admin says it does not exist
        assert client.post(change_url(theirs), form_data(theirs, name="Hijacked")).status_code == 302
        theirs.refresh_from_db()
        assert theirs.name == "Theirs"

    def test_assigned_staff_see_no_secret_either(self, client, staff, wechat):
        wechat.members.add(staff)
        response = client.get(change_url(wechat))
        assert_no_secret(response)
        assert "<strong>set</strong>" in response.content.decode()

    def test_view_only_staff_see_whether_secrets_are_set(self, client, factories, wechat):
        viewer = factories.user()
        viewer.user_permissions.add(Permission.objects.get(codename="view_account"))
        wechat.members.add(viewer)
        client.force_login(viewer)
        response = client.get(change_url(wechat))
        assert_no_secret(response)
        html = response.content.decode()
        assert 'name="set_app_secret"' not in html  # nothing to type into
        assert '<div class="readonly">set</div>' in html

    def test_staff_who_create_an_account_are_assigned_to_it(self, client, staff):
        data = {
            "name": "Made by staff",
            "slug": "staff-made",
            "set_access_token": WEIBO_TOKEN,
        }
        assert client.post(add_url("weibo"), data).status_code == 302
        account = Account.objects.get(slug="staff-made")
        assert list(account.members.all()) == [staff]
        assert client.get(change_url(account)).status_code == 200


@pytest.mark.django_db
class TestConnectionAction:
    """The "test connection" action, over real HTTP against the platform simulator."""

    def run_action(self, client, *accounts):
        data = {"action": "test_connection", "_selected_action": [a.pk for a in accounts]}
        response = client.post(reverse("admin:accounts_account_changelist"), data, follow=True)
        return [str(m) for m in response.context["messages"]]

    def test_working_credentials(self, superuser_client, factories, simulator):
        wx = factories.account(name="WX", api_base=simulator.url)
        wb = factories.account(name="WB", platform="weibo", api_base=simulator.url)
        messages = self.run_action(superuser_client, wx, wb)
        assert len(messages) == 2
        assert all("Connected" in m for m in messages)
        assert simulator.token_fetches == 1  # WeChat fetched a token; Weibo has its own

    def test_wrong_secret_gives_the_hint(self, superuser_client, factories, simulator):
        wx = factories.account(name="WX", api_base=simulator.url, app_secret="not-the-secret")
        [message] = self.run_action(superuser_client, wx)
        assert "40125" in message
        assert "The AppSecret is wrong" in message
        assert "not-the-secret" not in message

    def test_unreachable_host_is_reported_not_raised(self, superuser_client, factories):
        wb = factories.account(name="WB", platform="weibo", api_base="http://127.0.0.1:9")
        [message] = self.run_action(superuser_client, wb)
        assert message.startswith("WB (Weibo): ")
        assert "connection" in message
