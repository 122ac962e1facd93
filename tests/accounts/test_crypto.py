"""Secrets are encrypted at rest; keys rotate without losing data."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from accounts import crypto
from accounts.models import Account, CachedToken

WECHAT_SECRET = "plain-app-secret-0123456789abcdef"
WEIBO_TOKEN = "2.00plain-weibo-token-abcdef"
CACHED = "cached-access-token-XYZ"


def raw_row(table: str, pk: int, *columns: str) -> tuple:
    with connection.cursor() as cursor:
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        cursor.execute(f"SELECT {names} FROM {connection.ops.quote_name(table)} WHERE id = %s", [pk])
        return cursor.fetchone()


def new_key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture
def accounts(factories):
    wx = factories.account(platform="wechat", app_secret=WECHAT_SECRET, access_token="")
    wb = factories.account(platform="weibo", access_token=WEIBO_TOKEN)
    token = CachedToken.objects.create(account=wx, token=CACHED, expires_at=timezone.now())
    return wx, wb, token


@pytest.mark.django_db
class TestAtRest:
    def test_database_holds_no_plaintext(self, accounts, settings):
        wx, wb, token = accounts
        stored_secret, stored_token = raw_row("accounts_account", wx.pk, "app_secret", "access_token")
        assert WECHAT_SECRET not in stored_secret
        assert stored_token == ""  # an unset secret stays empty, not an encrypted empty string
        (stored_weibo,) = raw_row("accounts_account", wb.pk, "access_token")
        assert WEIBO_TOKEN not in stored_weibo
        (stored_cached,) = raw_row("accounts_cachedtoken", token.pk, "token")
        assert CACHED not in stored_cached
        # It is a Fernet token made with the first key.
        first = Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode())
        assert first.decrypt(stored_secret.encode()).decode() == WECHAT_SECRET

    def test_reading_back_gives_the_plaintext(self, accounts):
        wx, wb, token = accounts
        assert Account.objects.get(pk=wx.pk).app_secret == WECHAT_SECRET
        assert Account.objects.get(pk=wb.pk).access_token == WEIBO_TOKEN
        assert CachedToken.objects.get(pk=token.pk).token == CACHED

    def test_same_secret_encrypts_differently_each_time(self, factories):
        a = factories.account(app_secret=WECHAT_SECRET)
        b = factories.account(app_secret=WECHAT_SECRET)
        assert raw_row("accounts_account", a.pk, "app_secret") != raw_row(
            "accounts_account", b.pk, "app_secret"
        )


@pytest.mark.django_db
class TestRotation:
    def test_old_data_still_decrypts_after_a_new_key_is_put_in_front(self, accounts, settings):
        wx, wb, _ = accounts
        fresh = new_key()
        with override_settings(FIELD_ENCRYPTION_KEYS=[fresh, *settings.FIELD_ENCRYPTION_KEYS]):
            assert Account.objects.get(pk=wx.pk).app_secret == WECHAT_SECRET
            assert Account.objects.get(pk=wb.pk).access_token == WEIBO_TOKEN
            # New writes use the new key.
            Account.objects.filter(pk=wb.pk).update(access_token="new-token")
            (stored,) = raw_row("accounts_account", wb.pk, "access_token")
            assert Fernet(fresh.encode()).decrypt(stored.encode()) == b"new-token"

    def test_command_reencrypts_everything_so_the_old_key_can_go(self, accounts, settings):
        wx, wb, token = accounts
        old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
        fresh = new_key()
        updated_at = Account.objects.get(pk=wx.pk).updated_at
        out = io.StringIO()
        with override_settings(FIELD_ENCRYPTION_KEYS=[fresh, *old_keys]):
            call_command("rotate_encryption_keys", stdout=out)
        assert "Re-encrypted 3 secret(s) in 3 row(s)" in out.getvalue()
        with override_settings(FIELD_ENCRYPTION_KEYS=[fresh]):
            assert Account.objects.get(pk=wx.pk).app_secret == WECHAT_SECRET
            assert Account.objects.get(pk=wx.pk).access_token == ""
            assert Account.objects.get(pk=wb.pk).access_token == WEIBO_TOKEN
            assert CachedToken.objects.get(pk=token.pk).token == CACHED
        with override_settings(FIELD_ENCRYPTION_KEYS=old_keys), pytest.raises(ImproperlyConfigured):
            Account.objects.get(pk=wx.pk)
        # Rotation is not an edit: the account's "last changed" stays as it was.
        with override_settings(FIELD_ENCRYPTION_KEYS=[fresh]):
            assert Account.objects.get(pk=wx.pk).updated_at == updated_at

    def test_command_without_the_needed_key_changes_nothing(self, accounts, settings):
        wx, _, _ = accounts
        before = raw_row("accounts_account", wx.pk, "app_secret")
        with override_settings(FIELD_ENCRYPTION_KEYS=[new_key()]), pytest.raises(CommandError) as info:
            call_command("rotate_encryption_keys")
        assert "Nothing was changed" in str(info.value)
        assert raw_row("accounts_account", wx.pk, "app_secret") == before

    def test_reading_without_the_key_says_what_to_do(self, accounts):
        wx, _, _ = accounts
        with (
            override_settings(FIELD_ENCRYPTION_KEYS=[new_key()]),
            pytest.raises(ImproperlyConfigured) as info,
        ):
            Account.objects.get(pk=wx.pk)
        assert "keep the old key" in str(info.value)


def test_malformed_key_is_a_configuration_error():
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=["not-a-fernet-key"]),
        pytest.raises(ImproperlyConfigured) as info,
    ):
        crypto.encrypt("x")
    assert "FIELD_ENCRYPTION_KEYS" in str(info.value)


def test_no_key_is_a_configuration_error():
    with override_settings(FIELD_ENCRYPTION_KEYS=[]), pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")
