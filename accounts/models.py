"""Platform accounts and their credentials; each platform's package says which it needs.

The registry (menueditor.platforms) lists the platforms; a platform's account spec gives the labels,
the checks and the default host of its credentials, so nothing here knows a platform by name.
"""

from __future__ import annotations

import enum
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from menueditor.platforms import PLATFORMS, platform_choices
from menueditor.platforms.base import AccountSpec

from .crypto import EncryptedTextField


class Reach(enum.Enum):
    """How far the account rule lets a user reach."""

    NONE = "none"
    ASSIGNED = "assigned"  # the accounts they are assigned to, directly or through a group
    ALL = "all"


def reach(user) -> Reach:
    """The rule's verdict on the user's flags: only active staff reach accounts, superusers all."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return Reach.NONE
    return Reach.ALL if user.is_superuser else Reach.ASSIGNED


def reachable_by(user, account: str = "pk") -> Q:
    """The condition on an account that Account.objects.for_user filters by, for any query.

    `account` is the path from the query's model to the account: "pk" for accounts themselves,
    "account" for drafts and publications (the editor's one-query draft filters by it).
    """
    verdict = reach(user)
    if verdict is Reach.NONE:
        return Q(**{f"{account}__in": []})
    if verdict is Reach.ALL:
        return Q()
    # One EXISTS per route, on the assignment tables alone: no duplicate rows, and on PostgreSQL
    # planning joins through accounts and groups cost each keystroke ~0.3 ms more.
    members = Account.members.through.objects.filter(
        account=OuterRef(account), **{Account.members.field.m2m_reverse_field_name(): user}
    )
    teams = Account.groups.through.objects.filter(account=OuterRef(account), group__in=group_ids(user))
    return Q(Exists(members)) | Q(Exists(teams))


def group_ids(user) -> models.QuerySet:
    """The ids of the user's groups, from the user model's groups table alone (whatever
    AUTH_USER_MODEL names it)."""
    groups = user._meta.get_field("groups")
    return groups.remote_field.through.objects.filter(**{groups.m2m_field_name(): user}).values(
        groups.m2m_reverse_field_name()
    )


def validate_time_zone(name: str) -> None:
    """An IANA zone name this server knows (Asia/Shanghai, Europe/Berlin...)."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValidationError(
            _("“%(name)s” is not a time zone this server knows; write it as Area/City, e.g. Asia/Shanghai."),
            params={"name": name},
            code="time_zone",
        ) from None


class AccountQuerySet(models.QuerySet):
    def for_user(self, user) -> AccountQuerySet:
        """Accounts this user may work on: all for superusers, assigned ones for other staff."""
        if reach(user) is Reach.NONE:
            return self.none()
        return self.filter(reachable_by(user))


class Account(models.Model):
    name = models.CharField(_("display name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    platform = models.CharField(_("platform"), max_length=10, choices=platform_choices)
    # Generic credential fields; each platform's account spec says which it uses and what it calls
    # them (AppID, corp ID...). Fields it does not use stay empty.
    app_id = models.CharField(_("app ID"), max_length=64, blank=True)
    app_secret = EncryptedTextField(_("app secret"), blank=True)
    # How the platform's client obtains tokens, for platforms with a choice (the spec lists them).
    token_mode = models.CharField(_("token mode"), max_length=12, blank=True)
    access_token = EncryptedTextField(_("access token"), blank=True)
    # For platforms whose account is one application of a company: that application's number.
    agent_id = models.PositiveIntegerField(_("agent ID"), null=True, blank=True)
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
    # Review and approval (menueditor/reviews.py): off by default, set in the admin.
    needs_approval = models.BooleanField(
        _("publishing needs approval"),
        default=False,
        help_text=_(
            "Editors submit drafts for review; a publisher approves (publish now or at a time) or "
            "sends them back with a comment."
        ),
    )
    second_approver = models.BooleanField(
        _("a second person must approve"),
        default=False,
        help_text=_(
            "Nobody approves their own submission: with approval on, publishers submit their own "
            "drafts too, and another publisher approves them."
        ),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Shanghai",
        blank=True,  # empty: the server's zone (settings.TIME_ZONE)
        validators=[validate_time_zone],
        help_text=_("Scheduled times are entered and shown in this zone (an IANA name, e.g. Asia/Shanghai)."),
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

    @property
    def spec(self) -> AccountSpec | None:
        """What this account's platform needs (None for a platform no longer registered)."""
        platform = PLATFORMS.get(self.platform)
        return platform.account if platform is not None else None

    def clean(self) -> None:
        """The credentials this account's platform needs; errors are keyed by the field to fix."""
        if self.spec is not None:
            errors = self.spec.validate(self)
            if errors:
                raise ValidationError(errors)

    @property
    def effective_api_base(self) -> str:
        """The account's own API base, else the platform's (its setting, or its own host)."""
        if self.api_base:
            return self.api_base.rstrip("/")
        return self.spec.api_base()


class CachedToken(models.Model):
    """An access token the platform issued, shared by every worker; refreshed by one at a time."""

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


class ContentList(models.Model):
    """One list a picker shows (an account's images, published articles...), as last fetched.

    Pickers open at once from this copy and spare the platform's quotas; the refresh button
    fetches it again (menueditor/pickers.py), with no transaction open during the calls.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="content_lists")
    kind = models.CharField(max_length=20)  # the platform's source code: "image", "article"...
    items = models.JSONField(default=list)  # ContentItem.as_dict() of each, newest first
    total = models.PositiveIntegerField(default=0)  # the platform's count, may exceed len(items)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    # The last refresh's failure, shown in the picker until a refresh succeeds ("" when none).
    error_code = models.CharField(max_length=40, blank=True)
    error_hint = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "kind"], name="one_content_list_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind} of {self.account_id}"


class ContentThumbnail(models.Model):
    """A picture fetched by the server and served by the app (the browser may not reach the platform)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="content_thumbnails")
    key = models.CharField(max_length=200)  # the platform's thumbnail key (an image's media_id)
    content_type = models.CharField(max_length=40)
    data = models.BinaryField()
    fetched_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "key"], name="one_thumbnail_per_key")]

    def __str__(self) -> str:
        return f"thumbnail {self.key} of {self.account_id}"


class MiniProgram(models.Model):
    """A mini program linked to the account, typed in the admin: the platform lists them to
    third-party platforms only, so accounts with their own secret keep the list here."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="mini_programs")
    appid = models.CharField(_("AppID"), max_length=32)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("linked mini program")
        verbose_name_plural = _("linked mini programs")
        constraints = [
            models.UniqueConstraint(fields=["account", "appid"], name="one_entry_per_mini_program")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.appid})"

    def clean(self) -> None:
        """The AppID as the account's platform writes them (its content support checks it)."""
        platform = PLATFORMS.get(self.account.platform) if self.account_id else None
        content = platform.content if platform is not None else None
        problem = content.check_kept_id("miniprogram", self.appid) if content is not None else ""
        # (The admin's inline formset checks the same before the account is saved.)
        if problem:
            raise ValidationError({"appid": problem})
