"""Accounts in the Django admin: secrets are write-only, staff see only the accounts they are assigned to.

Each platform's account spec (menueditor.platforms) gives its credential fields, labels and
fieldsets; the add page first asks which platform (?platform=), then shows only its fields.
"""

from __future__ import annotations

from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from menueditor.platforms import PLATFORMS, get_platform
from menueditor.platforms.transport import PlatformError
from menueditor.tree import MenuParseError

from .forms import (
    ACCESS_FIELDS,
    COMMON_FIELDS,
    CONNECTION_FIELDS,
    WORKFLOW_FIELDS,
    AccountAdminForm,
    admin_form_for,
    all_secret_names,
    form_name,
    secret_form_name,
)
from .group_names import group_label
from .models import Account
from .tokens import AccountTokenStore

# CachedToken is deliberately not registered: a live token has no business on any page.

# django-axes' failed sign-ins stay in the admin ("Access attempts": deleting one lifts its lockout).
# Successful sign-ins and a permanent failure log are not recorded (settings AXES_*): no pages.
for axes_model in (AccessLog, AccessFailureLog):
    if admin.site.is_registered(axes_model):
        admin.site.unregister(axes_model)

ACCESS_FIELDSET = (
    _("Who may work on this account"),
    {
        "fields": list(ACCESS_FIELDS),
        "description": _(
            "Superusers work on every account. Other staff work on the accounts they are assigned to, "
            "directly or through a group; what they may do there comes from their permissions "
            "(see the groups “Menu editors” and “Menu publishers”)."
        ),
    },
)
CONNECTION_FIELDSET = (_("Connection"), {"fields": list(CONNECTION_FIELDS)})
WORKFLOW_FIELDSET = (
    _("Review and scheduling"),
    {
        "fields": list(WORKFLOW_FIELDS),
        "description": _(
            "With approval on, editors submit drafts and publishers approve them; with a second "
            "person required, even a publisher's own draft waits for another publisher."
        ),
    },
)


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    form = AccountAdminForm
    list_display = ["name", "slug", "platform", "app_id", "credentials_complete"]
    list_filter = ["platform"]
    search_fields = ["name", "slug", "app_id"]
    # No prepopulated slug: the admin's script drops Chinese, so the form makes it (in pinyin) instead.
    filter_horizontal = ["members", "groups"]
    actions = ["test_connection"]

    def get_queryset(self, request):
        return Account.objects.for_user(request.user)

    @staticmethod
    def platform_of(request, obj: Account | None) -> str | None:
        """The account's platform, or on the add page the one chosen (?platform=); None if not chosen."""
        code = obj.platform if obj is not None else request.GET.get("platform", "")
        return code if code in PLATFORMS and PLATFORMS[code].account is not None else None

    def add_view(self, request, form_url="", extra_context=None):
        if self.platform_of(request, None) is None:
            return self.choose_platform(request)
        return super().add_view(request, form_url, extra_context)

    def get_inlines(self, request, obj=None):
        # The linked mini programs the pickers offer, on platforms that keep them here.
        from .content_admin import MiniProgramInline, keeps_mini_programs

        return [MiniProgramInline] if keeps_mini_programs(self.platform_of(request, obj)) else []

    def choose_platform(self, request) -> TemplateResponse:
        """The add page's first step: which platform the account is on (plain links, no JavaScript)."""
        keep = {k: v for k, v in request.GET.items() if k != "platform"}  # e.g. _popup
        choices = [
            (platform.account.label, "?" + urlencode({**keep, "platform": code}))
            for code, platform in PLATFORMS.items()
            if platform.account is not None
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Add account: which platform?"),
            "choices": choices,
        }
        return TemplateResponse(request, "admin/accounts/account/choose_platform.html", context)

    def get_readonly_fields(self, request, obj=None):
        # The platform decides which credentials exist: chosen before the add form, never changed.
        return ["platform"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        code = self.platform_of(request, obj)
        if code is not None:
            kwargs.setdefault("form", admin_form_for(code))
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        main = (None, {"fields": list(COMMON_FIELDS)})
        code = self.platform_of(request, obj)
        if code is None:
            return [main, CONNECTION_FIELDSET, ACCESS_FIELDSET, WORKFLOW_FIELDSET]
        spec = get_platform(code).account
        credentials = [
            (
                fieldset.title,
                {
                    "fields": [form_name(spec, name) for name in fieldset.fields],
                    "description": fieldset.description,
                },
            )
            for fieldset in spec.fieldsets
        ]
        return [main, *credentials, CONNECTION_FIELDSET, ACCESS_FIELDSET, WORKFLOW_FIELDSET]

    @admin.display(boolean=True, description=_("credentials"))
    def credentials_complete(self, obj: Account) -> bool:
        return obj.spec is not None and obj.spec.is_complete(obj)

    @admin.action(description=_("Test connection"), permissions=["change"])
    def test_connection(self, request, queryset):
        """Ask each account's platform client to prove its credentials; reports the hint on failure."""
        for account in queryset:
            self._report_check(request, account)

    def _report_check(self, request, account: Account) -> None:
        """Ask the account's platform client to prove its credentials; reports the hint on failure."""
        client = get_platform(account.platform).client(account, AccountTokenStore(account))
        try:
            message = client.check()
        except PlatformError as error:
            self._report_failure(request, account, error.code, error.message, error.hint)
            return
        except MenuParseError as exc:  # credentials work, but the live menu could not be read
            hint = gettext(
                "The platform sent back a menu this app cannot read. Nothing was changed; please "
                "report this with the message below."
            )
            self._report_failure(request, account, "unreadable", str(exc), hint)
            return
        finally:
            client.close()
        self.message_user(request, f"{account}: {message}", messages.SUCCESS)

    def get_urls(self):
        test = path(
            "<path:object_id>/test-connection/",
            self.admin_site.admin_view(self.test_connection_view),
            name="accounts_account_test_connection",
        )
        return [test, *super().get_urls()]

    def test_connection_view(self, request, object_id: str) -> HttpResponse:
        """The change page's "Test connection" button: the list action's check on this one account."""
        account = self.get_object(request, unquote(object_id))
        if account is None:  # not there, or not one this user is assigned to
            raise Http404
        if not self.has_change_permission(request, account):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._report_check(request, account)
        return redirect("admin:accounts_account_change", account.pk)

    def _report_failure(self, request, account: Account, code: str, message: str, hint: str) -> None:
        detail = gettext("platform said %(code)s: %(message)s") % {"code": code, "message": message}
        self.message_user(request, f"{account}: {hint} ({detail})", messages.ERROR)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change and not request.user.is_superuser:
            # Staff who create an account can work on it afterwards.
            form.instance.members.add(request.user)


def _secret_state(model_name: str):
    """What users with view permission only see instead of a secret field: set or not set."""

    @admin.display(description=capfirst(Account._meta.get_field(model_name).verbose_name))
    def state(self, obj: Account) -> str:
        return gettext("set") if getattr(obj, model_name) else gettext("not set")

    return state


for _secret in all_secret_names():
    setattr(AccountAdmin, secret_form_name(_secret), _secret_state(_secret))


# The app's groups in the interface language (their stored names are data: accounts/group_names.py).
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Group)
class LabelledGroupAdmin(GroupAdmin):
    list_display = ["shown_name"]

    @admin.display(description=_("name"), ordering="name")
    def shown_name(self, obj: Group) -> str:
        return group_label(obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["subtitle"] = group_label(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


def _labelled_user_admin(base: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """The user admin with the app's groups in the interface language in the groups chooser."""

    class LabelledUserAdmin(base):
        def formfield_for_manytomany(self, db_field, request, **kwargs):
            field = super().formfield_for_manytomany(db_field, request, **kwargs)
            if db_field.name == "groups" and field is not None:
                field.label_from_instance = group_label
            return field

    return LabelledUserAdmin


_user_model = get_user_model()
if admin.site.is_registered(_user_model):
    _user_admin = type(admin.site.get_model_admin(_user_model))
    admin.site.unregister(_user_model)
    admin.site.register(_user_model, _labelled_user_admin(_user_admin))
