"""Weibo fan service: everything this app knows of the platform, behind the registry."""

from .client import WeiboClient
from .hints import WEIBO_HINTS, weibo_hint
from .live import read_show
from .rules import WEIBO, WeiboRules

PLATFORM = WEIBO

__all__ = ["PLATFORM", "WEIBO", "WEIBO_HINTS", "WeiboClient", "WeiboRules", "read_show", "weibo_hint"]
