"""Account validation per platform and the API base each account talks to."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from accounts.models import Account, Platform, TokenMode


def wechat(**fields) -> Account:
    values = {
        "name": "Brand",
        "slug": "brand",
        "platform": Platform.WECHAT,
        "app_id": "wx0123456789abcdef",
        "app_secret": "s3cret",
    }
    return Account(**(values | fields))


def weibo(**fields) -> Account:
    values = {"name": "Brand Weibo", "slug": "brand-weibo", "platform": Platform.WEIBO, "access_token": "t"}
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

    @pytest.mark.parametrize("mode", [TokenMode.STABLE, TokenMode.CLASSIC])
    def test_secret_required_when_the_app_fetches_tokens(self, mode):
        errors = errors_of(wechat(token_mode=mode, app_secret=""))
        assert list(errors) == ["app_secret"]

    def test_authorizer_mode_needs_the_token_not_the_secret(self):
        assert list(errors_of(wechat(token_mode=TokenMode.AUTHORIZER, app_secret=""))) == ["access_token"]
        wechat(token_mode=TokenMode.AUTHORIZER, app_secret="", access_token="authorizer-token").full_clean()


@pytest.mark.django_db
class TestWeiboValidation:
    def test_token_is_enough(self):
        weibo().full_clean()

    def test_token_is_required(self):
        assert list(errors_of(weibo(access_token=""))) == ["access_token"]

    def test_wechat_credentials_are_refused(self):
        errors = errors_of(weibo(app_id="wx0123456789abcdef", app_secret="x"))
        assert set(errors) == {"app_id", "app_secret"}


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

    def test_real_hosts_by_default(self, settings):
        assert wechat().effective_api_base == "https://api.weixin.qq.com"
        assert weibo().effective_api_base == "https://m.api.weibo.com"

    def test_account_override_wins(self):
        assert wechat(api_base="http://127.0.0.1:8900/").effective_api_base == "http://127.0.0.1:8900"


def test_str_names_the_platform():
    assert str(weibo()) == "Brand Weibo (Weibo)"
