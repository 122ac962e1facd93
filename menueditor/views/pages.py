"""The pages around the editor: home (accounts, drafts, live state, schedules), start a draft, pull,
delete live."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Account
from menueditor import publishing
from menueditor.models import Menu, Publication
from menueditor.platforms import get_platform
from menueditor.reviews import waiting_by_account
from menueditor.views import schedules


def editor_url(menu: Menu) -> str:
    """The editor of a draft; home until the editor's URL exists."""
    try:
        return reverse("menu_edit", args=[menu.pk])
    except NoReverseMatch:
        return reverse("home")


def reachable_account(request: HttpRequest, slug: str) -> Account:
    """An account this user may reach, or 404: another team's account does not exist for them."""
    return get_object_or_404(Account.objects.for_user(request.user), slug=slug)


def report_outcome(request: HttpRequest, outcome, *, success: str = "") -> None:
    """Put a publishing outcome on the next page: the hint in marketer words, and what the platform said."""
    if outcome.ok:
        messages.success(request, outcome.hint or success)
        return
    said = " ".join(part for part in (outcome.code, outcome.message[:300]) if part)
    if said and outcome.code not in ("drift", "invalid"):
        text = _("%(hint)s (The platform said: %(said)s)") % {"hint": outcome.hint, "said": said}
    else:
        text = outcome.hint or said
    messages.error(request, text)
    for line in (outcome.problems or outcome.changes or [])[:20]:
        messages.warning(request, line)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    # Actions that change the live menu; a pull only reads it.
    last_change = Publication.objects.filter(
        account=OuterRef("pk"), action__in=[Publication.Action.PUBLISH, Publication.Action.DELETE]
    ).order_by("-created_at", "-pk")
    accounts = list(
        Account.objects.for_user(user)
        .annotate(last_change_id=Subquery(last_change.values("pk")[:1]))
        .prefetch_related(
            Prefetch(
                "menus",
                # The list shows titles, not menus: a draft's tree can be large, and is never read here.
                queryset=Menu.objects.filter(archived_at__isnull=True)
                .select_related("updated_by")
                .defer("tree")
                .order_by("-updated_at", "-pk"),
                to_attr="drafts",
            )
        )
    )
    # One query for every account's last live change, whatever the number of accounts.
    ids = [a.last_change_id for a in accounts if a.last_change_id]
    changes = Publication.objects.select_related("user").in_bulk(ids) if ids else {}
    upcoming = schedules.upcoming_by_account(accounts)
    waiting = waiting_by_account(accounts)  # drafts submitted for review (menueditor/reviews.py)
    for account in accounts:
        account.last_change = changes.get(account.last_change_id)
        account.upcoming = upcoming[account.pk]
        account.waiting = waiting[account.pk]
        for menu in account.drafts:
            menu.edit_url = editor_url(menu)
    # The accounts are already the reachable ones, so the model permissions decide the buttons.
    context = {
        "accounts": accounts,
        "notices": schedules.notices_for(accounts),
        "may_edit": user.has_perm("menueditor.change_menu"),
        "may_publish": user.has_perm("menueditor.publish_menu"),
    }
    return render(request, "menus/home.html", context)


@login_required
@require_POST
def draft_start(request: HttpRequest, slug: str) -> HttpResponse:
    account = reachable_account(request, slug)
    if not publishing.can_edit(request.user, account):
        raise PermissionDenied
    now = timezone.localtime()
    menu = Menu.objects.create(
        account=account,
        title=_("New menu, %(when)s") % {"when": date_format(now, "SHORT_DATETIME_FORMAT")},
        tree=get_platform(account.platform).starter_tree(_("Menu")).to_json(),
        updated_by=request.user,
    )
    return redirect(editor_url(menu))


@login_required
@require_POST
def menu_pull(request: HttpRequest, slug: str) -> HttpResponse:
    account = reachable_account(request, slug)
    if not publishing.can_edit(request.user, account):
        raise PermissionDenied
    result = publishing.pull_menu(account, request.user)
    if not result.outcome.ok:
        report_outcome(request, result.outcome)
        return redirect("home")
    if result.menu is None:  # nothing is live: no draft to open
        messages.info(request, result.outcome.hint)
        return redirect("home")
    messages.success(request, result.outcome.hint)
    if result.unconvertible:
        messages.warning(
            request,
            _("Not converted, check these before publishing: %(items)s")
            % {"items": "; ".join(result.unconvertible)},
        )
    return redirect(editor_url(result.menu))


@login_required
@require_http_methods(["GET", "POST"])
def live_delete(request: HttpRequest, slug: str) -> HttpResponse:
    account = reachable_account(request, slug)
    if not publishing.can_publish(request.user, account):
        raise PermissionDenied
    if request.method == "POST":
        outcome = publishing.delete_live_menu(account, request.user)
        report_outcome(
            request,
            outcome,
            success=_("The live menu of %(account)s was deleted.") % {"account": account.name},
        )
        return redirect("account_history", slug=account.slug)
    from menueditor.views.live_set import deleted_along  # live_set builds on this module

    return render(
        request, "menus/confirm_delete_live.html", {"account": account, **deleted_along(request, account)}
    )
