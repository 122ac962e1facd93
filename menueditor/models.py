"""Menu drafts and the record of everything done to a live menu."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from menueditor.platforms import get_platform
from menueditor.tree import MenuTree, parse_menu


class MenuQuerySet(models.QuerySet):
    def for_user(self, user) -> MenuQuerySet:
        return self.filter(account__in=Account.objects.for_user(user))


class Menu(models.Model):
    """A draft of an account's menu; the tree is stored in the {"button": [...]} shape."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="menus", verbose_name=_("account")
    )
    title = models.CharField(_("title"), max_length=100)
    tree = models.JSONField(_("menu"), default=dict)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    # Archived drafts are hidden from the lists (and restorable); a draft the history points at is
    # archived rather than deleted, so its entries keep their draft.
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    # Which of the account's menus the draft is for: {} the default menu, else a conditional menu's
    # match rule as the platform writes it ({"tag_id": "104", "client_platform_type": "1"}).
    match_rule = models.JSONField(_("shown to"), default=dict, blank=True)

    objects = MenuQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("menu draft")
        verbose_name_plural = _("menu drafts")
        permissions = [("publish_menu", _("Can publish menus to the platform"))]

    def __str__(self) -> str:
        return self.title


class PublicationQuerySet(models.QuerySet):
    def for_user(self, user) -> PublicationQuerySet:
        return self.filter(account__in=Account.objects.for_user(user))


