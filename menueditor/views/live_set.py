"""The account's live menus as a set (the default menu and each conditional menu with its rule),
"what does this follower see?", and which followers a draft is for."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Account
from menueditor import conditional, publishing
from menueditor.conditional_forms import MatchRuleForm, TryMatchForm
from menueditor.forms import phone_preview
from menueditor.models import Menu
from menueditor.platforms import get_platform
from menueditor.platforms.matching import DEFAULT_RULE, LiveSet
from menueditor.tree import MenuTree
from menueditor.views.pages import editor_url, reachable_account, report_outcome


def _conditional_account(request: HttpRequest, slug: str) -> Account:
    account = reachable_account(request, slug)
    if conditional.support(account) is None:
        raise Http404(_("This account has no conditional menus."))
    if not (publishing.can_edit(request.user, account) or publishing.can_publish(request.user, account)):
        raise PermissionDenied
    return account


def phone_of(tree: MenuTree | None, account: Account) -> list[dict]:
    """The phone's bar for a menu shown read-only, its first sub-menu open."""
    if tree is None:
        return []
    first_parent = next((i for i, b in enumerate(tree.buttons) if b.is_parent), None)
    return phone_preview(tree, get_platform(account.platform), "", first_parent)


def live_set_rows(account: Account, live: LiveSet, tags: conditional.TagList) -> list[dict]:
    """Each live menu with who sees it, its phone and its id, the default first."""
    rows = [
        {
            "menuid": "",
            "is_default": True,
            "who": conditional.describe_rule(account, DEFAULT_RULE, tags),
            "matches": True,
            "tree": live.default,
            "phone": phone_of(live.default, account),
        }
    ]
    for item in reversed(live.conditional):  # as the platform tries them: newest first
        rows.append(
            {
                "menuid": item.menuid,
                "is_default": False,
                "who": conditional.describe_rule(account, item.rule, tags),
                "matches": item.rule.still_matches,
                "tree": item.tree,
                "phone": phone_of(item.tree, account),
            }
        )
    return rows


def live_set_context(request: HttpRequest, account: Account) -> dict:
    """What the live-set partial (menus/_live_set.html) needs; the platform is read once."""
    result = conditional.read_live_set(account, request.user)
    context = {
        "account": account,
        "live_outcome": result.outcome,
        "tags": result.tags,
        "may_edit": publishing.can_edit(request.user, account),
        "may_publish": publishing.can_publish(request.user, account),
        "try_form": TryMatchForm(support=conditional.support(account)),
    }
    if result.live is not None:
        context["live_rows"] = live_set_rows(account, result.live, result.tags)
    return context


@login_required
@require_GET
def live_set(request: HttpRequest, slug: str) -> HttpResponse:
    account = _conditional_account(request, slug)
    context = live_set_context(request, account)
    if "user_id" in request.GET:
        form = TryMatchForm(request.GET, support=conditional.support(account))
        context["try_form"] = form
        if form.is_valid():
            found = conditional.try_match(account, request.user, form.cleaned_data["user_id"])
            context["tried"] = found
            context["tried_phone"] = phone_of(found.tree, account)
    return render(request, "menus/live_set.html", context)


@login_required
@require_POST
def live_tags_refresh(request: HttpRequest, slug: str) -> HttpResponse:
    account = _conditional_account(request, slug)
    tags = conditional.account_tags(account, refresh=True)
    if tags.outcome is not None:
        report_outcome(request, tags.outcome)
    else:
        messages.success(request, _("The follower tags were read again."))
    return _back(request) if request.POST.get("next") else redirect("live_set", account.slug)


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    # Only a path of this site: never an address elsewhere.
    if not target.startswith("/") or target.startswith("//"):
        return redirect("home")
    return redirect(target)


@login_required
@require_POST
def live_conditional_pull(request: HttpRequest, slug: str, menuid: str) -> HttpResponse:
    account = _conditional_account(request, slug)
    if not publishing.can_edit(request.user, account):
        raise PermissionDenied
    result = conditional.pull_conditional(account, request.user, menuid)
    if not result.outcome.ok:
        report_outcome(request, result.outcome)
        return redirect("live_set", account.slug)
    messages.success(request, result.outcome.hint)
    return redirect(editor_url(result.menu))


@login_required
@require_http_methods(["GET", "POST"])
def live_conditional_delete(request: HttpRequest, slug: str, menuid: str) -> HttpResponse:
    account = _conditional_account(request, slug)
    if not publishing.can_publish(request.user, account):
        raise PermissionDenied
    if request.method == "POST":
        outcome = conditional.delete_conditional(account, request.user, menuid)
        report_outcome(request, outcome)
        return redirect("live_set", account.slug)
    result = conditional.read_live_set(account, request.user)
    item = None
    if result.live is not None:
        item = next((c for c in result.live.conditional if c.menuid == menuid), None)
    if item is None and result.outcome is None:
        messages.info(request, _("That conditional menu is no longer live: it was deleted already."))
        return redirect("live_set", account.slug)
    context = {
        "account": account,
        "menuid": menuid,
        "outcome": result.outcome,
        "who": conditional.describe_rule(account, item.rule, result.tags) if item else "",
        "phone": phone_of(item.tree, account) if item else [],
    }
    return render(request, "menus/confirm_delete_conditional.html", context)


@login_required
@require_POST
def menu_rule(request: HttpRequest, pk: int) -> HttpResponse:
    """Which followers a draft is for: the default menu, or a tag and/or a phone system."""
    menu = get_object_or_404(Menu.objects.for_user(request.user).select_related("account"), pk=pk)
    account = menu.account
    if not publishing.can_edit(request.user, account):
        raise PermissionDenied
    support = conditional.support(account)
    if support is None:
        raise Http404(_("This account has no conditional menus."))
    tags = conditional.account_tags(account)
    form = MatchRuleForm(
        request.POST,
        tags=tags.tags,
        os_choices=support.os_choices,
        current=conditional.rule_of(menu),
        support=support,
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(editor_url(menu))
    rule = form.cleaned_data["rule"]
    # A new revision: a review made for the old rule no longer holds.
    Menu.objects.filter(pk=menu.pk).update(
        match_rule=rule.to_json(),
        revision=F("revision") + 1,
        updated_by=request.user,
        updated_at=timezone.now(),
    )
    messages.success(
        request,
        _("This draft is now for: %(who)s.") % {"who": conditional.describe_rule(account, rule, tags)},
    )
    return redirect(editor_url(menu))


def deleted_along(request: HttpRequest, account: Account) -> dict:
    """For the confirmation of deleting the default menu: the conditional menus that go with it."""
    if conditional.support(account) is None:
        return {}
    result = conditional.read_live_set(account, request.user)
    rows = live_set_rows(account, result.live, result.tags)[1:] if result.live is not None else []
    return {"conditional_rows": rows, "conditional_outcome": result.outcome}
