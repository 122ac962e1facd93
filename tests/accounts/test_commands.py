"""manage.py account_add: provisioning from scripts, with the secret kept off the command line."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts.models import Account
from menueditor.platforms import PLATFORMS

SECRET = "provisioned-secret-0123456789"


def add(*args: str, stdin: str | None = SECRET + "\n") -> str:
    out = io.StringIO()
    call_command("account_add", *args, stdin=io.StringIO(stdin) if stdin is not None else None, stdout=out)
    return out.getvalue()


WECHAT = ("--platform", "wechat", "--name", "Brand", "--slug", "brand", "--app-id", "wx0123456789abcdef")
WEIBO = ("--platform", "weibo", "--name", "Brand Weibo", "--slug", "brand-weibo")


@pytest.mark.django_db
class TestAccountAdd:
    def test_wechat_secret_from_stdin(self):
        output = add(*WECHAT, stdin=SECRET + "\nnot part of it\n")
        account = Account.objects.get(slug="brand")
        assert output.strip() == f"Created account brand (id {account.pk})."
        assert (account.platform, account.token_mode, account.app_secret) == ("wechat", "stable", SECRET)
        assert account.access_token == ""

    def test_app_id_in_capitals_is_accepted_and_stored_lower_case(self):
        add("--platform", "wechat", "--name", "B", "--slug", "b", "--app-id", "WX0123456789ABCDEF")
        assert Account.objects.get(slug="b").app_id == "wx0123456789abcdef"

    def test_weibo_token_from_stdin(self):
        add(*WEIBO)
        account = Account.objects.get(slug="brand-weibo")
        assert (account.platform, account.access_token, account.app_secret) == ("weibo", SECRET, "")

    def test_authorizer_token_goes_to_the_access_token(self):
        add(*WECHAT, "--token-mode", "authorizer")
        account = Account.objects.get(slug="brand")
        assert (account.token_mode, account.access_token, account.app_secret) == ("authorizer", SECRET, "")

    def test_secret_from_the_named_environment_variable(self, monkeypatch):
        monkeypatch.setenv("BRAND_SECRET", SECRET)
        add(*WECHAT, "--token-mode", "classic", "--secret-env", "BRAND_SECRET", stdin="ignored\n")
        account = Account.objects.get(slug="brand")
        assert (account.token_mode, account.app_secret) == ("classic", SECRET)

    def test_api_base_members_and_groups(self, factories):
        user = factories.user(username="alice")
        team = Group.objects.create(name="Weibo team")
        add(*WEIBO, "--api-base", "http://127.0.0.1:8900", "--member", "alice", "--group", "Weibo team")
        account = Account.objects.get(slug="brand-weibo")
        assert account.effective_api_base == "http://127.0.0.1:8900"
        assert list(account.members.all()) == [user]
        assert list(account.groups.all()) == [team]
        assert list(Account.objects.for_user(user)) == [account]

    def test_duplicate_slug(self):
        add(*WECHAT)
        with pytest.raises(CommandError, match="--slug: Account with this Slug already exists"):
            add(*WECHAT)
        assert Account.objects.count() == 1

    def test_bad_app_id(self):
        with pytest.raises(CommandError, match="--app-id: An AppID is “wx” followed by 16 hexadecimal"):
            add("--platform", "wechat", "--name", "B", "--slug", "b", "--app-id", "wx123")
        assert not Account.objects.exists()

    def test_missing_app_id(self):
        with pytest.raises(CommandError, match="--app-id: Enter the AppID"):
            add("--platform", "wechat", "--name", "B", "--slug", "b")

    @pytest.mark.parametrize("stdin", ["", "\n", "   \n"])
    def test_empty_secret(self, stdin):
        with pytest.raises(CommandError, match="secret: Enter the AppSecret"):
            add(*WECHAT, stdin=stdin)
        with pytest.raises(CommandError, match="secret: Enter the access token"):
            add(*WEIBO, stdin=stdin)
        assert not Account.objects.exists()

    def test_unset_environment_variable(self, monkeypatch):
        monkeypatch.delenv("NO_SUCH_SECRET", raising=False)
        with pytest.raises(CommandError, match="NO_SUCH_SECRET is not set or empty"):
            add(*WECHAT, "--secret-env", "NO_SUCH_SECRET")

    def test_a_flag_of_another_platform_is_one_clear_line(self):
        with pytest.raises(CommandError) as info:
            add(*WEIBO, "--token-mode", "classic")
        assert str(info.value) == "--token-mode does not apply to Weibo accounts."
        with pytest.raises(CommandError, match=r"^--app-id does not apply to Weibo accounts\.$"):
            add(*WEIBO, "--app-id", "wx0123456789abcdef")
        assert not Account.objects.exists()

    def test_unknown_token_mode_lists_the_modes(self):
        with pytest.raises(CommandError, match="--token-mode: Choose one of: Stable token"):
            add(*WECHAT, "--token-mode", "forever")

    def test_every_platforms_flags_are_offered(self, capsys):
        with pytest.raises(SystemExit):
            call_command("account_add", "--help")
        text = " ".join(capsys.readouterr().out.split())
        for platform in PLATFORMS.values():
            for credential in platform.account.fields:
                if credential.flag:
                    assert credential.flag in text
                    assert f"{platform.account.label}: {credential.label}" in text
        assert "--app-secret" not in text and "--access-token" not in text  # secrets: stdin only

    def test_unknown_member(self):
        with pytest.raises(CommandError, match="No such user: nobody"):
            add(*WEIBO, "--member", "nobody")
        assert not Account.objects.exists()

    def test_bad_api_base(self):
        with pytest.raises(CommandError, match="--api-base: Enter a valid URL"):
            add(*WEIBO, "--api-base", "not a url")

    def test_no_option_takes_the_secret_itself(self):
        with pytest.raises(CommandError):
            call_command("account_add", *WECHAT, "--secret", SECRET)


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory) -> dict[str, str]:
    """A migrated SQLite file of its own: the command runs in a separate process."""
    database = tmp_path_factory.mktemp("cli") / "db.sqlite3"
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "cli-test-secret-key",
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        env=env,
        cwd=settings.BASE_DIR,
        check=True,
    )
    return env


def manage(env, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        input=stdin,
        env=env,
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=60,
    )


class TestAccountAddProcess:
    def test_secret_piped_on_stdin(self, cli_env):
        result = manage(cli_env, "account_add", *WEIBO, "--slug", "piped", stdin=SECRET + "\n")
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("Created account piped (id ")
        check = manage(
            cli_env,
            "shell",
            "-c",
            "from accounts.models import Account; print(Account.objects.get(slug='piped').access_token)",
        )
        assert check.stdout.strip().splitlines()[-1] == SECRET

    def test_secret_from_environment(self, cli_env):
        env = cli_env | {"WX_SECRET": SECRET}
        result = manage(env, "account_add", *WECHAT, "--slug", "from-env", "--secret-env", "WX_SECRET")
        assert result.returncode == 0, result.stderr
        assert SECRET not in result.stdout + result.stderr

    def test_bad_input_exits_1_with_the_problems(self, cli_env):
        result = manage(
            cli_env,
            "account_add",
            "--platform",
            "wechat",
            "--name",
            "X",
            "--slug",
            "x",
            "--app-id",
            "wx1",
            stdin="\n",
        )
        assert result.returncode == 1
        assert "--app-id: An AppID is “wx” followed by 16 hexadecimal digits" in result.stderr
        assert "secret: Enter the AppSecret" in result.stderr
        assert "Traceback" not in result.stderr
