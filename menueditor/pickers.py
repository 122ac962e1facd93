"""The pickers' data: each account's lists as last fetched, refreshing them, thumbnails, and the
check before publishing that chosen content still exists.

Platform knowledge comes from the platform's ContentSupport (platforms/content.py); the lists are
kept in accounts.ContentList so that a picker opens at once. Platform calls run with no database
transaction open; each result is saved in a short one afterwards.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, ContentList, ContentThumbnail, MiniProgram
from accounts.tokens import AccountTokenStore
from menueditor.platforms import get_platform
from menueditor.platforms.content import ContentItem, PickerKind, Source
from menueditor.platforms.transport import PlatformError
from menueditor.tree import MenuTree

logger = logging.getLogger("menueditor.pickers")

# A thumbnail larger than this is neither kept nor served: the picker shows its name only.
THUMBNAIL_MAX_BYTES = 512 * 1024
# Pictures kept per account (the newest); older ones are fetched again when next shown.
THUMBNAILS_PER_ACCOUNT = 400
# The picture types served, known by their first bytes (never by what the platform claims).
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
PAGE_SIZE = 20


def support(account: Account) -> Any:
    """The account's platform's ContentSupport, or None when it offers no pickers."""
    try:
        return get_platform(account.platform).content
    except KeyError:
        return None


def picker_for(platform, type_code: str, field_name: str) -> str:
    """The picker kind of a button's field ("" for none): the platform says which fields get one."""
    content = platform.content
    return content.pickers.get((type_code, field_name), "") if content is not None else ""


def kind_of(account: Account, code: str) -> PickerKind | None:
    content = support(account)
    return content.kinds.get(code) if content is not None else None


@dataclass
class ListView:
    """One list as the picker shows it: the items, where they came from and when."""

    source: Source
    items: list[ContentItem]
    total: int = 0
    refreshed_at: datetime | None = None
    kept_here: bool = False  # typed in the admin, not fetched from the platform
    error_code: str = ""
    error_hint: str = ""
    never_fetched: bool = False
    page: int = 1
    pages: int = 1
    query: str = ""
    matched: int = 0
    shown: list[ContentItem] = field(default_factory=list)


