"""A Weibo account's only credential: the access token of the fan service's developer mode.

Weibo documents no lifetime and no refresh call for it; when it stops working, copy a new one.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..base import AccountSpec, CredentialField, Fieldset

ACCOUNT = AccountSpec(
    label=_("Weibo"),
    fields=(
        CredentialField(
            "access_token",
            _("Access token"),
            help=_(
                "Copy it from the fan-service platform: Advanced features > Developer mode. "
                "When Weibo says it expired or was revoked, copy a new one."
            ),
            secret=True,
            required=True,
            missing=_("Enter the access token copied from the fan-service developer mode page."),
        ),
    ),
    fieldsets=(
        Fieldset(
            _("Weibo credentials"),
            ("access_token",),
            _("The token is stored encrypted and never shown again."),
        ),
    ),
    api_base_setting="WEIBO_API_BASE",
    default_api_base="https://m.api.weibo.com",
)
