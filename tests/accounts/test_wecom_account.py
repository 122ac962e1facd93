"""A WeCom application as an account: corp ID, agent ID and the application's secret, checked by
its account spec, provisioned by account_add, connected to WECOM_API_BASE unless it names its own."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from accounts.models import Account
from menueditor.platforms import get_platform

pytestmark = pytest.mark.django_db

SECRET = "wecom-app-secret-0123456789"
WECOM = ("--platform", "wecom", "--name", "HR app", "--slug", "hr-app")
IDS = ("--corp-id", "ww0123456789abcdef", "--agent-id", "1000002")


def add(*args: str, stdin: str = SECRET + "\n") -> str:
    out = io.StringIO()
    call_command("account_add", *args, stdin=io.StringIO(stdin), stdout=out)
    return out.getvalue()


def problems(*args: str, stdin: str = SECRET + "\n") -> str:
    with pytest.raises(CommandError) as failure:
        add(*args, stdin=stdin)
    return str(failure.value)


def test_account_add_with_corp_id_agent_id_and_the_secret_from_stdin():
    output = add(*WECOM, *IDS, stdin=SECRET + "\nnot part of it\n")

    account = Account.objects.get(slug="hr-app")
    assert output.strip() == f"Created account hr-app (id {account.pk})."
    assert (account.platform, account.app_id, account.agent_id, account.app_secret) == (
        "wecom",
        "ww0123456789abcdef",
        1000002,
        SECRET,
    )
    assert (account.access_token, account.token_mode) == ("", "")


def test_the_secret_from_the_named_environment_variable(monkeypatch):
    monkeypatch.setenv("HR_APP_SECRET", SECRET)
    add(*WECOM, *IDS, "--secret-env", "HR_APP_SECRET", stdin="ignored\n")
    assert Account.objects.get(slug="hr-app").app_secret == SECRET


def test_a_corp_id_keeps_its_case():
    # Unlike a WeChat AppID, nothing says a corp ID is lower case: it is stored as typed.
    add(*WECOM, "--corp-id", "wwAbC0123456789xyz", "--agent-id", "1000002")
    assert Account.objects.get(slug="hr-app").app_id == "wwAbC0123456789xyz"


@pytest.mark.parametrize(
    ("args", "stdin", "expected"),
    [
        (("--agent-id", "1000002"), SECRET + "\n", "--corp-id: Enter the corp ID"),
        (("--corp-id", "ww0123456789abcdef"), SECRET + "\n", "--agent-id: Enter the application's AgentId"),
        ((*IDS[:2], "--agent-id", "0"), SECRET + "\n", "--agent-id: An AgentId is a positive whole number"),
        ((*IDS[:2], "--agent-id", "abc"), SECRET + "\n", "--agent-id: Enter a whole number."),
        (("--corp-id", "ww 01234", "--agent-id", "1000002"), SECRET + "\n", "--corp-id: A corp ID holds"),
        (IDS, "\n", "secret: Enter the application's secret"),
    ],
)
def test_what_is_missing_or_malformed_is_said_beside_its_flag(args, stdin, expected):
    assert expected in problems(*WECOM, *args, stdin=stdin)
    assert not Account.objects.exists()


@pytest.mark.parametrize(("flag", "value"), [("--app-id", "wx0123456789abcdef"), ("--token-mode", "stable")])
def test_wechat_flags_do_not_apply(flag, value):
    assert problems(*WECOM, *IDS, flag, value) == f"{flag} does not apply to WeCom application accounts."


def test_wecom_flags_do_not_apply_to_wechat():
    wechat = ("--platform", "wechat", "--name", "B", "--slug", "b", "--app-id", "wx0123456789abcdef")
    assert problems(*wechat, "--agent-id", "1000002") == (
        "--agent-id does not apply to WeChat Official Account accounts."
    )


def test_the_spec_refuses_credentials_wecom_has_not(factories):
    account = factories.account(
        platform="wecom",
        app_id="ww0123456789abcdef",
        agent_id=1000002,
        app_secret=SECRET,
        access_token="t" * 40,
    )
    with pytest.raises(ValidationError) as refused:
        account.full_clean()
    assert set(refused.value.message_dict) == {"access_token"}


def test_the_host_is_wecoms_or_the_setting_or_the_accounts_own(settings, monkeypatch, factories):
    account = factories.account(
        platform="wecom", app_id="ww0123456789abcdef", agent_id=1000002, app_secret=SECRET
    )
    monkeypatch.delenv("WECOM_API_BASE", raising=False)
    settings.WECOM_API_BASE = ""
    assert account.effective_api_base == "https://qyapi.weixin.qq.com"
    monkeypatch.setenv("WECOM_API_BASE", "https://egress.example/wecom/")
    assert account.effective_api_base == "https://egress.example/wecom"
    settings.WECOM_API_BASE = "https://proxy.example"
    assert account.effective_api_base == "https://proxy.example"
    account.api_base = "http://127.0.0.1:8900/wecom"
    assert account.effective_api_base == "http://127.0.0.1:8900/wecom"


def test_the_spec_says_what_wecom_calls_its_credentials():
    spec = get_platform("wecom").account
    assert [(f.name, str(f.label), f.secret, f.flag) for f in spec.fields] == [
        ("app_id", "Corp ID", False, "--corp-id"),
        ("agent_id", "Agent ID", False, "--agent-id"),
        ("app_secret", "Application secret", True, ""),
    ]
    assert (spec.api_base_setting, spec.default_api_base) == ("WECOM_API_BASE", "https://qyapi.weixin.qq.com")
