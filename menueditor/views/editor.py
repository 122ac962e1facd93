"""The menu editor: one form posted whole, answered with the parts of the page that change.

Every htmx request posts the whole form and gets back out-of-band fragments (hx-swap="none"), so
the field being typed in is never replaced. Without htmx the same URLs answer with the full page,
which keeps the editor usable without JavaScript and the test-client tests meaningful.
"""

from __future__ import annotations

import copy
import json
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from accounts.models import Account
from menueditor import conditional, draft_titles, naming, publishing
from menueditor.conditional import ImportedMenu, read_import
from menueditor.drafts import Draft, load_draft
from menueditor.forms import (
    MenuForm,
    draft_bytes,
    editor_rows,
    field_statuses,
    phone_preview,
    problem_key,
    status_rows,
    too_large_message,
)
from menueditor.models import Menu
from menueditor.platforms import PlatformRules, Problem, get_platform
from menueditor.reviews import may_publish_directly, withdraw_changed
from menueditor.structure import apply_edit
from menueditor.tree import MenuParseError, MenuTree, parse_menu
from menueditor.views.reviews import editor_review_bar, review_bar_oob

TEMPLATE = "menus/editor.html"
MAX_IMPORT_BYTES = 256 * 1024  # a full menu is a few kilobytes


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware, which sets .htmx."""

    htmx: HtmxDetails


# -- loading and state -----------------------------------------------------------------------------


def _draft(request: HtmxHttpRequest, pk: int) -> Draft:
    """The draft and what this user may do with it; 404 if the user may not reach its account
    (another team's menus do not exist). One query: every keystroke starts here."""
    draft = load_draft(request.user, pk)
    if draft is None:
        raise Http404("No such draft.")
    # Where another person approves every publish, publishers submit for review too (reviews.py).
    draft.may_publish = may_publish_directly(draft.menu.account, draft.may_publish)
    return draft


def _locked_menu(request: HtmxHttpRequest, pk: int) -> Menu:
    """The draft's row, locked for a save, through the same access rule."""
    menus = Menu.objects.for_user(request.user).select_related("account")
    # When the lock had to wait for another save, PostgreSQL re-reads the locked row but not the
    # rows joined to it: who saved last must be loaded afresh, or the conflict names no one.
    return get_object_or_404(menus.select_for_update(of=("self",)), pk=pk)


# The saved draft in canonical form: every keystroke compares the form's with it to say
# "unsaved changes", and saves are rare next to keystrokes. Keyed by the stored text itself, which
# is most of an entry's memory, so the cache is bounded by the size of those texts as well as by
# their number: drafts stored before the size limit can be megabytes (the least recently used go
# first, and one larger than the whole budget is not kept at all).
SAVED_CACHE_MAX_ENTRIES = 512
SAVED_CACHE_MAX_BYTES = 8 * 1024 * 1024
_SAVED_CACHE: OrderedDict[tuple, tuple[MenuTree, int, int]] = OrderedDict()
_saved_cache_bytes = 0
_saved_cache_lock = threading.Lock()  # gunicorn runs several threads per worker


def saved_cache_size() -> tuple[int, int]:
    """(entries, bytes) the saved-draft cache holds now."""
    with _saved_cache_lock:
        return len(_SAVED_CACHE), _saved_cache_bytes


def _saved(menu: Menu, platform: PlatformRules) -> tuple[MenuTree, int]:
    """The saved draft in canonical form, and how many platform errors it has."""
    global _saved_cache_bytes
    # Keyed by the stored text itself, so a draft changed by any means is never read stale.
    key = (platform.code, json.dumps(menu.tree, sort_keys=True, ensure_ascii=False))
    with _saved_cache_lock:
        saved = _SAVED_CACHE.get(key)
        if saved is not None:
            _SAVED_CACHE.move_to_end(key)
            return saved[0], saved[1]
    try:
        tree = parse_menu(menu.tree).canonical()
    except MenuParseError:
        tree = MenuTree()
    error_count = len(platform.errors(tree))
    # The key's text, and about as much again for the parsed tree holding the same strings.
    cost = 2 * sys.getsizeof(key[1])
    if cost <= SAVED_CACHE_MAX_BYTES:
        with _saved_cache_lock:
            if key not in _SAVED_CACHE:
                _SAVED_CACHE[key] = (tree, error_count, cost)
                _saved_cache_bytes += cost
            while _SAVED_CACHE and (
                _saved_cache_bytes > SAVED_CACHE_MAX_BYTES or len(_SAVED_CACHE) > SAVED_CACHE_MAX_ENTRIES
            ):
                _old, (_tree, _count, old_cost) = _SAVED_CACHE.popitem(last=False)
                _saved_cache_bytes -= old_cost
    return tree, error_count


def _saved_tree(menu: Menu, platform: PlatformRules) -> MenuTree:
    return _saved(menu, platform)[0]


@dataclass
class EditorState:
    """Everything the editor template draws for one request."""

    menu: Menu
    platform: PlatformRules
    tree: MenuTree
    title: str
    revision: Any
    may_edit: bool
    may_publish: bool
    open: int | None = None
    selected: str = ""
    title_errors: list[str] = field(default_factory=list)
    focus: str = ""
    message: str = ""
    message_level: str = "info"
    # The message says what an edit took away, with an "Undo" button (editor.js keeps the history).
    message_undo: bool = False
    conflict: Menu | None = None
    conflict_changes: Any = None  # views.compare.Comparison: the draft as opened -> as saved since
    publish: dict[str, Any] | None = None
    import_error: str = ""
    import_text: str = ""
    # Buttons (dotted paths: '0', '0.1') and 'title' typed in since the last answer; None: all of them.
    touched: set[str] | None = None
    # The tree and its problems, once validated (the form validates what it parses).
    validated: tuple[MenuTree, list[Problem]] | None = None

    def problems(self) -> list[Problem]:
        if self.validated is None or self.validated[0] is not self.tree:  # a structural edit
            self.validated = (self.tree, self.platform.validate(self.tree))
        return self.validated[1]

    def context(self, request: HttpRequest, parts: list[str] | None = None) -> dict[str, Any]:
        """What the template draws: the whole page, or (parts) the named fragments only."""
        platform, tree = self.platform, self.tree
        problems = self.problems()
        saved, saved_error_count = _saved(self.menu, platform)
        dirty = (
            tree.canonical() != saved
            or self.title != self.menu.title
            or str(self.revision) != str(self.menu.revision)
        )
        buttons = tree.buttons
        open_index = self.open
        if open_index is not None and not (0 <= open_index < len(buttons) and buttons[open_index].is_parent):
            open_index = None
        touched = self.touched
        if parts is None or "tree" in parts or touched is None:
            rows = editor_rows(tree, platform, problems)
            every = [b for row in rows for b in (row, *row.children)]
            status_buttons = every if touched is None else [b for b in every if b.dotted in touched]
        else:
            # A keystroke's answer: the preview is drawn from the tree; rows only for the buttons
            # whose usage and problems it redraws.
            rows = []
            status_buttons = status_rows(tree, platform, problems, touched)
        menu_problems = [p for p in problems if not problem_key(p)]
        return {
            "statuses": field_statuses(status_buttons, menu_problems),
            "title_touched": touched is None or "title" in touched,
            "menu": self.menu,
            "account": self.menu.account,
            "platform": platform,
            "rows": rows,
            "parents": [row for row in rows if row.is_parent],
            "preview": phone_preview(tree, platform, self.selected, open_index),
            "problems": [(p, _focus_target(p)) for p in problems],
            "error_count": sum(1 for p in problems if p.is_error),
            "warning_count": sum(1 for p in problems if not p.is_error),
            "menu_problems": menu_problems,
            "title": self.title,
            "title_errors": self.title_errors,
            "revision": self.revision,
            "open": open_index,
            "selected": self.selected,
            "focus": self.focus,
            "message": self.message,
            "message_level": self.message_level,
            "message_undo": self.message_undo,
            "dirty": dirty,
            "may_edit": self.may_edit,
            "may_publish": self.may_publish,
            "saved_error_count": saved_error_count,
            "can_add_top": len(buttons) < platform.max_buttons,
            "add_top_id": naming.ADD_TOP_ID,
            "max_buttons": platform.max_buttons,
            "max_sub_buttons": platform.max_sub_buttons,
            "conflict": self.conflict,
            "conflict_changes": self.conflict_changes,
            # "you, in another tab": the newer revision was saved by the same person.
            "conflict_mine": self.conflict is not None and self.conflict.updated_by_id == request.user.pk,
            # The saved draft this page started from, posted back so a conflict can say what changed.
            "opened_tree": saved if parts is None or "revision" in parts else None,
            "publish": self.publish,
            "import_error": self.import_error,
            "import_text": self.import_text,
            # Links to the history: the page's breadcrumbs and a publication's outcome.
            "history_url": _history_url(self.menu) if parts is None or "publish-panel" in parts else "",
            "oob": False,
        }


def _focus_target(problem: Problem) -> str:
    """The id of the control to focus when someone picks a problem from the list."""
    if not problem.path:
        return naming.control_id("add")
    if problem.field == "sub_button":  # too many sub-buttons, or a sub-button with its own
        return naming.control_id("add-sub" if len(problem.path) == 1 else "name", problem.path)
    return naming.field_id(problem.path, problem.field)


def _history_url(menu: Menu) -> str:
    try:
        return reverse("account_history", args=[menu.account.slug])
    except NoReverseMatch:
        return ""


def _state_from_menu(request: HtmxHttpRequest, draft: Draft) -> EditorState:
    menu = draft.menu
    platform = get_platform(menu.account.platform)
    return EditorState(
        menu=menu,
        platform=platform,
        tree=copy.deepcopy(_saved_tree(menu, platform)),  # the cached value is shared
        title=menu.title,
        revision=menu.revision,
        may_edit=draft.may_edit,
        may_publish=draft.may_publish,
    )


def _state_from_form(request: HtmxHttpRequest, draft: Draft, form: MenuForm) -> EditorState:
    form.is_valid()
    data = form.data
    return EditorState(
        menu=draft.menu,
        platform=form.platform,
        tree=form.tree,
        title=form.cleaned_data.get("title", data.get("title", ""))[:1000],
        revision=form.cleaned_data.get("revision", data.get("revision", "")),
        may_edit=draft.may_edit,
        may_publish=draft.may_publish,
        open=form.preview_open,
        selected=form.preview_selected,
        title_errors=[str(e) for e in form.errors.get("title", [])],
        touched=_touched(data),
        validated=(form.tree, form.problems),
    )


def _touched(data) -> set[str] | None:
    if "touched" not in data:
        return None
    return {part for part in data.get("touched", "").split(",")[:50] if part}


def _form(request: HtmxHttpRequest, menu: Menu) -> MenuForm:
    return MenuForm(request.POST, platform=get_platform(menu.account.platform))


# -- responses -------------------------------------------------------------------------------------


def _fragments(request: HtmxHttpRequest, state: EditorState, parts: list[str], **extra: Any) -> HttpResponse:
    """The named partials, each marked out-of-band so that htmx puts it in place by its id."""
    context = state.context(request, parts) | extra | {"oob": True}
    return HttpResponse(
        "".join(get_template(f"{TEMPLATE}#{part}").render(context, request) for part in parts)
    )


def _page(request: HtmxHttpRequest, state: EditorState, status: int = 200) -> HttpResponse:
    context = state.context(request) | {"review_bar": editor_review_bar(request.user, state.menu)}
    return render(request, TEMPLATE, context, status=status)


LIVE_PARTS = ["preview", "problems", "statuses", "save-status", "publish-start"]
# The redrawn tree carries every field's usage and problems itself.
TREE_PARTS = ["tree", "preview", "problems", "save-status", "publish-start", "message"]


def _require_edit(draft: Draft) -> None:
    if not draft.may_edit:
        raise PermissionDenied(_("You may not change menus on this account."))


# -- views -----------------------------------------------------------------------------------------


@login_required
@require_GET
def menu_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _page(request, _state_from_menu(request, _draft(request, pk)))


@login_required
@require_POST
def menu_preview(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Each keystroke: the preview, usage counts and problems; never the fields themselves."""
    draft = _draft(request, pk)
    state = _state_from_form(request, draft, _form(request, draft.menu))
    if request.htmx:
        return _fragments(request, state, LIVE_PARTS)
    return _page(request, state)


@login_required
@require_POST
def menu_structure(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Add, remove, move or retype a button: the form is drawn again from the edited tree."""
    draft = _draft(request, pk)
    state = _state_from_form(request, draft, _form(request, draft.menu))
    op = request.POST.get("op", "")
    if op in ("redraw", "discard"):
        return _redraw(request, draft, state, discard=op == "discard")
    result = apply_edit(state.tree, op, state.platform)
    state.tree, state.message = result.tree, result.message
    state.focus = naming.control_id(result.focus, result.selected)
    if result.selected is not None:
        state.selected = naming.dotted(result.selected)
    if result.message:
        state.message_level = "warning"
    elif result.done:
        state.message, state.message_undo = result.done, True
    # The preview shows the sub-menu the edit was about, or none (positions may have changed).
    state.open = result.open
    if request.htmx:
        return _fragments(request, state, TREE_PARTS)
    return _page(request, state)


def _redraw(request: HtmxHttpRequest, draft: Draft, state: EditorState, discard: bool) -> HttpResponse:
    """The posted form drawn again (undo and redo post a state of the form editor.js kept), or,
    to discard the unsaved edits, the saved draft drawn in its place (said with an "Undo")."""
    parts = TREE_PARTS
    if discard:
        state.tree = copy.deepcopy(_saved_tree(draft.menu, state.platform))  # the cached value is shared
        state.title = draft.menu.title
        state.message, state.message_undo = _("Your unsaved edits were discarded."), True
        parts = [*TREE_PARTS, "title-field"]
    if request.htmx:
        return _fragments(request, state, parts)
    return _page(request, state)


@login_required
@require_POST
def menu_save(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Keep the draft. A draft may break platform rules; publishing is what refuses them."""
    draft = _draft(request, pk)
    _require_edit(draft)
    menu = draft.menu
    form = _form(request, menu)
    state = _state_from_form(request, draft, form)
    if not form.can_save:
        state.message = _("The draft was not saved: see the problems marked above.")
        if form.storage_error:
            state.message = _("The draft was not saved. %(reason)s") % {"reason": form.storage_error}
        if "revision" in form.input_error_keys:
            state.message = _("The page is out of date. Copy your changes, then reload the page.")
        state.message_level = "error"
        if request.htmx:
            return _fragments(request, state, ["title-problems", "message", "save-status"])
        return _page(request, state, status=400)

    if request.POST.get("as_new"):
        copy = Menu.objects.create(
            account=menu.account,
            title=draft_titles.conflict_copy(form.cleaned_data["title"]),
            tree=form.tree.to_json(),
            updated_by=request.user,
        )
        messages.success(request, _("Your version is saved as a new draft. The other draft is unchanged."))
        return _go(request, reverse("menu_edit", args=[copy.pk]))

    with transaction.atomic():
        current = _locked_menu(request, pk)
        if current.revision != form.cleaned_data["revision"]:
            state.menu = current
            state.conflict = current
            from menueditor.views.compare import conflict_comparison  # the conflict's own presentation

            state.conflict_changes = conflict_comparison(
                state.platform, request.POST.get("opened_tree", ""), current, request.user
            )
            state.message = ""
            if request.htmx:
                return _fragments(request, state, ["conflict", "save-status"])
            return _page(request, state, status=409)
        current.title = form.cleaned_data["title"]
        current.tree = form.tree.to_json()
        current.revision += 1
        current.updated_by = request.user
        current.save()
    state.menu, state.revision = current, current.revision
    state.message = _("Saved.")
    if withdraw_changed([current], request.user):
        state.message = _("Saved. The draft is out of review now: submit it again when it is ready.")
    if request.htmx:
        response = _fragments(request, state, ["revision", "conflict", "message", *LIVE_PARTS])
        response.write(review_bar_oob(request, current))  # the review state after this save
        response["HX-Trigger"] = "editor-saved"
        return response
    messages.success(request, _("Saved."))
    return redirect("menu_edit", pk=current.pk)


def _go(request: HtmxHttpRequest, url: str) -> HttpResponse:
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _read_import(request: HtmxHttpRequest, platform: PlatformRules) -> tuple[ImportedMenu | None, str, str]:
    """The pasted text or the uploaded file as a menu (with the rule an add call's body carries), or
    the reason it is not a menu: read as menu_import reads a file (conditional.read_import)."""
    upload = request.FILES.get("import_file")
    text = request.POST.get("import_text", "")
    if upload is not None:
        if upload.size > MAX_IMPORT_BYTES:
            return (
                None,
                text,
                _("The file is %(size)d kB; a menu is a few kB. Is it the right file?")
                % {"size": upload.size // 1024},
            )
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None, "", _("The file is not UTF-8 text. Export the menu as JSON and try again.")
    if not text.strip():
        return None, text, _("Paste the menu's JSON or choose a .json file first.")
    try:
        imported = read_import(platform, text)
    except MenuParseError as error:
        from menueditor.parse_messages import explain  # the reason in the interface language

        return None, text, explain(error)
    too_large = too_large_message(draft_bytes(imported.tree.to_json()))
    if too_large:
        return None, text, too_large
    return imported, text, ""


def _two_levels(tree: MenuTree) -> MenuTree:
    """The tree without sub-buttons of sub-buttons, which no menu can have and the form cannot hold."""
    for button in tree.buttons:
        for sub in button.children or []:
            sub.children = None
    return tree


@login_required
@require_POST
def menu_import(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Put pasted or uploaded platform JSON into the form; nothing is saved until Save."""
    draft = _draft(request, pk)
    state = _state_from_form(request, draft, _form(request, draft.menu))
    imported, text, error = _read_import(request, state.platform)
    rule_said, parts = "", []
    if imported is not None:
        rule_said, error, parts = _import_rule(request, state, draft, imported)
    if imported is None or error:
        state.import_error, state.import_text = error, text
        if request.htmx:
            return _fragments(request, state, ["import"])
        return _page(request, state, status=400 if imported is None else 409)
    tree = imported.tree
    deep = sum(1 for b in tree.buttons for s in (b.children or []) if s.children)
    state.tree = _two_levels(tree).canonical()
    state.open = None
    count = len(state.tree.buttons)
    state.message = _("Imported %(count)d top-level buttons. Check the preview, then save.") % {
        "count": count
    }
    state.message_undo = True  # the menu on screen before the import is one Undo away
    if deep:
        state.message += " " + _(
            "%(count)d sub-buttons had sub-buttons of their own, which menus cannot have; "
            "those were left out."
        ) % {"count": deep}
    if rule_said:
        state.message += " " + rule_said
    if request.htmx:
        response = _fragments(request, state, [*TREE_PARTS, "import", *parts])
        if "revision" in parts:  # the rule changed: its panel, drawn outside the form, is redrawn too
            response.content += _rule_panel(request, state.menu).encode()
        return response
    return _page(request, state)


def _import_rule(
    request: HtmxHttpRequest, state: EditorState, draft: Draft, imported: ImportedMenu
) -> tuple[str, str, list[str]]:
    """What the imported text's match rule does to the draft: (what to say, why the import is refused
    or "", the parts of the page to redraw). A new rule is stored at once, as "Use this rule" stores
    it (a new revision); the buttons, as always, when the person saves."""
    menu = draft.menu
    if imported.left_out:
        return (
            _(
                "Left out: %(keys)s. %(platform)s accounts have one menu for every follower, so a "
                "match rule (a menu for chosen followers) cannot be used here."
            )
            % {"keys": ", ".join(f"“{k}”" for k in imported.left_out), "platform": state.platform.label},
            "",
            [],
        )
    if imported.rule is None:
        return "", "", []
    who = conditional.describe_rule(menu.account, imported.rule)
    if imported.rule == conditional.rule_of(menu):
        return _("The draft stays for: %(who)s.") % {"who": who}, "", []
    if not draft.may_edit:
        return "", _("You may not change which followers this draft is for."), []
    with transaction.atomic():
        current = _locked_menu(request, menu.pk)
        if str(current.revision) != str(state.revision):
            return (
                "",
                _(
                    "This menu is for other followers than the draft, and the draft was saved since "
                    "you opened it: copy your changes, reload the page, then import again."
                ),
                [],
            )
        current.match_rule = imported.rule.to_json()
        current.revision += 1
        current.updated_by = request.user
        current.save(update_fields=["match_rule", "revision", "updated_by", "updated_at"])
    state.menu, state.revision = current, current.revision
    said = _(
        "The draft is now for: %(who)s (kept at once, from the menu's match rule; Undo does not change "
        "it back)."
    ) % {"who": who}
    if withdraw_changed([current], request.user):  # a review made for the old rule no longer holds
        said += " " + _("The draft is out of review now: submit it again when it is ready.")
    return said, "", ["revision", "audience"]


def _rule_panel(request: HtmxHttpRequest, menu: Menu) -> str:
    """Who sees the draft (the panel beside the editor), out-of-band."""
    from menueditor.templatetags.conditional_menus import match_rule_panel

    context = match_rule_panel({"may_edit": True, "request": request}, menu) | {"oob": True}
    return get_template("menus/_match_rule.html").render(context, request)


@login_required
@require_GET
def menu_export(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The saved draft as the platform's JSON, to keep or to paste into another tool."""
    menu = _draft(request, pk).menu
    try:
        tree = parse_menu(menu.tree)
    except MenuParseError:
        tree = MenuTree()
    from menueditor.conditional import payload_text_of  # a conditional draft: with its matchrule

    response = HttpResponse(payload_text_of(menu, tree), content_type="application/json; charset=utf-8")
    name = slugify(menu.account.slug) or "menu"
    response["Content-Disposition"] = f'attachment; filename="{name}-menu-{menu.pk}-r{menu.revision}.json"'
    return response


@login_required
@require_POST
def menu_publish_review(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """What publishing the saved draft would change, and the drift warning, before anything is sent."""
    draft = _draft_to_publish(request, pk)
    menu = draft.menu
    state = _state_from_form(request, draft, _form(request, menu)) if "title" in request.POST else None
    state = state or _state_from_menu(request, draft)
    blocked = _publish_blocker(state)
    if blocked:
        state.publish = {"stage": "blocked", "reason": blocked}
    else:
        preview = publishing.preview_publish(menu, request.user)
        if getattr(preview, "draft_tree", None) is None:  # the review's phones compare it with the live menu
            preview.draft_tree = state.tree
        state.publish = {"stage": "review", "preview": preview, "revision": menu.revision}
    if request.htmx:
        return _fragments(request, state, ["publish-panel"])
    return _page(request, state)


def _draft_to_publish(request: HtmxHttpRequest, pk: int) -> Draft:
    draft = _draft(request, pk)
    if not draft.may_publish:
        raise PermissionDenied(_("You may not publish menus on this account."))
    # Publishing reads the account's credentials, which the editor's query leaves out.
    draft.menu.account = Account.objects.get(pk=draft.menu.account_id)
    return draft


def _publish_blocker(state: EditorState) -> str:
    """Why the saved draft cannot be published from this screen now, or ''."""
    menu = state.menu
    saved = _saved_tree(menu, state.platform)
    if (
        state.tree.canonical() != saved
        or state.title != menu.title
        or str(state.revision) != str(menu.revision)
    ):
        return _("Save your changes first: what is published is the saved draft.")
    error_count = _saved(menu, state.platform)[1]
    if error_count:
        return _("Fix the %(count)d problems and save before publishing.") % {"count": error_count}
    return ""


@login_required
@require_POST
def menu_publish(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Publish the saved draft; the outcome is shown in place, with its hint and when phones see it."""
    draft = _draft_to_publish(request, pk)
    menu = draft.menu
    state = _state_from_form(request, draft, _form(request, menu)) if "title" in request.POST else None
    state = state or _state_from_menu(request, draft)
    reviewed = request.POST.get("reviewed_revision", "")
    blocked = _publish_blocker(state)
    if not blocked and reviewed != str(menu.revision):
        blocked = _("The draft changed after you reviewed it. Review the changes again.")
    if blocked:
        state.publish = {"stage": "blocked", "reason": blocked}
    else:
        # The live menu the person reviewed: it is replaced only while it is still exactly that one.
        fingerprint = request.POST.get("live_fingerprint", "").strip()
        outcome = publishing.publish_menu(menu, request.user, if_live=fingerprint or None)
        state.publish = {"stage": "outcome", "outcome": outcome, "revision": menu.revision}
        if outcome.ok:
            when = date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")
            state.message = _("Published at %(when)s.") % {"when": when}
    if request.htmx:
        return _fragments(request, state, ["publish-panel", "message"])
    return _page(request, state)
