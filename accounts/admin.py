"""Accounts in the Django admin: secrets are write-only, staff see only the accounts they are assigned to."""

from __future__ import annotations

from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .forms import AccountAdminForm
from .models import Account, Platform, TokenMode

# CachedToken is deliberately not registered: a live token has no business on any page.

# django-axes' failed sign-ins stay in the admin ("Access attempts": deleting one lifts its lockout).
# Successful sign-ins and a permanent failure log are not recorded (settings AXES_*): no pages.
for axes_model in (AccessLog, AccessFailureLog):
    if admin.site.is_registered(axes_model):
        admin.site.unregister(axes_model)

ACCESS_FIELDSET = (
    _("Who may work on this account"),
    {
        "fields": ["members", "groups"],
        "description": _(
            "Superusers work on every account. Other staff work on the accounts they are assigned to, "
            "directly or through a group; what they may do there comes from their permissions "
            "(see the groups “Menu editors” and “Menu publishers”)."
        ),
    },
)
CONNECTION_FIELDSET = (_("Connection"), {"fields": ["api_base"]})


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    form = AccountAdminForm
    list_display = ["name", "slug", "platform", "app_id", "credentials_complete"]
    list_filter = ["platform", "token_mode"]
    search_fields = ["name", "slug", "app_id"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members", "groups"]
    actions = ["test_connection"]

    def get_queryset(self, request):
        return Account.objects.for_user(request.user)

    def get_readonly_fields(self, request, obj=None):
        # The platform decides which credentials exist; an account does not change platform.
        return ["platform"] if obj is not None else []

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if obj is None else {}

    def get_fieldsets(self, request, obj=None):
        main = (None, {"fields": ["name", "slug", "platform"]})
        if obj is None:
            return [
                main,
                (
                    _("WeChat credentials"),
                    {
                        "fields": ["app_id", "token_mode", "set_app_secret"],
                        "description": _("For a WeChat Official Account; leave empty for Weibo."),
                    },
                ),
                (
                    _("Access token"),
                    {
                        "fields": ["set_access_token"],
                        "description": _(
                            "For a Weibo account, or a WeChat account in third-party authorizer mode."
                        ),
                    },
                ),
                CONNECTION_FIELDSET,
                ACCESS_FIELDSET,
            ]
        if obj.platform == Platform.WECHAT:
            credentials = (
                _("WeChat credentials"),
                {
                    "fields": ["app_id", "token_mode", "set_app_secret", "set_access_token"],
                    "description": _(
                        "Stable and classic token modes need the AppSecret; third-party authorizer mode "
                        "needs the access token. Secrets are stored encrypted and never shown again."
                    ),
                },
            )
        else:
            credentials = (
                _("Weibo credentials"),
                {
                    "fields": ["set_access_token"],
                    "description": _("The token is stored encrypted and never shown again."),
                },
            )
        return [main, credentials, CONNECTION_FIELDSET, ACCESS_FIELDSET]

    # Users with view permission only see the form read-only: these stand in for the secret fields.
    @admin.display(description=_("AppSecret"))
    def set_app_secret(self, obj: Account) -> str:
        return gettext("set") if obj.app_secret else gettext("not set")

    @admin.display(description=_("Access token"))
    def set_access_token(self, obj: Account) -> str:
        return gettext("set") if obj.access_token else gettext("not set")

    @admin.display(boolean=True, description=_("credentials"))
    def credentials_complete(self, obj: Account) -> bool:
        if obj.platform == Platform.WECHAT and obj.token_mode != TokenMode.AUTHORIZER:
            return bool(obj.app_id and obj.app_secret)
        return bool(obj.access_token)

    @admin.action(description=_("Test connection"), permissions=["change"])
    def test_connection(self, request, queryset):
        """WeChat: fetch a token and read the menu; Weibo: read the menu. Reports the hint on failure."""
        from menueditor.publishing import check_connection  # the platform clients live there

        for account in queryset:
            outcome = check_connection(account)
            if outcome.ok:
                self.message_user(request, f"{account}: {outcome.message}", messages.SUCCESS)
            else:
                detail = gettext("platform said %(code)s: %(message)s") % {
                    "code": outcome.code,
                    "message": outcome.message,
                }
                self.message_user(request, f"{account}: {outcome.hint} ({detail})", messages.ERROR)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change and not request.user.is_superuser:
            # Staff who create an account can work on it afterwards.
            form.instance.members.add(request.user)
