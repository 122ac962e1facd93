"""A WeCom application's credentials: the company's corp ID, the application's agent ID and secret.

Where each comes from: the WeCom admin console (work.weixin.qq.com). Each application has its own
secret, and a token fetched with it works for that application (agent ID) only.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..base import AccountSpec, CredentialField, Fieldset

# platforms.md gives no format for a corp ID ("ww" or "wx" and hexadecimal digits in practice):
# only letters and digits are checked, so that a pasted space or quote is caught here.
CORP_ID_PATTERN = r"[A-Za-z0-9]+"
# "the application's agent ID (a number)": AgentId 1000002 and the like.
AGENT_ID_PATTERN = r"[1-9][0-9]*"

ACCOUNT = AccountSpec(
    label=_("WeCom application"),
    fields=(
        CredentialField(
            "app_id",
            _("Corp ID"),
            help=_("The company's ID, from the WeCom admin console: 我的企业 > 企业信息 > 企业ID."),
            required=True,
            missing=_("Enter the corp ID (WeCom admin console: 我的企业 > 企业信息)."),
            pattern=CORP_ID_PATTERN,
            invalid=_("A corp ID holds letters and digits only, like ww0123456789abcdef."),
            flag="--corp-id",
        ),
        CredentialField(
            "agent_id",
            _("Agent ID"),
            help=_("The application's AgentId, from the WeCom admin console: 应用管理 > the application."),
            required=True,
            missing=_("Enter the application's AgentId (WeCom admin console: 应用管理 > the application)."),
            pattern=AGENT_ID_PATTERN,
            invalid=_("An AgentId is a positive whole number, like 1000002."),
            flag="--agent-id",
        ),
        CredentialField(
            "app_secret",
            _("Application secret"),
            help=_(
                "The application's own Secret, from the WeCom admin console: 应用管理 > the application. "
                "Another application's secret fetches tokens that this application refuses."
            ),
            secret=True,
            required=True,
            missing=_("Enter the application's secret (WeCom admin console: 应用管理 > the application)."),
        ),
    ),
    fieldsets=(
        Fieldset(
            _("WeCom credentials"),
            ("app_id", "agent_id", "app_secret"),
            _(
                "The corp ID, and the AgentId and Secret of the one application whose menu this account "
                "edits. The secret is stored encrypted and never shown again."
            ),
        ),
    ),
    api_base_setting="WECOM_API_BASE",
    default_api_base="https://qyapi.weixin.qq.com",
)
