"""Platform accounts (a WeChat Official Account or a Weibo account) and their credentials."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .crypto import EncryptedTextField


class Platform(models.TextChoices):
    WECHAT = "wechat", _("WeChat Official Account")
    WEIBO = "weibo", _("Weibo")


class TokenMode(models.TextChoices):
    STABLE = "stable", _("Stable token (recommended)")
    CLASSIC = "classic", _("Classic token (/cgi-bin/token)")
    AUTHORIZER = "authorizer", _("Third-party authorizer access token")


# An Official Account's AppID: "wx" and 16 hex digits (shown in the MP console under Development > Basic).
WECHAT_APP_ID_RE = re.compile(r"^wx[0-9a-f]{16}$")


class AccountQuerySet(models.QuerySet):
    def for_user(self, user) -> AccountQuerySet:
        """Accounts this user may work on: all for superusers, assigned ones for other staff."""
        if not user.is_authenticated or not user.is_active or not user.is_staff:
            return self.none()
        if user.is_superuser:
            return self.all()
        assigned = self.filter(Q(members=user) | Q(groups__user=user)).values("pk")
        return self.filter(pk__in=assigned)


class Account(models.Model):
    name = models.CharField(_("display name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    app_id = models.CharField(
        _("AppID"), max_length=64, blank=True, help_text=_("WeChat only: the account's AppID.")
    )
    app_secret = EncryptedTextField(_("AppSecret"), blank=True)
    token_mode = models.CharField(
        _("token mode"),
        max_length=12,
        choices=TokenMode.choices,
        default=TokenMode.STABLE,
        help_text=_("WeChat only: how the app obtains its access token."),
    )
    access_token = EncryptedTextField(
        _("access token"),
        blank=True,
        help_text=_(
            "Weibo: the token copied from the fan-service developer mode page. "
            "WeChat third-party platforms: the authorizer access token."
        ),
    )
    api_base = models.URLField(
        _("API base URL"),
        blank=True,
        help_text=_("Leave empty to use the platform's own host (or the server-wide setting)."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="menu_accounts",
        verbose_name=_("assigned staff"),
    )
    groups = models.ManyToManyField(
        Group, blank=True, related_name="menu_accounts", verbose_name=_("assigned groups")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_platform_display()})"

    def clean(self) -> None:
        """The credentials each platform needs; errors are keyed by the field to fix."""
        self.app_id = (self.app_id or "").strip().lower()
        errors: dict[str, ValidationError] = {}
        if self.platform == Platform.WECHAT:
            if not self.app_id:
                errors["app_id"] = ValidationError(
                    _("Enter the AppID (MP console: Development > Basic configuration)."), code="missing"
                )
            elif not WECHAT_APP_ID_RE.match(self.app_id):
                errors["app_id"] = ValidationError(
                    _("An AppID is “wx” followed by 16 hexadecimal digits, like wx0123456789abcdef."),
                    code="bad_app_id",
                )
            if self.token_mode == TokenMode.AUTHORIZER:
                if not self.access_token:
                    errors["access_token"] = ValidationError(
                        _("Enter the authorizer access token issued by your third-party platform."),
                        code="missing",
                    )
            elif not self.app_secret:
                errors["app_secret"] = ValidationError(
                    _("Enter the AppSecret: the %(mode)s mode fetches tokens with it.")
                    % {"mode": self.get_token_mode_display()},
                    code="missing",
                )
        elif self.platform == Platform.WEIBO:
            if self.app_id:
                errors["app_id"] = ValidationError(
                    _("Weibo accounts have no AppID; leave it empty."), code="not_weibo"
                )
            if self.app_secret:
                errors["app_secret"] = ValidationError(
                    _("Weibo accounts have no AppSecret; leave it empty."), code="not_weibo"
                )
            if not self.access_token:
                errors["access_token"] = ValidationError(
                    _("Enter the access token copied from the fan-service developer mode page."),
                    code="missing",
                )
        if errors:
            raise ValidationError(errors)

    @property
    def effective_api_base(self) -> str:
        if self.api_base:
            return self.api_base.rstrip("/")
        if self.platform == Platform.WECHAT:
            return settings.WECHAT_API_BASE.rstrip("/")
        return settings.WEIBO_API_BASE.rstrip("/")


class CachedToken(models.Model):
    """A WeChat access token shared by every worker; refreshed under a row lock."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="cached_token")
    token = EncryptedTextField(blank=True)  # ciphertext of up to 512 characters
    expires_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    fetch_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"token for {self.account.slug}"


class Lease(models.Model):
    """Who may act on an account now, until when: claimed by a conditional UPDATE (accounts.leases).

    A lease replaces a row lock held across a platform's HTTP call: nothing stays locked while the
    platform answers, and a holder that died frees the lease when it expires.
    """

    class Purpose(models.TextChoices):
        LIVE_MENU = "live", _("action on the live menu")
        TOKEN = "token", _("token refresh")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="leases")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    holder = models.CharField(max_length=32, blank=True)  # a random id per claim; empty when free
    holder_name = models.CharField(max_length=150, blank=True)  # who, as people read it
    started_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "purpose"], name="one_lease_per_purpose")]
        verbose_name = _("lease")
        verbose_name_plural = _("leases")

    def __str__(self) -> str:
        return f"{self.purpose} lease on {self.account_id}"
