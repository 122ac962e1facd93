"""Review and approval in the browser: submit a draft, the review page (the publish review of the
submitted draft) with approve now, approve for a time and send back, withdraw, publish an approval
again after a refusal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from menueditor import publishing, reviews, scheduling
from menueditor.models import Menu, Review
from menueditor.platforms import get_platform
from menueditor.review_forms import ApproveForm, SendBackForm, SubmitForm
from menueditor.schedule_forms import ScheduleForm
from menueditor.tree import MenuParseError
from menueditor.views.pages import report_outcome


def _reachable_menu(request: HttpRequest, pk: int) -> Menu:
    return get_object_or_404(Menu.objects.for_user(request.user).select_related("account"), pk=pk)


def _reachable_review(request: HttpRequest, pk: int) -> Review:
    queryset = Review.objects.for_user(request.user).select_related(
        "account", "menu", "submitted_by", "decided_by", "schedule", "publication"
    )
    return get_object_or_404(queryset, pk=pk)


def _review_of(menu: Menu, user) -> publishing.PublishPreview:
    """The publish review of the saved draft, as the editor's publish button shows it."""
    preview = publishing.preview_publish(menu, user)
    if getattr(preview, "draft_tree", None) is None:  # the review's phones compare it with the live menu
        try:
            preview.draft_tree = get_platform(menu.account.platform).parse(menu.tree)
        except MenuParseError:
            preview.draft_tree = None
    return preview


def _editor(menu_id: int | None) -> str:
    return reverse("menu_edit", args=[menu_id]) if menu_id else reverse("home")


@login_required
@require_http_methods(["GET", "POST"])
def menu_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows what the saved draft would change and asks for a note; POST submits it."""
    menu = _reachable_menu(request, pk)
    account = menu.account
    if not reviews.must_submit(request.user, account):
        raise PermissionDenied
    form = SubmitForm(request.POST or None, initial={"revision": menu.revision})
    if request.method == "POST" and form.is_valid():
        try:
            reviews.submit(
                menu, request.user, form.cleaned_data["note"], revision=form.cleaned_data["revision"]
            )
        except reviews.ReviewError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Submitted for review: a publisher of %(account)s will look at it.")
                % {"account": account.name},
            )
            return redirect("menu_edit", pk=menu.pk)
    context = {
        "menu": menu,
        "account": account,
        "form": form,
        "latest": reviews.latest_for(menu),
        "preview": _review_of(menu, request.user),
        "platform": get_platform(account.platform),
        "editor_url": reverse("menu_edit", args=[menu.pk]),
    }
    return render(request, "menus/submit.html", context)


def _page(
    request: HttpRequest,
    review: Review,
    approve_form=None,
    send_back_form=None,
    status=200,
    reschedule_form=None,
) -> HttpResponse:
    account = review.account
    menu = review.menu
    waiting = (
        review.state == Review.State.SUBMITTED and menu is not None
    )  # a deleted draft: nothing to decide
    if waiting and menu is not None and menu.revision != review.revision:
        reviews.withdraw_changed([menu])
        review.refresh_from_db()
        waiting = False
    approved_open = reviews.open_approval(review)
    # Approved, not gone out, and the draft changed since: only a new submission can go out.
    outdated = approved_open and menu.revision != review.revision
    approved_open = approved_open and not outdated
    may_publish = publishing.can_publish(request.user, account)
    preview = None
    if menu is not None and may_publish and (waiting or approved_open):
        preview = _review_of(menu, request.user)
    context = {
        "review": review,
        "account": account,
        "menu": menu,
        "waiting": waiting,
        "approved_open": approved_open,
        "approval_outdated": outdated,
        "may_submit": menu is not None and reviews.must_submit(request.user, account),
        "may_publish": may_publish,
        "may_edit": publishing.can_edit(request.user, account),
        "cannot_decide": reviews.decide_problem(review, request.user),
        "preview": preview,
        "approve_form": approve_form
        or ApproveForm(initial={"live_fingerprint": preview.fingerprint if preview else ""}, menu=menu),
        "reschedule_form": reschedule_form or ScheduleForm(menu=menu),
        "send_back_form": send_back_form or SendBackForm(),
        "zone": scheduling.account_zone(account).key,
        "platform": get_platform(account.platform),
        "steps": reviews.steps(review)[::-1],
        "editor_url": _editor(review.menu_id),
    }
    return render(request, "menus/review.html", context, status=status)


@login_required
@require_GET
def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _reachable_review(request, pk))


def _require_publisher(request: HttpRequest, review: Review) -> None:
    if not publishing.can_publish(request.user, review.account):
        raise PermissionDenied


@login_required
@require_POST
def review_approve(request: HttpRequest, pk: int) -> HttpResponse:
    review = _reachable_review(request, pk)
    _require_publisher(request, review)
    form = ApproveForm(request.POST, menu=review.menu)
    if not form.is_valid():
        return _page(request, review, approve_form=form, status=400)
    data = form.cleaned_data
    try:
        approval = reviews.approve(
            review,
            request.user,
            live_fingerprint=data["live_fingerprint"] or None,
            run_at=data.get("run_at") if form.later else None,
            comment=data["comment"],
            revert_menu=data.get("revert_menu"),
            revert_at=data.get("revert_at"),
        )
    except reviews.ReviewError as error:
        form.add_error(None, str(error))
        return _page(request, review, approve_form=form, status=409)
    if approval.schedule is not None:
        messages.success(
            request,
            _("Approved: “%(title)s” goes live at %(when)s.")
            % {
                "title": review.title,
                "when": scheduling.shown_time(review.account, approval.schedule.run_at),
            },
        )
        return redirect("home")
    if approval.outcome.ok:
        messages.success(request, _("Approved and published: “%(title)s”.") % {"title": review.title})
        report_outcome(request, approval.outcome)
        return redirect("home")
    # Approved, not published (the live menu changed since the review, the platform refused...):
    # the review page shows the approval again with what to do.
    report_outcome(request, approval.outcome)
    return redirect("review_page", pk=review.pk)


@login_required
@require_POST
def review_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish an approval that was not published (refused, held, failed), confirming the live menu."""
    review = _reachable_review(request, pk)
    _require_publisher(request, review)
    refused = reviews.decide_problem(review, request.user)
    if refused:
        messages.error(request, refused)
        return redirect("review_page", pk=review.pk)
    try:
        outcome = reviews.publish_approved(
            review, request.user, live_fingerprint=request.POST.get("live_fingerprint", "").strip() or None
        )
    except reviews.ReviewError as error:
        messages.error(request, str(error))
        return redirect("review_page", pk=review.pk)
    report_outcome(request, outcome)
    if outcome.ok:
        return redirect("home")
    return redirect("review_page", pk=review.pk)


