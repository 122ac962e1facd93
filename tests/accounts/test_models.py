"""Account validation per platform and the API base each account talks to."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from accounts.models import Account
from menueditor.platforms import REGISTERED


def wechat(**fields) -> Account:
    values = {
        "name": "Brand",
        "slug": "brand",
        "platform": "wechat",
        "app_id": "wx0123456789abcdef",
        "app_secret": "s3cret",
    }
    return Account(**(values | fields))


def weibo(**fields) -> Account:
    values = {"name": "Brand Weibo", "slug": "brand-weibo", "platform": "weibo", "access_token": "t"}
    return Account(**(values | fields))


def errors_of(account: Account) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        account.full_clean()
    return info.value.message_dict


@pytest.mark.django_db
class TestWeChatValidation:
    def test_complete_stable_account_is_valid(self):
        wechat().full_clean()

    def test_app_id_is_stored_lower_case(self):
        account = wechat(app_id="  WX0123456789ABCDEF ")
        account.full_clean()
        assert account.app_id == "wx0123456789abcdef"

    @pytest.mark.parametrize(
        "app_id",
        [
            "wx0123456789abcde",  # 15 hex digits
            "wx0123456789abcdef0",  # 17 hex digits
            "wx0123456789abcdeg",  # g is not hex
            "xw0123456789abcdef",
            "0123456789abcdef01",
            "wx 0123456789abcde",
        ],
    )
    def test_malformed_app_id_is_rejected(self, app_id):
        assert "app_id" in errors_of(wechat(app_id=app_id))

    def test_app_id_is_required(self):
        assert "AppID" in errors_of(wechat(app_id=""))["app_id"][0]

    @pytest.mark.parametrize("mode", ["stable", "classic"])
    def test_secret_required_when_the_app_fetches_tokens(self, mode):
        errors = errors_of(wechat(token_mode=mode, app_secret=""))
        assert list(errors) == ["app_secret"]

    def test_authorizer_mode_needs_the_token_not_the_secret(self):
        assert list(errors_of(wechat(token_mode="authorizer", app_secret=""))) == ["access_token"]
        wechat(token_mode="authorizer", app_secret="", access_token="authorizer-token").full_clean()


@pytest.mark.django_db
class TestWeiboValidation:
    def test_token_is_enough(self):
        weibo().full_clean()

    def test_token_is_required(self):
        assert list(errors_of(weibo(access_token=""))) == ["access_token"]

    def test_wechat_credentials_are_refused(self):
        errors = errors_of(weibo(app_id="wx0123456789abcdef", app_secret="x"))
        assert set(errors) == {"app_id", "app_secret"}


class TestComplete:
    """What the admin's list shows as "credentials": each account has what its platform needs."""

    def test_an_empty_token_mode_counts_as_the_default_one(self):
        spec = wechat().spec
        assert spec.is_complete(wechat(token_mode=""))
        assert not spec.is_complete(wechat(token_mode="", app_secret=""))
        assert not spec.is_complete(wechat(token_mode="authorizer"))
        assert spec.is_complete(wechat(token_mode="authorizer", app_secret="", access_token="t"))

    def test_weibo_needs_its_token(self):
        assert weibo().spec.is_complete(weibo())
        assert not weibo().spec.is_complete(weibo(access_token=""))


def test_slug_must_be_unique(db):
    wechat().save()
    assert "slug" in errors_of(wechat(name="Other"))


class TestApiBase:
    def test_defaults_to_the_platform_setting(self):
        with override_settings(
            WECHAT_API_BASE="https://proxy.example/wx/", WEIBO_API_BASE="https://wb.example"
        ):
            assert wechat().effective_api_base == "https://proxy.example/wx"
            assert weibo().effective_api_base == "https://wb.example"

    def test_the_environment_variable_is_read_when_used(self, monkeypatch):
        monkeypatch.setenv("WECHAT_API_BASE", "https://egress.example/wx/")
        assert wechat().effective_api_base == "https://egress.example/wx"
        monkeypatch.setenv("WECHAT_API_BASE", "https://other.example")
        assert wechat().effective_api_base == "https://other.example"

    def test_a_django_setting_wins_over_the_environment(self, monkeypatch):
        monkeypatch.setenv("WEIBO_API_BASE", "https://from-env.example")
        with override_settings(WEIBO_API_BASE="https://from-settings.example"):
            assert weibo().effective_api_base == "https://from-settings.example"

    def test_real_hosts_by_default(self, monkeypatch):
        monkeypatch.delenv("WECHAT_API_BASE", raising=False)
        monkeypatch.delenv("WEIBO_API_BASE", raising=False)
        assert wechat().effective_api_base == "https://api.weixin.qq.com"
        assert weibo().effective_api_base == "https://m.api.weibo.com"

    def test_account_override_wins(self):
        assert wechat(api_base="http://127.0.0.1:8900/").effective_api_base == "http://127.0.0.1:8900"


def test_platform_choices_come_from_the_registry():
    field = Account._meta.get_field("platform")
    assert [code for code, _label in field.choices] == list(REGISTERED)
    assert dict(field.choices)["wechat"] == "WeChat Official Account"


def test_str_names_the_platform():
    assert str(weibo()) == "Brand Weibo (Weibo)"