def read_list(account: Account, source: Source, *, query: str = "", page: int = 1) -> ListView:
    """The list from the cache (no platform call), searched by name and cut to one page."""
    content = support(account)
    if content is not None and not content.fetches(account, source.code):
        items = [
            ContentItem(id=m.appid, name=m.name, source=source.code)
            for m in MiniProgram.objects.filter(account=account).order_by("name")
        ]
        view = ListView(source, items, len(items), kept_here=True)
    else:
        row = ContentList.objects.filter(account=account, kind=source.code).first()
        if row is None:
            view = ListView(source, [], never_fetched=True)
        else:
            items = [
                i for i in map(ContentItem.from_dict, row.items if isinstance(row.items, list) else []) if i
            ]
            view = ListView(
                source,
                items,
                row.total,
                row.refreshed_at,
                error_code=row.error_code,
                error_hint=row.error_hint,
                never_fetched=row.refreshed_at is None,
            )
    needle = query.strip().casefold()
    matched = [i for i in view.items if needle in i.name.casefold()] if needle else view.items
    view.query, view.matched = query.strip(), len(matched)
    view.pages = max(1, -(-len(matched) // PAGE_SIZE))
    view.page = min(max(1, page), view.pages)
    view.shown = matched[(view.page - 1) * PAGE_SIZE : view.page * PAGE_SIZE]
    return view


def refresh(account: Account, kind: PickerKind) -> list[PlatformError]:
    """Fetch every list of the picker again; each failure is kept on its list and returned.

    The calls run with no transaction open; the old items stay when a call fails.
    """
    content = support(account)
    wanted = [s for s in kind.sources if content is not None and content.fetches(account, s.code)]
    if not wanted:
        return []
    failures: list[PlatformError] = []
    source_calls = content.connect(account, AccountTokenStore(account))
    try:
        for source in wanted:
            try:
                listing = source_calls.list_items(source.code)
            except PlatformError as error:
                logger.info("refreshing %s of %s failed: %s", source.code, account.slug, error.code)
                failures.append(error)
                _save_failure(account, source.code, error)
                continue
            with transaction.atomic():
                ContentList.objects.update_or_create(
                    account=account,
                    kind=source.code,
                    defaults={
                        "items": [i.as_dict() for i in listing.items],
                        "total": listing.total,
                        "refreshed_at": timezone.now(),
                        "error_code": "",
                        "error_hint": "",
                    },
                )
    finally:
        source_calls.close()
    return failures


def _save_failure(account: Account, source: str, error: PlatformError) -> None:
    with transaction.atomic():
        row, _created = ContentList.objects.get_or_create(account=account, kind=source)
        row.error_code, row.error_hint = error.code[:40], error.hint
        row.save(update_fields=["error_code", "error_hint"])


def find(account: Account, kind_code: str, item_id: str) -> ContentItem | None:
    """The chosen item by id, from the cached lists of the picker (or the admin's list)."""
    kind = kind_of(account, kind_code)
    if kind is None or not item_id:
        return None
    for source in kind.sources:
        for item in read_list(account, source).items:
            if item.id == item_id:
                return item
    return None


def cached_item(account: Account, source_code: str, item_id: str) -> ContentItem | None:
    """An item of one cached list (only ids the platform listed may have their picture fetched)."""
    row = ContentList.objects.filter(account=account, kind=source_code).first()
    if row is None or not isinstance(row.items, list):
        return None
    for data in row.items:
        item = ContentItem.from_dict(data)
        if item is not None and item.id == item_id:
            return item
    return None


def picture_type(data: bytes) -> str:
    """The picture's type from its first bytes, or "" for anything else (never served)."""
    return next((kind for magic, kind in _SIGNATURES if data.startswith(magic)), "")


def thumbnail(account: Account, item: ContentItem) -> tuple[bytes, str] | None:
    """The item's picture, kept or fetched now (no transaction open); None when there is none."""
    if not item.thumb:
        return None
    kept = ContentThumbnail.objects.filter(account=account, key=item.thumb).first()
    if kept is not None:
        return bytes(kept.data), kept.content_type
    content = support(account)
    if content is None:
        return None
    calls = content.connect(account, AccountTokenStore(account))
    try:
        data, _claimed_type = calls.thumbnail(item.thumb)
    except PlatformError as error:
        logger.info("thumbnail %s of %s: %s", item.thumb, account.slug, error.code)
        return None
    finally:
        calls.close()
    kind = picture_type(data)
    if not kind or len(data) > THUMBNAIL_MAX_BYTES:
        return None
    with transaction.atomic():
        ContentThumbnail.objects.update_or_create(
            account=account, key=item.thumb[:200], defaults={"data": data, "content_type": kind}
        )
        kept_ids = ContentThumbnail.objects.filter(account=account).order_by("-fetched_at", "-pk")
        old = list(kept_ids.values_list("pk", flat=True)[THUMBNAILS_PER_ACCOUNT:])
        if old:
            ContentThumbnail.objects.filter(pk__in=old).delete()
    return data, kind


def sends(account: Account, type_code: str, item: ContentItem) -> str:
    content = support(account)
    return content.sends(type_code, item) if content is not None else item.name


@dataclass
class ContentCheck:
    """The chosen materials and articles of a menu checked afresh on the platform."""

    missing: list[str] = field(default_factory=list)  # a line for each one gone, by name
    unchecked: list[str] = field(default_factory=list)  # a line for each the platform could not say
    checked: int = 0

    @property
    def warnings(self) -> list[str]:
        return [*self.missing, *self.unchecked]


def check_content(account: Account, tree: MenuTree | None) -> ContentCheck:
    """Before publishing (the review, menu_review, menu_publish): each chosen material or article
    checked afresh on the platform; gone ones named (by name when the cache knows it)."""
    content = support(account)
    if content is None or tree is None:
        return ContentCheck()
    wanted: dict[tuple[str, str], str] = {}  # (kind, id) -> field's label source
    for button in _leaves(tree):
        for (type_code, field_name), kind_code in content.pickers.items():
            value = button.value(field_name) if button.type == type_code else ""
            kind = content.kinds.get(kind_code)
            if value and kind is not None and any(content.fetches(account, s.code) for s in kind.sources):
                wanted.setdefault((kind_code, value), type_code)
    if not wanted:
        return ContentCheck()
    found = ContentCheck(checked=len(wanted))
    calls = content.connect(account, AccountTokenStore(account))
    try:
        for (kind_code, item_id), _type_code in wanted.items():
            item = find(account, kind_code, item_id)
            source = item.source if item is not None else content.kinds[kind_code].sources[0].code
            name = item.name if item is not None else item_id
            try:
                if not calls.exists(source, item_id):
                    found.missing.append(_gone(name, item_id))
            except PlatformError as error:
                found.unchecked.append(
                    _("Could not check that “%(name)s” still exists: %(hint)s")
                    % {"name": name, "hint": error.hint}
                )
    finally:
        calls.close()
    return found


def content_warnings(account: Account, tree: MenuTree | None) -> tuple[list[str], int]:
    """check_content as the review draws it: every line, and how many were checked."""
    found = check_content(account, tree)
    return found.warnings, found.checked


def _leaves(tree: MenuTree):
    for button in tree.buttons:
        if button.is_parent:
            yield from button.children or []
        else:
            yield button


def _gone(name: str, item_id: str) -> str:
    return _(
        "“%(name)s” (%(id)s) is no longer on the account (deleted since it was chosen): the button "
        "would send nothing. Choose another one."
    ) % {"name": name, "id": item_id}
