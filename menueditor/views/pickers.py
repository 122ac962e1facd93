"""The pickers beside a content button's id field: the panel, its refresh, what was chosen, thumbnails.

Every URL names the account by slug and answers 404 for an account the user may not reach. Lists
are read from the cache (menueditor/pickers.py); only the refresh calls the platform, with no
transaction open (no view here runs inside one). Thumbnails are served from the app, fetched only
for ids the platform itself listed: no URL from a request is ever fetched.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Account
from menueditor import pickers
from menueditor.models import Menu
from menueditor.platforms.content import PickerKind
from menueditor.tree import MenuParseError, parse_menu
from menueditor.views.pages import reachable_account

PANEL = "menus/picker_panel.html"


def _kind(account: Account, code: str) -> PickerKind:
    kind = pickers.kind_of(account, code)
    if kind is None:
        raise Http404("No such picker.")
    return kind


def _page_number(value: str) -> int:
    return int(value) if value.isdigit() and len(value) < 6 else 1


def _panel(request: HttpRequest, account: Account, kind: PickerKind, params, failures=()) -> HttpResponse:
    codes = [s.code for s in kind.sources]
    source_code = params.get("source", "")
    source = kind.sources[codes.index(source_code)] if source_code in codes else kind.sources[0]
    view = pickers.read_list(
        account, source, query=params.get("q", "")[:100], page=_page_number(params.get("page", ""))
    )
    field_id = params.get("field", "")[:100]
    context = {
        "account": account,
        "kind": kind,
        "source": source,
        "list": view,
        "field_id": field_id,
        "type_code": params.get("type", "")[:40],
        "failures": failures,
    }
    return render(request, PANEL, context)


@login_required
@require_GET
def picker_panel(request: HttpRequest, slug: str) -> HttpResponse:
    """The picker: one list (a tab), searched by name, 20 a page, from the cache."""
    account = reachable_account(request, slug)
    return _panel(request, account, _kind(account, request.GET.get("kind", "")), request.GET)


@login_required
@require_POST
def picker_refresh(request: HttpRequest, slug: str) -> HttpResponse:
    """Fetch the picker's lists from the platform again; failures are shown in the panel."""
    account = reachable_account(request, slug)
    kind = _kind(account, request.POST.get("kind", ""))
    failures = pickers.refresh(account, kind)
    return _panel(request, account, kind, request.POST, failures)


@login_required
@require_GET
def picker_chosen(request: HttpRequest, slug: str) -> HttpResponse:
    """What the id in the field names (thumbnail, name and what the button sends), or nothing known."""
    account = reachable_account(request, slug)
    kind = _kind(account, request.GET.get("kind", ""))
    # The field's own value, sent under its posted name (hx-include), else ?id=.
    field_name = request.GET.get("name", "")
    item_id = (request.GET.get(field_name, "") if field_name else "") or request.GET.get("id", "")
    item_id = item_id.strip()[:200]
    item = pickers.find(account, kind.code, item_id)
    type_code = request.GET.get("type", "")[:40]
    context = {
        "account": account,
        "kind": kind,
        "item": item,
        "item_id": item_id,
        "sends": pickers.sends(account, type_code, item) if item is not None else "",
        "source": next((s for s in kind.sources if item is not None and s.code == item.source), None),
    }
    return render(request, "menus/picker_chosen.html", context)


@login_required
@require_GET
def picker_thumbnail(request: HttpRequest, slug: str) -> HttpResponse:
    """An item's picture from the app itself: only for an id the platform listed on this account."""
    account = reachable_account(request, slug)
    item = pickers.cached_item(account, request.GET.get("source", "")[:20], request.GET.get("id", "")[:200])
    if item is None or not item.thumb:
        raise Http404("No such picture.")
    picture = pickers.thumbnail(account, item)
    if picture is None:
        raise Http404("No picture.")
    data, content_type = picture
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def picker_check(request: HttpRequest, slug: str) -> HttpResponse:
    """In the publish review: the saved draft's chosen materials and articles checked afresh on
    the platform (no transaction open), each one gone named."""
    account = reachable_account(request, slug)
    menu_id = request.GET.get("menu", "")
    if not menu_id.isdigit() or len(menu_id) > 18:
        raise Http404("No such draft.")
    menu = get_object_or_404(Menu.objects.for_user(request.user), pk=int(menu_id), account=account)
    try:
        tree = parse_menu(menu.tree)
    except MenuParseError:
        tree = None
    warnings, checked = pickers.content_warnings(account, tree)
    context = {"warnings": warnings, "checked": checked, "account": account, "menu": menu}
    # The review loads the fragment; without JavaScript its link opens the same check as a page.
    template = (
        "menus/content_warnings.html"
        if request.headers.get("HX-Request")
        else "menus/content_check_page.html"
    )
    return render(request, template, context)