@login_required
@require_POST
def review_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Schedule again an approval whose scheduled publish was held, cancelled or failed."""
    review = _reachable_review(request, pk)
    _require_publisher(request, review)
    form = ScheduleForm(request.POST, menu=review.menu)
    if not form.is_valid():
        return _page(request, review, reschedule_form=form, status=400)
    data = form.cleaned_data
    try:
        schedule = reviews.reschedule_approved(
            review, request.user, data["run_at"], revert_menu=data["revert_menu"], revert_at=data["revert_at"]
        )
    except reviews.ReviewError as error:
        form.add_error(None, str(error))
        return _page(request, review, reschedule_form=form, status=409)
    messages.success(
        request,
        _("Scheduled again: “%(title)s” goes live at %(when)s.")
        % {"title": review.title, "when": scheduling.shown_time(review.account, schedule.run_at)},
    )
    return redirect("home")


@login_required
@require_POST
def review_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    review = _reachable_review(request, pk)
    _require_publisher(request, review)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        return _page(request, review, send_back_form=form, status=400)
    try:
        reviews.send_back(review, request.user, form.cleaned_data["comment"])
    except reviews.ReviewError as error:
        form.add_error(None, str(error))
        return _page(request, review, send_back_form=form, status=409)
    messages.success(
        request,
        _("Sent back to %(who)s with your comment.") % {"who": review.submitted_by or _("the editor")},
    )
    return redirect("home")


@login_required
@require_POST
def review_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    review = _reachable_review(request, pk)
    try:
        reviews.withdraw(review, request.user)
    except reviews.ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Withdrawn from review: the draft is yours to change again."))
    return redirect(_editor(review.menu_id))


def editor_review_bar(user, menu: Menu) -> dict:
    """What the editor's action bar says about review (menus/_review_bar.html): the draft's latest
    submission, whether this user submits to publish, whether they may decide on it."""
    account = menu.account
    if not account.needs_approval:
        return {}
    latest = reviews.latest_for(menu)
    return {
        "latest": latest,
        "may_submit": reviews.must_submit(user, account),
        "may_decide": latest is not None and not reviews.decide_problem(latest, user),
    }


def review_bar_oob(request: HttpRequest, menu: Menu) -> str:
    """The editor's review bar, out-of-band for a save's answer: what the save did to the review
    (taken out of review, an approval it outdated); '' on accounts without review."""
    bar = editor_review_bar(request.user, menu)
    if not bar:
        return ""
    return render_to_string("menus/_review_bar.html", {"review_bar": bar, "menu": menu, "oob": True}, request)
