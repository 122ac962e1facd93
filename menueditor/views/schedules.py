"""Scheduled publishing in the browser: schedule a draft (and a switch back), move, cancel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from menueditor import publishing, scheduling
from menueditor.models import Menu, ScheduledPublish
from menueditor.platforms import get_platform
from menueditor.schedule_forms import ScheduleForm, WhenForm
from menueditor.views.compare import drift_comparison, review_comparison


def upcoming_by_account(accounts) -> dict[int, list[ScheduledPublish]]:
    """What is scheduled on these accounts and not finished, each with its zone's name (one query)."""
    by_account: dict[int, list[ScheduledPublish]] = {a.pk: [] for a in accounts}
    zones = {a.pk: scheduling.account_zone(a).key for a in accounts}
    upcoming = (
        ScheduledPublish.objects.filter(account__in=list(by_account))
        .upcoming()
        .select_related("menu", "created_by")
        .defer("menu__tree")
    )
    for schedule in upcoming:
        schedule.zone = zones[schedule.account_id]
        by_account[schedule.account_id].append(schedule)
    return by_account


def upcoming_for(account) -> list[ScheduledPublish]:
    return upcoming_by_account([account])[account.pk]


def notices_for(accounts) -> list[ScheduledPublish]:
    """Scheduled publishes of these accounts that ended lately, for the home page's notices."""
    notices = scheduling.recent_outcomes(accounts)
    for schedule in notices:
        schedule.zone = scheduling.account_zone(schedule.account).key
    return notices


def _reachable_menu(request: HttpRequest, pk: int) -> Menu:
    return get_object_or_404(Menu.objects.for_user(request.user).select_related("account"), pk=pk)


def _reachable_schedule(request: HttpRequest, pk: int) -> ScheduledPublish:
    queryset = ScheduledPublish.objects.for_user(request.user).select_related("account", "menu", "revert_of")
    schedule = get_object_or_404(queryset, pk=pk)
    if not publishing.can_publish(request.user, schedule.account):
        raise PermissionDenied
    return schedule


@login_required
@require_http_methods(["GET", "POST"])
def menu_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows the form and what publishing would change; POST schedules."""
    menu = _reachable_menu(request, pk)
    account = menu.account
    if not publishing.can_publish(request.user, account):
        raise PermissionDenied
    form = ScheduleForm(request.POST or None, menu=menu)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            schedule = scheduling.schedule_publish(
                menu,
                request.user,
                data["run_at"],
                revert_menu=data["revert_menu"],
                revert_at=data["revert_at"],
            )
        except scheduling.ScheduleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("“%(title)s” is scheduled for %(when)s.")
                % {"title": menu.title, "when": scheduling.shown_time(account, schedule.run_at)},
            )
            return redirect("home")
    preview = publishing.preview_publish(menu, request.user) if request.method == "GET" else None
    platform = get_platform(account.platform)
    context = {
        "menu": menu,
        "account": account,
        "platform": platform,
        "form": form,
        "zone": scheduling.account_zone(account).key,
        "preview": preview,
        # The publish review's presentation: two phones, the changes in words, the lost replies.
        "drift_cmp": drift_comparison(platform, preview),
        "review_cmp": review_comparison(platform, preview, preview.draft_tree)
        if preview is not None and preview.draft_tree is not None
        else None,
        "upcoming": upcoming_for(account),
        "may_publish": True,
        "editor_url": reverse("menu_edit", args=[menu.pk]),
    }
    return render(request, "menus/schedule.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def schedule_move(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = _reachable_schedule(request, pk)
    account = schedule.account
    local = scheduling.in_account_time(account, schedule.run_at)
    form = WhenForm(request.POST or None, initial={"date": local.date(), "time": local.time()})
    if request.method == "POST" and form.is_valid():
        try:
            scheduling.move_schedule(schedule, request.user, form.cleaned_data["run_at"])
        except scheduling.ScheduleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Moved to %(when)s.") % {"when": scheduling.shown_time(account, schedule.run_at)},
            )
            return redirect("home")
    context = {
        "schedule": schedule,
        "account": account,
        "form": form,
        "zone": scheduling.account_zone(account).key,
    }
    return render(request, "menus/schedule_move.html", context)


@login_required
@require_POST
def schedule_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = _reachable_schedule(request, pk)
    try:
        scheduling.cancel_schedule(schedule, request.user)
    except scheduling.ScheduleError as error:
        messages.error(request, str(error))
    else:
        title = schedule.menu.title if schedule.menu else _("(deleted draft)")
        messages.success(request, _("The publish of “%(title)s” is cancelled.") % {"title": title})
    if request.POST.get("next") == "history":
        return redirect("account_history", slug=schedule.account.slug)
    return redirect("home")
