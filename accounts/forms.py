"""Forms for accounts: the admin form with write-only secrets, and the provisioning form of the CLI."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import Account, Platform, TokenMode

# Form field -> model field for each secret. The form fields have their own names so that the
# admin never copies a stored secret into a form's initial data.
SECRET_FIELDS = {"set_app_secret": "app_secret", "set_access_token": "access_token"}
MODEL_TO_FORM = {model: form for form, model in SECRET_FIELDS.items()}


@dataclass(frozen=True)
class SecretChange:
    """What an admin asked for: a new value, clearing the stored one, or neither (keep it)."""

    new_value: str = ""
    clear: bool = False


class SecretWidget(forms.MultiWidget):
    """Says whether a secret is set, offers a password input to replace it and a box to clear it."""

    template_name = "accounts/widgets/secret.html"

    def __init__(self, attrs=None):
        widgets = {
            "": forms.PasswordInput(
                render_value=False, attrs={"autocomplete": "new-password", "class": "vTextField"}
            ),
            "clear": forms.CheckboxInput(),
        }
        super().__init__(widgets, attrs)
        self.is_set = False

    def decompress(self, value):
        # The stored secret never reaches the page.
        return [None, False]

    def get_context(self, name, value, attrs):
        typed, clear = value if isinstance(value, list | tuple) and len(value) == 2 else (None, False)
        context = super().get_context(name, [None, bool(clear)], attrs)
        context["widget"]["is_set"] = self.is_set
        # A rejected form cannot give back what was typed: say so instead of dropping it silently.
        context["widget"]["retype"] = bool(typed)
        return context

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_


class SecretField(forms.MultiValueField):
    widget = SecretWidget

    def __init__(self, **kwargs):
        fields = (
            forms.CharField(required=False, strip=True, max_length=1000),
            forms.BooleanField(required=False),
        )
        super().__init__(fields, require_all_fields=False, required=False, **kwargs)

    def compress(self, data_list) -> SecretChange:
        if not data_list:
            return SecretChange()
        new_value, clear = data_list
        if new_value and clear:
            raise ValidationError(
                _("Either type a new value or tick “clear”, not both."), code="replace_and_clear"
            )
        return SecretChange(new_value=new_value or "", clear=bool(clear))


class AccountAdminForm(forms.ModelForm):
    set_app_secret = SecretField(
        label=_("AppSecret"),
        help_text=_(
            "From the MP console, Development > Basic configuration. If nobody has it, reset it there "
            "(the old one stops working). Not needed in third-party authorizer mode."
        ),
    )
    set_access_token = SecretField(label=_("Access token"))

    class Meta:
        model = Account
        fields = ["name", "slug", "platform", "app_id", "token_mode", "api_base", "members", "groups"]
        help_texts = {
            "slug": _("A short name for the command line and addresses, e.g. brand-cn."),
            "app_id": _("From the MP console, Development > Basic configuration: “wx” and 16 hex digits."),
            "members": _("Active staff users who may work on this account."),
            "groups": _("Every staff member of these groups may work on this account."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form_name, model_name in SECRET_FIELDS.items():
            if self._meta.fields is not None and form_name not in self._meta.fields:
                del self.fields[form_name]  # not asked for (the admin's fieldsets for this platform)
            else:
                widget = self.fields[form_name].widget
                widget.is_set = bool(getattr(self.instance, model_name))
                if widget.is_set:
                    widget.widgets[0].attrs["placeholder"] = _("Leave empty to keep it")
        platform = self.instance.platform if self.instance.pk else None
        if "set_access_token" in self.fields:
            self.fields["set_access_token"].help_text = {
                Platform.WEIBO: _(
                    "Copy it from the fan-service platform: Advanced features > Developer mode. "
                    "When Weibo says it expired or was revoked, copy a new one."
                ),
                Platform.WECHAT: _(
                    "Only for the third-party authorizer token mode: the authorizer access token your "
                    "third-party platform holds for this account."
                ),
            }.get(
                platform,
                _(
                    "Weibo: copy it from the fan-service platform, Advanced features > Developer mode. "
                    "WeChat: only in third-party authorizer mode, the authorizer access token."
                ),
            )
        if "api_base" in self.fields:
            default = {
                Platform.WECHAT: settings.WECHAT_API_BASE,
                Platform.WEIBO: settings.WEIBO_API_BASE,
            }.get(platform)
            self.fields["api_base"].help_text = (
                _("Leave empty to use %(default)s. Set it for an egress proxy or the simulator.")
                % {"default": default}
                if default
                else _(
                    "Leave empty to use the platform's host (%(wechat)s or %(weibo)s). "
                    "Set it for an egress proxy or the simulator."
                )
                % {"wechat": settings.WECHAT_API_BASE, "weibo": settings.WEIBO_API_BASE}
            )
        if "members" in self.fields:
            # Only active staff can ever reach an account (Account.objects.for_user).
            self.fields["members"].queryset = (
                get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
            )

    def clean(self):
        cleaned = super().clean()
        # Apply the secrets before _post_clean so that Account.clean judges the values to be saved.
        for form_name, model_name in SECRET_FIELDS.items():
            change = cleaned.get(form_name)
            if change is None:
                continue
            if change.clear:
                setattr(self.instance, model_name, "")
            elif change.new_value:
                setattr(self.instance, model_name, change.new_value)
        return cleaned

    def _update_errors(self, errors):
        # Model errors on a secret go beside its form field; errors on a field this form does not
        # show go on top of the form, naming the field.
        if hasattr(errors, "error_dict"):
            remapped: dict[str, list] = {}
            for field, field_errors in errors.error_dict.items():
                target = MODEL_TO_FORM.get(field, field)
                if target != NON_FIELD_ERRORS and target not in self.fields:
                    label = capfirst(Account._meta.get_field(field).verbose_name)
                    field_errors = [
                        ValidationError(f"{label}: {message}") for e in field_errors for message in e
                    ]
                    target = NON_FIELD_ERRORS
                remapped.setdefault(target, []).extend(field_errors)
            errors = ValidationError(remapped)
        super()._update_errors(errors)


class AccountProvisionForm(forms.ModelForm):
    """The one validator behind `manage.py account_add`."""

    class Meta:
        model = Account
        fields = [
            "name",
            "slug",
            "platform",
            "app_id",
            "token_mode",
            "api_base",
            "app_secret",
            "access_token",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token_mode"].required = False

    def clean_token_mode(self) -> str:
        return self.cleaned_data.get("token_mode") or TokenMode.STABLE
