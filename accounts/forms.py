"""Forms for accounts: the admin form with write-only secrets, and the provisioning form of the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from menueditor.platforms import PLATFORMS, get_platform
from menueditor.platforms.base import AccountSpec

from .group_names import group_label
from .models import Account
from .slugs import slug_from_name

# Fields every account has, whatever its platform; the platform's spec adds its credentials.
COMMON_FIELDS = ("name", "slug", "platform")
CONNECTION_FIELDS = ("api_base",)
ACCESS_FIELDS = ("members", "groups")
# How publishing works on the account: approval (menueditor/reviews.py) and the schedules' zone.
WORKFLOW_FIELDS = ("needs_approval", "second_approver", "time_zone")


def secret_form_name(model_name: str) -> str:
    """The form field that sets a secret: its own name, so that a stored secret is never initial data."""
    return f"set_{model_name}"


def form_name(spec: AccountSpec, model_name: str) -> str:
    """The admin form's name for one of the spec's fields."""
    field = spec.field(model_name)
    return secret_form_name(model_name) if field is not None and field.secret else model_name


def all_secret_names() -> list[str]:
    """Every Account field some registered platform keeps as a secret."""
    return sorted({f.name for p in PLATFORMS.values() if p.account for f in p.account.secrets})


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
    """The admin's account form; admin_form_for(platform) adds that platform's secrets.

    Labels, help, required fields and choices come from the platform's account spec.
    """

    platform_code: str = ""  # set on the class admin_form_for() makes

    class Meta:
        model = Account
        fields = [*COMMON_FIELDS, *CONNECTION_FIELDS, *ACCESS_FIELDS, *WORKFLOW_FIELDS]
        help_texts = {
            "slug": _(
                "A short name for the command line and addresses, e.g. brand-cn. Leave it empty to "
                "make it from the name (Chinese in pinyin)."
            ),
            "members": _("Active staff users who may work on this account."),
            "groups": _("Every staff member of these groups may work on this account."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and self.platform_code:
            # The platform is chosen before the form (the add page's ?platform=); it is not a field.
            self.instance.platform = self.platform_code
        self.spec = self.instance.spec
        if self.spec is not None:
            self._apply_spec(self.spec)
        if "slug" in self.fields:
            self.fields["slug"].required = False  # made from the name when left empty (clean_slug)
        if "groups" in self.fields:
            self.fields["groups"].label_from_instance = group_label
        if "members" in self.fields:
            # Only active staff can ever reach an account (Account.objects.for_user).
            self.fields["members"].queryset = (
                get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
            )

    def _apply_spec(self, spec: AccountSpec) -> None:
        for credential in spec.fields:
            name = form_name(spec, credential.name)
            if name not in self.fields:
                continue  # not asked for (read-only view)
            field = self.fields[name]
            if credential.choices:
                # Not required: an empty value takes the default (AccountSpec.normalize).
                field = self.fields[name] = forms.ChoiceField(choices=credential.choices, required=False)
                self.initial[name] = self.initial.get(name) or credential.default
            field.label = credential.label
            field.help_text = credential.help
            if credential.secret:
                field.widget.is_set = bool(getattr(self.instance, credential.name))
                if field.widget.is_set:
                    field.widget.widgets[0].attrs["placeholder"] = _("Leave empty to keep it")
                # A new account must be given it; a stored one is kept when the box is left empty.
                field.required = credential.required and not field.widget.is_set
            elif credential.required:
                field.required = True
                if credential.missing:
                    field.error_messages["required"] = credential.missing
        if "api_base" in self.fields:
            self.fields["api_base"].help_text = _(
                "Leave empty to use %(default)s. Set it for an egress proxy or the simulator."
            ) % {"default": spec.api_base()}

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug", "")
        name = self.cleaned_data.get("name", "")
        if slug or not name:
            return slug  # typed by hand, or no name to make it from (the name's own error says so)
        others = Account.objects.exclude(pk=self.instance.pk)
        return slug_from_name(name, lambda candidate: others.filter(slug=candidate).exists())

    def clean(self):
        cleaned = super().clean()
        # Apply the secrets before _post_clean so that Account.clean judges the values to be saved.
        for credential in self.spec.secrets if self.spec else ():
            change = cleaned.get(secret_form_name(credential.name))
            if change is None:
                continue
            if change.clear:
                setattr(self.instance, credential.name, "")
            elif change.new_value:
                setattr(self.instance, credential.name, change.new_value)
        return cleaned

    def _update_errors(self, errors):
        # Model errors on a secret go beside its form field; errors on a field this form does not
        # show go on top of the form, naming the field.
        if hasattr(errors, "error_dict"):
            remapped: dict[str, list] = {}
            for field, field_errors in errors.error_dict.items():
                target = secret_form_name(field) if secret_form_name(field) in self.fields else field
                if target in self._errors:
                    continue  # the form field already says what is wrong (its required message)
                if target != NON_FIELD_ERRORS and target not in self.fields:
                    credential = self.spec.field(field) if self.spec else None
                    label = capfirst(
                        credential.label if credential else Account._meta.get_field(field).verbose_name
                    )
                    field_errors = [
                        ValidationError(f"{label}: {message}") for e in field_errors for message in e
                    ]
                    target = NON_FIELD_ERRORS
                remapped.setdefault(target, []).extend(field_errors)
            errors = ValidationError(remapped)
        super()._update_errors(errors)


@cache
def admin_form_for(platform: str) -> type[AccountAdminForm]:
    """The admin form of one platform's accounts: the common fields and that platform's credentials."""
    spec = get_platform(platform).account
    attrs = {"platform_code": platform, "__module__": __name__}
    for credential in spec.secrets:
        attrs[secret_form_name(credential.name)] = SecretField(
            label=credential.label, help_text=credential.help
        )
    return type(f"{platform.capitalize()}AccountAdminForm", (AccountAdminForm,), attrs)


class AccountProvisionForm(forms.ModelForm):
    """The one validator behind `manage.py account_add`; provision_form_for() adds the credentials."""

    class Meta:
        model = Account
        fields = [*COMMON_FIELDS, *CONNECTION_FIELDS]


@cache
def provision_form_for(platform: str) -> type[AccountProvisionForm]:
    """The provisioning form of one platform: the common fields and that platform's credentials."""
    spec = get_platform(platform).account
    return forms.modelform_factory(
        Account, form=AccountProvisionForm, fields=[*COMMON_FIELDS, *CONNECTION_FIELDS, *spec.names]
    )
