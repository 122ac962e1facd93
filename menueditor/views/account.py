"""An account's own page: its live state, its drafts (rename, duplicate, archive, delete) and schedules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Account
from menueditor import draft_titles, live_state, publishing
from menueditor.draft_forms import DraftTitleForm
from menueditor.models import Menu, ScheduledPublish
from menueditor.views.pages import editor_url, reachable_account
from menueditor.views.schedules import upcoming_for

DELETE_PERMISSION = "menueditor.delete_menu"


def account_context(request: HttpRequest, account: Account) -> dict:
    """What the account page shows; the rename form with its errors is added by draft_rename."""
    user = request.user
    known = live_state.known_live(account)
    drafts = list(account.menus.select_related("updated_by").order_by("-updated_at", "-pk"))
    for menu in drafts:
        menu.edit_url = editor_url(menu)
        # Compared by content (canonical form), as followers see it: no platform call here.
        menu.is_live = live_state.is_live(menu, known)
    default = known.get("")
    return {
        "account": account,
        "last_change": default.publication if default else None,
        "drafts": [m for m in drafts if m.archived_at is None],
        "archived": [m for m in drafts if m.archived_at is not None],
        "upcoming": upcoming_for(account),
        "may_edit": user.has_perm(publishing.EDIT_PERMISSION),
        "may_delete": user.has_perm(publishing.EDIT_PERMISSION) and user.has_perm(DELETE_PERMISSION),
        "may_publish": user.has_perm(publishing.PUBLISH_PERMISSION),
    }


@login_required
@require_GET
def account_page(request: HttpRequest, slug: str) -> HttpResponse:
    account = reachable_account(request, slug)
    return render(request, "menus/account.html", account_context(request, account))


def _editable_draft(request: HttpRequest, pk: int) -> Menu:
    """A draft of an account this user reaches (404 otherwise) and may edit (403 otherwise)."""
    menu = get_object_or_404(Menu.objects.for_user(request.user).select_related("account"), pk=pk)
    if not publishing.can_edit(request.user, menu.account):
        raise PermissionDenied(_("Changing drafts needs the Menu editors group; ask an admin."))
    return menu


def _back(menu: Menu) -> HttpResponse:
    return redirect("account_page", slug=menu.account.slug)


@login_required
@require_POST
def draft_rename(request: HttpRequest, pk: int) -> HttpResponse:
    menu = _editable_draft(request, pk)
    form = DraftTitleForm(request.POST)
    if not form.is_valid():
        context = account_context(request, menu.account)
        context.update(rename_pk=menu.pk, rename_form=form)
        return render(request, "menus/account.html", context, status=400)
    # A new revision: an editor open on the old title then reports a conflict rather than undoing this.
    Menu.objects.filter(pk=menu.pk).update(
        title=form.cleaned_data["title"],
        revision=F("revision") + 1,
        updated_by=request.user,
        updated_at=timezone.now(),
    )
    messages.success(
        request, _("Renamed “%(old)s” to “%(new)s”.") % {"old": menu.title, "new": form.cleaned_data["title"]}
    )
    return _back(menu)


@login_required
@require_POST
def draft_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    menu = _editable_draft(request, pk)
    copy = Menu.objects.create(
        account=menu.account,
        title=draft_titles.copy_of(menu.title),
        tree=menu.tree,
        updated_by=request.user,
    )
    messages.success(request, _("“%(title)s” is a new draft.") % {"title": copy.title})
    return _back(menu)


def _scheduled_refusal(menu: Menu) -> str:
    """Why the draft must stay: a scheduled publish will send it. "" when none will."""
    upcoming = ScheduledPublish.objects.upcoming().filter(menu=menu).first()
    if upcoming is None:
        return ""
    return _("“%(title)s” is scheduled to be published; cancel or move that scheduled publish first.") % {
        "title": menu.title
    }


@login_required
@require_POST
def draft_archive(request: HttpRequest, pk: int) -> HttpResponse:
    menu = _editable_draft(request, pk)
    refusal = _scheduled_refusal(menu)
    if refusal:
        messages.error(request, refusal)
        return _back(menu)
    Menu.objects.filter(pk=menu.pk, archived_at__isnull=True).update(archived_at=timezone.now())
    messages.success(
        request, _("“%(title)s” is archived. Restore it from the Archived list.") % {"title": menu.title}
    )
    return _back(menu)


@login_required
@require_POST
def draft_unarchive(request: HttpRequest, pk: int) -> HttpResponse:
    menu = _editable_draft(request, pk)
    Menu.objects.filter(pk=menu.pk).update(archived_at=None)
    messages.success(request, _("“%(title)s” is back among the drafts.") % {"title": menu.title})
    return _back(menu)


def history_references(menu: Menu) -> int:
    """How many records (history entries, scheduled publishes, anything else pointing at the draft)
    would lose their draft if it were deleted."""
    count = 0
    for relation in Menu._meta.related_objects:
        if relation.many_to_many:
            continue
        count += relation.related_model._base_manager.filter(**{relation.field.name: menu}).count()
    return count


@login_required
@require_http_methods(["GET", "POST"])
def draft_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first; POST deletes, or archives a draft the history points at (its record stays)."""
    menu = _editable_draft(request, pk)
    if not request.user.has_perm(DELETE_PERMISSION):
        raise PermissionDenied(_("Deleting drafts needs the Menu editors group; ask an admin."))
    refusal = _scheduled_refusal(menu)
    if refusal:
        messages.error(request, refusal)
        return _back(menu)
    references = history_references(menu)
    if request.method == "GET":
        context = {"menu": menu, "account": menu.account, "references": references}
        return render(request, "menus/confirm_delete_draft.html", context)
    with transaction.atomic():
        # Counted again under the row's lock: a publish recorded meanwhile makes it an archive too.
        Menu.objects.select_for_update().filter(pk=menu.pk).first()
        references = history_references(menu)
        if not references:
            menu.delete()
    if references:
        Menu.objects.filter(pk=menu.pk, archived_at__isnull=True).update(archived_at=timezone.now())
        text = ngettext(
            "“%(title)s” is in %(count)d history entry, so it was archived instead of deleted: the "
            "history keeps its draft.",
            "“%(title)s” is in %(count)d history entries, so it was archived instead of deleted: the "
            "history keeps its draft.",
            references,
        ) % {"title": menu.title, "count": references}
        messages.info(request, text)
        return _back(menu)
    messages.success(request, _("“%(title)s” was deleted.") % {"title": menu.title})
    return _back(menu)
