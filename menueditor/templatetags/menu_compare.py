"""Two phones and the changes in words, for whichever page shows a publish review (views/compare.py)."""

from __future__ import annotations

import json
from typing import Any

from django import template

from menueditor.platforms import PlatformRules
from menueditor.tree import MenuTree
from menueditor.views.compare import Comparison, drift_comparison, review_comparison

register = template.Library()


@register.simple_tag
def review_pair(preview: Any, platform: PlatformRules | None) -> Comparison | None:
    """{% review_pair preview platform as cmp %}: the live menu and the draft (None without both)."""
    draft = getattr(preview, "draft_tree", None)
    if platform is None or draft is None:
        return None
    return review_comparison(platform, preview, draft)


@register.simple_tag
def drift_pair(preview: Any, platform: PlatformRules | None) -> Comparison | None:
    """{% drift_pair preview platform as cmp %}: what was last published here and the live menu now."""
    return drift_comparison(platform, preview) if platform is not None else None


@register.filter
def menu_json(tree: MenuTree | None) -> str:
    """{{ saved|menu_json }}: the menu as compact JSON (for the form to post back the draft it opened)."""
    return json.dumps(tree.to_json(), ensure_ascii=False, separators=(",", ":")) if tree is not None else ""