class Publication(models.Model):
    """One action on the live menu (publish, pull, delete), with exactly what was sent and said."""

    class Action(models.TextChoices):
        PUBLISH = "publish", _("Publish")
        PULL = "pull", _("Pull")
        DELETE = "delete", _("Delete")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Succeeded")
        FAILURE = "failure", _("Failed")
        # Written before the platform is called; a crash leaves it so, and it is resolved later by
        # reading the live menu (publishing.resolve_interrupted).
        PENDING = "pending", _("In progress")
        # The platform did not answer in time: the call may or may not have changed the live menu.
        UNKNOWN = "unknown", _("Outcome unknown")
        # A scheduled publish that found the live menu changed since it was scheduled: nothing was
        # sent, the differences are in the message (menueditor/scheduling.py).
        HELD = "held", _("Held")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="publications", verbose_name=_("account")
    )
    menu = models.ForeignKey(
        Menu,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
        verbose_name=_("draft"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, default=Action.PUBLISH)
    payload = models.TextField(_("payload"), blank=True, help_text=_("Exactly what was sent or received."))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    code = models.CharField(_("platform code"), max_length=32, blank=True)
    message = models.TextField(_("platform message"), blank=True)
    hint = models.TextField(_("what to do"), blank=True)
    # "" for the default menu; a conditional menu's match rule as compact sorted JSON (an exact key
    # to filter a rule's history by).
    match_rule = models.CharField(_("match rule"), max_length=200, blank=True, default="")

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        # In local time, as people read it (created_at is stored in UTC).
        when = timezone.localtime(self.created_at or timezone.now())
        return f"{self.get_action_display()} {self.account.slug} {when:%Y-%m-%d %H:%M}"

    def tree(self) -> MenuTree | None:
        """The menu this record holds: what was sent (publish) or read (pull); None after a delete.

        Raises MenuParseError or ValueError when the stored text is not a menu.
        """
        if self.action == self.Action.PUBLISH:
            return parse_menu(self.payload)
        if self.action == self.Action.PULL:
            return get_platform(self.account.platform).read_stored(self.payload).tree
        return None


class ScheduledPublishQuerySet(models.QuerySet):
    def for_user(self, user) -> ScheduledPublishQuerySet:
        return self.filter(account__in=Account.objects.for_user(user))

    def upcoming(self) -> ScheduledPublishQuerySet:
        """Not finished yet: waiting for its time (or a retry), or running now."""
        return self.filter(
            state__in=[ScheduledPublish.State.SCHEDULED, ScheduledPublish.State.RUNNING]
        ).order_by("run_at", "pk")


class ScheduledPublish(models.Model):
    """A publish of a draft at a set time, run by a task of the tasks framework (menueditor/tasks.py).

    A campaign's switch back ("then publish <draft> at <time>") is a second one, linked by revert_of.
    Times are stored in UTC and entered and shown in the account's time zone (scheduling.py).
    """

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        RUNNING = "running", _("Running")
        PUBLISHED = "published", _("Published")
        HELD = "held", _("Held")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="scheduled_publishes", verbose_name=_("account")
    )
    menu = models.ForeignKey(
        Menu,
        null=True,
        on_delete=models.SET_NULL,
        related_name="scheduled_publishes",
        verbose_name=_("draft"),
    )
    revert_of = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="revert",
        verbose_name=_("switches back after"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("scheduled by"),
    )
    created_at = models.DateTimeField(_("scheduled on"), auto_now_add=True)
    run_at = models.DateTimeField(_("publish at"), db_index=True)
    # The live menu when the publish was scheduled (for a switch back: what the campaign put live);
    # the task publishes only while the live menu is still that one, and is held otherwise.
    expected_live = models.CharField(_("live menu expected"), max_length=64, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SCHEDULED)
    # The task that acts next (a retry, a move and the watch over a running attempt enqueue a new one;
    # any other task for this schedule finds it is not the one and does nothing).
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    waits = models.PositiveSmallIntegerField(_("waits for another publish"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # A running attempt that has not finished by then was interrupted (its worker died).
    running_until = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    publication = models.ForeignKey(
        Publication,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("history entry"),
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    code = models.CharField(_("code"), max_length=32, blank=True)
    hint = models.TextField(_("what happened"), blank=True)

    objects = ScheduledPublishQuerySet.as_manager()

    class Meta:
        ordering = ["run_at", "pk"]
        verbose_name = _("scheduled publish")
        verbose_name_plural = _("scheduled publishes")
        indexes = [models.Index(fields=["account", "state", "run_at"])]

    def __str__(self) -> str:
        when = f"{timezone.localtime(self.run_at):%Y-%m-%d %H:%M}" if self.run_at else ""
        return f"{self.account.slug} {when} {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        """Still to be cancelled or moved: it has not started (or waits for its next attempt)."""
        return self.state == self.State.SCHEDULED


class ReviewQuerySet(models.QuerySet):
    def for_user(self, user) -> ReviewQuerySet:
        return self.filter(account__in=Account.objects.for_user(user))

    def waiting(self) -> ReviewQuerySet:
        """Submitted and not decided, on the revision that was submitted (menueditor/reviews.py)."""
        return self.filter(state=Review.State.SUBMITTED, revision=models.F("menu__revision"))


class Review(models.Model):
    """A draft submitted for review: one revision of it, approved, sent back or withdrawn.

    The approval names the revision: what goes out is exactly what was approved (publishing checks
    the draft is still at that revision), and a draft changed while waiting goes back to draft
    (withdrawn). Every step is in the account's history (views/history.py reads these fields).
    """

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        SENT_BACK = "sent_back", _("Sent back")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("account")
    )
    menu = models.ForeignKey(
        Menu, null=True, on_delete=models.SET_NULL, related_name="reviews", verbose_name=_("draft")
    )
    title = models.CharField(_("draft title"), max_length=100)  # as submitted; kept if the draft goes
    revision = models.PositiveIntegerField(_("revision"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SUBMITTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # What the approval led to: a publish now (publication) or at a time (schedule).
    publication = models.ForeignKey(
        Publication,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("publication"),
    )
    schedule = models.OneToOneField(
        ScheduledPublish,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review",
        verbose_name=_("scheduled publish"),
    )
    language = models.CharField(_("language"), max_length=16, blank=True)  # of the submitter's mails

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            # One open submission per draft: a second submit finds the first.
            models.UniqueConstraint(
                fields=["menu"], condition=models.Q(state="submitted"), name="one_open_review_per_draft"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} r{self.revision} {self.get_state_display()}"
