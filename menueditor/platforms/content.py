"""Content a button can send, picked from the account's own lists instead of typed as an id.

A platform that offers pickers sets `PlatformRules.content` to a ContentSupport: which button
fields get a picker (and of which kind), the lists behind each kind, and how to fetch them. The
rest of the app (menueditor/pickers.py, the picker views and templates) asks it, never a type code.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

# An item's status when it cannot be chosen (shown beside it in the picker).
DELETED = "deleted"  # an article deleted since it was published
WAITING = "waiting"  # a mini program whose link is not confirmed yet
REFUSED = "refused"  # a mini program whose link was refused


@dataclass(frozen=True)
class ContentItem:
    """One entry of a list, as the cache keeps it (a dict in JSON) and the picker shows it."""

    id: str
    name: str
    source: str  # which list: "image", "voice", "video", "article", "miniprogram"
    updated: int | None = None  # seconds since the epoch, when the platform says
    digest: str = ""
    thumb: str = ""  # the platform's key to fetch a thumbnail by ("" for none)
    status: str = ""  # "" when it may be chosen, else DELETED, WAITING or REFUSED

    @property
    def choosable(self) -> bool:
        return not self.status

    @property
    def updated_at(self) -> datetime | None:
        try:
            return datetime.fromtimestamp(self.updated, tz=UTC) if self.updated else None
        except (OverflowError, OSError, ValueError):  # a time past the year 9999
            return None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> ContentItem | None:
        """An item read back from the cache; None for anything that is not one."""
        if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not data["id"]:
            return None
        updated = data.get("updated")
        return cls(
            id=data["id"],
            name=str(data.get("name") or ""),
            source=str(data.get("source") or ""),
            updated=updated if isinstance(updated, int) and not isinstance(updated, bool) else None,
            digest=str(data.get("digest") or ""),
            thumb=str(data.get("thumb") or ""),
            status=str(data.get("status") or ""),
        )


@dataclass(frozen=True)
class Source:
    """One list a picker shows (a tab): its code and what people call it."""

    code: str
    label: Any
    has_thumbnails: bool = False


@dataclass(frozen=True)
class PickerKind:
    """A picker: the lists it shows and the label of the button that opens it."""

    code: str  # "material", "article", "miniprogram"
    open_label: Any  # "Choose image, voice or video"
    title: Any
    sources: tuple[Source, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Listing:
    """A whole list as fetched: its items (newest first) and the platform's total."""

    items: list[ContentItem]
    total: int


class ContentSource(Protocol):
    """The platform calls behind the pickers for one account. Each raises PlatformError."""

    def list_items(self, source: str) -> Listing: ...

    def thumbnail(self, thumb: str) -> tuple[bytes, str]: ...

    def exists(self, source: str, item_id: str) -> bool: ...

    def close(self) -> None: ...


class ContentSupport(Protocol):
    """What a platform offers for picking content (its package's content.py)."""

    # (button type, field) -> picker kind code
    pickers: dict[tuple[str, str], str]
    kinds: dict[str, PickerKind]
    # Sources an administrator may keep on the account instead (accounts.MiniProgram).
    kept_sources: tuple[str, ...]

    def fetches(self, account, source: str) -> bool:
        """Whether the platform gives this account that list (else it is kept in the admin)."""

    def check_kept_id(self, source: str, value: str) -> str:
        """Why an id kept in the admin (a mini program AppID) is not one, or ""."""

    def connect(self, account, token_store) -> ContentSource: ...

    def sends(self, type_code: str, item: ContentItem) -> str:
        """What the button sends or opens, in a line: "sends the image banner.png"."""
