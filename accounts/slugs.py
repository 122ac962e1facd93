"""An account's slug made from its name: Chinese in pinyin (pypinyin), the rest as Django slugifies it."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.text import slugify
from pypinyin import lazy_pinyin

# CJK unified ideographs (with extension A and the compatibility block): what pinyin spells.
_HAN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")
FALLBACK = "account"


def slug_from_name(name: str, taken: Callable[[str], bool], max_length: int = 50) -> str:
    """A slug for the name ("咖啡俱乐部 上海" -> "kafeijulebu-shanghai") that taken() says is free,
    numbered -2, -3... when it is not."""
    parts = []
    for part in _HAN.split(name):
        # One word per run of characters: 咖啡俱乐部 reads kafeijulebu, not ka-fei-ju-le-bu.
        parts.append("".join(lazy_pinyin(part)) if _HAN.fullmatch(part) else part)
    base = slugify(" ".join(parts))[:max_length].strip("-") or FALLBACK
    candidate, number = base, 2
    while taken(candidate):
        suffix = f"-{number}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
        number += 1
    return candidate
