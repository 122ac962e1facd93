"""Create a platform account from a script; the secret comes from stdin or an environment variable."""

from __future__ import annotations

import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.forms import AccountProvisionForm
from accounts.models import Platform, TokenMode


class Command(BaseCommand):
    help = (
        "Create a WeChat or Weibo account. The secret (WeChat AppSecret, Weibo access token, or a "
        "third-party authorizer token) is read from standard input, one line, or from the environment "
        "variable named by --secret-env; never from the command line."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--platform", required=True, choices=[p.value for p in Platform])
        parser.add_argument("--name", required=True, help="Display name.")
        parser.add_argument("--slug", required=True, help="Short unique name, e.g. brand-cn.")
        parser.add_argument("--app-id", default="", help="WeChat: the AppID (wx + 16 hex digits).")
        parser.add_argument(
            "--token-mode",
            choices=[m.value for m in TokenMode],
            help="WeChat: stable (default), classic, or authorizer (a third-party platform's token).",
        )
        parser.add_argument("--api-base", default="", help="API base URL (egress proxy or simulator).")
        parser.add_argument(
            "--secret-env", metavar="VAR", help="Read the secret from this environment variable."
        )
        parser.add_argument(
            "--member", action="append", default=[], metavar="USERNAME", help="Assign a staff user."
        )
        parser.add_argument(
            "--group", action="append", default=[], metavar="NAME", help="Assign a group of users."
        )

    def handle(self, *args, **options):
        platform = options["platform"]
        if platform == Platform.WEIBO and options["token_mode"]:
            raise CommandError("--token-mode applies to WeChat accounts only.")
        token_mode = options["token_mode"] or TokenMode.STABLE
        members = self._lookup(get_user_model(), "username", options["member"], "user")
        groups = self._lookup(Group, "name", options["group"], "group")
        secret = self._read_secret(options)
        secret_field = (
            "app_secret"
            if platform == Platform.WECHAT and token_mode != TokenMode.AUTHORIZER
            else "access_token"
        )
        form = AccountProvisionForm(
            data={
                "name": options["name"],
                "slug": options["slug"],
                "platform": platform,
                "app_id": options["app_id"],
                "token_mode": token_mode,
                "api_base": options["api_base"],
                secret_field: secret,
            }
        )
        if not form.is_valid():
            raise CommandError("\n".join(self._problems(form)))
        with transaction.atomic():
            account = form.save()
            account.members.add(*members)
            account.groups.add(*groups)
        self.stdout.write(f"Created account {account.slug} (id {account.pk}).")

    def _read_secret(self, options) -> str:
        if options["secret_env"]:
            value = os.environ.get(options["secret_env"], "").strip()
            if not value:
                raise CommandError(f"The environment variable {options['secret_env']} is not set or empty.")
            return value
        stdin = options.get("stdin") or sys.stdin
        if stdin.isatty():
            return getpass.getpass("Secret (input hidden): ").strip()
        # One line only: what follows it is not part of the secret.
        return stdin.readline().strip()

    @staticmethod
    def _lookup(model, field: str, names: list[str], what: str) -> list:
        found = list(model.objects.filter(**{f"{field}__in": names}))
        missing = sorted(set(names) - {getattr(obj, field) for obj in found})
        if missing:
            raise CommandError(f"No such {what}: {', '.join(missing)}")
        return found

    @staticmethod
    def _problems(form) -> list[str]:
        names = {"app_secret": "secret", "access_token": "secret"}
        lines = []
        for field, errors in form.errors.items():
            for message in errors:
                if field == "__all__":
                    lines.append(message)
                else:
                    option = names.get(field, "--" + field.replace("_", "-"))
                    lines.append(f"{option}: {message}")
        return lines
