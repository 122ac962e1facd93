"""Menu drafts and the publication history in the Django admin.

Staff see only the accounts they are assigned to. Publishing from here goes through
publishing.publish_menu like every other route, so the same permission, validation and record apply.
The history is read-only: nobody adds, edits or deletes what was sent to a platform.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from menueditor import publishing
from menueditor.forms import MenuTreeField
from menueditor.models import Menu, Publication, Review
from menueditor.parse_messages import explain
from menueditor.tree import MenuParseError, parse_menu


class AssignedAccountFilter(admin.RelatedFieldListFilter):
    """The account filter offers only the accounts this user may see."""

    def field_choices(self, field, request, model_admin):
        return [(account.pk, str(account)) for account in Account.objects.for_user(request.user)]


class MenuAdminForm(forms.ModelForm):
    class Meta:
        model = Menu
        fields = ["account", "title", "tree"]
        # Only JSON the database can keep, up to the draft size limit; refusals show beside the field.
        field_classes = {"tree": MenuTreeField}

    def clean_tree(self):
        tree = self.cleaned_data["tree"]
        try:
            parse_menu(tree)
        except MenuParseError as exc:
            # Said in the interface language (the parser's English detail stays out of the page).
            raise forms.ValidationError(explain(exc), code="not_a_menu") from exc
        return tree


@admin.register(Menu)
class MenuAdmin(admin.ModelAdmin):
    form = MenuAdminForm
    list_display = ["title", "account", "revision", "updated_at", "updated_by"]
    list_filter = ["account__platform", ("account", AssignedAccountFilter)]
    search_fields = ["title", "account__name", "account__slug"]
    list_select_related = ["account", "updated_by"]
    readonly_fields = ["revision", "updated_at", "updated_by"]
    actions = ["publish_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(account__in=Account.objects.for_user(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "account":
            kwargs["queryset"] = Account.objects.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        if change and "tree" in form.changed_data:
            obj.revision += 1  # the editor refuses a save made on an older revision
        super().save_model(request, obj, form, change)

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(publishing.PUBLISH_PERMISSION)

    @admin.action(description=_("Publish the selected drafts"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        for menu in queryset.select_related("account"):
            try:
                outcome = publishing.publish_menu(menu, request.user)
            except PermissionDenied:
                self.message_user(
                    request,
                    gettext("%(menu)s: you may not publish on %(account)s.")
                    % {"menu": menu, "account": menu.account},
                    messages.ERROR,
                )
                continue
            if outcome.ok:
                self.message_user(request, f"{menu} ({menu.account}): {outcome.hint}", messages.SUCCESS)
                continue
            lines = outcome.problems or outcome.changes
            detail = (" " + "; ".join(lines)) if lines else ""
            if outcome.code == "drift":
                detail += " " + gettext("Publish it from the editor to confirm replacing the live menu.")
            elif outcome.message and not outcome.problems:
                detail += " " + gettext("(platform said %(code)s: %(message)s)") % {
                    "code": outcome.code,
                    "message": outcome.message,
                }
            self.message_user(request, f"{menu} ({menu.account}): {outcome.hint}{detail}", messages.ERROR)


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "account", "action", "outcome", "code", "user"]
    list_filter = ["action", "outcome", "account__platform", ("account", AssignedAccountFilter)]
    search_fields = ["account__name", "account__slug", "code", "message", "menu__title"]
    list_select_related = ["account", "user", "menu"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "account",
        "action",
        "outcome",
        "user",
        "menu",
        "code",
        "message",
        "hint",
        "payload_display",
    ]
    readonly_fields = fields
    actions = ["restore_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(account__in=Account.objects.for_user(request.user))

    # The record of what was sent is evidence: nobody adds, edits or deletes it.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_restore_permission(self, request) -> bool:
        return request.user.has_perm(publishing.EDIT_PERMISSION)

    @admin.display(description=_("payload"))
    def payload_display(self, obj: Publication):
        try:
            text = json.dumps(json.loads(obj.payload), ensure_ascii=False, indent=2)
        except ValueError:
            text = obj.payload
        return format_html("<pre>{}</pre>", text) if text else "-"

    @admin.action(description=_("Restore into a new draft"), permissions=["restore"])
    def restore_selected(self, request, queryset):
        for publication in queryset.select_related("account"):
            try:
                menu = publishing.restore_publication(publication, request.user)
            except PermissionDenied:
                self.message_user(
                    request,
                    gettext("You may not edit menus on %(account)s.") % {"account": publication.account},
                    messages.ERROR,
                )
            except ValueError as exc:
                self.message_user(request, f"{publication}: {exc}", messages.WARNING)
            else:
                self.message_user(
                    request,
                    gettext("New draft “%(title)s” for %(account)s.")
                    % {"title": menu.title, "account": menu.account},
                    messages.SUCCESS,
                )


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Submissions for review and their decisions, to look up: read-only, like the history. They are
    made and decided on the review pages (menueditor/reviews.py), where the rules hold."""

    list_display = ["submitted_at", "account", "title", "revision", "state", "submitted_by", "decided_by"]
    # People to filter by: only those of the reviews this user may see.
    list_filter = [
        "state",
        ("account", AssignedAccountFilter),
        ("submitted_by", admin.RelatedOnlyFieldListFilter),
        ("decided_by", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "note", "comment", "account__name", "account__slug"]
    list_select_related = ["account", "submitted_by", "decided_by"]
    date_hierarchy = "submitted_at"
    fields = [
        "account",
        "menu",
        "title",
        "revision",
        "state",
        "submitted_by",
        "submitted_at",
        "note",
        "decided_by",
        "decided_at",
        "comment",
        "schedule",
        "publication",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).filter(account__in=Account.objects.for_user(request.user))

    # A decision is made on the review page (with its checks and mails), never by editing a row.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
