"""A WeChat Official Account's credentials: AppID, AppSecret or an authorizer token, the token mode.

Where each comes from: the MP console (mp.weixin.qq.com), Development > Basic configuration.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..base import AccountSpec, CredentialField, Fieldset

# How the app obtains its access token (WeChat's client reads Account.token_mode).
STABLE, CLASSIC, AUTHORIZER = "stable", "classic", "authorizer"
TOKEN_MODES = (
    (STABLE, _("Stable token (recommended)")),
    (CLASSIC, _("Classic token (/cgi-bin/token)")),
    (AUTHORIZER, _("Third-party authorizer access token")),
)

# An Official Account's AppID: "wx" and 16 hex digits (shown in the MP console under Development > Basic).
APP_ID_PATTERN = r"wx[0-9a-f]{16}"

ACCOUNT = AccountSpec(
    label=_("WeChat Official Account"),
    fields=(
        CredentialField(
            "app_id",
            _("AppID"),
            help=_("From the MP console, Development > Basic configuration: “wx” and 16 hex digits."),
            required=True,
            missing=_("Enter the AppID (MP console: Development > Basic configuration)."),
            pattern=APP_ID_PATTERN,
            invalid=_("An AppID is “wx” followed by 16 hexadecimal digits, like wx0123456789abcdef."),
            normalize=str.lower,
            flag="--app-id",
        ),
        CredentialField(
            "token_mode",
            _("Token mode"),
            help=_("How the app obtains its access token."),
            choices=TOKEN_MODES,
            default=STABLE,
            flag="--token-mode",
        ),
        CredentialField(
            "app_secret",
            _("AppSecret"),
            help=_(
                "From the MP console, Development > Basic configuration. If nobody has it, reset it "
                "there (the old one stops working). Not needed in third-party authorizer mode."
            ),
            secret=True,
            required_when=("token_mode", (STABLE, CLASSIC)),
            missing=_("Enter the AppSecret: the stable and classic token modes fetch tokens with it."),
        ),
        CredentialField(
            "access_token",
            _("Authorizer access token"),
            help=_(
                "Only for the third-party authorizer token mode: the authorizer access token your "
                "third-party platform holds for this account."
            ),
            secret=True,
            required_when=("token_mode", (AUTHORIZER,)),
            missing=_("Enter the authorizer access token issued by your third-party platform."),
        ),
    ),
    fieldsets=(
        Fieldset(
            _("WeChat credentials"),
            ("app_id", "token_mode", "app_secret", "access_token"),
            _(
                "Stable and classic token modes need the AppSecret; third-party authorizer mode "
                "needs the access token. Secrets are stored encrypted and never shown again."
            ),
        ),
    ),
    api_base_setting="WECHAT_API_BASE",
    default_api_base="https://api.weixin.qq.com",
)
