"""Create a platform account from a script; the secret comes from stdin or an environment variable.

The credential flags (--app-id, --token-mode...) come from the registered platforms' account specs.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.forms import provision_form_for
from accounts.models import Account
from menueditor.platforms import PLATFORMS
from menueditor.platforms.base import AccountSpec, CredentialField


def credential_flags() -> dict[str, list[tuple[AccountSpec, CredentialField]]]:
    """Each credential flag of the registered platforms, with the platforms and fields it sets."""
    flags: dict[str, list[tuple[AccountSpec, CredentialField]]] = defaultdict(list)
    for platform in PLATFORMS.values():
        for credential in platform.account.fields if platform.account else ():
            if credential.flag:
                flags[credential.flag].append((platform.account, credential))
    for flag, users in flags.items():
        if len({credential.name for _spec, credential in users}) > 1:
            raise ValueError(f"{flag} must set the same Account field on every platform")
    return dict(flags)


def _dest(flag: str) -> str:
    return "credential_" + flag.lstrip("-").replace("-", "_")


def _flag_help(users: list[tuple[AccountSpec, CredentialField]]) -> str:
    parts = []
    for spec, credential in users:
        text = f"{spec.label}: {credential.label}"
        if credential.choices:
            text += (
                f" ({', '.join(code for code, _label in credential.choices)}; default {credential.default})"
            )
        parts.append(text)
    return "; ".join(parts) + "."


class Command(BaseCommand):
    help = (
        "Create a platform account. Its secret (the one the platform's account needs) is read from "
        "standard input, one line, or from the environment variable named by --secret-env; never "
        "from the command line."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--platform", required=True, choices=list(PLATFORMS))
        parser.add_argument("--name", required=True, help="Display name.")
        parser.add_argument("--slug", required=True, help="Short unique name, e.g. brand-cn.")
        for flag, users in credential_flags().items():
            parser.add_argument(flag, dest=_dest(flag), metavar="VALUE", help=_flag_help(users))
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
        platform = PLATFORMS[options["platform"]]
        spec = platform.account
        values: dict[str, str] = {}
        for flag, users in credential_flags().items():
            value = options[_dest(flag)]
            if value is None:
                continue
            name = users[0][1].name
            credential = spec.field(name)
            if credential is None or credential.flag != flag:
                raise CommandError(f"{flag} does not apply to {spec.label} accounts.")
            values[name] = value
        members = self._lookup(get_user_model(), "username", options["member"], "user")
        groups = self._lookup(Group, "name", options["group"], "group")
        # Which secret the platform needs may depend on the other fields (a token mode, say).
        secret_field = spec.secret_for(Account(platform=options["platform"], **values))
        data = {
            "name": options["name"],
            "slug": options["slug"],
            "platform": options["platform"],
            "api_base": options["api_base"],
            **{name: "" for name in spec.names},
            **values,
        }
        if secret_field is not None:
            data[secret_field.name] = self._read_secret(options)
        form = provision_form_for(options["platform"])(data=data)
        if not form.is_valid():
            raise CommandError("\n".join(self._problems(form, spec)))
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
    def _problems(form, spec: AccountSpec) -> list[str]:
        lines = []
        for field, errors in form.errors.items():
            credential = spec.field(field)
            if field == "__all__":
                option = ""
            elif credential is not None and credential.secret:
                option = "secret"
            elif credential is not None and credential.flag:
                option = credential.flag
            else:
                option = "--" + field.replace("_", "-")
            lines += [f"{option}: {message}" if option else message for message in errors]
        return lines
