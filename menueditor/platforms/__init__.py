"""The platforms a menu can be published to; one module each."""

from __future__ import annotations

from .base import PlatformRules, Problem
from .wechat import WECHAT
from .weibo import WEIBO

PLATFORMS: dict[str, PlatformRules] = {WECHAT.code: WECHAT, WEIBO.code: WEIBO}


def get_platform(code: str) -> PlatformRules:
    """The rules object for 'wechat' or 'weibo'; KeyError for anything else."""
    return PLATFORMS[code]


__all__ = ["PLATFORMS", "PlatformRules", "Problem", "get_platform"]
