"""An account's history: every publish, pull and delete with its own preview; restore; publish again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from menueditor import live_state, publishing
from menueditor.models import Menu, Publication
from menueditor.platforms import get_platform
from menueditor.reviews import account_steps
from menueditor.tree import MenuParseError, MenuTree
from menueditor.views.compare import drift_comparison, mark_history, preview_items, review_comparison
from menueditor.views.pages import editor_url, reachable_account, report_outcome
from menueditor.views.schedules import upcoming_for

PER_PAGE = 50


def payload_tree(publication: Publication) -> MenuTree | None:
    """The menu a publication sent (publish) or received (pull), or None when it holds none."""
    if not publication.payload.strip():
        return None
    try:
        return publication.tree()
    except (MenuParseError, ValueError, KeyError, TypeError):
        return None


@login_required
@require_GET
def account_history(request: HttpRequest, slug: str) -> HttpResponse:
    account = reachable_account(request, slug)
    platform = get_platform(account.platform)
    entries = account.publications.select_related("user", "menu").order_by("-created_at", "-pk")
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    live_ids = live_state.live_entry_ids(account)  # from the record: no platform call
    for entry in page:
        entry.account = account  # already loaded; spares a query per entry
        entry.is_live = entry.pk in live_ids
        entry.menu_url = editor_url(entry.menu) if entry.menu else ""
        tree = payload_tree(entry)
        entry.preview = preview_items(platform, tree) if tree is not None else None
        # A held scheduled publish keeps the differences it found, one per "; " (scheduling.py).
        entry.changes = entry.message.split("; ") if entry.outcome == Publication.Outcome.HELD else []
    # What each publish or delete changed against the entry before it.
    mark_history(account, platform, list(page))
    context = {
        "account": account,
        "platform": platform,
        "page": page,
        "may_edit": request.user.has_perm("menueditor.change_menu"),
        "may_publish": request.user.has_perm("menueditor.publish_menu"),
        "upcoming": upcoming_for(account),
        # Submitted, approved, sent back, scheduled, cancelled, published, held (menueditor/reviews.py).
        "review_steps": account_steps(account) if page.number == 1 else [],
        "unsettled": account.publications.filter(
            outcome__in=[Publication.Outcome.PENDING, Publication.Outcome.UNKNOWN]
        ).exists(),
    }
    return render(request, "menus/history.html", context)


@login_required
@require_POST
def account_settle(request: HttpRequest, slug: str) -> HttpResponse:
    """Read the live menu and settle the publishes and deletes whose answer never came."""
    account = reachable_account(request, slug)
    if not publishing.can_publish(request.user, account):
        raise PermissionDenied
    report_outcome(request, publishing.settle_interrupted(account, request.user))
    return redirect("account_history", slug=account.slug)


def reachable_publication(request: HttpRequest, pk: int) -> Publication:
    queryset = Publication.objects.for_user(request.user).select_related("account")
    return get_object_or_404(queryset, pk=pk)


@login_required
@require_POST
def publication_restore(request: HttpRequest, pk: int) -> HttpResponse:
    publication = reachable_publication(request, pk)
    if not publishing.can_edit(request.user, publication.account):
        raise PermissionDenied
    try:
        menu = publishing.restore_publication(publication, request.user)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("account_history", slug=publication.account.slug)
    messages.success(request, _("Restored into the new draft “%(title)s”.") % {"title": menu.title})
    return redirect(editor_url(menu))


@login_required
@require_http_methods(["GET", "POST"])
def publication_republish(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first, showing the menu that will go live; POST restores it as a draft and publishes."""
    publication = reachable_publication(request, pk)
    account = publication.account
    if not publishing.can_publish(request.user, account):
        raise PermissionDenied
    if request.method == "GET":
        tree = payload_tree(publication)
        if tree is None:
            messages.error(request, _("This entry holds no menu to publish."))
            return redirect("account_history", slug=account.slug)
        return _confirm_republish(request, publication, tree)
    # The past menu is in a draft first, so whatever the platform answers, nothing is lost; a draft
    # that already holds it is reused, so publishing again does not add a draft each time.
    try:
        menu = publishing.draft_holding(publication, request.user)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("account_history", slug=account.slug)
    # Set once the person saw the live menu changed elsewhere and confirmed replacing exactly that one.
    if_live = request.POST.get("live_fingerprint", "").strip() or None
    outcome = publishing.publish_menu(menu, request.user, if_live=if_live)
    if not outcome.ok and outcome.code == "drift":
        # Nothing was sent: the differences as the review shows them, to confirm or to leave.
        return _confirm_republish(request, publication, payload_tree(publication), outcome=outcome, menu=menu)
    if not outcome.ok and outcome.code in ("invalid", "review"):
        # Nothing was sent; the restored draft's editor shows the problems and can publish from there.
        report_outcome(request, outcome)
        return redirect(editor_url(menu))
    if outcome.ok:
        when = date_format(localtime(publication.created_at), "SHORT_DATETIME_FORMAT")
        messages.success(request, _("The menu of %(when)s is live again.") % {"when": when})
    report_outcome(request, outcome)
    return redirect("account_history", slug=account.slug)


def _confirm_republish(
    request: HttpRequest,
    publication: Publication,
    tree: MenuTree | None,
    *,
    outcome: publishing.Outcome | None = None,
    menu: Menu | None = None,
) -> HttpResponse:
    """The question before publishing an entry again, with what it would change as the publish
    review shows it; after a drift refusal, the live menu's changes and what publishing would change
    as two phones each. Either confirms against exactly the live menu shown."""
    account = publication.account
    platform = get_platform(account.platform)
    publication.preview = preview_items(platform, tree) if tree is not None else None
    context = {"entry": publication, "account": account, "platform": platform, "outcome": outcome}
    if outcome is None and tree is not None:
        # Asking first: the live menu now and this one as two phones, read from the platform.
        preview = publishing.preview_republish(publication, request.user)
        context |= {
            "preview": preview,
            "drift_cmp": drift_comparison(platform, preview),
            "review_cmp": review_comparison(platform, preview, preview.draft_tree)
            if preview.draft_tree is not None
            else None,
        }
    if outcome is not None:
        context |= {
            "drift_cmp": drift_comparison(platform, outcome),
            "review_cmp": review_comparison(platform, outcome, outcome.draft_tree)
            if outcome.draft_tree is not None
            else None,
            "restored_url": editor_url(menu) if menu is not None else "",
        }
    status = 409 if outcome is not None else 200
    return render(request, "menus/confirm_republish.html", context, status=status)
