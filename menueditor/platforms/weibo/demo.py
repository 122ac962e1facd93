"""The demo Weibo account: the simulator's default access token (simulator/weibo.py)."""

from __future__ import annotations

from ..base import DemoAccount

DEMO = DemoAccount(
    slug="demo-weibo",
    name="Demo Weibo",
    credentials={"app_id": "", "app_secret": "", "access_token": "demo-weibo-token"},
    sample={
        "button": [
            {"type": "click", "name": "获取优惠券", "key": "get_coupon"},
            {
                "name": "菜单",
                "sub_button": [
                    {"type": "view", "name": "网上商店", "url": "https://www.example.com/shop"},
                    {"type": "click", "name": "么么哒", "key": "memeda"},
                ],
            },
        ]
    },
)
